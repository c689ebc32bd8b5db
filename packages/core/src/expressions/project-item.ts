import type { AttributeValue, Item } from '../model/attribute-value.js';
import type { PathElement, ProjectionNode } from './ast.js';
import { member, setMember, unresolved } from './document-path.js';

/*
 * ProjectionExpression, DynamoDB's way: each path keeps its part of the item in the item's own nested
 * shape (`a.b[1].c` → {a: {M: {b: {L: [{M: {c: …}}]}}}}). Paths into one map or list merge; a list keeps
 * only the requested elements, in their original order, compacted. A path that is missing, or that steps
 * into a value of the wrong type, contributes nothing (and leaves no empty container behind).
 */

/**
 * The requested parts of one value: by map key and by list index (`true`: the whole value). A value is
 * either a map or a list, so at most one of the two can match.
 */
interface Selection {
  names?: Map<string, Selection | true>;
  indexes?: Map<number, Selection | true>;
}

const freeze = Object.freeze;

/** The parts of an item a resolved projection names, in the nested shape DynamoDB returns. */
export function projectItem(item: Item, projection: ProjectionNode): Item {
  const projector = compiledProjector(projection);
  return (projector === undefined ? undefined : projector(item, hasOwn, freeze)) ?? projectGeneric(item, projection);
}

/** projectItem for the items of one page (a Query's, a Scan's): the projection's compiled form is looked up once. */
export function itemProjector(projection: ProjectionNode): (item: Item) => Item {
  const projector = compiledProjector(projection);
  if (projector === undefined) return (item) => projectGeneric(item, projection);
  return (item) => projector(item, hasOwn, freeze) ?? projectGeneric(item, projection);
}

function projectGeneric(item: Item, projection: ProjectionNode): Item {
  const paths = projection.paths;
  let topLevel = true;
  for (const path of paths) if (path.elements.length !== 1) topLevel = false;
  if (topLevel) {
    const out: Record<string, AttributeValue> = {};
    for (const path of paths) {
      const element = path.elements[0]!;
      if (element.kind !== 'name') throw element.kind === 'index' ? new Error('projection path starts with an index') : unresolved('name placeholder');
      const value = member(item, element.name);
      if (value !== undefined) setMember(out, element.name, value);
    }
    return freeze(out);
  }
  const root: Selection = {};
  for (const path of paths) select(root, path.elements);
  return pickMap(item, root.names) ?? freeze({});
}

/*
 * A projection of top-level names reused request after request (resolved projections are frozen and shared:
 * resolve-expressions.ts) is applied by a function compiled for it from its second use: one object literal of
 * the names, instead of a keyed store per name into a fresh object (~35 % of a projected 20-item Scan). It
 * answers only items holding every name (undefined otherwise: the generic path leaves the missing ones out).
 */
type Projector = (item: Item, own: typeof hasOwn, frozen: typeof freeze) => Item | undefined;

const hasOwn = Object.prototype.hasOwnProperty;
/** Null: not compiled (not top-level names, `new Function` forbidden); 0: used once so far. */
const projectors = new WeakMap<ProjectionNode, Projector | null | 0>();
let compiles = true;

function compiledProjector(projection: ProjectionNode): Projector | undefined {
  if (!Object.isFrozen(projection)) return undefined;
  const known = projectors.get(projection);
  if (known === undefined) {
    projectors.set(projection, 0);
    return undefined;
  }
  if (known !== 0) return known ?? undefined;
  const projector = compileProjector(projection);
  projectors.set(projection, projector ?? null);
  return projector;
}

/** The compiled projector of a projection of distinct top-level names (not `__proto__`), if it can be compiled. */
function compileProjector(projection: ProjectionNode): Projector | undefined {
  const names: string[] = [];
  for (const path of projection.paths) {
    const element = path.elements[0]!;
    if (path.elements.length !== 1 || element.kind !== 'name' || element.name === '__proto__' || names.includes(element.name)) return undefined;
    names.push(element.name);
  }
  if (!compiles || names.length === 0 || names.length > 32) return undefined;
  const reads = names.map((name, i) => `const v${i} = own.call(item, ${JSON.stringify(name)}) ? item[${JSON.stringify(name)}] : undefined;`);
  const present = names.map((_, i) => `v${i} === undefined`).join(' || ');
  const fields = names.map((name, i) => `${JSON.stringify(name)}: v${i}`).join(', ');
  try {
    return new Function('item', 'own', 'frozen', `${reads.join('\n')}\nif (${present}) return undefined;\nreturn frozen({ ${fields} });`) as Projector;
  } catch {
    compiles = false;
    return undefined;
  }
}

function select(root: Selection, elements: readonly PathElement[]): void {
  let node = root;
  const last = elements.length - 1;
  for (let i = 0; i <= last; i++) {
    const element = elements[i]!;
    let existing: Selection | true | undefined;
    let next: Selection;
    if (element.kind === 'name') {
      node.names ??= new Map();
      existing = node.names.get(element.name);
      if (existing === true) return; // the whole value is already requested
      if (i === last) {
        node.names.set(element.name, true);
        return;
      }
      next = existing ?? {};
      if (existing === undefined) node.names.set(element.name, next);
    } else if (element.kind === 'index') {
      node.indexes ??= new Map();
      existing = node.indexes.get(element.index);
      if (existing === true) return;
      if (i === last) {
        node.indexes.set(element.index, true);
        return;
      }
      next = existing ?? {};
      if (existing === undefined) node.indexes.set(element.index, next);
    } else {
      throw unresolved('name placeholder');
    }
    node = next;
  }
}

function pickMap(
  map: Readonly<Record<string, AttributeValue>>,
  names: Map<string, Selection | true> | undefined,
): Record<string, AttributeValue> | undefined {
  if (names === undefined) return undefined;
  let out: Record<string, AttributeValue> | undefined;
  for (const [name, sub] of names) {
    const value = member(map, name);
    if (value === undefined) continue;
    const picked = sub === true ? value : pickValue(value, sub);
    if (picked !== undefined) setMember((out ??= {}), name, picked);
  }
  return out === undefined ? undefined : freeze(out);
}

function pickValue(value: AttributeValue, selection: Selection): AttributeValue | undefined {
  if ('M' in value) {
    const members = pickMap(value.M, selection.names);
    return members === undefined ? undefined : freeze({ M: members });
  }
  if ('L' in value) {
    const elements = pickList(value.L, selection.indexes);
    return elements === undefined ? undefined : freeze({ L: elements });
  }
  return undefined;
}

function pickList(list: readonly AttributeValue[], indexes: Map<number, Selection | true> | undefined): AttributeValue[] | undefined {
  if (indexes === undefined) return undefined;
  const present: number[] = [];
  for (const index of indexes.keys()) if (index < list.length) present.push(index);
  if (present.length === 0) return undefined;
  present.sort((a, b) => a - b);
  const out: AttributeValue[] = [];
  for (const index of present) {
    const sub = indexes.get(index)!;
    const value = list[index]!;
    const picked = sub === true ? value : pickValue(value, sub);
    if (picked !== undefined) out.push(picked);
  }
  if (out.length === 0) return undefined;
  freeze(out);
  return out;
}
