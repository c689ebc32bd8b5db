// PLACEHOLDER: filled in by the request-validation work (issue 2, item 4/5).
/**
 * Checks a request's parameters before the table is looked up, in DynamoDB's order and with its
 * exact messages. Throws ValidationException (or SerializationException for wrong JSON types).
 */
export function validateCreateTableInput(_input: Record<string, unknown>): void {}
