/**
 * Model-based tests of the public API: random CreateTable / PutItem / GetItem / DeleteItem / DeleteTable /
 * DescribeTable / snapshotTable sequences run against a Database and against a plain `Map` model, under three
 * storage layouts. After every command the results must equal the model's, the storage invariants must hold,
 * a full iteration of every table's storage (the Scan order) must be exactly the model's items in DynamoDB's
 * order, and every snapshot taken so far must still hold what the table held when it was taken.
 */
import { isDeepStrictEqual } from 'node:util';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Database,
  memoryStorage,
  ResourceInUseException,
  ResourceNotFoundException,
  ValidationException,
  type AttributeDefinition,
  type AttributeValue,
  type Item,
  type KeySchemaElement,
  type StorageAdapter,
  type TableSnapshot,
} from '../src/index.js';
import type { TableStorage } from '../src/storage/table-storage.js';
import { checkTableInvariants } from './support/invariants.js';
import { attributes, keys } from './support/tables.js';

// ---------------------------------------------------------------------------------------------------------
// Reference number handling: exact scaled BigInts, enough for the small pools generated here.
// ---------------------------------------------------------------------------------------------------------

const SCALE = 6;
const TEN_SCALE = 10n ** BigInt(SCALE);

/** The value of a DynamoDB number text, times 10^SCALE (throws if it is not a multiple of 10^-SCALE). */
function refScaled(text: string): bigint {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  const int = m?.[2] ?? '';
  const frac = m?.[3] ?? '';
  if (!m || (int === '' && frac === '')) throw new Error(`reference normalizer: not a number: ${text}`);
  const digits = BigInt(int + frac || '0');
  const shift = Number(m[4] ?? '0') - frac.length + SCALE;
  let scaled: bigint;
  if (shift >= 0) {
    scaled = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    if (digits % divisor !== 0n) throw new Error(`reference normalizer: too many decimals: ${text}`);
    scaled = digits / divisor;
  }
  return m[1] === '-' ? -scaled : scaled;
}

/** DynamoDB's normalized text of a scaled value: plain decimal, no leading/trailing zeros, no `+`, no `-0`. */
function refFormat(scaled: bigint): string {
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  const frac = (abs % TEN_SCALE).toString().padStart(SCALE, '0').replace(/0+$/, '');
  const body = frac === '' ? `${abs / TEN_SCALE}` : `${abs / TEN_SCALE}.${frac}`;
  return negative ? `-${body}` : body;
}

const refNormalize = (text: string): string => refFormat(refScaled(text));

/**
 * DynamoDB's byte serialization of a number (what the partition hash covers), written independently from
 * its description: base-100 digit pairs aligned on the decimal point, an exponent byte (x + 192 positive,
 * 63 - x negative), pair + 1 (positive) or 101 - pair (negative), and 102 after a negative of < 20 pairs.
 */
function refNumberBytes(scaled: bigint): Uint8Array {
  if (scaled === 0n) return Uint8Array.of(0x80);
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  let int = (abs / TEN_SCALE).toString();
  if (int === '0') int = '';
  if (int.length % 2 === 1) int = `0${int}`;
  let frac = (abs % TEN_SCALE).toString().padStart(SCALE, '0');
  if (frac.length % 2 === 1) frac += '0';
  const pairs: number[] = [];
  for (let i = 0; i < int.length; i += 2) pairs.push(Number(int.slice(i, i + 2)));
  let x = pairs.length;
  for (let i = 0; i < frac.length; i += 2) pairs.push(Number(frac.slice(i, i + 2)));
  while (pairs[0] === 0) {
    pairs.shift();
    x--;
  }
  while (pairs[pairs.length - 1] === 0) pairs.pop();
  const bytes = [negative ? (63 - x) & 0xff : (x + 192) & 0xff, ...pairs.map((p) => (negative ? 101 - p : p + 1))];
  if (negative && pairs.length < 20) bytes.push(102);
  return Uint8Array.from(bytes);
}

