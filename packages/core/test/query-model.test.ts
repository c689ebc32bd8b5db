/**
 * Model-based test of Query and Scan over a table with secondary indexes, through the public Database API.
 *
 * Table `things`: pk (S, HASH) + sk (N, RANGE), with
 *   - GSI `byG`: g (S) + h (N), projection ALL
 *   - GSI `byK`: g (S) only, projection KEYS_ONLY
 *   - LSI `byL`: pk + l (S), projection INCLUDE [x]
 *
 * Random command sequences: PutItem (items sometimes lacking g/h/l, so the indexes are sparse), UpdateItem
 * setting or removing g/h/l/x (index key changes, items entering and leaving indexes), DeleteItem; and
 * reads: Query on the table and on every index with every sort-key condition form, both directions, a
 * random Limit and FilterExpression, paging with ExclusiveStartKey = LastEvaluatedKey until done; Scan of
 * the table and of every index with a random Limit, filter and TotalSegments, paging every segment to the
 * end; now and then Select COUNT; and reads that resume from a LastEvaluatedKey after a write in between
 * (Query: exactly the items now after the key; Scan: every item the write left alone exactly once). The model is a plain array of items; expected answers come from filtering and sorting it in
 * DynamoDB's key order (numbers by value, strings by UTF-8 bytes, binary by unsigned bytes). Items whose
 * index keys tie have no specified order: they are compared as multisets.
 *
 * After every command: the table and every index storage pass checkInvariants(), the table holds exactly
 * the model's items, and every index holds exactly its recomputation from the table (sparse, projected,
 * under the right index key).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database, memoryStorage, type AttributeValue, type Item, type StorageAdapter } from '../src/index.js';
import { encodeSortableKeyValue, type KeyValue } from '../src/model/compare-keys.js';
import { checkTableInvariants } from './support/invariants.js';
import { attributes, freshDatabase, keys } from './support/tables.js';

const TABLE = 'things';

// ---------------------------------------------------------------------------------------------------------
// Pools: small, so keys collide; strings chosen so UTF-16 order and UTF-8 byte order disagree
// ('\uff01' is EF BC 81 in UTF-8, '😀' is F0 9F 98 80, but '😀' < '\uff01' in UTF-16 code units).
// ---------------------------------------------------------------------------------------------------------

const PK_POOL = ['a', 'b', 'é', '😀'] as const;
const SK_POOL = ['-10', '-1.5', '-0.001', '0', '0.001', '1', '2.5', '10', '12345678901234567890'] as const;
const G_POOL = ['g', 'g\u0000', 'é', '😀', '\uff01'] as const;
const H_POOL = ['-3', '0', '0.5', '7', '10'] as const;
const L_POOL = ['a', 'a\u0000', 'ab', 'a😀', 'b', 'é', '\uff01', '😀'] as const;
/**
 * Extra sort-key operands: values between or outside the stored ones, and other spellings of stored
 * numbers (DynamoDB compares numbers by value).
 */
const N_OPERANDS = ['-100', '-2', '0.25', '3', '9', '100', '1e1', '2.50', '-0', '0.0', '+7', '.5', '-1.50', '1E+2', '-3e0', '1e-3'] as const;
const S_OPERANDS = ['', 'a\u0000', 'aa', 'c', '\uffff', '😀😀'] as const;
const PREFIX_POOL = ['a', 'a\u0000', 'ab', 'é', '😀', '\uff01', 'c'] as const;

const X_POOL: readonly AttributeValue[] = [
  { S: 'a' },
  { S: 'b' },
  { S: 'é' },
  { S: '\uff01' },
  { S: '😀' },
  { N: '-2' },
  { N: '1' },
  { N: '10' },
  { B: Uint8Array.from([0x01]) },
  { B: Uint8Array.from([0x7f, 0x01]) },
  { B: Uint8Array.from([0x80]) },
  { B: Uint8Array.from([0xff, 0x00]) },
];
/** Filter prefixes for begins_with on x (S and B). */
const X_PREFIX_POOL: readonly AttributeValue[] = [{ S: 'a' }, { S: '😀' }, { S: 'é' }, { B: Uint8Array.from([0x7f]) }, { B: Uint8Array.from([0xff]) }];

// ---------------------------------------------------------------------------------------------------------
// DynamoDB ordering
// ---------------------------------------------------------------------------------------------------------

const utf8 = new TextEncoder();

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

/** Orders two values of one scalar type as DynamoDB does; undefined when the types differ. */
function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  if ('N' in a && 'N' in b) return Math.sign(Number(a.N) - Number(b.N)); // pool numbers are exact doubles
  if ('S' in a && 'S' in b) return compareBytes(utf8.encode(a.S), utf8.encode(b.S));
  if ('B' in a && 'B' in b) return compareBytes(a.B, b.B);
  return undefined;
}

function equalValues(a: AttributeValue, b: AttributeValue): boolean {
  return compareValues(a, b) === 0;
}

function startsWithBytes(value: Uint8Array, prefix: Uint8Array): boolean {
  return prefix.length <= value.length && compareBytes(value.subarray(0, prefix.length), prefix) === 0;
}

/** A canonical string of an item (sorted attribute names, binary as hex): multiset comparison. */
function canon(item: Item | Record<string, AttributeValue>): string {
  const parts = Object.keys(item)
    .sort()
    .map((name) => {
      const v = item[name]!;
      if ('B' in v) return `${name}:B:${Buffer.from(v.B).toString('hex')}`;
      return `${name}:${JSON.stringify(v)}`;
    });
  return `{${parts.join(',')}}`;
}

