import { describe, expect, it } from 'vitest';
import { expectSerialization, expectValidation } from '../../../test/support/expect-errors.js';
import { errors, notNull, failed, PATTERN, MIN3, MAX255, INVALID } from '../../../test/support/messages.js';
import { validateCreateTableInput as v } from './validate-create-table-input.js';

const HASH = [{ AttributeName: 'a', KeyType: 'HASH' }];
const DEF_A = [{ AttributeName: 'a', AttributeType: 'S' }];
const DEF_AB = [...DEF_A, { AttributeName: 'b', AttributeType: 'S' }];
const PT = { ReadCapacityUnits: 1, WriteCapacityUnits: 1 };

describe('CreateTable', () => {
  it('accepts a provisioned hash-key table', () => {
    expect(() => v({ TableName: 'abc', AttributeDefinitions: DEF_A, KeySchema: HASH, ProvisionedThroughput: PT })).not.toThrow();
  });

  it('accepts an on-demand hash-and-range table with tags and a table class', () => {
    expect(() =>
      v({
        TableName: 'abc',
        AttributeDefinitions: DEF_AB,
        KeySchema: [...HASH, { AttributeName: 'b', KeyType: 'RANGE' }],
        BillingMode: 'PAY_PER_REQUEST',
        Tags: [{ Key: 'k', Value: '' }],
        TableClass: 'STANDARD_INFREQUENT_ACCESS',
        DeletionProtectionEnabled: true,
      }),
    ).not.toThrow();
  });

  it('rejects a missing TableName with the required-parameter message', () => {
    expectValidation(() => v({}), "The parameter 'TableName' is required but was not present in the request");
  });

  // nubo-db/dynamodb-conformance tier3 createTable (against DynamoDB): Coral's constraint messages, not
  // dynalite's "TableName must be at least 3 characters long and at most 255 characters long".
  it('rejects a table name shorter than 3 characters', () => {
    const valid = { AttributeDefinitions: DEF_A, KeySchema: HASH, ProvisionedThroughput: PT };
    expectValidation(() => v({ TableName: 'ab', ...valid }), errors(failed('ab', 'tableName', 'Member must have length greater than or equal to 3')));
  });

  it('rejects a table name longer than 255 characters', () => {
    const name = 'a'.repeat(256);
    const valid = { AttributeDefinitions: DEF_A, KeySchema: HASH, ProvisionedThroughput: PT };
    expectValidation(() => v({ TableName: name, ...valid }), errors(failed(name, 'tableName', 'Member must have length less than or equal to 255')));
  });

  it('does not accept a table ARN as the new table name', () => {
    expectValidation(
      () => v({ TableName: 'arn:aws:dynamodb:us-east-1:123456789012:table/abc', AttributeDefinitions: DEF_A, KeySchema: HASH, ProvisionedThroughput: PT }),
      errors(failed('arn:aws:dynamodb:us-east-1:123456789012:table/abc', 'tableName', PATTERN)),
    );
  });

  it('reports attributeDefinitions, tableName and keySchema in that order', () => {
    expectValidation(
      () => v({ TableName: 'abc;' }),
      errors(notNull('attributeDefinitions'), failed('abc;', 'tableName', PATTERN), notNull('keySchema')),
    );
  });

  it('reports writeCapacityUnits before readCapacityUnits', () => {
    expectValidation(
      () => v({ TableName: 'abc', AttributeDefinitions: [], ProvisionedThroughput: {} }),
      errors(notNull('provisionedThroughput.writeCapacityUnits'), notNull('provisionedThroughput.readCapacityUnits'), notNull('keySchema')),
    );
    expectValidation(
      () => v({ TableName: 'abc', AttributeDefinitions: [], KeySchema: [], ProvisionedThroughput: { ReadCapacityUnits: -1, WriteCapacityUnits: -1 } }),
      errors(
        failed('-1', 'provisionedThroughput.writeCapacityUnits', 'Member must have value greater than or equal to 1'),
        failed('-1', 'provisionedThroughput.readCapacityUnits', 'Member must have value greater than or equal to 1'),
        failed('[]', 'keySchema', 'Member must have length greater than or equal to 1'),
      ),
    );
  });

  it('rejects an invalid billing mode before the throughput constraints', () => {
    expectValidation(
      () => v({ TableName: 'abc', AttributeDefinitions: DEF_A, KeySchema: HASH, BillingMode: 'A', ProvisionedThroughput: { ReadCapacityUnits: -1, WriteCapacityUnits: 1 } }),
      errors(
        failed('A', 'billingMode', 'Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]'),
        failed('-1', 'provisionedThroughput.readCapacityUnits', 'Member must have value greater than or equal to 1'),
      ),
    );
  });

  it('checks every key schema element', () => {
    expectValidation(
      () =>
        v({
          TableName: 'abc',
          AttributeDefinitions: [],
          KeySchema: [{ KeyType: 'HASH' }, { AttributeName: 'a' }, { KeyType: 'Woop', AttributeName: 'a' }],
          ProvisionedThroughput: PT,
        }),
      errors(
        // Java's KeySchemaElement toString, as today's DynamoDB prints it (nubo-db/dynamodb-conformance; docs/FIDELITY.md).
        "Value '[KeySchemaElement(attributeName=null, keyType=HASH), KeySchemaElement(attributeName=a, keyType=null), KeySchemaElement(attributeName=a, keyType=Woop)]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2",
        notNull('keySchema.1.member.attributeName'),
        notNull('keySchema.2.member.keyType'),
        failed('Woop', 'keySchema.3.member.keyType', 'Member must satisfy enum value set: [HASH, RANGE]'),
      ),
    );
  });

  it('checks every attribute definition', () => {
    expectValidation(
      () => v({ TableName: 'abc', AttributeDefinitions: [{}, { AttributeName: 'b', AttributeType: 'SS' }], KeySchema: HASH, ProvisionedThroughput: PT }),
      errors(
        notNull('attributeDefinitions.1.member.attributeName'),
        notNull('attributeDefinitions.1.member.attributeType'),
        failed('SS', 'attributeDefinitions.2.member.attributeType', 'Member must satisfy enum value set: [B, N, S]'),
      ),
    );
  });

  it('checks secondary index names, key schemas and projections', () => {
    const name = 'a'.repeat(256);
    expectValidation(
      () =>
        v({
          TableName: 'abc',
          AttributeDefinitions: DEF_AB,
          KeySchema: HASH,
          LocalSecondaryIndexes: [{ IndexName: 'h;', KeySchema: [], Projection: { NonKeyAttributes: [], ProjectionType: 'abc' } }],
          GlobalSecondaryIndexes: [{ IndexName: name, KeySchema: HASH, Projection: {}, ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 } }],
          ProvisionedThroughput: PT,
        }),
      errors(
        failed('h;', 'localSecondaryIndexes.1.member.indexName', PATTERN),
        failed('h;', 'localSecondaryIndexes.1.member.indexName', MIN3),
        failed('[]', 'localSecondaryIndexes.1.member.keySchema', 'Member must have length greater than or equal to 1'),
        failed('abc', 'localSecondaryIndexes.1.member.projection.projectionType', 'Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]'),
        failed('[]', 'localSecondaryIndexes.1.member.projection.nonKeyAttributes', 'Member must have length greater than or equal to 1'),
        failed(name, 'globalSecondaryIndexes.1.member.indexName', MAX255),
        failed('0', 'globalSecondaryIndexes.1.member.provisionedThroughput.writeCapacityUnits', 'Member must have value greater than or equal to 1'),
        failed('0', 'globalSecondaryIndexes.1.member.provisionedThroughput.readCapacityUnits', 'Member must have value greater than or equal to 1'),
      ),
    );
  });

  it('reports at most 10 constraint failures', () => {
    expectValidation(
      () => v({ TableName: 'abc', AttributeDefinitions: DEF_AB, KeySchema: HASH, LocalSecondaryIndexes: [{}, {}, {}, {}, {}], ProvisionedThroughput: PT }),
      errors(
        ...[1, 2, 3].flatMap((i) => [
          notNull(`localSecondaryIndexes.${i}.member.indexName`),
          notNull(`localSecondaryIndexes.${i}.member.keySchema`),
          notNull(`localSecondaryIndexes.${i}.member.projection`),
        ]),
        notNull('localSecondaryIndexes.4.member.indexName'),
      ),
    );
  });

  it('checks tag key and value lengths', () => {
    expectValidation(
      () => v({ TableName: 'abc', AttributeDefinitions: DEF_A, KeySchema: HASH, ProvisionedThroughput: PT, Tags: [{ Key: '', Value: 'v'.repeat(257) }] }),
      errors(
        failed('', 'tags.1.member.key', 'Member must have length greater than or equal to 1'),
        failed('v'.repeat(257), 'tags.1.member.value', 'Member must have length less than or equal to 256'),
      ),
    );
  });

  it('rejects throughput with PAY_PER_REQUEST', () => {
    expectValidation(
      () => v({ TableName: 'abc', AttributeDefinitions: DEF_A, KeySchema: HASH, BillingMode: 'PAY_PER_REQUEST', ProvisionedThroughput: PT }),
      `${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`,
    );
  });

  it('rejects a provisioned table without throughput', () => {
    expectValidation(
      () => v({ TableName: 'abc', AttributeDefinitions: [], KeySchema: HASH }),
      `${INVALID}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`,
    );
  });

  it('rejects capacity units above 1000000000000, read first', () => {
    const base = { TableName: 'abc', AttributeDefinitions: [], KeySchema: HASH };
    expectValidation(
      () => v({ ...base, ProvisionedThroughput: { WriteCapacityUnits: 1000000000001, ReadCapacityUnits: 1000000000001 } }),
      'Given value 1000000000001 for ReadCapacityUnits is out of bounds',
    );
    expectValidation(
      () => v({ ...base, ProvisionedThroughput: { ReadCapacityUnits: 1000000000000, WriteCapacityUnits: 1000000000001 } }),
      'Given value 1000000000001 for WriteCapacityUnits is out of bounds',
    );
  });

  it('reports a constraint failure before an out-of-bounds capacity', () => {
    expectValidation(
      () => v({ TableName: 'abc', AttributeDefinitions: [], KeySchema: HASH, ProvisionedThroughput: { ReadCapacityUnits: 1000000000001, WriteCapacityUnits: -1 } }),
      errors(failed('-1', 'provisionedThroughput.writeCapacityUnits', 'Member must have value greater than or equal to 1')),
    );
  });

  it('rejects a duplicated attribute definition', () => {
    expectValidation(
      () => v({ TableName: 'abc', AttributeDefinitions: [...DEF_A, { AttributeName: 'a', AttributeType: 'N' }], KeySchema: HASH, ProvisionedThroughput: PT }),
      'Attribute Name is duplicated: a',
    );
  });

  it('rejects more key elements than attribute definitions', () => {
    expectValidation(
      () => v({ TableName: 'abc', AttributeDefinitions: [{ AttributeName: 'b', AttributeType: 'S' }], KeySchema: [...HASH, { AttributeName: 'b', KeyType: 'RANGE' }], ProvisionedThroughput: PT }),
      'Invalid KeySchema: Some index key attribute have no definition',
    );
  });

  it('rejects a key attribute without a definition', () => {
    expectValidation(
      () => v({ TableName: 'abc', AttributeDefinitions: [{ AttributeName: 'b', AttributeType: 'S' }], KeySchema: HASH, ProvisionedThroughput: PT }),
      `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [a], AttributeDefinitions: [b]`,
    );
  });

  it('rejects hash and range keys with the same name', () => {
    expectValidation(
      () => v({ TableName: 'abc', AttributeDefinitions: DEF_AB, KeySchema: [...HASH, { AttributeName: 'a', KeyType: 'HASH' }], ProvisionedThroughput: PT }),
      'Both the Hash Key and the Range Key element in the KeySchema have the same name',
    );
  });

  it('rejects a first key element that is not HASH', () => {
    expectValidation(
      () => v({ TableName: 'abc', AttributeDefinitions: DEF_AB, KeySchema: [{ AttributeName: 'a', KeyType: 'RANGE' }, { AttributeName: 'b', KeyType: 'HASH' }], ProvisionedThroughput: PT }),
      'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
    );
  });

  it('rejects a second key element that is not RANGE', () => {
    expectValidation(
      () => v({ TableName: 'abc', AttributeDefinitions: DEF_AB, KeySchema: [...HASH, { AttributeName: 'b', KeyType: 'HASH' }], ProvisionedThroughput: PT }),
      'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type',
    );
  });

  it('rejects attribute definitions that the key schema does not use', () => {
    expectValidation(
      () => v({ TableName: 'abc', AttributeDefinitions: DEF_AB, KeySchema: HASH, ProvisionedThroughput: PT }),
      `${INVALID}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`,
    );
  });

  it('rejects empty secondary index lists', () => {
    const base = { TableName: 'abc', AttributeDefinitions: DEF_AB, KeySchema: HASH, ProvisionedThroughput: PT };
    expectValidation(() => v({ ...base, LocalSecondaryIndexes: [] }), `${INVALID}List of LocalSecondaryIndexes is empty`);
    expectValidation(() => v({ ...base, GlobalSecondaryIndexes: [] }), `${INVALID}List of GlobalSecondaryIndexes is empty`);
  });

  it('answers SerializationException for wrongly typed members', () => {
    expectSerialization(() => v({ TableName: 'abc', KeySchema: 'x' }), 'Unexpected field type');
    expectSerialization(() => v({ TableName: 'abc', KeySchema: ['x'] }), 'Unexpected value type in payload');
    expectSerialization(
      () => v({ TableName: 'abc', KeySchema: [[]] }),
      'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeySchemaElement',
    );
    expectSerialization(() => v({ TableName: 'abc', ProvisionedThroughput: 5 }), 'Unexpected field type');
    expectSerialization(
      () => v({ TableName: 'abc', ProvisionedThroughput: [] }),
      'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ProvisionedThroughput',
    );
    expectSerialization(() => v({ TableName: 'abc', ProvisionedThroughput: { ReadCapacityUnits: '1' } }), 'STRING_VALUE cannot be converted to Long');
    expectSerialization(() => v({ TableName: 'abc', AttributeDefinitions: {} }), 'Start of structure or map found where not expected');
  });
});
