import { describe, expect, it } from 'vitest';
import { expectSerialization, expectValidation } from '../../../test/support/expect-errors.js';
import { errors, notNull, failed, PATTERN, MIN3, INVALID } from '../../../test/support/messages.js';
import { UPDATE_TABLE_NOTHING_TO_DO, validateUpdateTableInput as v } from './validate-update-table-input.js';

describe('UpdateTable', () => {
  it('accepts a throughput change, a billing mode change and a deletion-protection change', () => {
    expect(() => v({ TableName: 'abc', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } })).not.toThrow();
    expect(() => v({ TableName: 'abc', BillingMode: 'PAY_PER_REQUEST' })).not.toThrow();
    expect(() => v({ TableName: 'arn:aws:dynamodb:us-east-1:123456789012:table/abc', DeletionProtectionEnabled: false })).not.toThrow();
  });

  it('rejects a missing TableName with the required-parameter message', () => {
    expectValidation(() => v({}), "The parameter 'TableName' is required but was not present in the request");
  });

  it('rejects a table name shorter than 3 characters', () => {
    expectValidation(() => v({ TableName: '' }), errors(failed('', 'tableName', PATTERN), failed('', 'tableName', 'Member must have length greater than or equal to 3')));
  });

  it('rejects a table name with a character outside [a-zA-Z0-9_.-]', () => {
    expectValidation(() => v({ TableName: 'abc;' }), errors(failed('abc;', 'tableName', PATTERN)));
  });

  it('reports writeCapacityUnits before readCapacityUnits', () => {
    expectValidation(
      () => v({ TableName: 'abc', ProvisionedThroughput: { ReadCapacityUnits: -1, WriteCapacityUnits: -1 } }),
      errors(
        failed('-1', 'provisionedThroughput.writeCapacityUnits', 'Member must have value greater than or equal to 1'),
        failed('-1', 'provisionedThroughput.readCapacityUnits', 'Member must have value greater than or equal to 1'),
      ),
    );
  });

  it('rejects a request that changes nothing, counting an empty GlobalSecondaryIndexUpdates as absent', () => {
    expectValidation(() => v({ TableName: 'abc' }), UPDATE_TABLE_NOTHING_TO_DO);
    expectValidation(() => v({ TableName: 'abc', GlobalSecondaryIndexUpdates: [] }), UPDATE_TABLE_NOTHING_TO_DO);
    expect(UPDATE_TABLE_NOTHING_TO_DO).toBe(
      'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ' +
        'ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, ' +
        'OnDemandThroughput, WarmThroughput or TableClass is required',
    );
  });

  it('rejects capacity units above 1000000000000', () => {
    expectValidation(
      () => v({ TableName: 'abc', ProvisionedThroughput: { ReadCapacityUnits: 1000000000001, WriteCapacityUnits: 1000000000001 } }),
      'Given value 1000000000001 for ReadCapacityUnits is out of bounds',
    );
  });

  it('checks global secondary index updates', () => {
    expectValidation(
      () =>
        v({
          TableName: 'abc',
          GlobalSecondaryIndexUpdates: [
            { Update: { IndexName: 'a', ProvisionedThroughput: {} } },
            { Update: { IndexName: 'abc;', ProvisionedThroughput: { ReadCapacityUnits: 1000000000001, WriteCapacityUnits: 0 } } },
          ],
        }),
      errors(
        failed('a', 'globalSecondaryIndexUpdates.1.member.update.indexName', MIN3),
        notNull('globalSecondaryIndexUpdates.1.member.update.provisionedThroughput.writeCapacityUnits'),
        notNull('globalSecondaryIndexUpdates.1.member.update.provisionedThroughput.readCapacityUnits'),
        failed('abc;', 'globalSecondaryIndexUpdates.2.member.update.indexName', PATTERN),
        failed('0', 'globalSecondaryIndexUpdates.2.member.update.provisionedThroughput.writeCapacityUnits', 'Member must have value greater than or equal to 1'),
      ),
    );
  });

  it('rejects an empty index update, a repeated index and an out-of-bounds index capacity', () => {
    expectValidation(
      () => v({ TableName: 'abc', GlobalSecondaryIndexUpdates: [{}] }),
      `${INVALID}One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null`,
    );
    expectValidation(
      () => v({ TableName: 'abc', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'abc' } }, { Delete: { IndexName: 'abc' } }] }),
      `${INVALID}Only one global secondary index update per index is allowed simultaneously. Index: abc`,
    );
    expectValidation(
      () =>
        v({
          TableName: 'abc',
          GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'abc', ProvisionedThroughput: { ReadCapacityUnits: 1000000000000, WriteCapacityUnits: 1000000000001 } } }],
        }),
      'Given value 1000000000001 for WriteCapacityUnits is out of bounds for index abc',
    );
  });

  it('rejects throughput together with PAY_PER_REQUEST', () => {
    expectValidation(
      () => v({ TableName: 'abc', BillingMode: 'PAY_PER_REQUEST', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
      `${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`,
    );
  });

  it('answers SerializationException for wrongly typed members', () => {
    expectSerialization(() => v({ TableName: 'abc', DeletionProtectionEnabled: 34.5 }), 'DECIMAL_VALUE cannot be converted to Boolean');
    expectSerialization(() => v({ TableName: 'abc', GlobalSecondaryIndexUpdates: [{ Update: 'x' }] }), 'Unexpected field type');
  });
});
