import { INVALID, ValidationException } from '../../errors.js';
import { BILLING_MODE, TABLE_CLASS, beginConstraints, type Constraints } from './constraints.js';
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

const CREATE_TABLE_SHAPE = struct('CreateTableInput', {
  AttributeDefinitions: ATTRIBUTE_DEFINITIONS_SHAPE,
  TableName: STRING,
  KeySchema: KEY_SCHEMA_SHAPE,
  LocalSecondaryIndexes: listOf(
    struct('LocalSecondaryIndex', { IndexName: STRING, KeySchema: KEY_SCHEMA_SHAPE, Projection: PROJECTION_SHAPE }),
  ),
  GlobalSecondaryIndexes: listOf(
    struct('GlobalSecondaryIndex', {
      IndexName: STRING,
      KeySchema: KEY_SCHEMA_SHAPE,
      Projection: PROJECTION_SHAPE,
      ProvisionedThroughput: PROVISIONED_THROUGHPUT_SHAPE,
      OnDemandThroughput: OPAQUE,
      WarmThroughput: OPAQUE,
    }),
  ),
  BillingMode: STRING,
  ProvisionedThroughput: PROVISIONED_THROUGHPUT_SHAPE,
  StreamSpecification: STREAM_SPECIFICATION_SHAPE,
  SSESpecification: OPAQUE,
  Tags: listOf(struct('Tag', { Key: STRING, Value: STRING })),
  TableClass: STRING,
  DeletionProtectionEnabled: BOOLEAN,
  ResourcePolicy: STRING,
  OnDemandThroughput: OPAQUE,
  WarmThroughput: OPAQUE,
});

/**
 * Checks a request's parameters before the table is looked up, in DynamoDB's order and with its
 * exact messages. Throws ValidationException (or SerializationException for wrong JSON types).
 */
export function validateCreateTableInput(input: Record<string, unknown>): void {
  checkShape(input, CREATE_TABLE_SHAPE);
  // CreateTable names a new table: no ARN here.
  checkTableNamePresent(input.TableName);

  const c = beginConstraints();
  const defs = input.AttributeDefinitions;
  if (c.notNull('attributeDefinitions', defs)) attributeDefinitionsConstraints(c, defs as unknown[]);
  c.tableName('tableName', input.TableName);
  c.oneOf('billingMode', input.BillingMode, BILLING_MODE);
  provisionedThroughputConstraints(c, 'provisionedThroughput', input.ProvisionedThroughput);
  keySchemaConstraints(c, 'keySchema', input.KeySchema);
  indexConstraints(c, 'localSecondaryIndexes', input.LocalSecondaryIndexes, false);
  indexConstraints(c, 'globalSecondaryIndexes', input.GlobalSecondaryIndexes, true);
  streamSpecificationConstraints(c, input.StreamSpecification);
  const tags = input.Tags;
  if (Array.isArray(tags)) {
    for (let i = 0; i < tags.length; i++) {
      const member = `tags.${i + 1}.member`;
      const tag = tags[i] as Record<string, unknown> | null | undefined;
      if (!c.notNull(member, tag)) continue;
      const key = `${member}.key`;
      if (c.notNull(key, tag!.Key)) c.length(key, tag!.Key, 1, 128);
      const value = `${member}.value`;
      if (c.notNull(value, tag!.Value)) c.maxLength(value, tag!.Value, 256);
    }
  }
  c.oneOf('tableClass', input.TableClass, TABLE_CLASS);
  c.finish();

  checkSemantics(input);
}

function indexConstraints(c: Constraints, path: string, value: unknown, global: boolean): void {
  if (!Array.isArray(value)) return;
  for (let i = 0; i < value.length; i++) {
    const member = `${path}.${i + 1}.member`;
    const index = value[i] as Record<string, unknown> | null | undefined;
    if (!c.notNull(member, index)) continue;
    const name = `${member}.indexName`;
    if (c.notNull(name, index!.IndexName)) c.tableName(name, index!.IndexName);
    keySchemaConstraints(c, `${member}.keySchema`, index!.KeySchema, global ? MAX_GSI_KEY_SCHEMA : 2);
    projectionConstraints(c, `${member}.projection`, index!.Projection);
    if (global) provisionedThroughputConstraints(c, `${member}.provisionedThroughput`, index!.ProvisionedThroughput);
  }
}