// ---------------------------------------------------------------------------------------------------------
// Reference key order and hash
// ---------------------------------------------------------------------------------------------------------

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The 24-bit hash prefix: the first 3 bytes of md5("Outliers" ‖ key bytes). */
function refHash(value: AttributeValue): number {
  let bytes: Uint8Array;
  if ('S' in value) bytes = utf8(value.S);
  else if ('N' in value) bytes = refNumberBytes(refScaled(value.N));
  else if ('B' in value) bytes = value.B;
  else throw new Error('not a key value');
  const d = createHash('md5').update('Outliers').update(bytes).digest();
  return (d[0]! << 16) | (d[1]! << 8) | d[2]!;
}

/** DynamoDB's order of two key values of one type: strings by UTF-8 bytes, numbers by value, binary by unsigned bytes. */
function refCompareKeyValues(a: AttributeValue, b: AttributeValue): number {
  if ('S' in a && 'S' in b) return Buffer.compare(utf8(a.S), utf8(b.S));
  if ('N' in a && 'N' in b) {
    const x = refScaled(a.N);
    const y = refScaled(b.N);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if ('B' in a && 'B' in b) return Buffer.compare(Buffer.from(a.B), Buffer.from(b.B));
  throw new Error('key values of different types');
}

/** A key value as a string equal exactly when the values are (numbers by value). */
function canonKeyValue(value: AttributeValue): string {
  if ('S' in value) return `S:${value.S}`;
  if ('N' in value) return `N:${refScaled(value.N)}`;
  if ('B' in value) return `B:${hex(value.B)}`;
  throw new Error('not a key value');
}

// ---------------------------------------------------------------------------------------------------------
// Tables and their key pools
// ---------------------------------------------------------------------------------------------------------

/** Numbers by value, each with several spellings DynamoDB accepts. */
const NUMBER_POOL: readonly (readonly string[])[] = [
  ['0', '-0', '0.000', '0e5', '00'],
  ['7', '007', '7.0', '0.7e1', '+7', '70e-1'],
  ['1.5', '1.50', '15e-1', '0.15E1', '001.5000'],
  ['100', '1e2', '1E+2', '100.000', '0.1e3'],
  ['-3', '-03.0', '-3e0', '-0.3E1'],
  ['0.001', '1e-3', '.001', '0.0010'],
  ['-0.25', '-.25', '-25e-2', '-0.250'],
  ['12', '12.', '1.2e1', '012'],
  ['10', '1e1', '10.0'],
  ['99.999', '9.9999e1'],
];

/** Strings whose UTF-8 order differs from JS's UTF-16 order (U+E000 sorts below astral characters in UTF-8). */
const STRING_POOL = ['a', 'b', 'ab', 'B', 'é', '\uE000', '\u{10000}', '\u{1F600}'] as const;
const BINARY_POOL = [[0x00], [0x00, 0x00], [0x01], [0x7f], [0x80], [0xff], [0xff, 0x00]] as const;

type KeyType = 'S' | 'N' | 'B';
interface KeyDef {
  readonly name: string;
  readonly type: KeyType;
  readonly pool: readonly (readonly unknown[])[] | readonly string[];
}
interface TableDef {
  readonly name: string;
  readonly pk: KeyDef;
  readonly sk?: KeyDef;
}

const TABLES: readonly TableDef[] = [
  { name: 'hashS', pk: { name: 'id', type: 'S', pool: STRING_POOL } },
  { name: 'hashN_rangeS', pk: { name: 'n', type: 'N', pool: NUMBER_POOL }, sk: { name: 's', type: 'S', pool: STRING_POOL } },
  { name: 'hashB_rangeN', pk: { name: 'b', type: 'B', pool: BINARY_POOL }, sk: { name: 'r', type: 'N', pool: NUMBER_POOL } },
  { name: 'hashS_rangeB', pk: { name: 'p', type: 'S', pool: ['x', 'y', 'z'] }, sk: { name: 'k', type: 'B', pool: BINARY_POOL } },
];
const TABLE_BY_NAME = new Map(TABLES.map((t) => [t.name, t]));

function keyValueArb(def: KeyDef): fc.Arbitrary<AttributeValue> {
  if (def.type === 'S') return fc.constantFrom(...(def.pool as readonly string[])).map((S) => ({ S }));
  if (def.type === 'N') {
    // Pick a value, then any of its spellings: reads and deletes rarely spell a key the way it was written.
    return fc.constantFrom(...(def.pool as readonly (readonly string[])[])).chain((spellings) => fc.constantFrom(...spellings)).map((N) => ({ N }));
  }
  return fc.constantFrom(...(def.pool as readonly (readonly number[])[])).map((bytes) => ({ B: Uint8Array.from(bytes) }));
}

function keyArb(def: TableDef): fc.Arbitrary<Item> {
  const pk = keyValueArb(def.pk);
  if (!def.sk) return pk.map((v) => ({ [def.pk.name]: v }));
  return fc.tuple(pk, keyValueArb(def.sk)).map(([p, s]) => ({ [def.pk.name]: p, [def.sk!.name]: s }));
}

/** The model's key of an item or key: equal exactly when DynamoDB's primary keys are. */
function canonKey(def: TableDef, item: Item): string {
  const pk = canonKeyValue(item[def.pk.name]!);
  return def.sk ? `${pk}|${canonKeyValue(item[def.sk.name]!)}` : pk;
}

// ---------------------------------------------------------------------------------------------------------
// Attribute values of every type, and what DynamoDB stores for them
// ---------------------------------------------------------------------------------------------------------

const ANY_SPELLING = NUMBER_POOL.flat();

const scalarArb: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.string({ maxLength: 4, unit: 'grapheme' }).map((S) => ({ S })),
  fc.constantFrom(...ANY_SPELLING).map((N) => ({ N })),
  fc.uint8Array({ maxLength: 4 }).map((B) => ({ B })),
  fc.boolean().map((BOOL) => ({ BOOL })),
  fc.constant({ NULL: true as const }),
  fc.uniqueArray(fc.string({ minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }).map((SS) => ({ SS })),
  // Distinct values (duplicates by value are a ValidationException), each in a random spelling.
  fc
    .uniqueArray(fc.nat(NUMBER_POOL.length - 1), { minLength: 1, maxLength: 3 })
    .chain((indexes) => fc.tuple(...indexes.map((i) => fc.constantFrom(...NUMBER_POOL[i]!))))
    .map((NS) => ({ NS })),
  fc
    .uniqueArray(fc.uint8Array({ minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3, selector: hex })
    .map((BS) => ({ BS })),
);

const { value: valueArb } = fc.letrec<{ value: AttributeValue }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 2, depthIdentifier: 'attribute-value' },
    scalarArb,
    fc.dictionary(fc.constantFrom('x', 'y', 'z'), tie('value'), { maxKeys: 2, noNullPrototype: true }).map((M) => ({ M })),
    fc.array(tie('value'), { maxLength: 2 }).map((L) => ({ L })),
  ),
}));

