import type { Immer } from 'immer';
import type { Item, Key } from '../model/attribute-value.js';
import { memberOf } from '../model/set-member.js';
import type { DeleteItemInput } from '../operations/delete-item.js';
import type { GetItemInput, GetItemOutput } from '../operations/get-item.js';
import type { PutItemInput } from '../operations/put-item.js';
import type { QueryInput } from '../operations/query.js';
import type { ScanInput } from '../operations/scan.js';
import type { UpdateItemInput } from '../operations/update-item.js';
import { GetAction, WriteAction, batchGet, batchWrite } from './actions.js';
import type { Simplify } from './attribute-schema.js';
import { renderCondition, type ConditionInput } from './condition.js';
import type { Decimal } from './decimal.js';
import { ExpressionContext } from './expression-context.js';
import { itemDecoder } from './item-decoder.js';
import { itemEncoder } from './item-encoder.js';
import { keyEncoder } from './key-encoder.js';
import { decodeItem } from './marshall.js';
import type { TableOperations } from './operation-port.js';
import { Paged, type PageOutput, type PageSource } from './paged.js';
import { SortKeyCondition, type Widen } from './sort-key.js';
import type { IndexDefinition, IndexInfo, TableSchema } from './table-schema.js';
import { UpdateClauses } from './update-diff.js';

type Names<T> = keyof T & string;
type Defined<T, K> = Exclude<T[K & keyof T], undefined>;

const nothing = (): void => undefined;

/** The item reader of each schema: compiled item shapes are shared by every Table of a schema. */
const decoders = new WeakMap<object, (item: Item) => Record<string, unknown>>();
/** The item writer of each schema. */
const encoders = new WeakMap<object, (item: object) => Item>();

/** A primary key of the table: its partition key and (if any) sort key attributes. */
export type TableKey<T, PK extends string, SK extends string> = { [K in PK | SK]: Defined<T, K> };

/**
 * What a query selects: every partition key attribute with its value, then optionally sort key
 * attributes, each a value (equality) or a `sortKey.*` condition. Multi-attribute sort keys take equalities
 * left to right and a condition on the last one given.
 */
export type KeyQuery<T, P extends string, S extends string> = { [K in P]: Defined<T, K> } & {
  [K in S]?: Defined<T, K> | SortKeyCondition<Widen<Defined<T, K>>>;
};

/** The result of a projection: only the attributes named. */
export type Projected<R, P extends readonly string[]> = Simplify<Pick<R, P[number] & keyof R>>;

/** The items an index holds: all attributes, or the keys (table's and index's) plus those included. */
export type IndexItem<T, I extends IndexInfo, TK extends string> = I['all'] extends true
  ? T
  : Simplify<Pick<T, (TK | I['pk'] | I['sk'] | I['include']) & keyof T>>;

/** A mutable draft of an item for `update`: Sets, arrays and objects can be changed in place. */
export type Draft<T> = T extends string | number | boolean | bigint | null | undefined | Uint8Array | Decimal
  ? T
  : T extends ReadonlySet<infer V>
    ? Set<V>
    : T extends readonly (infer E)[]
      ? Draft<E>[]
      : { -readonly [K in keyof T]: Draft<T[K]> };

/** Options of reads by key. */
export interface ReadOptions {
  /** A strongly consistent read. */
  consistent?: boolean;
}

/** Options of `put`. */
export interface PutOptions<T> {
  /** Write only if this holds for the item now stored (ConditionalCheckFailedException otherwise). */
  condition?: ConditionInput<T>;
}

/** Options of `update` and `delete`. */
export interface WriteOptions<T> extends PutOptions<T> {
  /** With a schema `version` attribute: write only if the stored version is this one (optimistic locking). */
  expectedVersion?: number;
}