function pick(item: Item, names: readonly string[]): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const name of names) if (item[name] !== undefined) out[name] = item[name]!;
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// What is read: the table and each index
// ---------------------------------------------------------------------------------------------------------

interface Target {
  readonly indexName: string | undefined;
  readonly hash: string;
  readonly range: { readonly name: string; readonly type: 'S' | 'N' } | undefined;
  /** LastEvaluatedKey's attributes: the table key, plus the index key. */
  readonly keyAttrs: readonly string[];
  /** What a read returns of a table item (its projection into the index). */
  readonly project: (item: Item) => Item;
  /** Attributes a filter may name (a LSI would fetch unprojected ones from the table: not modelled). */
  readonly filterAttrs: readonly string[];
}

const TARGETS: readonly Target[] = [
  { indexName: undefined, hash: 'pk', range: { name: 'sk', type: 'N' }, keyAttrs: ['pk', 'sk'], project: (i) => i, filterAttrs: ['x', 'y'] },
  { indexName: 'byG', hash: 'g', range: { name: 'h', type: 'N' }, keyAttrs: ['pk', 'sk', 'g', 'h'], project: (i) => i, filterAttrs: ['x', 'y'] },
  // A GSI filter sees only the projected item: x and y are never there.
  { indexName: 'byK', hash: 'g', range: undefined, keyAttrs: ['pk', 'sk', 'g'], project: (i) => pick(i, ['pk', 'sk', 'g']), filterAttrs: ['x'] },
  { indexName: 'byL', hash: 'pk', range: { name: 'l', type: 'S' }, keyAttrs: ['pk', 'sk', 'l'], project: (i) => pick(i, ['pk', 'sk', 'l', 'x']), filterAttrs: ['x'] },
];

function inTarget(target: Target, item: Item): boolean {
  return target.keyAttrs.every((name) => item[name] !== undefined);
}

/** Index key order (hash then range); ties (equal index keys) are left to multiset comparison. */
function groupKeyOf(target: Target, item: Item): string {
  const h = item[target.hash]!;
  const r = target.range ? item[target.range.name]! : undefined;
  return `${canon({ h })}|${r ? canon({ r }) : ''}`;
}

// ---------------------------------------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------------------------------------

type SortCondition =
  | { readonly kind: 'none' }
  | { readonly kind: 'cmp'; readonly op: '=' | '<' | '<=' | '>' | '>='; readonly value: AttributeValue }
  | { readonly kind: 'between'; readonly low: AttributeValue; readonly high: AttributeValue }
  | { readonly kind: 'begins_with'; readonly prefix: string };

type Filter =
  | { readonly kind: 'none' }
  | { readonly kind: 'cmp'; readonly attr: string; readonly op: '=' | '<>' | '<' | '<=' | '>' | '>='; readonly value: AttributeValue }
  | { readonly kind: 'between'; readonly attr: string; readonly low: AttributeValue; readonly high: AttributeValue }
  | { readonly kind: 'exists' | 'not_exists'; readonly attr: string }
  | { readonly kind: 'begins_with'; readonly attr: string; readonly prefix: AttributeValue };

function compareHolds(op: string, c: number | undefined): boolean {
  if (c === undefined) return false;
  switch (op) {
    case '=':
      return c === 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    default:
      throw new Error(op);
  }
}

function sortConditionHolds(cond: SortCondition, value: AttributeValue): boolean {
  switch (cond.kind) {
    case 'none':
      return true;
    case 'cmp':
      return compareHolds(cond.op, compareValues(value, cond.value));
    case 'between':
      return compareHolds('>=', compareValues(value, cond.low)) && compareHolds('<=', compareValues(value, cond.high));
    case 'begins_with':
      return 'S' in value && value.S.startsWith(cond.prefix);
  }
}

/** DynamoDB's filter semantics on the returned (projected) item. */
function filterHolds(filter: Filter, item: Item): boolean {
  if (filter.kind === 'none') return true;
  const v = item[filter.attr];
  switch (filter.kind) {
    case 'exists':
      return v !== undefined;
    case 'not_exists':
      return v === undefined;
    case 'cmp':
      if (filter.op === '=') return v !== undefined && equalValues(v, filter.value);
      if (filter.op === '<>') return v === undefined || !equalValues(v, filter.value);
      return v !== undefined && compareHolds(filter.op, compareValues(v, filter.value));
    case 'between':
      return v !== undefined && compareHolds('>=', compareValues(v, filter.low)) && compareHolds('<=', compareValues(v, filter.high));
    case 'begins_with': {
      if (v === undefined) return false;
      const p = filter.prefix;
      if ('S' in v && 'S' in p) return v.S.startsWith(p.S);
      if ('B' in v && 'B' in p) return startsWithBytes(v.B, p.B);
      return false;
    }
  }
}

interface ExpressionParts {
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
}

function sortConditionExpression(cond: SortCondition, parts: ExpressionParts, rangeName: string): string {
  if (cond.kind === 'none') return '';
  parts.names['#s'] = rangeName;
  switch (cond.kind) {
    case 'cmp':
      parts.values[':s1'] = cond.value;
      return ` AND #s ${cond.op} :s1`;
    case 'between':
      parts.values[':s1'] = cond.low;
      parts.values[':s2'] = cond.high;
      return ' AND #s BETWEEN :s1 AND :s2';
    case 'begins_with':
      parts.values[':s1'] = { S: cond.prefix };
      return ' AND begins_with(#s, :s1)';
  }
}