const attributesArb = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), valueArb, { maxKeys: 3, noNullPrototype: true });

/** What DynamoDB stores for a written value: numbers normalized, everything else as written. */
function expectedValue(value: AttributeValue): AttributeValue {
  if ('N' in value) return { N: refNormalize(value.N) };
  if ('NS' in value) return { NS: value.NS.map(refNormalize) };
  if ('M' in value) return { M: Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, expectedValue(v)])) };
  if ('L' in value) return { L: value.L.map(expectedValue) };
  if ('B' in value) return { B: Uint8Array.from(value.B) };
  if ('BS' in value) return { BS: value.BS.map((b) => Uint8Array.from(b)) };
  return value;
}

function expectedItem(item: Item): Item {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, expectedValue(v)]));
}

/** A comparable form: sets in a fixed order (DynamoDB sets are unordered), binary as hex. */
function canonValue(value: AttributeValue): unknown {
  if ('B' in value) return { B: hex(value.B) };
  if ('SS' in value) return { SS: [...value.SS].sort() };
  if ('NS' in value) return { NS: [...value.NS].sort() };
  if ('BS' in value) return { BS: value.BS.map(hex).sort() };
  if ('M' in value) return { M: canonItem(value.M) };
  if ('L' in value) return { L: value.L.map(canonValue) };
  return value;
}

function canonItem(item: Item | undefined): unknown {
  if (item === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(item)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, canonValue(v)]),
  );
}

// ---------------------------------------------------------------------------------------------------------
// The model, the real system, and the checks run after every command
// ---------------------------------------------------------------------------------------------------------

