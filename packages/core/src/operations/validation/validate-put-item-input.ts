import { singleItemWrite, validateSingleItemWrite } from './item-input.js';

// DynamoDB's order (dynalite test/putItem.js): returnConsumedCapacity, tableName, item, returnValues,
// returnItemCollectionMetrics. returnValuesOnConditionCheckFailure's place is unconfirmed.
const PUT_ITEM = singleItemWrite('PutItem', 'Item', 'tableName');

/**
 * Checks a request's parameters before the table is looked up, in DynamoDB's order and with its
 * exact messages. Throws ValidationException (or SerializationException for wrong JSON types).
 * ReturnValues' allowed values are checked after the Item (checkOldOnlyReturnValues), as DynamoDB does.
 */
export function validatePutItemInput(input: Record<string, unknown>): void {
  validateSingleItemWrite(input, input.Item, PUT_ITEM);
}
