import { ValidationException } from '../errors.js';
import { isKeyAttribute, type PrimaryKeySchema } from '../model/key-schema.js';
import type { UpdateNode } from './ast.js';

/**
 * Throws ValidationException ("One or more parameter values were invalid: Cannot update attribute <name>.
 * This attribute is part of the key") when an update's action targets a key attribute or anything inside
 * it (`SET pk = …`, `ADD pk.x :n`, `REMOVE pk`, AttributeUpdates on pk): dynalite test/updateItem.js
 * "trying to update key"/"range key", verified against DynamoDB. Called after the table lookup, on the
 * resolved update. Actions are checked in reverse textual order, the order DynamoDB's validator walks
 * them (unconfirmed for requests touching both key attributes).
 */
export function checkUpdateKeyAttributes(update: UpdateNode, schema: PrimaryKeySchema): void {
  const actions = update.actions;
  for (let i = actions.length - 1; i >= 0; i--) {
    const head = actions[i]!.path.elements[0];
    if (head === undefined || head.kind !== 'name') continue;
    if (isKeyAttribute(schema, head.name)) {
      throw new ValidationException(`One or more parameter values were invalid: Cannot update attribute ${head.name}. This attribute is part of the key`);
    }
  }
}
