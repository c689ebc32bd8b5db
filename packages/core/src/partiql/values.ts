import type { AttributeValue } from '../model/attribute-value.js';
import type { ValueNode } from './ast.js';
import { malformed } from './messages.js';

/**
 * A PartiQL value as an AttributeValue: 'text' is S, numbers N (as written), TRUE/FALSE BOOL, NULL
 * NULL, [..] L, {'k': ..} M, <<..>> SS, NS or BS by its members' type, `?` the parameter in its place.
 * The AttributeValues are checked where they are used, by the operation the statement runs as.
 */
export function attributeValueOf(node: ValueNode, parameters: readonly AttributeValue[]): AttributeValue {
  switch (node.kind) {
    case 'string':
      return { S: node.text };
    case 'number':
      return { N: node.text };
    case 'boolean':
      return { BOOL: node.value };
    case 'null':
      return { NULL: true };
    case 'parameter':
      // parseStatement counted the parameters and the caller checked the count against them.
      return parameters[node.index]!;
    case 'list':
      return { L: node.members.map((member) => attributeValueOf(member, parameters)) };
    case 'map': {
      const map: Record<string, AttributeValue> = {};
      for (const { key, value } of node.entries) map[key] = attributeValueOf(value, parameters);
      return { M: map };
    }
    case 'set':
      return setOf(node.members.map((member) => attributeValueOf(member, parameters)));
  }
}

/** `<<…>>`: every member a String, a Number or a Binary, all of one type. */
function setOf(members: readonly AttributeValue[]): AttributeValue {
  const first = members[0];
  if (first === undefined) throw malformed('A set must have at least one member');
  if ('S' in first && members.every((m) => 'S' in m)) return { SS: members.map((m) => (m as { S: string }).S) };
  if ('N' in first && members.every((m) => 'N' in m)) return { NS: members.map((m) => (m as { N: string }).N) };
  if ('B' in first && members.every((m) => 'B' in m)) return { BS: members.map((m) => (m as { B: Uint8Array }).B) };
  throw malformed('A set must hold only strings, only numbers or only binary values');
}