/** Table name → (canonical key → the item DynamoDB should return). */
type Model = Map<string, Map<string, Item>>;

interface LiveSnapshot {
  readonly def: TableDef;
  readonly snapshot: TableSnapshot;
  readonly expected: ReadonlyMap<string, Item>;
}

interface Real {
  readonly db: Database;
  /** The latest few snapshots: each must keep showing what the table held when it was taken. */
  readonly snapshots: LiveSnapshot[];
  readonly stats: Stats;
}

interface Stats {
  maxPartitions: number;
}

function fail(message: string): never {
  throw new Error(message);
}

/**
 * A full iteration of `storage` lists every expected item exactly once, in (hash prefix, partition key,
 * sort key) order by the reference hash and DynamoDB's value order; each partition key's items are contiguous.
 */
function checkScanOrder(def: TableDef, storage: TableStorage, expected: ReadonlyMap<string, Item>): void {
  const seen = new Set<string>();
  const finishedPartitionKeys = new Set<string>();
  let previous: { hash: number; pk: AttributeValue; sk: AttributeValue | undefined; pkCanon: string } | undefined;
  for (const [storageKey, item] of storage.entries()) {
    const key = canonKey(def, item);
    if (seen.has(key)) fail(`${def.name}: item ${key} listed twice`);
    seen.add(key);
    const want = expected.get(key);
    if (want === undefined) fail(`${def.name}: item ${key} listed but not in the model`);
    expect(canonItem(item)).toEqual(canonItem(want));

    const pk = item[def.pk.name]!;
    const sk = def.sk ? item[def.sk.name]! : undefined;
    if (!isDeepStrictEqual(storage.get(storageKey), item)) fail(`${def.name}: item ${key} is listed but a point lookup does not find it`);
    const hash = refHash(pk);
    if (storageKey.hash !== hash) fail(`${def.name}: item ${key} stored at hash ${storageKey.hash}, reference ${hash}`);
    const current = { hash, pk, sk, pkCanon: canonKeyValue(pk) };
    if (previous) {
      let order = previous.hash - current.hash;
      if (order === 0) order = refCompareKeyValues(previous.pk, current.pk);
      if (order === 0 && previous.sk && current.sk) order = refCompareKeyValues(previous.sk, current.sk);
      if (order >= 0) fail(`${def.name}: ${key} listed after ${canonKey(def, { [def.pk.name]: previous.pk, ...(def.sk ? { [def.sk.name]: previous.sk! } : {}) })}`);
      if (previous.pkCanon !== current.pkCanon) {
        finishedPartitionKeys.add(previous.pkCanon);
        if (finishedPartitionKeys.has(current.pkCanon)) fail(`${def.name}: partition key ${current.pkCanon} is not contiguous`);
      }
    }
    previous = current;
  }
  if (seen.size !== expected.size) fail(`${def.name}: iteration lists ${seen.size} items, model has ${expected.size}`);
}

function checkEverything(model: Model, real: Real): void {
  expect([...real.db.engine.tables.keys()].sort()).toEqual([...model.keys()].sort());
  checkTableInvariants(real.db);
  for (const [name, items] of model) {
    const storage = real.db.engine.tables.get(name)!.storage;
    storage.checkInvariants();
    expect(storage.itemCount).toBe(items.size);
    real.stats.maxPartitions = Math.max(real.stats.maxPartitions, storage.partitionCount);
    checkScanOrder(TABLE_BY_NAME.get(name)!, storage, items);
  }
  for (const { def, snapshot, expected } of real.snapshots) {
    snapshot.storage.checkInvariants();
    expect(snapshot.storage.itemCount).toBe(expected.size);
    checkScanOrder(def, snapshot.storage, expected);
  }
}

async function expectRejection(promise: Promise<unknown>, type: abstract new (...args: never[]) => Error): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(type);
}

const show = (value: unknown): string => fc.stringify(value);

// ---------------------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------------------

type Command = fc.AsyncCommand<Model, Real>;

