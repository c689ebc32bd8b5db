import { defineEnum, type Constraints } from '@magneto/core';
import type { RestoreOverrides } from '../table-definition.js';

const BILLING_MODE = defineEnum(['PROVISIONED', 'PAY_PER_REQUEST']);
const SSE_TYPE = defineEnum(['AES256', 'KMS']);

/**
 * Checks the overrides' own members (Coral's constraints); the definition they produce is then checked
 * by CreateTable, as DynamoDB checks a restored table's definition.
 */
export function validateOverrides(c: Constraints, input: RestoreOverrides): void {
  c.oneOf('billingModeOverride', input.BillingModeOverride, BILLING_MODE);
  const throughput = input.ProvisionedThroughputOverride;
  if (throughput !== undefined) {
    if (c.notNull('provisionedThroughputOverride.readCapacityUnits', throughput.ReadCapacityUnits)) c.min('provisionedThroughputOverride.readCapacityUnits', throughput.ReadCapacityUnits, 1);
    if (c.notNull('provisionedThroughputOverride.writeCapacityUnits', throughput.WriteCapacityUnits)) c.min('provisionedThroughputOverride.writeCapacityUnits', throughput.WriteCapacityUnits, 1);
  }
  c.oneOf('sSESpecificationOverride.sSEType', input.SSESpecificationOverride?.SSEType, SSE_TYPE);
}