/** Options of `query` and `scan`. */
export interface ReadManyOptions<T> {
  /** A filter applied after reading (DynamoDB's FilterExpression). */
  filter?: ConditionInput<T>;
  /** Items evaluated per request (DynamoDB's Limit). */
  pageSize?: number;
  /** Stop after this many items in all. */
  limit?: number;
  /** Start after this key (a page's `lastKey`). */
  startKey?: Key;
  consistent?: boolean;
}

/** Options of `query`. */
export interface QueryOptions<T> extends ReadManyOptions<T> {
  /** Descending sort key order. */
  reverse?: boolean;
}

/** Options of `scan`. */
export interface ScanOptions<T> extends ReadManyOptions<T> {
  /** A parallel scan: this worker's segment (0 … totalSegments - 1). */
  segment?: number;
  totalSegments?: number;
}

/** Options of `new Table`. */
export interface TableOptions {
  /** Another table name than the schema's (e.g. a per-environment prefix). */
  tableName?: string;
}

type WithProjection<P> = { projection: P };

let immer: Promise<Immer> | undefined;
/**
 * immer, loaded and set up on the first update (so importing the package costs nothing more): Set
 * drafts on, auto-freeze off (the result is only diffed).
 */
function drafts(): Promise<Immer> {
  immer ??= import('immer').then((module) => {
    module.enableMapSet();
    return new module.Immer({ autoFreeze: false });
  });
  return immer;
}

/**
 * A typed DynamoDB table on a backend: the embedded `Database` or an SDK client through `sdkOperations`.
 * Items are native JS values typed by the schema; keys, conditions, filters and projections are checked
 * at compile time.
 *
 * @example
 * const users = new Table(Users, db);
 * await users.put({ id: 'ada', name: 'Ada', visits: 0, tags: new Set() });
 * await users.update({ id: 'ada' }, (u) => {
 *   u.visits += 1;
 *   u.tags.add('math');
 * });
 * const ada = await users.get({ id: 'ada' }, { projection: ['name', 'visits'] }); // { name: string; visits: number } | undefined
 */
export class Table<T extends object, PK extends string, SK extends string, Ix extends Record<string, IndexInfo>> {
  /** Phantom: the item type (`ItemOf<typeof table>`). */
  declare readonly _item: T;
  /** The DynamoDB table name. */
  readonly tableName: string;
  /** The table's key attribute names: partition key, then sort key. */
  readonly keyNames: readonly string[];
  /** @internal The partition key attribute, then the sort key attribute (if any), each as a list (how a query's key condition takes them). */
  readonly partitionKeyNames: readonly string[];
  /** @internal */
  readonly sortKeyNames: readonly string[];
  private readonly onGet: (output: GetItemOutput) => T | undefined;
  /** Reads whole items (compiled per schema, shared by every Table of it). */
  private readonly decodeWhole: (item: Item) => Record<string, unknown>;
  /** Writes primary keys (compiled once per table). */
  private readonly keyWriter: (key: object) => Key;
  /** Writes whole items (compiled per item shape, shared by every Table of the schema). */
  private readonly encodeWhole: (item: object) => Item;

  constructor(
    readonly schema: TableSchema<T, PK, SK, Ix>,
    readonly operations: TableOperations,
    options: TableOptions = {},
  ) {
    this.tableName = options.tableName ?? schema.name;
    this.keyNames = schema.sortKey === undefined ? [schema.partitionKey] : [schema.partitionKey, schema.sortKey];
    const tableName = this.tableName;
    this.keyWriter = keyEncoder(this.keyNames, (name) => {
      throw new TypeError(`The key of ${tableName} needs a value for ${name}`);
    });
    this.partitionKeyNames = [schema.partitionKey];
    this.sortKeyNames = this.keyNames.slice(1);
    let decodeWhole = decoders.get(schema);
    if (decodeWhole === undefined) decoders.set(schema, (decodeWhole = itemDecoder(schema.attributes, schema.fillSets)));
    this.decodeWhole = decodeWhole;
    let encodeWhole = encoders.get(schema);
    if (encodeWhole === undefined) encoders.set(schema, (encodeWhole = itemEncoder(schema.attributes)));
    this.encodeWhole = encodeWhole;
    this.onGet = (output) => (output.Item === undefined ? undefined : (decodeWhole(output.Item) as T));
  }