class CreateTable implements Command {
  constructor(readonly def: TableDef) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const { def } = this;
    const keySchema: KeySchemaElement[] = [{ AttributeName: def.pk.name, KeyType: 'HASH' }];
    const definitions: AttributeDefinition[] = [{ AttributeName: def.pk.name, AttributeType: def.pk.type }];
    if (def.sk) {
      keySchema.push({ AttributeName: def.sk.name, KeyType: 'RANGE' });
      definitions.push({ AttributeName: def.sk.name, AttributeType: def.sk.type });
    }
    const request = real.db.createTable({
      TableName: def.name,
      KeySchema: keySchema,
      AttributeDefinitions: definitions,
      BillingMode: 'PAY_PER_REQUEST',
    });
    if (model.has(def.name)) {
      await expectRejection(request, ResourceInUseException);
    } else {
      const { TableDescription } = await request;
      expect(TableDescription.TableStatus).toBe('CREATING'); // DynamoDB answers CREATING; it settles at once here
      expect(TableDescription.ItemCount).toBe(0);
      model.set(def.name, new Map());
    }
    checkEverything(model, real);
  }
  toString = (): string => `CreateTable(${this.def.name})`;
}

class DeleteTable implements Command {
  constructor(readonly def: TableDef) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const request = real.db.deleteTable({ TableName: this.def.name });
    const items = model.get(this.def.name);
    if (items === undefined) {
      await expectRejection(request, ResourceNotFoundException);
    } else {
      const { TableDescription } = await request;
      expect(TableDescription.ItemCount).toBe(items.size);
      model.delete(this.def.name);
    }
    checkEverything(model, real);
  }
  toString = (): string => `DeleteTable(${this.def.name})`;
}

class DescribeTable implements Command {
  constructor(readonly def: TableDef) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const request = real.db.describeTable({ TableName: this.def.name });
    const items = model.get(this.def.name);
    if (items === undefined) {
      await expectRejection(request, ResourceNotFoundException);
    } else {
      const { Table } = await request;
      expect(Table.ItemCount).toBe(items.size);
      expect(Table.TableStatus).toBe('ACTIVE');
    }
    checkEverything(model, real);
  }
  toString = (): string => `DescribeTable(${this.def.name})`;
}

type ReturnValues = 'ALL_OLD' | 'NONE' | undefined;

/** The ReturnValues member of a request: left out when undefined. */
const returnValuesMember = (returnValues: ReturnValues) => (returnValues ? { ReturnValues: returnValues } : {});

/**
 * What PutItem and DeleteItem check alike: ResourceNotFoundException while the model has no such table;
 * otherwise the item the write replaces or deletes comes back with ReturnValues ALL_OLD, nothing without it,
 * and `apply` then makes the same change to the model's items at `key`.
 */
async function checkItemWrite(
  model: Model,
  real: Real,
  def: TableDef,
  request: Promise<{ Attributes?: Item | undefined }>,
  key: Item,
  returnValues: ReturnValues,
  apply: (items: Map<string, Item>, key: string) => void,
): Promise<void> {
  const items = model.get(def.name);
  if (items === undefined) {
    await expectRejection(request, ResourceNotFoundException);
  } else {
    const output = await request;
    const canon = canonKey(def, key);
    const old = items.get(canon);
    expect(canonItem(output.Attributes)).toEqual(returnValues === 'ALL_OLD' ? canonItem(old) : undefined);
    apply(items, canon);
  }
  checkEverything(model, real);
}

class PutItem implements Command {
  constructor(
    readonly def: TableDef,
    readonly item: Item,
    readonly returnValues: ReturnValues,
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const request = real.db.putItem({ TableName: this.def.name, Item: this.item, ...returnValuesMember(this.returnValues) });
    await checkItemWrite(model, real, this.def, request, this.item, this.returnValues, (items, key) => {
      items.set(key, expectedItem(this.item));
    });
  }
  toString = (): string => `PutItem(${this.def.name}, ${show(this.item)}, ${this.returnValues})`;
}

/** A put whose key attribute has the wrong type: rejected, nothing written. */
class PutItemWithWrongKeyType implements Command {
  constructor(readonly def: TableDef) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const wrong: AttributeValue = this.def.pk.type === 'S' ? { N: '1' } : { S: '1' };
    const request = real.db.putItem({ TableName: this.def.name, Item: { [this.def.pk.name]: wrong, a: { S: 'x' } } });
    // The table is looked up before the item's key is checked against its schema.
    await expectRejection(request, model.has(this.def.name) ? ValidationException : ResourceNotFoundException);
    checkEverything(model, real);
  }
  toString = (): string => `PutItemWithWrongKeyType(${this.def.name})`;
}

