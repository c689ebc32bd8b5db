import type { ModuleContext } from '../modules/module.js';
import type { CapacitySettings } from './capacity-settings.js';

/** DescribeLimits' answer: the account's and each table's most provisioned capacity units. */
export interface DescribeLimitsOutput {
  AccountMaxReadCapacityUnits: number;
  AccountMaxWriteCapacityUnits: number;
  TableMaxReadCapacityUnits: number;
  TableMaxWriteCapacityUnits: number;
}

/** DescribeEndpoints' answer: the one regional endpoint and how long clients may cache it. */
export interface DescribeEndpointsOutput {
  Endpoints: Array<{ Address: string; CachePeriodInMinutes: number }>;
}

/**
 * Registers DescribeLimits (the module's quotas: by default 80,000 units per account and 40,000 per table,
 * reads and writes) and DescribeEndpoints (the region's endpoint, cached for 1,440 minutes, as DynamoDB answers).
 */
export function registerLimitsOperations(context: ModuleContext, settings: CapacitySettings): void {
  context.registerOperation({
    service: 'DynamoDB_20120810',
    name: 'DescribeLimits',
    effect: 'read',
    tablesOf: () => [],
    handler: (): DescribeLimitsOutput => ({
      AccountMaxReadCapacityUnits: settings.accountQuota.readCapacityUnits,
      AccountMaxWriteCapacityUnits: settings.accountQuota.writeCapacityUnits,
      TableMaxReadCapacityUnits: settings.tableQuota.readCapacityUnits,
      TableMaxWriteCapacityUnits: settings.tableQuota.writeCapacityUnits,
    }),
  });
  context.registerOperation({
    service: 'DynamoDB_20120810',
    name: 'DescribeEndpoints',
    effect: 'read',
    tablesOf: () => [],
    handler: (): DescribeEndpointsOutput => ({ Endpoints: [{ Address: `dynamodb.${context.region}.amazonaws.com`, CachePeriodInMinutes: 1440 }] }),
  });
}