function filterExpression(filter: Filter, parts: ExpressionParts): string | undefined {
  if (filter.kind === 'none') return undefined;
  parts.names['#f'] = filter.attr;
  switch (filter.kind) {
    case 'exists':
      return 'attribute_exists(#f)';
    case 'not_exists':
      return 'attribute_not_exists(#f)';
    case 'cmp':
      parts.values[':f1'] = filter.value;
      return `#f ${filter.op} :f1`;
    case 'between':
      parts.values[':f1'] = filter.low;
      parts.values[':f2'] = filter.high;
      return '#f BETWEEN :f1 AND :f2';
    case 'begins_with':
      parts.values[':f1'] = filter.prefix;
      return 'begins_with(#f, :f1)';
  }
}

function describeValue(v: AttributeValue): string {
  if ('B' in v) return `B:${Buffer.from(v.B).toString('hex')}`;
  return JSON.stringify(v);
}

function describeFilter(filter: Filter): string {
  switch (filter.kind) {
    case 'none':
      return 'none';
    case 'exists':
    case 'not_exists':
      return `${filter.kind}(${filter.attr})`;
    case 'cmp':
      return `${filter.attr} ${filter.op} ${describeValue(filter.value)}`;
    case 'between':
      return `${filter.attr} BETWEEN ${describeValue(filter.low)} AND ${describeValue(filter.high)}`;
    case 'begins_with':
      return `begins_with(${filter.attr}, ${describeValue(filter.prefix)})`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// The model and the system under test
// ---------------------------------------------------------------------------------------------------------

interface Model {
  items: Item[];
}

interface Real {
  db: Database;
}

interface ReadPage {
  Items?: Item[];
  Count?: number;
  ScannedCount?: number;
  LastEvaluatedKey?: Record<string, AttributeValue>;
}

const sameKey = (item: Item, pk: string, sk: string): boolean =>
  (item.pk as { S: string }).S === pk && (item.sk as { N: string }).N === sk;

function modelIndexOf(model: Model, pk: string, sk: string): number {
  return model.items.findIndex((item) => sameKey(item, pk, sk));
}

/** Checks the table against the model and every index against its recomputation from the table. */
function checkStorage(db: Database, model: Model): void {
  checkTableInvariants(db, TABLE);
  const table = db.engine.tables.get(TABLE)!;
  const tableItems = [...table.storage.entries()].map(([, item]) => item);
  expect(tableItems.map(canon).sort(), 'table items').toEqual(model.items.map(canon).sort());

  const indexes = (table as unknown as { indexes: Iterable<IndexLike> }).indexes;
  const seen = new Set<string>();
  for (const index of indexes) {
    seen.add(index.name);
    index.storage.checkInvariants();
    const target = TARGETS.find((t) => t.indexName === index.name);
    expect(target, `unexpected index ${index.name}`).toBeDefined();
    const expected = tableItems
      .filter((item) => inTarget(target!, item))
      .map((item) => {
        const hashCode = encodeSortableKeyValue(item[target!.hash] as KeyValue);
        const rangeCode = target!.range ? encodeSortableKeyValue(item[target!.range.name] as KeyValue) : '';
        return `${hashCode}\u0001${rangeCode}\u0001${canon(target!.project(item))}`;
      })
      .sort();
    const actual = [...index.storage.entries()].map(([key, item]) => `${key.partitionKey}\u0001${key.sortKey}\u0001${canon(item)}`).sort();
    expect(actual, `index ${index.name} = its recomputation from the table`).toEqual(expected);
  }
  expect([...seen].sort()).toEqual(['byG', 'byK', 'byL']);
}

interface IndexLike {
  readonly name: string;
  readonly storage: {
    checkInvariants(): void;
    entries(): IterableIterator<[{ partitionKey: string; sortKey: string }, Item]>;
  };
}

/**
 * Sorts each run of equal group keys canonically: two sequences in the same index-key order whose ties
 * hold the same items come out equal.
 */
function canonicalOrder(target: Target, items: readonly Item[]): string[] {
  const out: string[] = [];
  let run: string[] = [];
  let runKey: string | undefined;
  for (const item of items) {
    const key = groupKeyOf(target, item);
    if (key !== runKey) {
      out.push(...run.sort());
      run = [];
      runKey = key;
    }
    run.push(`${key} ${canon(item)}`);
  }
  out.push(...run.sort());
  return out;
}

/** Per-page checks common to Query and Scan; returns the page's items. */
function checkPage(
  model: Model,
  target: Target,
  filter: Filter,
  limit: number | undefined,
  page: ReadPage,
  where: string,
  countOnly = false,
): Item[] {
  const items = page.Items ?? [];
  if (countOnly) {
    expect(page.Items, `${where}: no Items with Select COUNT`).toBeUndefined();
    expect(page.Count, `${where}: Count`).toBeTypeOf('number');
  } else {
    expect(page.Items, `${where}: Items`).toBeDefined();
    expect(page.Count, `${where}: Count`).toBe(items.length);
  }
  expect(page.ScannedCount, `${where}: ScannedCount`).toBeDefined();
  const scanned = page.ScannedCount!;
  expect(scanned, `${where}: ScannedCount >= Count`).toBeGreaterThanOrEqual(page.Count!);
  if (limit !== undefined) expect(scanned, `${where}: ScannedCount <= Limit`).toBeLessThanOrEqual(limit);
  // Tiny data: never the 1 MB page limit. A page ends early only at Limit, and DynamoDB then returns a
  // LastEvaluatedKey even when nothing follows.
  if (limit !== undefined && scanned === limit) {
    expect(page.LastEvaluatedKey, `${where}: LastEvaluatedKey after a full page of Limit ${limit}`).toBeDefined();
  } else {
    expect(page.LastEvaluatedKey, `${where}: no LastEvaluatedKey on a short page`).toBeUndefined();
  }
  const lek = page.LastEvaluatedKey;
  if (lek !== undefined) {
    expect(Object.keys(lek).sort(), `${where}: LastEvaluatedKey attributes`).toEqual([...target.keyAttrs].sort());
    const pk = (lek.pk as { S: string } | undefined)?.S;
    const sk = (lek.sk as { N: string } | undefined)?.N;
    const at = pk === undefined || sk === undefined ? -1 : modelIndexOf(model, pk, sk);
    expect(at, `${where}: LastEvaluatedKey names an item`).toBeGreaterThanOrEqual(0);
    const source = model.items[at]!;
    expect(inTarget(target, source), `${where}: LastEvaluatedKey names an item of the index`).toBe(true);
    expect(lek, `${where}: LastEvaluatedKey is the item's key`).toEqual(pick(source, target.keyAttrs));
    // The last evaluated item is the page's last item whenever it passed the filter.
    const projected = target.project(source);
    if (!countOnly && filterHolds(filter, projected)) {
      expect(items.length, `${where}: last evaluated item passed the filter, so it was returned`).toBeGreaterThan(0);
      expect(canon(items[items.length - 1]!), `${where}: last item is the last evaluated`).toBe(canon(projected));
    }
  }
  return items;
}

// ---------------------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------------------

type Cmd = fc.AsyncCommand<Model, Real>;

function afterStep(model: Model, real: Real): void {
  checkStorage(real.db, model);
}

class PutCommand implements Cmd {
  constructor(readonly item: Item) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    await real.db.putItem({ TableName: TABLE, Item: this.item });
    const { pk, sk } = this.item as { pk: { S: string }; sk: { N: string } };
    const at = modelIndexOf(model, pk.S, sk.N);
    if (at >= 0) model.items[at] = this.item;
    else model.items.push(this.item);
    afterStep(model, real);
  }
  toString(): string {
    return `Put(${canon(this.item)})`;
  }
}

type UpdateAction = 'keep' | 'remove' | AttributeValue;

class UpdateCommand implements Cmd {
  constructor(
    readonly pk: string,
    readonly sk: string,
    readonly actions: Readonly<Record<'g' | 'h' | 'l' | 'x', UpdateAction>>,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const sets: string[] = [];
    const removes: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, AttributeValue> = {};
    for (const [name, action] of Object.entries(this.actions)) {
      if (action === 'keep') continue;
      names[`#${name}`] = name;
      if (action === 'remove') removes.push(`#${name}`);
      else {
        values[`:${name}`] = action;
        sets.push(`#${name} = :${name}`);
      }
    }
    const expression = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : '']
      .filter(Boolean)
      .join(' ');
    await real.db.updateItem({
      TableName: TABLE,
      Key: { pk: { S: this.pk }, sk: { N: this.sk } },
      UpdateExpression: expression,
      ExpressionAttributeNames: names,
      ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
    });
    const at = modelIndexOf(model, this.pk, this.sk);
    if (at < 0 && sets.length === 0) {
      // A remove-only update of a missing item leaves it missing.
    } else {
      const next: Record<string, AttributeValue> = at >= 0 ? { ...model.items[at]! } : { pk: { S: this.pk }, sk: { N: this.sk } };
      for (const [name, action] of Object.entries(this.actions)) {
        if (action === 'keep') continue;
        if (action === 'remove') delete next[name];
        else next[name] = action;
      }
      if (at >= 0) model.items[at] = next;
      else model.items.push(next);
    }
    afterStep(model, real);
  }
  toString(): string {
    const actions = Object.entries(this.actions)
      .filter(([, a]) => a !== 'keep')
      .map(([n, a]) => `${n}=${a === 'remove' ? 'REMOVE' : describeValue(a as AttributeValue)}`);
    return `Update(${this.pk},${this.sk}: ${actions.join(' ')})`;
  }
}

