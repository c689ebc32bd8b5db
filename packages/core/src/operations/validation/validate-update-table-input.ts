import { INVALID, ValidationException } from '../../errors.js';
import { BILLING_MODE, TABLE_CLASS, beginConstraints } from './constraints.js';
import {
  ATTRIBUTE_DEFINITIONS_SHAPE,
  KEY_SCHEMA_SHAPE,
  PROJECTION_SHAPE,
  PROVISIONED_THROUGHPUT_SHAPE,
  STREAM_SPECIFICATION_SHAPE,
  THROUGHPUT_WITH_PAY_PER_REQUEST,
  attributeDefinitionsConstraints,
  checkTableNamePresent,
  checkThroughputBounds,
  keySchemaConstraints,
  MAX_GSI_KEY_SCHEMA,
  projectionConstraints,
  provisionedThroughputConstraints,
  streamSpecificationConstraints,
} from './common.js';
import { BOOLEAN, OPAQUE, STRING, checkShape, listOf, struct } from './shapes.js';

const UPDATE_TABLE_SHAPE = struct('UpdateTableInput', {
  TableName: STRING,
  AttributeDefinitions: ATTRIBUTE_DEFINITIONS_SHAPE,
  BillingMode: STRING,
  ProvisionedThroughput: PROVISIONED_THROUGHPUT_SHAPE,
  GlobalSecondaryIndexUpdates: listOf(
    struct('GlobalSecondaryIndexUpdate', {
      Update: struct('UpdateGlobalSecondaryIndexAction', {
        IndexName: STRING,
        ProvisionedThroughput: PROVISIONED_THROUGHPUT_SHAPE,
        OnDemandThroughput: OPAQUE,
        WarmThroughput: OPAQUE,
      }),
      Create: struct('CreateGlobalSecondaryIndexAction', {
        IndexName: STRING,
        KeySchema: KEY_SCHEMA_SHAPE,
        Projection: PROJECTION_SHAPE,
        ProvisionedThroughput: PROVISIONED_THROUGHPUT_SHAPE,
        OnDemandThroughput: OPAQUE,
        WarmThroughput: OPAQUE,
      }),
      Delete: struct('DeleteGlobalSecondaryIndexAction', { IndexName: STRING }),
    }),
  ),
  StreamSpecification: STREAM_SPECIFICATION_SHAPE,
  SSESpecification: OPAQUE,
  ReplicaUpdates: OPAQUE,
  TableClass: STRING,
  DeletionProtectionEnabled: BOOLEAN,
  MultiRegionConsistency: STRING,
  GlobalTableWitnessUpdates: OPAQUE,
  OnDemandThroughput: OPAQUE,
  WarmThroughput: OPAQUE,
});

/** DynamoDB's current wording (2025+); older releases listed fewer members. */
export const UPDATE_TABLE_NOTHING_TO_DO =
  'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, ' +
  'SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, ' +
  'DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required';

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * Checks a request's parameters before the table is looked up, in DynamoDB's order and with its
 * exact messages. Throws ValidationException (or SerializationException for wrong JSON types).
 */
export function validateUpdateTableInput(input: Record<string, unknown>): void {
  checkShape(input, UPDATE_TABLE_SHAPE);
  checkTableNamePresent(input.TableName);

  const c = beginConstraints();
  c.tableName('tableName', input.TableName, true);
  const defs = input.AttributeDefinitions;
  if (Array.isArray(defs)) attributeDefinitionsConstraints(c, defs);
  c.oneOf('billingMode', input.BillingMode, BILLING_MODE);
  provisionedThroughputConstraints(c, 'provisionedThroughput', input.ProvisionedThroughput);
  const updates = input.GlobalSecondaryIndexUpdates;
  if (Array.isArray(updates)) {
    for (let i = 0; i < updates.length; i++) {
      const member = `globalSecondaryIndexUpdates.${i + 1}.member`;
      const update = updates[i] as Record<string, unknown> | null | undefined;
      if (!present(update)) continue;
      const u = update!.Update as Record<string, unknown> | null | undefined;
      if (present(u)) {
        const name = `${member}.update.indexName`;
        if (c.notNull(name, u!.IndexName)) c.tableName(name, u!.IndexName);
        // Update.ProvisionedThroughput is optional since on-demand indexes can update OnDemandThroughput instead.
        provisionedThroughputConstraints(c, `${member}.update.provisionedThroughput`, u!.ProvisionedThroughput);
      }
      const cr = update!.Create as Record<string, unknown> | null | undefined;
      if (present(cr)) {
        const name = `${member}.create.indexName`;
        if (c.notNull(name, cr!.IndexName)) c.tableName(name, cr!.IndexName);
        keySchemaConstraints(c, `${member}.create.keySchema`, cr!.KeySchema, MAX_GSI_KEY_SCHEMA);
        projectionConstraints(c, `${member}.create.projection`, cr!.Projection);
        provisionedThroughputConstraints(c, `${member}.create.provisionedThroughput`, cr!.ProvisionedThroughput);
      }
      const del = update!.Delete as Record<string, unknown> | null | undefined;
      if (present(del)) {
        const name = `${member}.delete.indexName`;
        if (c.notNull(name, del!.IndexName)) c.tableName(name, del!.IndexName);
      }
    }
  }
  streamSpecificationConstraints(c, input.StreamSpecification);
  c.oneOf('tableClass', input.TableClass, TABLE_CLASS);
  c.finish();

  const hasUpdates = Array.isArray(updates) && updates.length > 0;
  const replicaUpdates = input.ReplicaUpdates;
  const hasReplicaUpdates = Array.isArray(replicaUpdates) ? replicaUpdates.length > 0 : present(replicaUpdates);
  if (
    !present(input.ProvisionedThroughput) &&
    !present(input.BillingMode) &&
    !present(input.StreamSpecification) &&
    !hasUpdates &&
    !present(input.SSESpecification) &&
    !hasReplicaUpdates &&
    !present(input.MultiRegionConsistency) &&
    !present(input.DeletionProtectionEnabled) &&
    !present(input.OnDemandThroughput) &&
    !present(input.WarmThroughput) &&
    !present(input.TableClass)
  ) {
    throw new ValidationException(UPDATE_TABLE_NOTHING_TO_DO);
  }

  if (input.BillingMode === 'PAY_PER_REQUEST' && present(input.ProvisionedThroughput)) {
    throw new ValidationException(THROUGHPUT_WITH_PAY_PER_REQUEST);
  }
  checkThroughputBounds(input.ProvisionedThroughput);

  if (hasUpdates) {
    const seen: string[] = [];
    for (const entry of updates as Array<Record<string, unknown> | null | undefined>) {
      const u = entry?.Update as Record<string, unknown> | null | undefined;
      const cr = entry?.Create as Record<string, unknown> | null | undefined;
      const del = entry?.Delete as Record<string, unknown> | null | undefined;
      if (!present(u) && !present(cr) && !present(del)) {
        throw new ValidationException(
          `${INVALID}One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, ` +
            'GlobalSecondaryIndexUpdate.Delete must not be null',
        );
      }
      const indexName = (u?.IndexName ?? cr?.IndexName ?? del?.IndexName) as string;
      if (seen.includes(indexName)) {
        throw new ValidationException(
          `${INVALID}Only one global secondary index update per index is allowed simultaneously. Index: ${indexName}`,
        );
      }
      seen.push(indexName);
      if (present(u)) checkThroughputBounds(u!.ProvisionedThroughput, ` for index ${indexName}`);
    }
  }
}
