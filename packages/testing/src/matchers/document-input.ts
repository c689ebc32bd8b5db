import { decodeValue, type AttributeValue } from '@magneto/core';

/**
 * Where a request holds AttributeValues, as `@aws-sdk/lib-dynamodb` marshals a DocumentClient command's
 * input: `ITEM` a map of attribute names to values, `VALUE` one value; an array at any node is read
 * element by element. One tree serves every operation: the member names never mean two things.
 */
const ITEM = 'item';
const VALUE = 'value';
type Shape = typeof ITEM | typeof VALUE | { readonly [member: string]: Shape };

const CONDITIONS: Shape = { '*': { Value: VALUE, AttributeValueList: VALUE } };
const WRITE: Shape = { Key: ITEM, Item: ITEM, ExpressionAttributeValues: ITEM };
const REQUEST: Shape = {
  Item: ITEM,
  Key: ITEM,
  ExclusiveStartKey: ITEM,
  ExpressionAttributeValues: ITEM,
  Expected: CONDITIONS,
  KeyConditions: CONDITIONS,
  QueryFilter: CONDITIONS,
  ScanFilter: CONDITIONS,
  AttributeUpdates: { '*': { Value: VALUE } },
  // BatchGetItem: { table: { Keys } }; BatchWriteItem: { table: [{ PutRequest | DeleteRequest }] }.
  RequestItems: { '*': { Keys: ITEM, PutRequest: { Item: ITEM }, DeleteRequest: { Key: ITEM } } },
  TransactItems: { ConditionCheck: WRITE, Put: WRITE, Delete: WRITE, Update: WRITE, Get: WRITE },
  Parameters: VALUE,
  Statements: { Parameters: VALUE },
  TransactStatements: { Parameters: VALUE },
};

/**
 * A request as the journal keeps it (AttributeValues), with the native values a DocumentClient command
 * was written with (`{ id: 'o1' }` for `{ id: { S: 'o1' } }`; numbers as numbers, sets as Sets), so a
 * test asserts on `PutCommand` input exactly as it sent it.
 */
export function documentInput(input: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return convert(input, REQUEST) as Record<string, unknown>;
}

function convert(value: unknown, shape: Shape): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((element) => convert(element, shape));
  const record = value as Record<string, unknown>;
  if (shape === VALUE) return decodeValue(record as AttributeValue, undefined);
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(record)) {
    if (shape === ITEM) out[name] = decodeValue(member as AttributeValue, undefined);
    else {
      const inner = shape[name] ?? shape['*'];
      out[name] = inner === undefined ? member : convert(member, inner);
    }
  }
  return out;
}
