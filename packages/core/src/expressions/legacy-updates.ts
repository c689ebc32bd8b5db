import { INVALID, ValidationException } from '../errors.js';
import { attributeTypeOf, type AttributeValue } from '../model/attribute-value.js';
import { validateAttributeName, validateAttributeValue } from '../model/validate-item.js';
import type { PathNode, UpdateAction, UpdateNode } from './ast.js';

/*
 * UpdateItem's legacy AttributeUpdates, translated into a resolved update tree, entry by entry in
 * request order (DynamoDB Local's InputConverter.externalToInternalAttributeValueUpdate/
 * validateAttributeUpdates; messages from dynalite's test/updateItem.js, verified against DynamoDB):
 *
 *  - PUT (the default) `a` = Value                → SET a = :v
 *  - DELETE without Value                          → REMOVE a
 *  - DELETE with a set                             → DELETE a :set (removes those members)
 *  - ADD a number or a set                         → ADD a :v
 *  - ADD a list (DynamoDB Local accepts LIST)      → SET a = list_append(if_not_exists(a, []), :v)
 *
 * The Action enum itself is a member constraint (the request validator). The tree is marked `legacy`:
 * applying it, an operand type mismatch (ADD of a number to a set, DELETE of a NS from a SS, …) is
 * "Type mismatch for attribute to update", not the UpdateExpression message.
 */

const EMPTY_LIST: AttributeValue = Object.freeze({ L: Object.freeze([]) as unknown as AttributeValue[] });

function isSet(type: string): boolean {
  return type === 'SS' || type === 'NS' || type === 'BS';
}

/** Checks a request's AttributeUpdates and returns the update they express, or undefined when there is none. */
export function translateAttributeUpdates(input: Readonly<Record<string, unknown>>): UpdateNode | undefined {
  const updates = input.AttributeUpdates as Record<string, unknown> | null | undefined;
  if (updates === undefined || updates === null) return undefined;
  const actions: UpdateAction[] = [];
  for (const name in updates) {
    const raw = updates[name];
    if (raw === undefined) continue;
    if (raw === null) {
      throw new ValidationException(`Supplied AttributeValueUpdate is empty, must contain one of the supported actions: ${name} is null`);
    }
    const entry = raw as Record<string, unknown>;
    const action = (entry.Action ?? 'PUT') as string;
    const value = entry.Value !== undefined && entry.Value !== null ? validateAttributeValue(entry.Value) : undefined;
    const path: PathNode = { kind: 'path', elements: [{ kind: 'name', name }] };
    if (value === undefined) {
      if (action !== 'DELETE') throw new ValidationException(`${INVALID}Only DELETE action is allowed when no attribute value is specified`);
      validateAttributeName(name);
      actions.push({ kind: 'remove', path });
      continue;
    }
    const type = attributeTypeOf(value);
    if (action === 'DELETE') {
      if (!isSet(type)) throw new ValidationException(`${INVALID}DELETE action with value is not supported for the type ${type}`);
      actions.push({ kind: 'delete', path, value: { kind: 'literal', value } });
    } else if (action === 'ADD') {
      if (type === 'L') {
        actions.push({
          kind: 'set',
          path,
          value: {
            kind: 'listAppend',
            args: [
              { kind: 'ifNotExists', args: [path, { kind: 'literal', value: EMPTY_LIST }] },
              { kind: 'literal', value },
            ],
          },
        });
      } else if (type === 'N' || isSet(type)) {
        actions.push({ kind: 'add', path, value: { kind: 'literal', value } });
      } else {
        throw new ValidationException(`${INVALID}ADD action is not supported for the type ${type}`);
      }
    } else {
      actions.push({ kind: 'set', path, value: { kind: 'literal', value } });
    }
    // The name after the entry's value and action, as DynamoDB Local's externalToInternalAttributeUpdates.
    validateAttributeName(name);
  }
  return actions.length === 0 ? undefined : { kind: 'update', actions, legacy: true };
}