function checkSemantics(input: Record<string, unknown>): void {
  const throughput = input.ProvisionedThroughput;
  if (input.BillingMode === 'PAY_PER_REQUEST') {
    if (throughput !== undefined && throughput !== null) {
      throw new ValidationException(THROUGHPUT_WITH_PAY_PER_REQUEST);
    }
  } else {
    if (throughput === undefined || throughput === null) {
      throw new ValidationException(
        `${INVALID}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`,
      );
    }
    checkThroughputBounds(throughput);
  }

  const defs = input.AttributeDefinitions as Array<Record<string, unknown>>;
  const keySchema = input.KeySchema as Array<Record<string, unknown>>;
  const defNames: string[] = [];
  for (const def of defs) {
    const name = def.AttributeName as string;
    if (defNames.includes(name)) throw new ValidationException(`Attribute Name is duplicated: ${name}`);
    defNames.push(name);
  }
  const keys = keySchema.map((k) => k.AttributeName as string);

  if (keys.length > defNames.length) {
    throw new ValidationException('Invalid KeySchema: Some index key attribute have no definition');
  }
  if (keys.some((k) => !defNames.includes(k))) {
    throw new ValidationException(
      `${INVALID}Some index key attributes are not defined in AttributeDefinitions. ` +
        `Keys: [${keys.join(', ')}], AttributeDefinitions: [${defNames.join(', ')}]`,
    );
  }
  if (keys.length === 2 && keys[0] === keys[1]) {
    throw new ValidationException('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  }
  if (keySchema[0]!.KeyType !== 'HASH') {
    throw new ValidationException('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  }
  if (keySchema.length === 2 && keySchema[1]!.KeyType !== 'RANGE') {
    throw new ValidationException('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  }

  const lsis = input.LocalSecondaryIndexes as unknown[] | undefined | null;
  const gsis = input.GlobalSecondaryIndexes as unknown[] | undefined | null;
  const hasLsis = lsis !== undefined && lsis !== null;
  const hasGsis = gsis !== undefined && gsis !== null;
  if (!hasLsis && !hasGsis && keys.length !== defNames.length) {
    throw new ValidationException(
      `${INVALID}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`,
    );
  }
  if (hasLsis && lsis.length === 0) throw new ValidationException(`${INVALID}List of LocalSecondaryIndexes is empty`);
  if (hasGsis && gsis.length === 0) throw new ValidationException(`${INVALID}List of GlobalSecondaryIndexes is empty`);
  if (!hasLsis && !hasGsis) return;

  // Every attribute definition must be some key's (table or index). More definitions than key
  // attributes is reported before the index rules (moto's decision table, verified against DynamoDB).
  const used: string[] = [...keys];
  for (const list of [lsis, gsis]) {
    for (const index of (list ?? []) as Array<Record<string, unknown>>) {
      for (const element of index.KeySchema as Array<Record<string, unknown>>) {
        const name = element.AttributeName as string;
        if (!used.includes(name)) used.push(name);
      }
    }
  }
  if (defNames.length > used.length) {
    throw new ValidationException(
      `${INVALID}Some AttributeDefinitions are not used. AttributeDefinitions: [${defNames.join(', ')}], keys used: [${used.join(', ')}]`,
    );
  }

  const indexNames: string[] = [];
  let projectedCount = 0;
  if (hasLsis) {
    if (keys.length !== 2) {
      throw new ValidationException(
        `${INVALID}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`,
      );
    }
    for (const index of lsis as Array<Record<string, unknown>>) {
      const name = index.IndexName as string;
      const indexKeys = checkIndexKeySchema(index, defNames);
      if (indexKeys.length !== 2) {
        throw new ValidationException(`${INVALID}Index KeySchema does not have a range key for index: ${name}`);
      }
      if (indexKeys[0] !== keys[0]) {
        throw new ValidationException(
          `${INVALID}Index KeySchema does not have the same leading hash key as table KeySchema for index: ${name}. ` +
            `index hash key: ${indexKeys[0]}, table hash key: ${keys[0]}`,
        );
      }
      projectedCount += checkIndexProjection(index.Projection as Record<string, unknown>);
      checkDuplicateIndexName(indexNames, name);
    }
    if (lsis.length > 5) {
      throw new ValidationException(`${INVALID}Number of LocalSecondaryIndexes exceeds per-table limit of 5`);
    }
  }
  if (hasGsis) {
    const payPerRequest = input.BillingMode === 'PAY_PER_REQUEST';
    for (const index of gsis as Array<Record<string, unknown>>) {
      const name = index.IndexName as string;
      checkIndexKeySchema(index, defNames, true);
      projectedCount += checkIndexProjection(index.Projection as Record<string, unknown>);
      const indexThroughput = index.ProvisionedThroughput;
      if (payPerRequest && indexThroughput !== undefined && indexThroughput !== null) {
        throw new ValidationException(
          `${INVALID}ProvisionedThroughput should not be specified for index: ${name} when BillingMode is PAY_PER_REQUEST`,
        );
      }
      if (!payPerRequest) {
        if (indexThroughput === undefined || indexThroughput === null) {
          throw new ValidationException(`${INVALID}ProvisionedThroughput is not specified for index: ${name}`);
        }
        checkThroughputBounds(indexThroughput, ` for index ${name}`);
      }
      checkDuplicateIndexName(indexNames, name);
    }
    if (gsis.length > MAX_GSIS) {
      throw new ValidationException(`${INVALID}GlobalSecondaryIndex count exceeds the per-table limit of ${MAX_GSIS}`);
    }
  }
  if (projectedCount > MAX_PROJECTED_ATTRIBUTES) {
    throw new ValidationException(`${INVALID}Number of projected attributes in all indexes exceeds limit of ${MAX_PROJECTED_ATTRIBUTES}`);
  }
}

/** DynamoDB's per-table limit of global secondary indexes. */
export const MAX_GSIS = 20;
/** DynamoDB's limit of NonKeyAttributes across all of a table's indexes. */
export const MAX_PROJECTED_ATTRIBUTES = 100;

function checkDuplicateIndexName(seen: string[], name: string): void {
  if (seen.includes(name)) throw new ValidationException(`${INVALID}Duplicate index name: ${name}`);
  seen.push(name);
}

/**
 * An index's KeySchema rules, in DynamoDB's order: every key attribute defined, distinct names, HASH
 * first, RANGE second. Returns the key attribute names.
 */
export function checkIndexKeySchema(index: Record<string, unknown>, defNames: readonly string[], global = false): string[] {
  const schema = index.KeySchema as Array<Record<string, unknown>>;
  const indexKeys = schema.map((k) => k.AttributeName as string);
  if (indexKeys.some((k) => !defNames.includes(k))) {
    throw new ValidationException(
      `${INVALID}Some index key attributes are not defined in AttributeDefinitions. ` +
        `Keys: [${indexKeys.join(', ')}], AttributeDefinitions: [${defNames.join(', ')}]`,
    );
  }
  if (global && (schema.length > 2 || (schema.length === 2 && schema[1]!.KeyType === 'HASH'))) {
    checkMultiAttributeKeySchema(schema, indexKeys);
    return indexKeys;
  }
  if (indexKeys.length === 2 && indexKeys[0] === indexKeys[1]) {
    throw new ValidationException('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  }
  if (schema[0]!.KeyType !== 'HASH') {
    throw new ValidationException('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  }
  if (schema.length === 2 && schema[1]!.KeyType !== 'RANGE') {
    throw new ValidationException('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  }
  return indexKeys;
}

const MAX_KEY_ATTRIBUTES = 4;

/**
 * A GSI's multi-attribute KeySchema: HASH elements first (at least one, at most four), then at most
 * four RANGE elements, no attribute twice.
 */
function checkMultiAttributeKeySchema(schema: ReadonlyArray<Record<string, unknown>>, names: readonly string[]): void {
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) throw new ValidationException(`Invalid KeySchema: Duplicate KeySchemaElement AttributeName: ${duplicate}`);
  if (schema[0]!.KeyType !== 'HASH') {
    throw new ValidationException('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  }
  let hashes = 0;
  let ranges = 0;
  for (const element of schema) {
    if (element.KeyType === 'HASH') {
      if (ranges > 0) throw new ValidationException('Invalid KeySchema: HASH KeySchemaElements must precede all RANGE KeySchemaElements');
      hashes++;
    } else {
      ranges++;
    }
  }
  if (hashes > MAX_KEY_ATTRIBUTES) {
    throw new ValidationException(`Invalid KeySchema: A KeySchema can have at most ${MAX_KEY_ATTRIBUTES} HASH KeySchemaElements`);
  }
  if (ranges > MAX_KEY_ATTRIBUTES) {
    throw new ValidationException(`Invalid KeySchema: A KeySchema can have at most ${MAX_KEY_ATTRIBUTES} RANGE KeySchemaElements`);
  }
}

/** An index's Projection rules; returns how many NonKeyAttributes it projects (toward the limit of 100). */
export function checkIndexProjection(projection: Record<string, unknown>): number {
  const type = projection.ProjectionType;
  if (type === undefined || type === null) throw new ValidationException(`${INVALID}Unknown ProjectionType: null`);
  const nonKey = projection.NonKeyAttributes as string[] | undefined | null;
  const hasNonKey = nonKey !== undefined && nonKey !== null;
  if (type !== 'INCLUDE') {
    if (hasNonKey) throw new ValidationException(`${INVALID}ProjectionType is ${type as string}, but NonKeyAttributes is specified`);
    return 0;
  }
  if (!hasNonKey) throw new ValidationException(`${INVALID}ProjectionType is INCLUDE, but NonKeyAttributes is not specified`);
  const seen = new Set<string>();
  for (const name of nonKey) {
    if (seen.has(name)) throw new ValidationException(`${INVALID}Duplicate element in NonKeyAttributes: ${name}`);
    seen.add(name);
  }
  return nonKey.length;
}