/** Several puts in a row: gets the table populated early in a sequence. */
class PutManyCommand implements Cmd {
  readonly puts: PutCommand[];
  constructor(items: readonly Item[]) {
    this.puts = items.map((item) => new PutCommand(item));
  }
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    for (const put of this.puts) await put.run(model, real);
  }
  toString(): string {
    return `PutMany[${this.puts.join(', ')}]`;
  }
}

class DeleteCommand implements Cmd {
  constructor(
    readonly pk: string,
    readonly sk: string,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    await real.db.deleteItem({ TableName: TABLE, Key: { pk: { S: this.pk }, sk: { N: this.sk } } });
    const at = modelIndexOf(model, this.pk, this.sk);
    if (at >= 0) model.items.splice(at, 1);
    afterStep(model, real);
  }
  toString(): string {
    return `Delete(${this.pk},${this.sk})`;
  }
}

class QueryCommand implements Cmd {
  constructor(
    readonly target: Target,
    readonly hashValue: string,
    readonly sort: SortCondition,
    readonly forward: boolean,
    readonly limit: number | undefined,
    readonly filter: Filter,
    readonly countOnly: boolean,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const { target } = this;
    const range = target.range;
    const where = this.toString();
    const expectedScanned = model.items
      .filter((item) => inTarget(target, item))
      .filter((item) => (item[target.hash] as { S: string }).S === this.hashValue)
      .filter((item) => (range ? sortConditionHolds(this.sort, item[range.name]!) : true))
      .sort((a, b) => {
        if (!range) return 0;
        const c = compareValues(a[range.name]!, b[range.name]!)!;
        return this.forward ? c : -c;
      });
    const expectedItems = expectedScanned.map(target.project).filter((item) => filterHolds(this.filter, item));

    const parts: ExpressionParts = { names: { '#p': target.hash }, values: { ':p': { S: this.hashValue } } };
    const keyCondition = `#p = :p${range ? sortConditionExpression(this.sort, parts, range.name) : ''}`;
    const filterText = filterExpression(this.filter, parts);
    const got: Item[] = [];
    let scannedTotal = 0;
    let countTotal = 0;
    let start: Record<string, AttributeValue> | undefined;
    for (let pageNo = 0; ; pageNo++) {
      expect(pageNo, `${where}: too many pages`).toBeLessThanOrEqual(expectedScanned.length + 1);
      const page = (await real.db.query({
        TableName: TABLE,
        ...(target.indexName ? { IndexName: target.indexName } : {}),
        KeyConditionExpression: keyCondition,
        ...(filterText ? { FilterExpression: filterText } : {}),
        ExpressionAttributeNames: { ...parts.names },
        ExpressionAttributeValues: { ...parts.values },
        ScanIndexForward: this.forward,
        ...(this.countOnly ? { Select: 'COUNT' as const } : {}),
        ...(this.limit !== undefined ? { Limit: this.limit } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      })) as ReadPage;
      const pageWhere = `${where} page ${pageNo}`;
      const items = checkPage(model, target, this.filter, this.limit, page, pageWhere, this.countOnly);
      scannedTotal += page.ScannedCount!;
      countTotal += page.Count!;
      if (page.LastEvaluatedKey) {
        // The last evaluated item sits at position scannedTotal - 1 of the key-condition matches (its index
        // key at least: ties may come in any order).
        const expectedLast = expectedScanned[scannedTotal - 1];
        expect(expectedLast, `${pageWhere}: LastEvaluatedKey past the last match`).toBeDefined();
        expect(groupKeyOf(target, page.LastEvaluatedKey as Item), `${pageWhere}: LastEvaluatedKey position`).toBe(
          groupKeyOf(target, expectedLast!),
        );
      }
      got.push(...items);
      start = page.LastEvaluatedKey;
      if (!start) break;
    }
    expect(scannedTotal, `${where}: ScannedCount sum`).toBe(expectedScanned.length);
    expect(countTotal, `${where}: Count sum`).toBe(expectedItems.length);
    if (!this.countOnly) expect(canonicalOrder(target, got), `${where}: items, in order`).toEqual(canonicalOrder(target, expectedItems));
    afterStep(model, real);
  }
  toString(): string {
    const sort =
      this.sort.kind === 'none'
        ? ''
        : this.sort.kind === 'cmp'
          ? ` ${this.sort.op} ${describeValue(this.sort.value)}`
          : this.sort.kind === 'between'
            ? ` BETWEEN ${describeValue(this.sort.low)} AND ${describeValue(this.sort.high)}`
            : ` begins_with ${JSON.stringify(this.sort.prefix)}`;
    return `Query(${this.target.indexName ?? 'table'} ${this.target.hash}=${JSON.stringify(this.hashValue)}${sort} ${
      this.forward ? 'fwd' : 'back'
    } limit=${this.limit} filter=${describeFilter(this.filter)}${this.countOnly ? ' COUNT' : ''})`;
  }
}

class ScanCommand implements Cmd {
  constructor(
    readonly target: Target,
    readonly limit: number | undefined,
    readonly totalSegments: number | undefined,
    readonly filter: Filter,
    readonly countOnly: boolean,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const { target } = this;
    const where = this.toString();
    const expectedScanned = model.items.filter((item) => inTarget(target, item));
    const expectedItems = expectedScanned.map(target.project).filter((item) => filterHolds(this.filter, item));
    const parts: ExpressionParts = { names: {}, values: {} };
    const filterText = filterExpression(this.filter, parts);
    const got: Item[] = [];
    let scannedTotal = 0;
    let countTotal = 0;
    const segments = this.totalSegments ?? 1;
    for (let segment = 0; segment < segments; segment++) {
      let start: Record<string, AttributeValue> | undefined;
      for (let pageNo = 0; ; pageNo++) {
        expect(pageNo, `${where}: too many pages`).toBeLessThanOrEqual(expectedScanned.length + 1);
        const page = (await real.db.scan({
          TableName: TABLE,
          ...(target.indexName ? { IndexName: target.indexName } : {}),
          ...(filterText ? { FilterExpression: filterText } : {}),
          ...(Object.keys(parts.names).length ? { ExpressionAttributeNames: { ...parts.names } } : {}),
          ...(Object.keys(parts.values).length ? { ExpressionAttributeValues: { ...parts.values } } : {}),
          ...(this.countOnly ? { Select: 'COUNT' as const } : {}),
          ...(this.limit !== undefined ? { Limit: this.limit } : {}),
          ...(this.totalSegments !== undefined ? { Segment: segment, TotalSegments: this.totalSegments } : {}),
          ...(start ? { ExclusiveStartKey: start } : {}),
        })) as ReadPage;
        const items = checkPage(model, target, this.filter, this.limit, page, `${where} segment ${segment} page ${pageNo}`, this.countOnly);
        scannedTotal += page.ScannedCount!;
        countTotal += page.Count!;
        got.push(...items);
        start = page.LastEvaluatedKey;
        if (!start) break;
      }
    }
    expect(scannedTotal, `${where}: ScannedCount sum`).toBe(expectedScanned.length);
    expect(countTotal, `${where}: Count sum`).toBe(expectedItems.length);
    if (!this.countOnly) expect(got.map(canon).sort(), `${where}: every item exactly once`).toEqual(expectedItems.map(canon).sort());
    afterStep(model, real);
  }
  toString(): string {
    return `Scan(${this.target.indexName ?? 'table'} limit=${this.limit} segments=${this.totalSegments} filter=${describeFilter(this.filter)}${this.countOnly ? ' COUNT' : ''})`;
  }
}

/** The canonical projections of the model's items in a target, by table key. */
function targetState(model: Model, target: Target): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of model.items) if (inTarget(target, item)) out.set(canon(pick(item, ['pk', 'sk'])), canon(target.project(item)));
  return out;
}

