import type { Engine } from '../engine.js';
import { ConditionalCheckFailedException } from '../errors.js';
import type { ConditionNode } from '../expressions/ast.js';
import { evaluateCondition } from '../expressions/evaluate-condition.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import type { ReturnConsumedCapacity } from './consumed-capacity.js';
import { itemChange } from '../modules/item-change.js';
import type { TableState } from '../tables/table-state.js';

/**
 * The steps PutItem, UpdateItem and DeleteItem share between reading the old item and answering:
 * the condition check and the change feed.
 */

/** The request members PutItem, UpdateItem and DeleteItem share: the table, the condition, what to return. */
export interface ItemWriteParameters {
  TableName: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
  /** Legacy condition: prefer ConditionExpression. */
  Expected?: Record<string, unknown>;
  ConditionalOperator?: 'AND' | 'OR';
  ReturnValuesOnConditionCheckFailure?: 'NONE' | 'ALL_OLD';
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: 'SIZE' | 'NONE';
}

/**
 * Throws ConditionalCheckFailedException ("The conditional request failed") unless the condition holds
 * for the item as it is now; with ReturnValuesOnConditionCheckFailure ALL_OLD the exception carries it.
 */
export function assertCondition(condition: ConditionNode | undefined, old: Item | undefined, onFailure: unknown): void {
  if (condition === undefined || evaluateCondition(condition, old)) return;
  throw new ConditionalCheckFailedException(
    'The conditional request failed',
    onFailure === 'ALL_OLD' && old !== undefined ? old : undefined,
  );
}

/** Publishes what a committed write did to one item (`next` undefined: deleted). A write that changed nothing publishes nothing. @internal */
export function publishItemChange(engine: Engine, table: TableState, old: Item | undefined, next: Item | undefined): void {
  if (!engine.hasChangeListeners) return;
  const change = itemChange(table, old, next, engine.clock.now(), 'user');
  if (change !== undefined) engine.publish([change]);
}
