import { ValidationException } from '../errors.js';

/**
 * DynamoDB's PartiQL messages. Sources: the parse envelope and "Expected data manipulation" were
 * confirmed against DynamoDB (nubo-db/dynoxide#149, eu-west-2, 2026-07); the others are quoted by AWS's
 * developer guide, re:Post answers and emulators checked against DynamoDB (docs/FIDELITY.md lists each).
 * The detail after the parse envelope names what the parser expected; DynamoDB's own details come from
 * its PartiQL parser and are matched where recorded ("Expected data manipulation"), not in general.
 */

/** A statement the parser cannot read: "Statement wasn't well formed, can't be processed: <detail>". */
export function malformed(detail: string): ValidationException {
  return new ValidationException(`Statement wasn't well formed, can't be processed: ${detail}`);
}

/** A statement that starts with something other than SELECT, INSERT, UPDATE, DELETE (or EXISTS in a transaction). */
export const MSG_EXPECTED_DML = 'Expected data manipulation';

/** UPDATE and DELETE (and a transaction's or batch's SELECT) name one item: equality on every key attribute. */
export const MSG_KEY_EQUALITY = 'Where clause does not contain a mandatory equality on all key attributes';

/** Parameters given do not match the statement's `?` count. */
export const MSG_PARAMETER_COUNT = "Number of parameters in request and statement don't match.";

/** INSERT of a key that exists (DuplicateItemException; the DuplicateItem cancellation reason). */
export const MSG_DUPLICATE_ITEM = 'Duplicate primary key exists in table';

/** A statement form DynamoDB's PartiQL does not support. */
export function unsupported(detail: string): ValidationException {
  return new ValidationException(`Unsupported operation: ${detail}`);
}
