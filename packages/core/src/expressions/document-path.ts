import type { AttributeValue, Item } from '../model/attribute-value.js';
import type { PathElement, PathNode } from './ast.js';
import { memberOf as member } from '../model/set-member.js';
export { member };
export { setMember } from '../model/set-member.js';

/*
 * Reading document paths (`a.b[3].c`) out of items, for the evaluators. Paths are resolved: only `name`
 * and `index` elements. Items are plain objects, so a member is looked up as an *own* property only
 * (an attribute named `constructor` or `__proto__` must not find Object.prototype's).
 */

export const hasOwn = Object.prototype.hasOwnProperty;

/** An internal error: evaluation met a node resolution should have replaced. */
export function unresolved(what: string): Error {
  return new Error(`expression evaluation met an unresolved ${what}; resolve the tree first`);
}


/** The name of a path's first element (always a name once resolved). */
export function rootName(path: PathNode): string {
  const first = path.elements[0];
  if (first === undefined) throw new Error('empty document path');
  if (first.kind !== 'name') throw first.kind === 'index' ? new Error('document path starts with an index') : unresolved('name placeholder');
  return first.name;
}

/**
 * The value at a document path of an item, or undefined when the item, an attribute, a map key or a list
 * element on the way is missing, or when a step meets a value of the wrong type (`.b` on a non-map,
 * `[1]` on a non-list).
 */
export function readPath(item: Readonly<Item> | undefined, elements: readonly PathElement[]): AttributeValue | undefined {
  if (item === undefined) return undefined;
  const first = elements[0];
  if (first === undefined || first.kind !== 'name') {
    throw first?.kind === 'namePlaceholder' ? unresolved('name placeholder') : new Error('document path must start with a name');
  }
  let value = member(item, first.name);
  for (let i = 1; i < elements.length && value !== undefined; i++) value = step(value, elements[i]!);
  return value;
}

function step(value: AttributeValue, element: PathElement): AttributeValue | undefined {
  if (element.kind === 'name') return 'M' in value ? member(value.M, element.name) : undefined;
  if (element.kind === 'index') return 'L' in value ? value.L[element.index] : undefined;
  throw unresolved('name placeholder');
}
