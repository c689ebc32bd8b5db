import { ValidationException } from '../errors.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { attributeValueSize, knownItemSize, recordItemSize, utf8Length } from '../model/item-size.js';
import { MAX_ITEM_SIZE, MAX_NESTING_DEPTH, MSG_NESTING } from '../model/validate-item.js';
import type { AddAction, PathElement, SetValue, UpdateAction, UpdateNode } from './ast.js';
import { equalBytes } from '../model/equal-values.js';
import { hasOwn, member, readPath, rootName, setMember, unresolved } from './document-path.js';
import { addNumbers, subtractNumbers } from './number-arithmetic.js';

/*
 * UpdateItem's update, DynamoDB's way (behaviour and messages as architect/dynalite's test/updateItem.js
 * and scylladb's test/alternator/test_number.py record them, both suites checked against DynamoDB):
 *
 * 1. Every action is evaluated against the item as it was before the update (`SET a = b, b = a` swaps):
 *    SET's operands, ADD's sum or union, DELETE's difference. A path operand that is missing →
 *    "The provided expression refers to an attribute that does not exist in the item"; an operand of
 *    the wrong type → "An operand in the update expression has an incorrect data type".
 * 2. The results are applied all at once, as edits of the old document tree. Every list is edited
 *    relative to its original indexes: REMOVE of several elements removes those the indexes named
 *    originally; SET (or ADD) of an index beyond the end appends, in index order, after the surviving
 *    elements; REMOVE (or DELETE) beyond the end does nothing. A nested target whose parent is missing
 *    or is not a map (for `.name`) or list (for `[i]`) → "The document path provided in the update
 *    expression is invalid for update" (also for REMOVE and DELETE). REMOVE of a missing attribute or
 *    map key does nothing; so does DELETE of a missing set. (An update that only removes is not applied
 *    to a missing item at all: UpdateItem writes nothing then, see operations/update-item.ts.)
 * 3. The new item must be within 400 KB ("Item size to update has exceeded the maximum allowed size")
 *    and 32 levels of nesting.
 *
 * A tree translated from the legacy AttributeUpdates (`update.legacy`) reports an operand type mismatch
 * as "Type mismatch for attribute to update" (e.g. ADD of a Number to a set, DELETE of a NS from a SS).
 *
 * Only the containers on the changed paths are copied: everything else is shared with the old item.
 */

const MSG_PATH = 'The document path provided in the update expression is invalid for update';
const MSG_TYPE = 'An operand in the update expression has an incorrect data type';
/** MSG_TYPE's counterpart for the legacy AttributeUpdates (dynalite's test/updateItem.js, verified against DynamoDB). */
const MSG_LEGACY_TYPE = 'Type mismatch for attribute to update';
const MSG_MISSING = 'The provided expression refers to an attribute that does not exist in the item';
const MSG_SIZE = 'Item size to update has exceeded the maximum allowed size';

const freeze = Object.freeze;

/**
 * What one action does to its target, once evaluated: the new value, or one of two markers —
 * REMOVE, or KEEP (nothing, as for DELETE of a missing set, though the target's parent must be valid).
 */
type Leaf = AttributeValue | typeof REMOVE | typeof KEEP;

const REMOVE = freeze({ remove: true }) as unknown as { readonly __marker: 'remove' };
const KEEP = freeze({ keep: true }) as unknown as { readonly __marker: 'keep' };

/** The edits under one map (or the item) or one list: by member name or original index. */
class Edits {
  readonly children = new Map<string | number, Leaf | Edits>();
  constructor(readonly list: boolean) {}
}

/**
 * Applies a resolved UpdateExpression to an item (`old` undefined: the item does not exist yet, and
 * `key` seeds the new item; `oldSize`, when known, is `old`'s size). Returns a new frozen item; never
 * mutates `old`. Throws ValidationException with DynamoDB's runtime messages (e.g. "The document path
 * provided in the update expression is invalid for update", "An operand in the update expression has an
 * incorrect data type").
 */
export function applyUpdate(update: UpdateNode, old: Item | undefined, key: Item, oldSize?: number): Item {
  const base = old ?? key;
  const actions = update.actions;
  const count = actions.length;
  const leaves = new Array<Leaf>(count);
  let topLevel = true;
  try {
    for (let i = 0; i < count; i++) {
      const action = actions[i]!;
      leaves[i] = evaluateAction(action, base);
      if (action.path.elements.length !== 1) topLevel = false;
    }
  } catch (e) {
    if (update.legacy === true && e instanceof ValidationException && e.message === MSG_TYPE) throw new ValidationException(MSG_LEGACY_TYPE);
    throw e;
  }
  // A stored item's size comes with it (TableStorage.lastItemSize): measuring a freshly decoded item again would cost.
  const baseSize = old !== undefined && oldSize !== undefined ? oldSize : knownItemSize(base);
  const [result, size] = topLevel ? applyTopLevel(actions, leaves, base, baseSize) : applyNested(actions, leaves, base, baseSize);
  if (size > MAX_ITEM_SIZE) throw new ValidationException(MSG_SIZE);
  recordItemSize(result, size);
  return result;
}