class GetItem implements Command {
  constructor(
    readonly def: TableDef,
    readonly key: Item,
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const request = real.db.getItem({ TableName: this.def.name, Key: this.key });
    const items = model.get(this.def.name);
    if (items === undefined) {
      await expectRejection(request, ResourceNotFoundException);
    } else {
      const { Item: got } = await request;
      expect(canonItem(got)).toEqual(canonItem(items.get(canonKey(this.def, this.key))));
    }
    checkEverything(model, real);
  }
  toString = (): string => `GetItem(${this.def.name}, ${show(this.key)})`;
}

class DeleteItem implements Command {
  constructor(
    readonly def: TableDef,
    readonly key: Item,
    readonly returnValues: ReturnValues,
  ) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const request = real.db.deleteItem({ TableName: this.def.name, Key: this.key, ...returnValuesMember(this.returnValues) });
    await checkItemWrite(model, real, this.def, request, this.key, this.returnValues, (items, key) => {
      items.delete(key);
    });
  }
  toString = (): string => `DeleteItem(${this.def.name}, ${show(this.key)}, ${this.returnValues})`;
}

class SnapshotTable implements Command {
  constructor(readonly def: TableDef) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const items = model.get(this.def.name);
    if (items === undefined) {
      expect(() => real.db.snapshotTable(this.def.name)).toThrow(ResourceNotFoundException);
    } else {
      const snapshot = real.db.snapshotTable(this.def.name);
      expect(snapshot.tableName).toBe(this.def.name);
      real.snapshots.push({ def: this.def, snapshot, expected: new Map(items) });
      if (real.snapshots.length > 3) real.snapshots.shift();
    }
    checkEverything(model, real);
  }
  toString = (): string => `SnapshotTable(${this.def.name})`;
}

const tableArb = fc.constantFrom(...TABLES);
const returnValuesArb = fc.constantFrom<ReturnValues>('ALL_OLD', 'ALL_OLD', 'NONE', undefined);

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: tableArb.map((t) => new CreateTable(t)), weight: 2 },
  { arbitrary: tableArb.map((t) => new DeleteTable(t)), weight: 1 },
  { arbitrary: tableArb.map((t) => new DescribeTable(t)), weight: 1 },
  { arbitrary: tableArb.map((t) => new SnapshotTable(t)), weight: 1 },
  { arbitrary: tableArb.map((t) => new PutItemWithWrongKeyType(t)), weight: 1 },
  {
    arbitrary: tableArb.chain((t) =>
      fc.tuple(keyArb(t), attributesArb, returnValuesArb).map(([key, attrs, rv]) => new PutItem(t, { ...attrs, ...key }, rv)),
    ),
    weight: 14,
  },
  { arbitrary: tableArb.chain((t) => keyArb(t).map((key) => new GetItem(t, key))), weight: 4 },
  {
    arbitrary: tableArb.chain((t) => fc.tuple(keyArb(t), returnValuesArb).map(([key, rv]) => new DeleteItem(t, key, rv))),
    weight: 4,
  },
);

// ---------------------------------------------------------------------------------------------------------
// The suites
// ---------------------------------------------------------------------------------------------------------

const CONFIGURATIONS: ReadonlyArray<{ label: string; storage: () => StorageAdapter | undefined; splits: boolean }> = [
  { label: 'default storage', storage: () => undefined, splits: false },
  { label: 'tiny B+ tree nodes (maxNodeSize 4)', storage: () => memoryStorage({ maxNodeSize: 4 }), splits: false },
  {
    label: 'tiny nodes and partitions (maxNodeSize 4, partitionSplitItems 8)',
    storage: () => memoryStorage({ maxNodeSize: 4, partitionSplitItems: 8 }),
    splits: true,
  },
];

function newDatabase(storage: StorageAdapter | undefined): Database {
  return new Database(storage ? { storage } : {});
}

