// PLACEHOLDER: the validation work fills this in (issue 3).
/**
 * Checks an UpdateItem request's parameters before the table is looked up, in DynamoDB's order and with
 * its exact messages. Throws ValidationException (or SerializationException for wrong JSON types).
 */
export function validateUpdateItemInput(_input: Record<string, unknown>): void {}