/** The size of an attribute (name and value), or 0 for none. */
function attributeSize(name: string, value: AttributeValue | undefined): number {
  return value === undefined ? 0 : utf8Length(name) + attributeValueSize(value);
}

// ─── step 1: evaluation against the old item ─────────────────────────────────────────────────────

function evaluateAction(action: UpdateAction, base: Item): Leaf {
  switch (action.kind) {
    case 'set':
      return setValue(action.value, base);
    case 'remove':
      return REMOVE;
    case 'add': {
      const operand = literalOf(action.value);
      const existing = readPath(base, action.path.elements);
      return existing === undefined ? addToNothing(operand) : addTo(existing, operand);
    }
    case 'delete': {
      const operand = literalOf(action.value);
      const existing = readPath(base, action.path.elements);
      if (existing === undefined) {
        if (!isSet(operand)) throw new ValidationException(MSG_TYPE);
        return KEEP;
      }
      const rest = deleteFrom(existing, operand);
      return rest === undefined ? REMOVE : rest === existing ? KEEP : rest;
    }
  }
}

function literalOf(node: AddAction['value']): AttributeValue {
  if (node.kind === 'literal') return node.value;
  throw unresolved(`value placeholder ${node.token}`);
}

/** The value a SET action assigns, read from the old item. */
function setValue(node: SetValue, base: Item): AttributeValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'path': {
      const value = readPath(base, node.elements);
      if (value === undefined) throw new ValidationException(MSG_MISSING);
      return value;
    }
    case 'ifNotExists': {
      const args = node.args;
      const path = args[0];
      if (path?.kind !== 'path' || args.length !== 2) throw malformed('if_not_exists');
      return readPath(base, path.elements) ?? setValue(args[1]!, base);
    }
    case 'listAppend': {
      const args = node.args;
      if (args.length !== 2) throw malformed('list_append');
      const first = setValue(args[0]!, base);
      const second = setValue(args[1]!, base);
      if (!('L' in first) || !('L' in second)) throw new ValidationException(MSG_TYPE);
      if (second.L.length === 0) return first;
      if (first.L.length === 0) return second;
      return freeze({ L: frozen(first.L.concat(second.L)) });
    }
    case 'arithmetic': {
      const left = setValue(node.left, base);
      const right = setValue(node.right, base);
      if (!('N' in left) || !('N' in right)) throw new ValidationException(MSG_TYPE);
      return freeze({ N: node.operator === '+' ? addNumbers(left.N, right.N) : subtractNumbers(left.N, right.N) });
    }
    case 'valuePlaceholder':
      throw unresolved(`value placeholder ${node.token}`);
  }
}

/** A function node that resolution would have rejected (a tree built by hand, not resolved). */
function malformed(name: string): Error {
  return new Error(`${name} needs two operands, the first of if_not_exists a path (resolution checks them)`);
}

function isSet(value: AttributeValue): boolean {
  return 'SS' in value || 'NS' in value || 'BS' in value;
}

/** ADD to a missing attribute: a Number or set (or, from the legacy AttributeUpdates, a List) as given. */
function addToNothing(operand: AttributeValue): AttributeValue {
  if ('N' in operand || 'L' in operand || isSet(operand)) return operand;
  throw new ValidationException(MSG_TYPE);
}

/** ADD: Number addition, set union (existing members first), List concatenation (legacy ADD only). */
function addTo(existing: AttributeValue, operand: AttributeValue): AttributeValue {
  if ('N' in existing) {
    if ('N' in operand) return freeze({ N: addNumbers(existing.N, operand.N) });
  } else if ('SS' in existing) {
    if ('SS' in operand) {
      const merged = unionStrings(existing.SS, operand.SS);
      return merged === existing.SS ? existing : freeze({ SS: merged });
    }
  } else if ('NS' in existing) {
    if ('NS' in operand) {
      const merged = unionStrings(existing.NS, operand.NS);
      return merged === existing.NS ? existing : freeze({ NS: merged });
    }
  } else if ('BS' in existing) {
    if ('BS' in operand) {
      const merged = unionBytes(existing.BS, operand.BS);
      return merged === existing.BS ? existing : freeze({ BS: merged });
    }
  } else if ('L' in existing) {
    if ('L' in operand) return operand.L.length === 0 ? existing : freeze({ L: frozen(existing.L.concat(operand.L)) });
  }
  throw new ValidationException(MSG_TYPE);
}