/**
 * Query a first page (Limit), then a write, then the rest from the LastEvaluatedKey: the rest must be
 * exactly the items now after the LastEvaluatedKey in key order (within its own tie group, where the
 * table-key tiebreak is unspecified, any subset of that group's other items).
 */
class QueryResumeCommand implements Cmd {
  constructor(
    readonly target: Target,
    readonly hashValue: string,
    readonly forward: boolean,
    readonly limit: number,
    readonly write: Cmd,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const { target } = this;
    const range = target.range;
    const where = this.toString();
    const input = {
      TableName: TABLE,
      ...(target.indexName ? { IndexName: target.indexName } : {}),
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': target.hash },
      ExpressionAttributeValues: { ':p': { S: this.hashValue } },
      ScanIndexForward: this.forward,
    };
    const first = (await real.db.query({ ...input, Limit: this.limit })) as ReadPage;
    checkPage(model, target, { kind: 'none' }, this.limit, first, `${where} first page`);
    await this.write.run(model, real);
    const lek = first.LastEvaluatedKey;
    if (lek === undefined) return;
    const matches = model.items
      .filter((item) => inTarget(target, item) && (item[target.hash] as { S: string }).S === this.hashValue)
      .map(target.project);
    const order = (a: Item, b: Item): number => {
      if (!range) return 0;
      const c = compareValues(a[range.name]!, b[range.name]!)!;
      return this.forward ? c : -c;
    };
    const lekGroup = groupKeyOf(target, lek as Item);
    const after = matches.filter((item) => groupKeyOf(target, item) !== lekGroup && order(item, lek as Item) > 0).sort(order);
    const sameGroup = matches.filter((item) => groupKeyOf(target, item) === lekGroup).map(canon);
    const got: Item[] = [];
    let start: Record<string, AttributeValue> | undefined = lek;
    for (let pageNo = 1; start !== undefined; pageNo++) {
      expect(pageNo, `${where}: too many pages`).toBeLessThanOrEqual(model.items.length + 2);
      const page = (await real.db.query({ ...input, ExclusiveStartKey: start })) as ReadPage;
      expect(page.Count, `${where} page ${pageNo}: Count`).toBe(page.Items?.length);
      expect(page.LastEvaluatedKey, `${where} page ${pageNo}: no Limit, so no LastEvaluatedKey`).toBeUndefined();
      got.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    }
    const prefix = got.filter((item) => groupKeyOf(target, item) === lekGroup);
    expect(got.slice(0, prefix.length), `${where}: the LastEvaluatedKey's tie group comes first`).toEqual(prefix);
    const lekItem = canon(pick(lek as Item, ['pk', 'sk']));
    for (const item of prefix) {
      expect(canon(pick(item, ['pk', 'sk'])), `${where}: the ExclusiveStartKey item itself is excluded`).not.toBe(lekItem);
      expect(sameGroup, `${where}: a tied item of the LastEvaluatedKey's group`).toContain(canon(item));
    }
    expect(new Set(prefix.map(canon)).size, `${where}: tied items once`).toBe(prefix.length);
    expect(canonicalOrder(target, got.slice(prefix.length)), `${where}: the rest, in order`).toEqual(canonicalOrder(target, after));
    afterStep(model, real);
  }
  toString(): string {
    return `QueryResume(${this.target.indexName ?? 'table'} ${this.target.hash}=${JSON.stringify(this.hashValue)} ${
      this.forward ? 'fwd' : 'back'
    } limit=${this.limit}, then ${this.write})`;
  }
}

