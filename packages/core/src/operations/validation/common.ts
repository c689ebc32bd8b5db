import { INVALID, ValidationException } from '../../errors.js';
import type { Constraints } from './constraints.js';
import { ATTRIBUTE_TYPE, KEY_TYPE, PROJECTION_TYPE, STREAM_VIEW_TYPE, beginConstraints } from './constraints.js';
import { BOOLEAN, LONG, STRING, checkShape, listOf, struct, type StructShape } from './shapes.js';

/** Shapes shared by the table operations. */
export const PROVISIONED_THROUGHPUT_SHAPE = struct('ProvisionedThroughput', {
  ReadCapacityUnits: LONG,
  WriteCapacityUnits: LONG,
});
export const KEY_SCHEMA_SHAPE = listOf(struct('KeySchemaElement', { AttributeName: STRING, KeyType: STRING }));
export const PROJECTION_SHAPE = struct('Projection', { ProjectionType: STRING, NonKeyAttributes: listOf(STRING) });
export const ATTRIBUTE_DEFINITIONS_SHAPE = listOf(struct('AttributeDefinition', { AttributeName: STRING, AttributeType: STRING }));
export const STREAM_SPECIFICATION_SHAPE = struct('StreamSpecification', { StreamEnabled: BOOLEAN, StreamViewType: STRING });

/** CreateTable's and UpdateTable's answer to a ProvisionedThroughput alongside BillingMode PAY_PER_REQUEST. */
export const THROUGHPUT_WITH_PAY_PER_REQUEST =
  `${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`;

/** The largest capacity units DynamoDB accepts before "Given value … is out of bounds". */
export const MAX_CAPACITY_UNITS = 1_000_000_000_000;

/**
 * The table operations (CreateTable, UpdateTable, DeleteTable, DescribeTable) answer a missing TableName
 * with their own required-parameter message (confirmed on CreateTable by nubo-db/dynamodb-conformance
 * tier3 createTable, against DynamoDB in 2026). A name that is present is checked by the tableName
 * constraints as on every operation: dynalite's "TableName must be at least 3 characters long and at
 * most 255 characters long" is no longer DynamoDB's wording (docs/FIDELITY.md).
 */
export function checkTableNamePresent(tableName: unknown): void {
  if (tableName === undefined || tableName === null) {
    throw new ValidationException("The parameter 'TableName' is required but was not present in the request");
  }
}

/**
 * Validates a request made of a TableName only (DeleteTable, DescribeTable): its JSON type, then the
 * required-parameter message, then the tableName constraints. A table ARN is accepted.
 */
export function validateTableNameOnlyInput(input: Record<string, unknown>, shape: StructShape): void {
  if (typeof input.TableName !== 'string') checkShape(input, shape);
  checkTableNamePresent(input.TableName);
  const c = beginConstraints();
  c.tableName('tableName', input.TableName, true);
  c.finish();
}

/** Each AttributeDefinition: not null, attributeName (not null, length 1..255), attributeType (not null, B, N or S). */
export function attributeDefinitionsConstraints(c: Constraints, list: readonly unknown[]): void {
  for (let i = 0; i < list.length; i++) {
    const member = `attributeDefinitions.${i + 1}.member`;
    const def = list[i] as Record<string, unknown> | null | undefined;
    if (!c.notNull(member, def)) continue;
    const name = `${member}.attributeName`;
    if (c.notNull(name, def!.AttributeName)) c.length(name, def!.AttributeName, 1, 255);
    const type = `${member}.attributeType`;
    if (c.notNull(type, def!.AttributeType)) c.oneOf(type, def!.AttributeType, ATTRIBUTE_TYPE);
  }
}

/** An index's Projection: not null, projectionType in the enum, nonKeyAttributes of 1..20 names. */
export function projectionConstraints(c: Constraints, path: string, value: unknown): void {
  if (!c.notNull(path, value)) return;
  const projection = value as Record<string, unknown>;
  c.oneOf(`${path}.projectionType`, projection.ProjectionType, PROJECTION_TYPE);
  c.length(`${path}.nonKeyAttributes`, projection.NonKeyAttributes, 1, 20);
}

