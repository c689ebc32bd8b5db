/*
 * Compiles the difference between an item and its immer-produced successor into a minimal
 * UpdateExpression. immer shares every untouched subtree, so `a === b` prunes whole branches and the
 * walk visits only what the recipe changed.
 *
 * - an attribute or map member that disappears: REMOVE path
 * - a top-level Set that gains members: ADD path :members; that loses some: DELETE path :members
 *   (both at once, or a nested Set: SET the whole Set; emptied: REMOVE)
 * - an integer (number or bigint) that changes: SET path = path + :delta, an atomic increment, so
 *   concurrent `visits += 1` never lose an update
 * - a map changed in place: recurse into its members
 * - a list: only grown at the end → SET path = list_append(path, :tail); only elements changed → one
 *   SET (or recursion) per element; otherwise SET the whole list
 * - anything else changed: SET path = :value
 */
import { memberOf } from '../model/set-member.js';
import type { AttributeSchemas } from './attribute-schema.js';
import { Decimal } from './decimal.js';
import type { ExpressionContext } from './expression-context.js';
import { encodeValue } from './marshall.js';
import { checkValue } from './value-check.js';

type Path = readonly (string | number)[];

/** The clauses of an UpdateExpression under construction. */
export class UpdateClauses {
  readonly set: string[] = [];
  readonly remove: string[] = [];
  readonly add: string[] = [];
  readonly delete: string[] = [];

  constructor(private readonly cx: ExpressionContext) {}

  /** Whether nothing changed. */
  get empty(): boolean {
    return this.set.length + this.remove.length + this.add.length + this.delete.length === 0;
  }

  /** The UpdateExpression text. */
  expression(): string {
    const parts: string[] = [];
    if (this.set.length > 0) parts.push(`SET ${this.set.join(', ')}`);
    if (this.remove.length > 0) parts.push(`REMOVE ${this.remove.join(', ')}`);
    if (this.add.length > 0) parts.push(`ADD ${this.add.join(', ')}`);
    if (this.delete.length > 0) parts.push(`DELETE ${this.delete.join(', ')}`);
    return parts.join(' ');
  }

  /**
   * Adds the changes from item `before` to item `after` (top-level attributes in `frozen` must not change);
   * each changed attribute that `schemas` declares is checked against its schema first.
   */
  diffItem(before: Record<string, unknown>, after: Record<string, unknown>, frozen: readonly string[], schemas: AttributeSchemas): void {
    for (const name in after) {
      // Own members only: an attribute named like an Object.prototype member (toString) is an attribute.
      const a = memberOf(before, name);
      const b = memberOf(after, name);
      if (a === b) continue;
      if (frozen.includes(name) && sameValue(a, b)) continue;
      const schema = memberOf(schemas, name);
      const encoded = schema === undefined ? undefined : encodeValue(b);
      if (encoded !== undefined) checkValue(encoded, schema!, name);
      this.diffValue([name], a, b, true);
    }
    for (const name in before) {
      if (memberOf(before, name) !== undefined && !Object.hasOwn(after, name)) this.remove.push(this.cx.path([name]));
    }
  }

  private setValue(path: Path, value: unknown): void {
    const encoded = encodeValue(value);
    if (encoded === undefined) this.remove.push(this.cx.path(path));
    else this.set.push(`${this.cx.path(path)} = ${this.cx.attributeValue(encoded)}`);
  }

  private diffValue(path: Path, a: unknown, b: unknown, topLevel: boolean): void {
    if (a === b) return;
    const cx = this.cx;
    if (b === undefined) {
      if (a !== undefined) this.remove.push(cx.path(path));
      return;
    }
    if (a instanceof Set && b instanceof Set) return this.diffSet(path, a, b, topLevel);
    if (a === undefined && b instanceof Set) {
      if (b.size === 0) return;
      if (topLevel) this.add.push(`${cx.path(path)} ${cx.value(b)}`);
      else this.setValue(path, b);
      return;
    }
    if (typeof a === 'number' && typeof b === 'number' && Number.isSafeInteger(a) && Number.isSafeInteger(b) && Number.isSafeInteger(b - a)) {
      const p = cx.path(path);
      this.set.push(`${p} = ${p} + ${cx.value(b - a)}`);
      return;
    }
    if (typeof a === 'bigint' && typeof b === 'bigint') {
      const p = cx.path(path);
      this.set.push(`${p} = ${p} + ${cx.value(b - a)}`);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) return this.diffList(path, a, b);
    if (isMap(a) && isMap(b)) {
      for (const key in b) this.diffValue([...path, key], memberOf(a, key), memberOf(b, key), false);
      for (const key in a) if (memberOf(a, key) !== undefined && !Object.hasOwn(b, key)) this.remove.push(cx.path([...path, key]));
      return;
    }
    if (sameValue(a, b)) return;
    this.setValue(path, b);
  }

  private diffSet(path: Path, a: ReadonlySet<unknown>, b: ReadonlySet<unknown>, topLevel: boolean): void {
    const before = memberKeys(a);
    const after = memberKeys(b);
    const added = [...after].filter(([key]) => !before.has(key)).map(([, member]) => member);
    const removed = [...before].filter(([key]) => !after.has(key)).map(([, member]) => member);
    if (added.length === 0 && removed.length === 0) return;
    const cx = this.cx;
    if (b.size === 0) this.remove.push(cx.path(path));
    else if (!topLevel || (added.length > 0 && removed.length > 0)) this.setValue(path, b);
    else if (added.length > 0) this.add.push(`${cx.path(path)} ${cx.value(new Set(added))}`);
    else this.delete.push(`${cx.path(path)} ${cx.value(new Set(removed))}`);
  }

  private diffList(path: Path, a: readonly unknown[], b: readonly unknown[]): void {
    if (b.length < a.length) return this.setValue(path, b);
    let changed = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !sameValue(a[i], b[i])) changed++;
    const grown = b.length > a.length;
    if (changed > 0 && grown) return this.setValue(path, b);
    if (grown) {
      const p = this.cx.path(path);
      this.set.push(`${p} = list_append(${p}, ${this.cx.value(b.slice(a.length))})`);
      return;
    }
    for (let i = 0; i < a.length; i++) {
      if (a[i] === b[i]) continue;
      if (b[i] === undefined) return this.setValue(path, b);
      this.diffValue([...path, i], a[i], b[i], false);
    }
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A Set's members by a comparable key (binary members compare by content). */
function memberKeys(set: ReadonlySet<unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const member of set) out.set(memberKey(member), member);
  return out;
}

function memberKey(member: unknown): string {
  if (typeof member === 'string') return `S${member}`;
  if (member instanceof Uint8Array) return `B${Array.from(member).join(',')}`;
  if (member instanceof Decimal) return `N${member.text}`;
  const encoded = encodeValue(member);
  return encoded !== undefined && 'N' in encoded ? `N${new Decimal(encoded.N).text}` : `?${String(member)}`;
}

/** Equal scalars that are not `===`: binary by content, Decimals by value. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (a instanceof Decimal && b instanceof Decimal) return a.text === b.text;
  return false;
}