/**
 * Scan a first page of every segment, then a write, then every segment to its end: every item unchanged
 * by the write comes exactly once; any other item comes at most once per state it had (before or after).
 */
class ScanResumeCommand implements Cmd {
  constructor(
    readonly target: Target,
    readonly limit: number,
    readonly totalSegments: number,
    readonly write: Cmd,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const { target } = this;
    const where = this.toString();
    const input = (segment: number) => ({
      TableName: TABLE,
      ...(target.indexName ? { IndexName: target.indexName } : {}),
      Segment: segment,
      TotalSegments: this.totalSegments,
    });
    const got: Item[] = [];
    const starts: Array<Record<string, AttributeValue> | undefined> = [];
    const before = targetState(model, target);
    for (let segment = 0; segment < this.totalSegments; segment++) {
      const page = (await real.db.scan({ ...input(segment), Limit: this.limit })) as ReadPage;
      got.push(...checkPage(model, target, { kind: 'none' }, this.limit, page, `${where} segment ${segment} first page`));
      starts.push(page.LastEvaluatedKey);
    }
    await this.write.run(model, real);
    const after = targetState(model, target);
    for (let segment = 0; segment < this.totalSegments; segment++) {
      let start = starts[segment];
      for (let pageNo = 1; start !== undefined; pageNo++) {
        expect(pageNo, `${where}: too many pages`).toBeLessThanOrEqual(model.items.length + 2);
        const page = (await real.db.scan({ ...input(segment), ExclusiveStartKey: start })) as ReadPage;
        expect(page.LastEvaluatedKey, `${where} segment ${segment} page ${pageNo}: no Limit, so no LastEvaluatedKey`).toBeUndefined();
        got.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      }
    }
    const seen = new Map<string, number>();
    for (const item of got) {
      const c = canon(item);
      seen.set(c, (seen.get(c) ?? 0) + 1);
      const key = canon(pick(item, ['pk', 'sk']));
      expect(before.get(key) === c || after.get(key) === c, `${where}: ${c} is a state the item had`).toBe(true);
    }
    for (const [c, n] of seen) expect(n, `${where}: ${c} at most once`).toBe(1);
    for (const [key, c] of before) {
      if (after.get(key) === c) expect(seen.get(c), `${where}: unchanged item ${c} exactly once`).toBe(1);
    }
    afterStep(model, real);
  }
  toString(): string {
    return `ScanResume(${this.target.indexName ?? 'table'} limit=${this.limit} segments=${this.totalSegments}, then ${this.write})`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------------------

const sArb = <T extends string>(pool: readonly T[]) => fc.constantFrom(...pool).map((S): AttributeValue => ({ S }));
const nArb = (pool: readonly string[]) => fc.constantFrom(...pool).map((N): AttributeValue => ({ N }));
const optional = <T>(arb: fc.Arbitrary<T>, freq = 3) => fc.option(arb, { freq, nil: undefined });

const itemArb: fc.Arbitrary<Item> = fc
  .record({
    pk: fc.constantFrom(...PK_POOL),
    sk: fc.constantFrom(...SK_POOL),
    g: optional(sArb(G_POOL)),
    h: optional(nArb(H_POOL)),
    l: optional(sArb(L_POOL)),
    x: optional(fc.constantFrom(...X_POOL)),
    y: optional(fc.constantFrom<AttributeValue>({ S: 'y' }, { N: '5' }, { BOOL: true }), 2),
  })
  .map(({ pk, sk, ...rest }) => {
    const item: Record<string, AttributeValue> = { pk: { S: pk }, sk: { N: sk } };
    for (const [name, value] of Object.entries(rest)) if (value !== undefined) item[name] = value;
    return item;
  });

const actionArb = (values: fc.Arbitrary<AttributeValue>): fc.Arbitrary<UpdateAction> =>
  fc.oneof({ arbitrary: fc.constant<UpdateAction>('keep'), weight: 2 }, { arbitrary: fc.constant<UpdateAction>('remove'), weight: 1 }, { arbitrary: values, weight: 2 });

const updateArb = fc
  .record({
    pk: fc.constantFrom(...PK_POOL),
    sk: fc.constantFrom(...SK_POOL),
    g: actionArb(sArb(G_POOL)),
    h: actionArb(nArb(H_POOL)),
    l: actionArb(sArb(L_POOL)),
    x: actionArb(fc.constantFrom(...X_POOL)),
  })
  .map(({ pk, sk, g, h, l, x }) => {
    const actions = { g, h, l, x };
    if (Object.values(actions).every((a) => a === 'keep')) actions.x = { S: 'a' };
    return new UpdateCommand(pk, sk, actions);
  });

const deleteArb = fc.record({ pk: fc.constantFrom(...PK_POOL), sk: fc.constantFrom(...SK_POOL) }).map(({ pk, sk }) => new DeleteCommand(pk, sk));

function sortConditionArb(range: NonNullable<Target['range']>): fc.Arbitrary<SortCondition> {
  const stored = range.name === 'sk' ? SK_POOL : range.name === 'h' ? H_POOL : L_POOL;
  const operand: fc.Arbitrary<AttributeValue> =
    range.type === 'N'
      ? nArb([...stored, ...N_OPERANDS])
      : fc.constantFrom(...stored, ...S_OPERANDS.filter((s) => s !== '')).map((S): AttributeValue => ({ S }));
  const forms: fc.Arbitrary<SortCondition>[] = [
    fc.constant<SortCondition>({ kind: 'none' }),
    fc.record({ kind: fc.constant('cmp' as const), op: fc.constantFrom('=', '<', '<=', '>', '>=' as const), value: operand }),
    fc.tuple(operand, operand).map(([a, b]): SortCondition => {
      const [low, high] = compareValues(a, b)! <= 0 ? [a, b] : [b, a];
      return { kind: 'between', low, high };
    }),
  ];
  if (range.type === 'S') forms.push(fc.constantFrom(...PREFIX_POOL).map((prefix): SortCondition => ({ kind: 'begins_with', prefix })));
  return fc.oneof(...forms);
}

function filterArb(target: Target): fc.Arbitrary<Filter> {
  const attr = fc.constantFrom(...target.filterAttrs);
  const value = fc.constantFrom(...X_POOL, { S: 'y' }, { N: '5' }, { N: '1.0' }, { N: '-2e0' }, { N: '1E1' }, { S: 'a\u0000' });
  return fc.oneof(
    { arbitrary: fc.constant<Filter>({ kind: 'none' }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('cmp' as const), attr, op: fc.constantFrom('=', '<>', '<', '<=', '>', '>=' as const), value }), weight: 3 },
    {
      arbitrary: fc
        .record({ attr, a: value, b: value })
        .filter(({ a, b }) => compareValues(a, b) !== undefined)
        .map(({ attr: name, a, b }): Filter => {
          const [low, high] = compareValues(a, b)! <= 0 ? [a, b] : [b, a];
          return { kind: 'between', attr: name, low, high };
        }),
      weight: 1,
    },
    { arbitrary: fc.record({ kind: fc.constantFrom('exists', 'not_exists' as const), attr }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('begins_with' as const), attr, prefix: fc.constantFrom(...X_PREFIX_POOL) }), weight: 1 },
  );
}