  /**
   * The item with this key, or undefined; with `projection`, only the attributes named.
   *
   * @example
   * const user = await users.get({ id: 'ada' }, { consistent: true });
   */
  get(key: TableKey<T, PK, SK>, options?: ReadOptions): Promise<T | undefined>;
  get<const P extends readonly Names<T>[]>(key: TableKey<T, PK, SK>, options: ReadOptions & WithProjection<P>): Promise<Projected<T, P> | undefined>;
  get(key: TableKey<T, PK, SK>, options?: ReadOptions & { projection?: readonly string[] }): Promise<unknown> {
    let input: GetItemInput;
    try {
      input = { TableName: this.tableName, Key: this.encodeKey(key) };
    } catch (error) {
      return Promise.reject(error);
    }
    // The plain read, the hot path: one `then` with a callback made once per table.
    if (options === undefined) return this.operations.getItem(input).then(this.onGet);
    return this.getWith(input, options);
  }

  private async getWith(input: GetItemInput, options: ReadOptions & { projection?: readonly string[] }): Promise<unknown> {
    if (options.consistent) input.ConsistentRead = true;
    const projection = options.projection;
    if (projection !== undefined) {
      const cx = new ExpressionContext();
      input.ProjectionExpression = projection.map((name) => cx.name(name)).join(', ');
      cx.applyTo(input);
    }
    const output = await this.operations.getItem(input);
    if (output.Item === undefined) return undefined;
    return projection === undefined ? this.decode(output.Item) : this.projectedDecoder(projection)(output.Item);
  }

