import { ValidationException } from '../../errors.js';
import { RETURN_CONSUMED_CAPACITY, RETURN_ITEM_COLLECTION_METRICS, beginConstraints, MAX_PRINTED_VALUE, printValue } from './constraints.js';
import { areTableNameKeysValid, requestItemsConstraints } from './batch-request-items.js';
import { isMap, isOptionalReturnConsumedCapacity } from './item-input.js';
import { ATTRIBUTE_MAP, STRING, checkShape, listOf, struct, type Shape } from './shapes.js';

const DDB = 'com.amazonaws.dynamodb.v20120810.';

const WRITE_REQUEST_SHAPE = struct('WriteRequest', {
  PutRequest: struct('PutRequest', { Item: ATTRIBUTE_MAP }),
  DeleteRequest: struct('DeleteRequest', { Key: ATTRIBUTE_MAP }),
});
const REQUEST_ITEMS_SHAPE: Shape = { kind: 'map', value: listOf(WRITE_REQUEST_SHAPE), valueClass: `java.util.List<${DDB}WriteRequest>` };
const BATCH_WRITE_ITEM_SHAPE = struct('BatchWriteItemInput', {
  RequestItems: REQUEST_ITEMS_SHAPE,
  ReturnConsumedCapacity: STRING,
  ReturnItemCollectionMetrics: STRING,
});

/** The most write requests of one call, over all its tables. */
export const MAX_BATCH_WRITE_REQUESTS = 25;

const MAP_VALUES_CONSTRAINT =
  'Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]';
/** DynamoDB's answer to a WriteRequest with neither (or both) of PutRequest and DeleteRequest. */
const MSG_UNION =
  'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';
export const MSG_TOO_MANY_WRITES = 'Too many items requested for the BatchWriteItem call';

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function isOptionalReturnItemCollectionMetrics(value: unknown): boolean {
  return value === undefined || value === null || value === 'SIZE' || value === 'NONE';
}

/** Whether one WriteRequest is well-formed: exactly one of PutRequest {Item} and DeleteRequest {Key}. */
function isValidWriteRequest(request: unknown): boolean {
  if (!isMap(request)) return false;
  const put = request.PutRequest;
  const del = request.DeleteRequest;
  if (present(put)) return !present(del) && isMap(put) && isMap(put.Item);
  return isMap(del) && isMap(del.Key);
}

/** The allocation-free test of a well-formed request within every constraint. */
function isValidRequestItems(map: Record<string, unknown>): boolean {
  let tables = 0;
  let total = 0;
  for (const name in map) {
    const list = map[name];
    if (!Array.isArray(list) || list.length < 1 || list.length > MAX_BATCH_WRITE_REQUESTS) return false;
    for (let i = 0; i < list.length; i++) if (!isValidWriteRequest(list[i])) return false;
    total += list.length;
    tables++;
  }
  return tables > 0 && total <= MAX_BATCH_WRITE_REQUESTS && areTableNameKeysValid(map);
}

/** `{table=[…], …}`, as Java prints a map, cut at MAX_PRINTED_VALUE characters as printValue cuts. */
function printJavaMap(map: Readonly<Record<string, unknown>>): string {
  const text = `{${Object.keys(map).map((name) => `${name}=${printValue(map[name])}`).join(', ')}}`;
  return text.length <= MAX_PRINTED_VALUE ? text : `${text.slice(0, MAX_PRINTED_VALUE)}...`;
}

/**
 * Checks a BatchWriteItem request's parameters before any AttributeValue or table is looked at, in
 * DynamoDB's order and with its messages (dynalite test/batchWriteItem.js, verified against DynamoDB):
 * the JSON types; then the member constraints (returnConsumedCapacity, returnItemCollectionMetrics,
 * requestItems: not null, not empty, its table-name keys, its lists of 1..25, then each request's
 * deleteRequest.key and putRequest.item); then a request with neither (or both, unconfirmed) of
 * PutRequest and DeleteRequest; then more than 25 requests over all tables.
 */
export function validateBatchWriteItemInput(input: Record<string, unknown>): void {
  const items = input.RequestItems;
  const rcc = input.ReturnConsumedCapacity;
  const ricm = input.ReturnItemCollectionMetrics;
  if (isMap(items) && isOptionalReturnConsumedCapacity(rcc) && isOptionalReturnItemCollectionMetrics(ricm) && isValidRequestItems(items)) return;

  checkShape(input, BATCH_WRITE_ITEM_SHAPE);
  const c = beginConstraints();
  c.oneOf('returnConsumedCapacity', rcc, RETURN_CONSUMED_CAPACITY);
  c.oneOf('returnItemCollectionMetrics', ricm, RETURN_ITEM_COLLECTION_METRICS);
  if (requestItemsConstraints(c, items, 'BatchWriteItem', printJavaMap)) {
    let badLength = false;
    for (const name in items) {
      const list = items[name];
      if (Array.isArray(list) && (list.length < 1 || list.length > MAX_BATCH_WRITE_REQUESTS)) badLength = true;
    }
    // DynamoDB prints the map as Java does, `{table=[…]}` (nubo-db/dynamodb-conformance tier3 batchWriteItem).
    if (badLength) c.failShown('requestItems', `'${printJavaMap(items)}'`, MAP_VALUES_CONSTRAINT);
    for (const name in items) {
      const list = items[name];
      // A null map value is a list of WriteRequests that is not there.
      if (!c.notNull(() => `requestItems.${name}.member`, list) || !Array.isArray(list)) continue;
      for (let i = 0; i < list.length; i++) {
        const request: unknown = list[i];
        if (!isMap(request)) continue;
        const member = `requestItems.${name}.member.${i + 1}.member`;
        const del = request.DeleteRequest;
        if (isMap(del)) c.notNull(`${member}.deleteRequest.key`, del.Key);
        const put = request.PutRequest;
        if (isMap(put)) c.notNull(`${member}.putRequest.item`, put.Item);
      }
    }
  }
  c.finish();

  const map = items as Record<string, unknown>;
  let total = 0;
  for (const name in map) {
    const list = map[name];
    if (!Array.isArray(list)) continue;
    for (const request of list) {
      const r = (isMap(request) ? request : {}) as Record<string, unknown>;
      if (present(r.PutRequest) === present(r.DeleteRequest)) throw new ValidationException(MSG_UNION);
    }
    total += list.length;
  }
  if (total > MAX_BATCH_WRITE_REQUESTS) throw new ValidationException(MSG_TOO_MANY_WRITES);
}