const limitArb = optional(fc.integer({ min: 1, max: 7 }), 4);
/** Select COUNT now and then. */
const countOnlyArb = fc.integer({ min: 0, max: 7 }).map((n) => n === 0);

const queryArb = fc.constantFrom(...TARGETS).chain((target) =>
  fc
    .record({
      hashValue: target.hash === 'pk' ? fc.constantFrom<string>(...PK_POOL) : fc.constantFrom<string>(...G_POOL),
      sort: target.range ? sortConditionArb(target.range) : fc.constant<SortCondition>({ kind: 'none' }),
      forward: fc.boolean(),
      limit: limitArb,
      filter: filterArb(target),
      countOnly: countOnlyArb,
    })
    .map(({ hashValue, sort, forward, limit, filter, countOnly }) => new QueryCommand(target, hashValue, sort, forward, limit, filter, countOnly)),
);

const scanArb = fc.constantFrom(...TARGETS).chain((target) =>
  fc
    .record({ limit: limitArb, totalSegments: optional(fc.integer({ min: 1, max: 4 }), 4), filter: filterArb(target), countOnly: countOnlyArb })
    .map(({ limit, totalSegments, filter, countOnly }) => new ScanCommand(target, limit, totalSegments, filter, countOnly)),
);

const writeArb: fc.Arbitrary<Cmd> = fc.oneof(
  itemArb.map((item): Cmd => new PutCommand(item)),
  fc.array(itemArb, { minLength: 2, maxLength: 12 }).map((items): Cmd => new PutManyCommand(items)),
  updateArb,
  deleteArb,
);

