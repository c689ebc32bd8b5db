import type { Engine } from '../engine.js';
import { ConditionalCheckFailedException, DuplicateItemException } from '../errors.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import type { ConsumedCapacity } from '../operations/consumed-capacity.js';
import { deleteItem } from '../operations/delete-item.js';
import { getItem } from '../operations/get-item.js';
import { putItem } from '../operations/put-item.js';
import { query } from '../operations/query.js';
import { scan } from '../operations/scan.js';
import { updateItem } from '../operations/update-item.js';
import { MSG_DUPLICATE_ITEM } from './messages.js';
import { projectSelected } from './select-projection.js';
import type { Plan } from './plan-statement.js';
import { runStatementOperation, type PartiqlOperation } from './statement-operation.js';

/** What a planned statement answered: its items, where a read stopped, and what it consumed. */
export interface PlanResult {
  readonly items: Item[];
  readonly lastEvaluatedKey?: Record<string, AttributeValue> | undefined;
  readonly consumedCapacity?: ConsumedCapacity | undefined;
}

/**
 * Runs a plan as its operation, a statement of `enclosing` (runStatementOperation: admission hooks that see
 * statements run around it). A read's page starts at `exclusiveStartKey` and evaluates at most `limit`
 * items. An INSERT that finds its key answers DuplicateItemException, not a failed condition.
 */
export function runPlan(engine: Engine, enclosing: PartiqlOperation, plan: Plan, limit?: number, exclusiveStartKey?: Record<string, AttributeValue>): PlanResult {
  switch (plan.operation) {
    case 'GetItem': {
      const output = runStatementOperation(engine, enclosing, 'GetItem', plan.input, () => getItem(engine, plan.input));
      const items = output.Item === undefined ? [] : [projectSelected(output.Item, plan.projection)];
      return { items, consumedCapacity: output.ConsumedCapacity };
    }
    case 'Query':
    case 'Scan': {
      const input = { ...plan.input };
      if (limit !== undefined) input.Limit = limit;
      if (exclusiveStartKey !== undefined) input.ExclusiveStartKey = exclusiveStartKey;
      const output = runStatementOperation(engine, enclosing, plan.operation, input, () => (plan.operation === 'Query' ? query(engine, input) : scan(engine, input)));
      const items = (output.Items ?? []).map((item) => projectSelected(item, plan.projection));
      return { items, lastEvaluatedKey: output.LastEvaluatedKey, consumedCapacity: output.ConsumedCapacity };
    }
    case 'PutItem':
      try {
        return { items: [], consumedCapacity: runStatementOperation(engine, enclosing, 'PutItem', plan.input, () => putItem(engine, plan.input)).ConsumedCapacity };
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw new DuplicateItemException(MSG_DUPLICATE_ITEM);
        throw error;
      }
    case 'UpdateItem': {
      const output = runStatementOperation(engine, enclosing, 'UpdateItem', plan.input, () => updateItem(engine, plan.input));
      return { items: output.Attributes === undefined ? [] : [output.Attributes], consumedCapacity: output.ConsumedCapacity };
    }
    case 'DeleteItem': {
      const output = runStatementOperation(engine, enclosing, 'DeleteItem', plan.input, () => deleteItem(engine, plan.input));
      return { items: output.Attributes === undefined ? [] : [output.Attributes], consumedCapacity: output.ConsumedCapacity };
    }
    case 'ConditionCheck':
      // Only a transaction runs EXISTS (execute-transaction.ts); alone it is not a statement.
      throw new Error('EXISTS runs only inside ExecuteTransaction');
  }
}
