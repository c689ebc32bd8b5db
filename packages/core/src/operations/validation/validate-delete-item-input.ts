import { singleItemWrite, validateSingleItemWrite } from './item-input.js';

// DynamoDB's order (dynalite test/deleteItem.js): returnConsumedCapacity, tableName, returnValues,
// returnItemCollectionMetrics, key. returnValuesOnConditionCheckFailure's place is unconfirmed.
const DELETE_ITEM = singleItemWrite('DeleteItem', 'Key', 'returnItemCollectionMetrics');

/**
 * Checks a request's parameters before the table is looked up, in DynamoDB's order and with its
 * exact messages. Throws ValidationException (or SerializationException for wrong JSON types).
 * ReturnValues' allowed values are checked after the Key (checkOldOnlyReturnValues), as DynamoDB does.
 */
export function validateDeleteItemInput(input: Record<string, unknown>): void {
  validateSingleItemWrite(input, input.Key, DELETE_ITEM);
}
