import { ValidationException } from '../../errors.js';
import { RETURN_CONSUMED_CAPACITY, RETURN_ITEM_COLLECTION_METRICS, RETURN_VALUES_ON_CONDITION_CHECK_FAILURE, beginConstraints, type Constraints } from './constraints.js';
import { isMap } from './item-input.js';
import { ATTRIBUTE_MAP, STRING, STRING_MAP, checkShape, listOf, struct } from './shapes.js';

/** The transaction actions TransactWriteItems accepts, as their request members are spelled. */
export type TransactWriteActionKind = 'ConditionCheck' | 'Put' | 'Delete' | 'Update';

const ACTION_MEMBERS = {
  TableName: STRING,
  ConditionExpression: STRING,
  ExpressionAttributeNames: STRING_MAP,
  ExpressionAttributeValues: ATTRIBUTE_MAP,
  ReturnValuesOnConditionCheckFailure: STRING,
};

const TRANSACT_WRITE_ITEMS_SHAPE = struct('TransactWriteItemsInput', {
  TransactItems: listOf(
    struct('TransactWriteItem', {
      ConditionCheck: struct('ConditionCheck', { Key: ATTRIBUTE_MAP, ...ACTION_MEMBERS }),
      Put: struct('Put', { Item: ATTRIBUTE_MAP, ...ACTION_MEMBERS }),
      Delete: struct('Delete', { Key: ATTRIBUTE_MAP, ...ACTION_MEMBERS }),
      Update: struct('Update', { Key: ATTRIBUTE_MAP, UpdateExpression: STRING, ...ACTION_MEMBERS }),
    }),
  ),
  ReturnConsumedCapacity: STRING,
  ReturnItemCollectionMetrics: STRING,
  ClientRequestToken: STRING,
});

/** The most actions one transaction may hold (TransactWriteItems and TransactGetItems). */
export const MAX_TRANSACT_ITEMS = 100;

export const MSG_ONE_ACTION = 'TransactItems can only contain one of Check, Put, Update or Delete';

/**
 * Checks a TransactWriteItems request's own members before any action is looked at, with DynamoDB's
 * messages: the JSON types (SerializationException), then the member constraints Coral reports together
 * ("Value … at 'transactItems' failed to satisfy constraint: Member must have length less than or equal
 * to 100", ClientRequestToken 1..36 characters, the enums, and each action's required members at
 * `transactItems.N.member.put.tableName`), then that every entry holds exactly one action ("TransactItems
 * can only contain one of Check, Put, Update or Delete"). Returns each entry's action kind.
 *
 * Each action's own values and expressions are checked afterwards by the operation, as its single-item
 * operation checks them.
 */
export function validateTransactWriteItemsInput(input: Record<string, unknown>): TransactWriteActionKind[] {
  checkShape(input, TRANSACT_WRITE_ITEMS_SHAPE);
  const items = input.TransactItems;
  const c = beginConstraints();
  if (c.notNull('transactItems', items)) c.length('transactItems', items, 1, MAX_TRANSACT_ITEMS);
  // The token before the enums (paritysuite/dynamodb-conformance validation-ordering transactions, us-east-1).
  c.length('clientRequestToken', input.ClientRequestToken, 1, 36);
  c.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  c.oneOf('returnItemCollectionMetrics', input.ReturnItemCollectionMetrics, RETURN_ITEM_COLLECTION_METRICS);
  const list = Array.isArray(items) && items.length <= MAX_TRANSACT_ITEMS ? (items as unknown[]) : [];
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    if (!isMap(entry)) {
      c.notNull(`transactItems.${i + 1}.member`, entry);
      continue;
    }
    actionConstraints(c, entry.ConditionCheck, i, 'conditionCheck', 'key', true, false);
    actionConstraints(c, entry.Put, i, 'put', 'item', false, false);
    actionConstraints(c, entry.Delete, i, 'delete', 'key', false, false);
    actionConstraints(c, entry.Update, i, 'update', 'key', false, true);
  }
  c.finish();
  const kinds: TransactWriteActionKind[] = [];
  for (const entry of list as Array<Record<string, unknown>>) {
    let kind: TransactWriteActionKind | undefined;
    let count = 0;
    for (const k of ['ConditionCheck', 'Put', 'Delete', 'Update'] as const) {
      if (entry[k] !== undefined && entry[k] !== null) {
        kind = k;
        count++;
      }
    }
    if (count !== 1 || kind === undefined) throw new ValidationException(MSG_ONE_ACTION);
    kinds.push(kind);
  }
  return kinds;
}

/** The constraints of one action's members (absent actions are skipped). */
function actionConstraints(
  c: Constraints,
  action: unknown,
  index: number,
  member: string,
  mapMember: 'key' | 'item',
  conditionRequired: boolean,
  updateRequired: boolean,
): void {
  if (!isMap(action)) return;
  const path = (name: string) => () => `transactItems.${index + 1}.member.${member}.${name}`;
  c.notNull(path(mapMember), mapMember === 'key' ? action.Key : action.Item);
  if (updateRequired) c.notNull(path('updateExpression'), action.UpdateExpression);
  if (c.notNull(path('tableName'), action.TableName)) c.tableName(path('tableName'), action.TableName, true);
  if (conditionRequired) c.notNull(path('conditionExpression'), action.ConditionExpression);
  c.oneOf(path('returnValuesOnConditionCheckFailure'), action.ReturnValuesOnConditionCheckFailure, RETURN_VALUES_ON_CONDITION_CHECK_FAILURE);
}