const queryResumeArb = fc.constantFrom(...TARGETS).chain((target) =>
  fc
    .record({
      hashValue: target.hash === 'pk' ? fc.constantFrom<string>(...PK_POOL) : fc.constantFrom<string>(...G_POOL),
      forward: fc.boolean(),
      limit: fc.integer({ min: 1, max: 4 }),
      write: writeArb,
    })
    .map(({ hashValue, forward, limit, write }) => new QueryResumeCommand(target, hashValue, forward, limit, write)),
);

const scanResumeArb = fc.constantFrom(...TARGETS).chain((target) =>
  fc
    .record({ limit: fc.integer({ min: 1, max: 5 }), totalSegments: fc.integer({ min: 1, max: 4 }), write: writeArb })
    .map(({ limit, totalSegments, write }) => new ScanResumeCommand(target, limit, totalSegments, write)),
);

const commandsArb = fc.commands(
  [
    itemArb.map((item) => new PutCommand(item)),
    itemArb.map((item) => new PutCommand(item)),
    fc.array(itemArb, { minLength: 2, maxLength: 12 }).map((items) => new PutManyCommand(items)),
    fc.array(itemArb, { minLength: 2, maxLength: 12 }).map((items) => new PutManyCommand(items)),
    updateArb,
    updateArb,
    deleteArb,
    queryArb,
    queryArb,
    scanArb,
    queryResumeArb,
    scanResumeArb,
  ],
  { maxCommands: 80, size: 'large' },
);

async function createDatabase(storage: StorageAdapter | undefined): Promise<Database> {
  return freshDatabase(
    {
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: keys('pk', 'sk'),
      AttributeDefinitions: attributes({ pk: 'S', sk: 'N', g: 'S', h: 'N', l: 'S' }),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: keys('g', 'h'),
          Projection: { ProjectionType: 'ALL' },
        },
        { IndexName: 'byK', KeySchema: keys('g'), Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'byL',
          KeySchema: keys('pk', 'l'),
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] },
        },
      ],
    },
    storage ? { storage } : {},
  );
}

const NUM_RUNS = Number(process.env.QUERY_MODEL_RUNS ?? 70);

describe('Query and Scan against a model, with GSIs and an LSI', () => {
  for (const [label, storage] of [
    ['default storage', undefined],
    ['tiny B+ tree nodes and partitions', memoryStorage({ maxNodeSize: 4, partitionSplitItems: 8 })],
  ] as const) {
    it(`random writes and paged reads agree with the model (${label})`, async () => {
      await fc.assert(
        fc.asyncProperty(commandsArb, async (commands) => {
          const db = await createDatabase(storage);
          await fc.asyncModelRun(() => ({ model: { items: [] }, real: { db } }), commands);
        }),
        { numRuns: NUM_RUNS },
      );
    }, Math.max(60_000, NUM_RUNS * 300));
  }
});
