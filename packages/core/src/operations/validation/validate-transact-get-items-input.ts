import { RETURN_CONSUMED_CAPACITY, beginConstraints } from './constraints.js';
import { isMap } from './item-input.js';
import { ATTRIBUTE_MAP, STRING, STRING_MAP, checkShape, listOf, struct } from './shapes.js';
import { MAX_TRANSACT_ITEMS } from './validate-transact-write-items-input.js';

const TRANSACT_GET_ITEMS_SHAPE = struct('TransactGetItemsInput', {
  TransactItems: listOf(
    struct('TransactGetItem', {
      Get: struct('Get', { Key: ATTRIBUTE_MAP, TableName: STRING, ProjectionExpression: STRING, ExpressionAttributeNames: STRING_MAP }),
    }),
  ),
  ReturnConsumedCapacity: STRING,
});

/**
 * Checks a TransactGetItems request's own members, with DynamoDB's messages: the JSON types
 * (SerializationException), then the member constraints ("Value … at 'transactItems' failed to satisfy
 * constraint: Member must have length less than or equal to 100", ReturnConsumedCapacity, each Get's
 * required Key and TableName at `transactItems.N.member.get.key`). Each Get's values and expressions are
 * checked afterwards by the operation, as GetItem checks them.
 */
export function validateTransactGetItemsInput(input: Record<string, unknown>): void {
  checkShape(input, TRANSACT_GET_ITEMS_SHAPE);
  const items = input.TransactItems;
  const c = beginConstraints();
  if (c.notNull('transactItems', items)) c.length('transactItems', items, 1, MAX_TRANSACT_ITEMS);
  c.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  const list = Array.isArray(items) && items.length <= MAX_TRANSACT_ITEMS ? (items as unknown[]) : [];
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    const base = `transactItems.${i + 1}.member`;
    if (!isMap(entry)) {
      c.notNull(base, entry);
      continue;
    }
    const get = entry.Get;
    if (!c.notNull(`${base}.get`, get) || !isMap(get)) continue;
    c.notNull(`${base}.get.key`, get.Key);
    if (c.notNull(`${base}.get.tableName`, get.TableName)) c.tableName(`${base}.get.tableName`, get.TableName, true);
  }
  c.finish();
}