/** A StreamSpecification, when present: streamEnabled not null, streamViewType in the enum. */
export function streamSpecificationConstraints(c: Constraints, value: unknown): void {
  if (value === undefined || value === null) return;
  const stream = value as Record<string, unknown>;
  c.notNull('streamSpecification.streamEnabled', stream.StreamEnabled);
  c.oneOf('streamSpecification.streamViewType', stream.StreamViewType, STREAM_VIEW_TYPE);
}

/** The ProvisionedThroughput constraints: writeCapacityUnits before readCapacityUnits, as DynamoDB lists them. */
export function provisionedThroughputConstraints(c: Constraints, path: string, value: unknown): void {
  if (value === undefined || value === null) return;
  const pt = value as Record<string, unknown>;
  const write = `${path}.writeCapacityUnits`;
  if (c.notNull(write, pt.WriteCapacityUnits)) c.min(write, pt.WriteCapacityUnits, 1);
  const read = `${path}.readCapacityUnits`;
  if (c.notNull(read, pt.ReadCapacityUnits)) c.min(read, pt.ReadCapacityUnits, 1);
}

/**
 * KeySchema constraints: not null, 1..2 elements, then each element's attributeName (not null,
 * length 1..255) and keyType (not null, HASH or RANGE). Index key schemas share the
 * KeySchemaElement shape, so they get the same checks.
 */
/** DynamoDB's most KeySchema elements of a GSI: four HASH and four RANGE (multi-attribute keys). */
export const MAX_GSI_KEY_SCHEMA = 8;

export function keySchemaConstraints(c: Constraints, path: string, value: unknown, max = 2): void {
  if (!c.notNull(path, value)) return;
  const list = value as unknown[];
  c.minLength(path, list, 1);
  // DynamoDB prints the list with its elements' Java toString (nubo-db/dynamodb-conformance tier3
  // createTable, against DynamoDB; moto and kumo record the same): not a value Magneto can print generally.
  if (list.length > max) c.failShown(path, `'[${list.map(printKeySchemaElement).join(', ')}]'`, `Member must have length less than or equal to ${max}`);
  for (let i = 0; i < list.length; i++) {
    const member = `${path}.${i + 1}.member`;
    const element = list[i] as Record<string, unknown> | null | undefined;
    if (!c.notNull(member, element)) continue;
    const name = `${member}.attributeName`;
    if (c.notNull(name, element!.AttributeName)) c.length(name, element!.AttributeName, 1, 255);
    const keyType = `${member}.keyType`;
    if (c.notNull(keyType, element!.KeyType)) c.oneOf(keyType, element!.KeyType, KEY_TYPE);
  }
}

/** `KeySchemaElement(attributeName=pk, keyType=HASH)`, as DynamoDB prints a KeySchema element in a constraint message. */
function printKeySchemaElement(element: unknown): string {
  if (element === null || typeof element !== 'object') return 'null';
  const { AttributeName, KeyType } = element as { AttributeName?: unknown; KeyType?: unknown };
  return `KeySchemaElement(attributeName=${String(AttributeName ?? null)}, keyType=${String(KeyType ?? null)})`;
}

/** Throws `Given value N for XCapacityUnits is out of bounds[ suffix]` for units above the maximum. */
export function checkThroughputBounds(value: unknown, suffix = ''): void {
  if (value === undefined || value === null) return;
  const pt = value as Record<string, unknown>;
  const read = pt.ReadCapacityUnits;
  if (typeof read === 'number' && read > MAX_CAPACITY_UNITS) {
    throw new ValidationException(`Given value ${read} for ReadCapacityUnits is out of bounds${suffix}`);
  }
  const write = pt.WriteCapacityUnits;
  if (typeof write === 'number' && write > MAX_CAPACITY_UNITS) {
    throw new ValidationException(`Given value ${write} for WriteCapacityUnits is out of bounds${suffix}`);
  }
}