/** DELETE: set difference; undefined when nothing is left, `existing` itself when nothing was removed. */
function deleteFrom(existing: AttributeValue, operand: AttributeValue): AttributeValue | undefined {
  if ('SS' in existing && 'SS' in operand) {
    const rest = differenceStrings(existing.SS, operand.SS);
    return rest === existing.SS ? existing : rest.length === 0 ? undefined : freeze({ SS: rest });
  }
  if ('NS' in existing && 'NS' in operand) {
    const rest = differenceStrings(existing.NS, operand.NS);
    return rest === existing.NS ? existing : rest.length === 0 ? undefined : freeze({ NS: rest });
  }
  if ('BS' in existing && 'BS' in operand) {
    const rest = existing.BS.filter((m) => !operand.BS.some((o) => equalBytes(m, o)));
    return rest.length === existing.BS.length ? existing : rest.length === 0 ? undefined : freeze({ BS: frozen(rest) });
  }
  throw new ValidationException(MSG_TYPE);
}

// Members of SS are distinct strings, of NS distinct normalized texts (equal text ⇔ equal value).
function unionStrings(a: string[], b: readonly string[]): string[] {
  let out: string[] | undefined;
  if (a.length + b.length <= 16) {
    for (const m of b) if (!a.includes(m) && !(out !== undefined && out.includes(m))) (out ??= a.slice()).push(m);
  } else {
    const seen = new Set(a);
    for (const m of b) if (!seen.has(m)) {
      seen.add(m);
      (out ??= a.slice()).push(m);
    }
  }
  return out === undefined ? a : frozen(out);
}

function differenceStrings(a: string[], b: readonly string[]): string[] {
  const drop = b.length <= 8 ? undefined : new Set(b);
  const rest = a.filter((m) => (drop === undefined ? !b.includes(m) : !drop.has(m)));
  return rest.length === a.length ? a : frozen(rest);
}

function unionBytes(a: Uint8Array[], b: readonly Uint8Array[]): Uint8Array[] {
  let out: Uint8Array[] | undefined;
  for (const m of b) {
    const present = (out ?? a).some((o) => equalBytes(o, m));
    if (!present) (out ??= a.slice()).push(m);
  }
  return out === undefined ? a : frozen(out);
}

function frozen<T>(array: T[]): T[] {
  freeze(array);
  return array;
}

// ─── step 2: application ─────────────────────────────────────────────────────────────────────────

/**
 * Every target is a top-level attribute: one new item, attribute values shared. Returns it with its size
 * (the old size, less the replaced attributes, plus the new ones).
 */
function applyTopLevel(actions: readonly UpdateAction[], leaves: readonly Leaf[], base: Item, baseSize: number): [Item, number] {
  const count = actions.length;
  let size = baseSize;
  let removes = false;
  for (let i = 0; i < count; i++) {
    const name = rootName(actions[i]!.path);
    for (let k = 0; k < i; k++) if (rootName(actions[k]!.path) === name) throw overlapping();
    const leaf = leaves[i]!;
    if (leaf === KEEP) continue;
    const before = member(base, name);
    if (leaf === REMOVE) {
      if (before === undefined) continue;
      removes = true;
      size -= attributeSize(name, before);
    } else {
      size += attributeSize(name, leaf as AttributeValue) - attributeSize(name, before);
    }
  }
  let out: Record<string, AttributeValue>;
  if (!removes) {
    out = { ...base };
    for (let i = 0; i < count; i++) {
      const leaf = leaves[i]!;
      if (leaf !== KEEP && leaf !== REMOVE) setMember(out, rootName(actions[i]!.path), leaf as AttributeValue);
    }
  } else {
    out = {};
    for (const name in base) {
      let leaf: Leaf | undefined;
      for (let i = 0; i < count; i++) if (rootName(actions[i]!.path) === name) leaf = leaves[i];
      if (leaf === undefined || leaf === KEEP) setMember(out, name, base[name]!);
      else if (leaf !== REMOVE) setMember(out, name, leaf as AttributeValue);
    }
    for (let i = 0; i < count; i++) {
      const leaf = leaves[i]!;
      const name = rootName(actions[i]!.path);
      if (leaf !== KEEP && leaf !== REMOVE && !hasOwn.call(base, name)) setMember(out, name, leaf as AttributeValue);
    }
  }
  return [freeze(out), size];
}

/** Some target is nested: gather the edits into a tree over the document, then rebuild along it. */
function applyNested(actions: readonly UpdateAction[], leaves: readonly Leaf[], base: Item, baseSize: number): [Item, number] {
  const root = new Edits(false);
  for (let i = 0; i < actions.length; i++) {
    const elements = actions[i]!.path.elements;
    const leaf = leaves[i]!;
    insert(root, elements, leaf);
    if (leaf !== REMOVE && leaf !== KEEP && elements.length > 1 && tooDeep(leaf as AttributeValue, elements.length - 1)) {
      throw new ValidationException(MSG_NESTING);
    }
  }
  const result = editMap(base, root);
  let size = baseSize;
  for (const name of root.children.keys()) {
    size += attributeSize(name as string, member(result, name as string)) - attributeSize(name as string, member(base, name as string));
  }
  return [result, size];
}