describe('reference normalizer (test scaffolding)', () => {
  it('normalizes every spelling of a pool value to the same DynamoDB text', () => {
    expect(NUMBER_POOL.map((spellings) => [...new Set(spellings.map(refNormalize))])).toEqual([
      ['0'],
      ['7'],
      ['1.5'],
      ['100'],
      ['-3'],
      ['0.001'],
      ['-0.25'],
      ['12'],
      ['10'],
      ['99.999'],
    ]);
  });
});

describe.each(CONFIGURATIONS)('with $label', ({ storage, splits }) => {
  it('random table and item operations always agree with a Map model, keeping storage invariants, Scan order and snapshots intact', async () => {
    const stats: Stats = { maxPartitions: 0 };
    await fc.assert(
      fc.asyncProperty(fc.commands([commandArb], { maxCommands: 150, size: 'max' }), async (commands) => {
        const setup = () => ({
          model: new Map() as Model,
          real: { db: newDatabase(storage()), snapshots: [], stats } satisfies Real,
        });
        await fc.asyncModelRun(setup, commands);
      }),
      { numRuns: 60 },
    );
    // Partitions must really split in the configuration that allows it, and never in the others.
    if (splits) expect(stats.maxPartitions).toBeGreaterThan(1);
    else expect(stats.maxPartitions).toBe(1);
  }, 20_000);

  it('a full Scan-order iteration lists every item exactly once, by hash prefix, then partition key, then sort key in DynamoDB order', async () => {
    const def: TableDef = { name: 'scan', pk: { name: 'p', type: 'S', pool: [] }, sk: { name: 'n', type: 'N', pool: [] } };
    // Wider key spaces than the pools: any Unicode partition key, any decimal of up to 6 fraction digits.
    const numberArb = fc
      .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: SCALE }), fc.boolean())
      .map(([mantissa, decimals, exponentForm]) =>
        exponentForm ? `${mantissa}e-${decimals}` : refFormat(mantissa * 10n ** BigInt(SCALE - decimals)),
      );
    const itemArb = fc.record({
      p: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }).map((S) => ({ S })),
      n: numberArb.map((N) => ({ N })),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(itemArb, { maxLength: 60 }), async (items) => {
        const db = newDatabase(storage());
        await db.createTable({
          TableName: 'scan',
          KeySchema: keys('p', 'n'),
          AttributeDefinitions: attributes({ p: 'S', n: 'N' }),
          BillingMode: 'PAY_PER_REQUEST',
        });
        const expected = new Map<string, Item>();
        for (const item of items) {
          await db.putItem({ TableName: 'scan', Item: item });
          expected.set(canonKey(def, item), expectedItem(item));
        }
        const storageOfTable = db.engine.tables.get('scan')!.storage;
        storageOfTable.checkInvariants();
        checkScanOrder(def, storageOfTable, expected);
      }),
      { numRuns: 40 },
    );
  }, 20_000);

  it('a snapshot keeps showing the items of the moment it was taken while the table is written to', async () => {
    const db = newDatabase(storage());
    await db.createTable({
      TableName: 'snap',
      KeySchema: keys('id'),
      AttributeDefinitions: attributes({ id: 'S' }),
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (let i = 0; i < 20; i++) await db.putItem({ TableName: 'snap', Item: { id: { S: `k${i}` }, v: { N: String(i) } } });
    const snapshot = db.snapshotTable('snap');
    const before = [...snapshot.storage.entries()].map(([, item]) => item);

    for (let i = 0; i < 20; i += 2) await db.deleteItem({ TableName: 'snap', Key: { id: { S: `k${i}` } } });
    for (let i = 1; i < 20; i += 2) await db.putItem({ TableName: 'snap', Item: { id: { S: `k${i}` }, v: { S: 'changed' } } });
    for (let i = 20; i < 60; i++) await db.putItem({ TableName: 'snap', Item: { id: { S: `k${i}` } } });

    expect([...snapshot.storage.entries()].map(([, item]) => item)).toEqual(before);
    expect(snapshot.storage.itemCount).toBe(20);
    snapshot.storage.checkInvariants();
    expect((await db.describeTable({ TableName: 'snap' })).Table.ItemCount).toBe(50);
  });
});