  /**
   * Creates or replaces an item, optionally only if a condition holds.
   *
   * @example
   * const grace = { id: 'grace', name: 'Grace', visits: 0, tags: new Set(['navy']), orders: 0, version: 1 };
   * await users.put(grace, { condition: (c) => c.notExists('id') }); // create only: fails if 'grace' exists
   */
  put(item: T, options?: PutOptions<T>): Promise<void> {
    let input: PutItemInput;
    try {
      input = { TableName: this.tableName, Item: this.encodeWhole(item) };
      if (options?.condition !== undefined) {
        const cx = new ExpressionContext();
        input.ConditionExpression = renderCondition(options.condition, cx);
        cx.applyTo(input);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.operations.putItem(input).then(nothing);
  }

  /**
   * Changes an existing item through an immer draft: the changes compile to one minimal UpdateItem
   * (SET/REMOVE/ADD/DELETE, integer changes as atomic increments), sent with `attribute_exists` on the
   * key so a concurrently deleted item is not recreated. Resolves to the new item, or undefined when no
   * item has the key. Nothing is written when the recipe changes nothing (and the schema has no version).
   *
   * @example
   * await users.update({ id: 'ada' }, (u) => {
   *   u.visits += 1;
   *   u.tags.add('x');
   *   delete u.nickname;
   * }, { expectedVersion: 3 });
   */
  async update(key: TableKey<T, PK, SK>, recipe: (draft: Draft<T>) => void | T, options?: WriteOptions<T>): Promise<T | undefined> {
    const request = await this.compileUpdate(key, recipe, options);
    if (request === undefined) return undefined;
    if ('unchanged' in request) return request.unchanged;
    const output = await this.operations.updateItem({ ...request, ReturnValues: 'ALL_NEW' });
    return output.Attributes === undefined ? undefined : this.decode(output.Attributes);
  }

  /**
   * Deletes the item with this key (if a condition holds); resolves to the deleted item, if there was one.
   *
   * @example
   * const old = await users.delete({ id: 'ada' }, { condition: (c) => c.eq('visits', 0) });
   */
  async delete(key: TableKey<T, PK, SK>, options?: WriteOptions<T>): Promise<T | undefined> {
    const input: DeleteItemInput = { TableName: this.tableName, Key: this.encodeKey(key), ReturnValues: 'ALL_OLD' };
    this.applyWriteCondition(input, options, []);
    const output = await this.operations.deleteItem(input);
    return output.Attributes === undefined ? undefined : this.decode(output.Attributes);
  }

  /**
   * The items of one partition key, in sort key order (descending with `reverse`), optionally narrowed by
   * a sort key condition, a filter and a projection. Read lazily: iterate, `all()`, `pages()` or `count()`.
   *
   * @example
   * for await (const order of orders.query({ org: 'acme', id: sortKey.beginsWith('2025') }, { reverse: true })) console.log(order);
   */
  query(key: KeyQuery<T, PK, SK>, options?: QueryOptions<T>): Paged<T>;
  query<const P extends readonly Names<T>[]>(key: KeyQuery<T, PK, SK>, options: QueryOptions<T> & WithProjection<P>): Paged<Projected<T, P>>;
  query(key: KeyQuery<T, PK, SK>, options?: QueryOptions<T> & { projection?: readonly string[] }): Paged<unknown> {
    return this.readMany(undefined, key as Record<string, unknown>, options);
  }

  /**
   * Every item of the table (or one segment of a parallel scan), optionally filtered and projected.
   *
   * @example
   * const inactive = await users.scan({ filter: (c) => c.eq('visits', 0) }).all();
   */
  scan(options?: ScanOptions<T>): Paged<T>;
  scan<const P extends readonly Names<T>[]>(options: ScanOptions<T> & WithProjection<P>): Paged<Projected<T, P>>;
  scan(options?: ScanOptions<T> & { projection?: readonly string[] }): Paged<unknown> {
    return this.readMany(undefined, undefined, options);
  }

  /**
   * A secondary index of the table, to query or scan. Its items are typed by its projection.
   *
   * @example
   * const open = await orders.index('byStatus').query({ status: 'OPEN' }).all();
   */
  index<N extends keyof Ix & string>(name: N): TableIndex<IndexItem<T, Ix[N], PK | SK>, T, Ix[N]> {
    const definition = memberOf(this.schema.indexes, name);
    if (definition === undefined) throw new TypeError(`The table has no index ${name}`);
    return new TableIndex(this as unknown as Table<object, string, string, Record<string, IndexInfo>>, definition);
  }

  /** The item as a transactWrite / batchWrite action. */
  putAction(item: T, options?: PutOptions<T>): WriteAction {
    const Item = this.encodeWhole(item);
    const put: NonNullable<WriteAction['transactItem']['Put']> = { TableName: this.tableName, Item };
    if (options?.condition !== undefined) {
      const cx = new ExpressionContext();
      put.ConditionExpression = renderCondition(options.condition, cx);
      cx.applyTo(put);
      return new WriteAction(this.operations, this.tableName, { Put: put }, undefined);
    }
    return new WriteAction(this.operations, this.tableName, { Put: put }, { PutRequest: { Item } });
  }

  /** A delete as a transactWrite / batchWrite action. */
  deleteAction(key: TableKey<T, PK, SK>, options?: WriteOptions<T>): WriteAction {
    const Key = this.encodeKey(key);
    const del: NonNullable<WriteAction['transactItem']['Delete']> = { TableName: this.tableName, Key };
    const conditional = this.applyWriteCondition(del, options, []);
    return new WriteAction(this.operations, this.tableName, { Delete: del }, conditional ? undefined : { DeleteRequest: { Key } });
  }

  /** A transactWrite action that only checks a condition on an item. */
  conditionCheck(key: TableKey<T, PK, SK>, condition: ConditionInput<T>): WriteAction {
    const cx = new ExpressionContext();
    const check = { TableName: this.tableName, Key: this.encodeKey(key), ConditionExpression: renderCondition(condition, cx) };
    return new WriteAction(this.operations, this.tableName, { ConditionCheck: cx.applyTo(check) }, undefined);
  }

  /**
   * An `update` as a transactWrite action: reads the item now and compiles the recipe's changes; the
   * transaction then fails if the item is gone. Rejects with a TypeError when no item has the key.
   */
  async updateAction(key: TableKey<T, PK, SK>, recipe: (draft: Draft<T>) => void | T, options?: WriteOptions<T>): Promise<WriteAction> {
    const request = await this.compileUpdate(key, recipe, options, true);
    if (request === undefined) throw new TypeError(`No item of ${this.tableName} has the key ${JSON.stringify(this.encodeKey(key))}`);
    if ('unchanged' in request) throw new TypeError('The update changes nothing');
    return new WriteAction(this.operations, this.tableName, { Update: request as typeof request & { UpdateExpression: string } }, undefined);
  }

  /** A read for transactGet / batchGet. */
  getAction(key: TableKey<T, PK, SK>, options?: ReadOptions): GetAction<T>;
  getAction<const P extends readonly Names<T>[]>(key: TableKey<T, PK, SK>, options: ReadOptions & WithProjection<P>): GetAction<Projected<T, P>>;
  getAction(key: TableKey<T, PK, SK>, options?: ReadOptions & { projection?: readonly string[] }): GetAction<unknown> {
    const projection = options?.projection;
    return new GetAction(
      this.operations,
      this.tableName,
      this.encodeKey(key),
      this.keyNames,
      projection,
      options?.consistent === true,
      projection === undefined ? (item: Item) => this.decode(item) : this.projectedDecoder(projection),
    );
  }

  /** Reads items by key (BatchGetItem), in the order of `keys`; undefined where absent. */
  async batchGet(keys: readonly TableKey<T, PK, SK>[], options?: ReadOptions): Promise<(T | undefined)[]> {
    return batchGet(keys.map((key) => this.getAction(key, options ?? {})));
  }

  /** Puts items (BatchWriteItem, 25 per request, unprocessed items re-sent); an item that cannot be stored rejects, sending nothing. */
  async batchPut(items: readonly T[]): Promise<void> {
    return batchWrite(items.map((item) => this.putAction(item)));
  }

  /** Deletes items by key (BatchWriteItem). */
  async batchDelete(keys: readonly TableKey<T, PK, SK>[]): Promise<void> {
    return batchWrite(keys.map((key) => this.deleteAction(key)));
  }

  /** @internal A query (with `key`) or scan of the table or an index. */
  readMany(index: IndexDefinition | undefined, key: Record<string, unknown> | undefined, options: ReadManyInput<T> | undefined): Paged<unknown> {
    const o = options ?? {};
    return new Paged(new ReadMany(this, index, key, o), o.startKey, o.pageSize, o.limit);
  }

  /** @internal Decodes a whole item. */
  decode(item: Item): T {
    return this.decodeWhole(item) as T;
  }

  /** @internal A decoder of projected items (sets absent from them read as empty only when projected). */
  projectedDecoder(projection: readonly string[]): (item: Item) => unknown {
    const { attributes, fillSets } = this.schema;
    const fill = fillSets.filter((name) => projection.includes(name));
    return (item) => decodeItem(item, attributes, fill);
  }

  private encodeKey(key: object): Key {
    return this.keyWriter(key);
  }


  /** Adds the user condition and the expected version to a write; whether it has any condition. */
  private applyWriteCondition(
    input: { ConditionExpression?: string },
    options: WriteOptions<T> | undefined,
    extra: readonly string[],
    cx = new ExpressionContext(),
  ): boolean {
    const parts = [...extra];
    if (options?.condition !== undefined) parts.push(renderCondition(options.condition, cx));
    if (options?.expectedVersion !== undefined) {
      const version = this.schema.version;
      if (version === undefined) throw new TypeError('expectedVersion needs a schema with a version attribute');
      parts.push(`${cx.name(version)} = ${cx.value(options.expectedVersion)}`);
    }
    if (parts.length === 0) return false;
    input.ConditionExpression = parts.length === 1 ? parts[0]! : parts.map((part) => `(${part})`).join(' AND ');
    cx.applyTo(input);
    return true;
  }

  /**
   * Reads the item, runs the recipe on an immer draft and compiles the difference. Undefined when no
   * item has the key; `{ unchanged }` when there is nothing to write.
   */
  private async compileUpdate(
    key: TableKey<T, PK, SK>,
    recipe: (draft: Draft<T>) => void | T,
    options: WriteOptions<T> | undefined,
    alwaysWrite = false,
  ): Promise<(UpdateItemInput & { UpdateExpression: string }) | { unchanged: T } | undefined> {
    const Key = this.encodeKey(key);
    const { Item } = await this.operations.getItem({ TableName: this.tableName, Key, ConsistentRead: true });
    if (Item === undefined) return undefined;
    const before = this.decode(Item) as Record<string, unknown>;
    const after = (await drafts()).produce(before, recipe as (draft: Record<string, unknown>) => void) as Record<string, unknown>;
    const cx = new ExpressionContext();
    const clauses = new UpdateClauses(cx);
    clauses.diffItem(before, after, this.keyNames, this.schema.attributes);
    if (clauses.empty && !alwaysWrite && this.schema.version === undefined) return { unchanged: after as T };
    const version = this.schema.version;
    if (version !== undefined && before[version] === after[version]) {
      const path = cx.name(version);
      clauses.set.push(`${path} = if_not_exists(${path}, ${cx.value(0)}) + ${cx.value(1)}`);
    }
    if (clauses.empty) return { unchanged: after as T };
    const input: UpdateItemInput & { UpdateExpression: string } = { TableName: this.tableName, Key, UpdateExpression: clauses.expression() };
    // The item must still exist: an update never recreates an item deleted since it was read.
    this.applyWriteCondition(input, options, [`attribute_exists(${cx.name(this.keyNames[0]!)})`], cx);
    return input;
  }
}

type ReadManyInput<T> = QueryOptions<T> & ScanOptions<T> & { projection?: readonly string[] };

/** One query or scan: builds its request once (per kind: items or count) and sends a page of it at a time. */
class ReadMany<T extends object> implements PageSource<unknown> {
  private items: (QueryInput & ScanInput) | undefined;
  private counts: (QueryInput & ScanInput) | undefined;
  private readonly decodeProjected: ((item: Item) => unknown) | undefined;

  constructor(
    private readonly table: Table<T, string, string, Record<string, IndexInfo>>,
    private readonly index: IndexDefinition | undefined,
    private readonly key: Record<string, unknown> | undefined,
    private readonly options: ReadManyInput<T>,
  ) {
    this.decodeProjected = options.projection === undefined ? undefined : table.projectedDecoder(options.projection);
  }

  fetch(startKey: Key | undefined, limit: number | undefined, countOnly: boolean): Promise<PageOutput> {
    const base = countOnly ? (this.counts ??= this.build(true)) : (this.items ??= this.build(false));
    // The built request as is for a first page without Limit (the common case); a copy otherwise.
    let input = base;
    if (startKey !== undefined || limit !== undefined) {
      input = { ...base };
      if (startKey !== undefined) input.ExclusiveStartKey = startKey;
      if (limit !== undefined) input.Limit = limit;
    }
    const operations = this.table.operations;
    return this.key === undefined ? operations.scan(input) : operations.query(input);
  }

  decodeAll(items: readonly Item[]): unknown[] {
    const out = new Array<unknown>(items.length);
    const projected = this.decodeProjected;
    if (projected !== undefined) {
      for (let i = 0; i < items.length; i++) out[i] = projected(items[i]!);
      return out;
    }
    const table = this.table;
    for (let i = 0; i < items.length; i++) out[i] = table.decode(items[i]!);
    return out;
  }

  private build(countOnly: boolean): QueryInput & ScanInput {
    const { table, index, key, options: o } = this;
    const cx = new ExpressionContext();
    const input: QueryInput & ScanInput = { TableName: table.tableName };
    if (index !== undefined) input.IndexName = index.name;
    if (key !== undefined) {
      const partition = index?.partitionKey ?? table.partitionKeyNames;
      const sort = index?.sortKey ?? table.sortKeyNames;
      input.KeyConditionExpression = keyCondition(key, partition, sort, cx);
    }
    if (o.filter !== undefined) input.FilterExpression = renderCondition(o.filter, cx);
    if (countOnly) input.Select = 'COUNT';
    else if (o.projection !== undefined) input.ProjectionExpression = o.projection.map((name) => cx.name(name)).join(', ');
    if (o.reverse) input.ScanIndexForward = false;
    if (o.consistent) input.ConsistentRead = true;
    if (o.segment !== undefined) input.Segment = o.segment;
    if (o.totalSegments !== undefined) input.TotalSegments = o.totalSegments;
    return cx.applyTo(input);
  }
}

const FIRST_EQUALITY = '#n0 = :v0';

/** The KeyConditionExpression of a query's key object. */
function keyCondition(key: Record<string, unknown>, partition: readonly string[], sort: readonly string[], cx: ExpressionContext): string {
  // Built as one string (no parts array): most queries have a single part.
  let expression = '';
  for (let i = 0; i < partition.length; i++) {
    const name = partition[i]!;
    const value = key[name];
    if (value === undefined) throw new TypeError(`The query needs a value for the partition key attribute ${name}`);
    const path = cx.name(name);
    const operand = cx.value(value);
    // The usual condition as a constant: the engine's parse cache then finds it without hashing a new string.
    const part = path === '#n0' && operand === ':v0' ? FIRST_EQUALITY : `${path} = ${operand}`;
    expression = i === 0 ? part : `${expression} AND ${part}`;
  }
  for (let i = 0; i < sort.length; i++) {
    const name = sort[i]!;
    const value = key[name];
    if (value === undefined) continue;
    const part = value instanceof SortKeyCondition ? value.render(cx.name(name), cx) : `${cx.name(name)} = ${cx.value(value)}`;
    expression = expression === '' ? part : `${expression} AND ${part}`;
  }
  return expression;
}

/**
 * A secondary index of a table: query and scan, items typed by the index's projection (`R`).
 *
 * @example
 * const shipped = orders.index('byStatus').query({ status: 'SHIPPED', total: sortKey.gt(100) }, { projection: ['id'] });
 */
export class TableIndex<R, T, I extends IndexInfo> {
  /** @internal */
  constructor(
    private readonly table: Table<object, string, string, Record<string, IndexInfo>>,
    readonly definition: IndexDefinition,
  ) {}

  /** The items of one index partition key, in index sort key order. */
  query(key: KeyQuery<R, I['pk'], I['sk']>, options?: QueryOptions<T>): Paged<R>;
  query<const P extends readonly Names<R>[]>(key: KeyQuery<R, I['pk'], I['sk']>, options: QueryOptions<T> & WithProjection<P>): Paged<Projected<R, P>>;
  query(key: KeyQuery<R, I['pk'], I['sk']>, options?: QueryOptions<T> & { projection?: readonly string[] }): Paged<unknown> {
    return this.table.readMany(this.definition, key as Record<string, unknown>, options as never);
  }

  /** Every item of the index. */
  scan(options?: ScanOptions<T>): Paged<R>;
  scan<const P extends readonly Names<R>[]>(options: ScanOptions<T> & WithProjection<P>): Paged<Projected<R, P>>;
  scan(options?: ScanOptions<T> & { projection?: readonly string[] }): Paged<unknown> {
    return this.table.readMany(this.definition, undefined, options as never);
  }
}