function insert(root: Edits, elements: readonly PathElement[], leaf: Leaf): void {
  let node = root;
  const last = elements.length - 1;
  for (let i = 0; i <= last; i++) {
    const element = elements[i]!;
    if (element.kind === 'namePlaceholder') throw unresolved('name placeholder');
    // A name steps into a map, an index into a list: two targets that disagree on a container's type
    // cannot both be valid, whatever the item holds.
    if ((element.kind === 'index') !== node.list) throw new ValidationException(MSG_PATH);
    const k = element.kind === 'name' ? element.name : element.index;
    const existing = node.children.get(k);
    if (i === last) {
      if (existing !== undefined) throw overlapping();
      node.children.set(k, leaf);
      return;
    }
    if (existing !== undefined && !isEdits(existing)) throw overlapping();
    let next = existing;
    if (next === undefined) {
      next = new Edits(elements[i + 1]!.kind === 'index');
      node.children.set(k, next);
    }
    node = next;
  }
}

function isEdits(edit: Leaf | Edits): edit is Edits {
  return edit instanceof Edits;
}

function overlapping(): Error {
  return new Error('update actions with overlapping paths (the expression validation rejects them)');
}

function editMap(base: Readonly<Record<string, AttributeValue>>, edits: Edits): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  const children = edits.children;
  for (const name in base) {
    const value = base[name]!;
    const edit = children.get(name);
    if (edit === undefined || edit === KEEP) setMember(out, name, value);
    else if (isEdits(edit)) setMember(out, name, editValue(value, edit));
    else if (edit !== REMOVE) setMember(out, name, edit as AttributeValue);
  }
  for (const [name, edit] of children) {
    if (hasOwn.call(base, name as string)) continue;
    if (isEdits(edit)) throw new ValidationException(MSG_PATH);
    if (edit !== REMOVE && edit !== KEEP) setMember(out, name as string, edit as AttributeValue);
  }
  return freeze(out);
}

function editValue(value: AttributeValue, edits: Edits): AttributeValue {
  if (edits.list) {
    if (!('L' in value)) throw new ValidationException(MSG_PATH);
    return freeze({ L: editList(value.L, edits) });
  }
  if (!('M' in value)) throw new ValidationException(MSG_PATH);
  return freeze({ M: editMap(value.M, edits) });
}

function editList(base: readonly AttributeValue[], edits: Edits): AttributeValue[] {
  const out: AttributeValue[] = [];
  const children = edits.children;
  for (let i = 0; i < base.length; i++) {
    const value = base[i]!;
    const edit = children.get(i);
    if (edit === undefined || edit === KEEP) out.push(value);
    else if (isEdits(edit)) out.push(editValue(value, edit));
    else if (edit !== REMOVE) out.push(edit as AttributeValue);
  }
  if (children.size > 0) {
    // Targets beyond the end: SET/ADD append in index order; REMOVE/DELETE do nothing.
    let beyond: number[] | undefined;
    for (const index of children.keys()) if ((index as number) >= base.length) (beyond ??= []).push(index as number);
    if (beyond !== undefined) {
      beyond.sort((a, b) => a - b);
      for (const index of beyond) {
        const edit = children.get(index)!;
        if (isEdits(edit)) throw new ValidationException(MSG_PATH);
        if (edit !== REMOVE && edit !== KEEP) out.push(edit as AttributeValue);
      }
    }
  }
  return frozen(out);
}

/** Whether a value placed `depth` levels down would nest containers deeper than DynamoDB allows. */
function tooDeep(value: AttributeValue, depth: number): boolean {
  if ('M' in value) {
    if (depth >= MAX_NESTING_DEPTH) return true;
    const m = value.M;
    for (const name in m) if (tooDeep(m[name]!, depth + 1)) return true;
    return false;
  }
  if ('L' in value) {
    if (depth >= MAX_NESTING_DEPTH) return true;
    for (const element of value.L) if (tooDeep(element, depth + 1)) return true;
  }
  return false;
}

/**
 * Whether the update has actions and every one removes something: REMOVE, or DELETE of set members
 * (on a missing item such an update writes nothing: UpdateItem and TransactWriteItems then skip the write).
 */
export function removesOnly(update: UpdateNode): boolean {
  const actions = update.actions;
  for (let i = 0; i < actions.length; i++) {
    const kind = actions[i]!.kind;
    if (kind !== 'remove' && kind !== 'delete') return false;
  }
  return actions.length > 0;
}
