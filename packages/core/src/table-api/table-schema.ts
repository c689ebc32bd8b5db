import type { AttributeSchemas, InferItem } from './attribute-schema.js';
import type { Decimal } from './decimal.js';
import { requiredSetsOf } from './marshall.js';

/** JS types a key attribute may have (DynamoDB key types S, N and B). */
export type KeyScalar = string | number | bigint | Decimal | Uint8Array;

/** Attributes that can be a table's key: scalar and required. */
export type TableKeyNames<A extends AttributeSchemas> = {
  [K in keyof A]: A[K]['_optional'] extends true ? never : A[K]['_type'] extends KeyScalar ? K : never;
}[keyof A] &
  string;

/** Attributes that can be an index key: scalar (they may be absent: the index is then sparse). */
export type IndexKeyNames<A extends AttributeSchemas> = { [K in keyof A]: A[K]['_type'] extends KeyScalar ? K : never }[keyof A] & string;

/** Number attributes (for the optimistic-lock version). */
export type NumberNames<A extends AttributeSchemas> = { [K in keyof A]: A[K]['_type'] extends number ? K : never }[keyof A] & string;

/** Which attributes an index holds besides its keys and the table's: all, only keys, or the names listed. */
export type IndexProjectionInput<N extends string> = 'all' | 'keys' | readonly N[];

/** A global secondary index: its partition key and optional sort key, each one attribute or up to four. */
export interface GlobalIndexInput<N extends string> {
  type?: 'global';
  partitionKey: N | readonly N[];
  sortKey?: N | readonly N[];
  /** Default `'all'`. */
  projection?: IndexProjectionInput<string>;
}

/** A local secondary index: the table's partition key with another sort key. */
export interface LocalIndexInput<N extends string> {
  type: 'local';
  sortKey: N;
  /** Default `'all'`. */
  projection?: IndexProjectionInput<string>;
}

export type IndexInput<N extends string> = GlobalIndexInput<N> | LocalIndexInput<N>;

/** What the types know of an index: its key attribute names, and what it projects. */
export interface IndexInfo {
  pk: string;
  sk: string;
  /** Whether every attribute is projected (`'all'`). */
  all: boolean;
  /** Non-key attributes projected (`INCLUDE`). */
  include: string;
}

type Names<K> = K extends readonly (infer E)[] ? E : K;

type InfoOf<X, PK extends string> = {
  pk: X extends { type: 'local' } ? PK : X extends { partitionKey: infer P } ? Names<P> & string : never;
  sk: X extends { sortKey: infer S } ? Names<S> & string : never;
  all: X extends { projection: 'keys' | readonly unknown[] } ? false : true;
  include: X extends { projection: readonly (infer E)[] } ? E & string : never;
};

export type IndexInfos<I, PK extends string> = { [N in keyof I & string]: InfoOf<I[N], PK> };

/** The run-time definition of an index. */
export interface IndexDefinition {
  name: string;
  type: 'global' | 'local';
  partitionKey: readonly string[];
  sortKey: readonly string[];
  projection: IndexProjectionInput<string>;
}

/** What `defineTable` takes. */
export interface TableDefinition<A extends AttributeSchemas, PK extends string, SK extends string, I> {
  /** The DynamoDB table name. */
  name: string;
  attributes: A;
  partitionKey: PK;
  sortKey?: SK;
  indexes?: I;
  /**
   * A number attribute used for optimistic locking: every `update` increments it, and
   * `update(key, recipe, { expectedVersion })` fails with ConditionalCheckFailedException unless it matches.
   */
  version?: NumberNames<A>;
}

type KeyElement = { AttributeName: string; KeyType: 'HASH' | 'RANGE' };
type Throughput = { ReadCapacityUnits: number; WriteCapacityUnits: number };
type Projection = { ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] };

/**
 * A CreateTable request made from a schema: fits both `db.createTable` and the SDK's `CreateTableCommand`
 * (mutable arrays, no members either one lacks).
 */
export type CreateTableRequest = {
  TableName: string;
  KeySchema: KeyElement[];
  AttributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  BillingMode?: 'PAY_PER_REQUEST';
  ProvisionedThroughput?: Throughput;
  GlobalSecondaryIndexes?: { IndexName: string; KeySchema: KeyElement[]; Projection: Projection; ProvisionedThroughput?: Throughput }[];
  LocalSecondaryIndexes?: { IndexName: string; KeySchema: KeyElement[]; Projection: Projection }[];
};

/** Options of `createTableInput`. */
export interface CreateTableOptions {
  /** Provisioned throughput for the table and every GSI; default: on-demand (PAY_PER_REQUEST). */
  provisioned?: { read: number; write: number };
  /** Another table name than the schema's (e.g. per test). */
  tableName?: string;
}

/**
 * A table's schema: name, attributes, keys and indexes, and (as phantom types) its item type `T`,
 * key names and index infos. Made by `defineTable`; bound to a backend by `new Table(schema, operations)`.
 */
export class TableSchema<T extends object, PK extends string, SK extends string, Ix extends Record<string, IndexInfo>> {
  declare readonly _item: T;
  declare readonly _indexes: Ix;
  /** The required set attributes: read as empty Sets when absent. */
  readonly fillSets: readonly string[];

  constructor(
    readonly name: string,
    readonly attributes: AttributeSchemas,
    readonly partitionKey: PK,
    readonly sortKey: SK | undefined,
    readonly indexes: Readonly<Record<string, IndexDefinition>>,
    readonly version: string | undefined,
  ) {
    this.fillSets = requiredSetsOf(attributes);
  }

  /** The same schema with a given item type (e.g. an existing interface) instead of the inferred one. */
  withItemType<U extends Pick<T, (PK | SK) & keyof T>>(): TableSchema<U, PK, SK, Ix> {
    return this as unknown as TableSchema<U, PK, SK, Ix>;
  }

  /**
   * The CreateTable request for this schema: key schema, attribute definitions of every key attribute,
   * GSIs and LSIs (projection ALL unless said otherwise), on-demand unless `provisioned` is given.
   *
   * @example
   * await db.createTable(Users.createTableInput({ tableName: 'users-staging' }));
   * await client.send(new CreateTableCommand(Users.createTableInput({ tableName: 'users-archive', provisioned: { read: 5, write: 5 } })));
   */
  createTableInput(options: CreateTableOptions = {}): CreateTableRequest {
    const definitions = new Map<string, CreateTableRequest['AttributeDefinitions'][number]>();
    const keyElement = (name: string, KeyType: 'HASH' | 'RANGE'): KeyElement => {
      definitions.set(name, { AttributeName: name, AttributeType: scalarTypeOf(this.attributes, name) });
      return { AttributeName: name, KeyType };
    };
    const KeySchema = [keyElement(this.partitionKey, 'HASH')];
    if (this.sortKey !== undefined) KeySchema.push(keyElement(this.sortKey, 'RANGE'));
    const throughput = options.provisioned && {
      ReadCapacityUnits: options.provisioned.read,
      WriteCapacityUnits: options.provisioned.write,
    };
    const input: CreateTableRequest = {
      TableName: options.tableName ?? this.name,
      KeySchema,
      AttributeDefinitions: [],
      ...(throughput ? { ProvisionedThroughput: throughput } : { BillingMode: 'PAY_PER_REQUEST' as const }),
    };
    const globals: NonNullable<CreateTableRequest['GlobalSecondaryIndexes']> = [];
    const locals: NonNullable<CreateTableRequest['LocalSecondaryIndexes']> = [];
    for (const index of Object.values(this.indexes)) {
      const keySchema = [
        ...index.partitionKey.map((name) => keyElement(name, 'HASH')),
        ...index.sortKey.map((name) => keyElement(name, 'RANGE')),
      ];
      const Projection: Projection =
        index.projection === 'all'
          ? { ProjectionType: 'ALL' as const }
          : index.projection === 'keys'
            ? { ProjectionType: 'KEYS_ONLY' as const }
            : { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.projection] };
      if (index.type === 'local') locals.push({ IndexName: index.name, KeySchema: keySchema, Projection });
      else globals.push({ IndexName: index.name, KeySchema: keySchema, Projection, ...(throughput ? { ProvisionedThroughput: throughput } : {}) });
    }
    input.AttributeDefinitions = [...definitions.values()];
    if (globals.length > 0) input.GlobalSecondaryIndexes = globals;
    if (locals.length > 0) input.LocalSecondaryIndexes = locals;
    return input;
  }
}

function scalarTypeOf(attributes: AttributeSchemas, name: string): 'S' | 'N' | 'B' {
  switch (attributes[name]?.kind) {
    case 'string':
      return 'S';
    case 'number':
    case 'bigint':
    case 'decimal':
    case 'numeric':
      return 'N';
    case 'binary':
      return 'B';
    case undefined:
      throw new TypeError(`Key attribute ${name} is not in the schema's attributes`);
    default:
      throw new TypeError(`Key attribute ${name} must be a string, number or binary attribute`);
  }
}

const asList = (names: string | readonly string[] | undefined): readonly string[] =>
  names === undefined ? [] : typeof names === 'string' ? [names] : names;

/**
 * Defines a table: its name, attributes (`attr.*`), partition and optional sort key, and secondary
 * indexes. Item, key and index types are inferred; no decorators, no key prefixes.
 *
 * @example
 * const Orders = defineTable({
 *   name: 'orders',
 *   attributes: { org: attr.string(), id: attr.string(), status: attr.string<'OPEN' | 'SHIPPED'>(), total: attr.number() },
 *   partitionKey: 'org',
 *   sortKey: 'id',
 *   indexes: { byStatus: { partitionKey: 'status', sortKey: 'total' } },
 * });
 * type Order = ItemOf<typeof Orders>; // { org: string; id: string; status: 'OPEN' | 'SHIPPED'; total: number }
 */
export function defineTable<
  const A extends AttributeSchemas,
  const PK extends TableKeyNames<A>,
  const SK extends TableKeyNames<A> = never,
  const I extends Readonly<Record<string, IndexInput<IndexKeyNames<A>>>> = {},
>(definition: TableDefinition<A, PK, SK, I>): TableSchema<InferItem<A>, PK, SK, IndexInfos<I, PK>> {
  const { name, attributes, partitionKey, sortKey } = definition;
  for (const key of [partitionKey, sortKey]) {
    if (key === undefined) continue;
    scalarTypeOf(attributes, key);
    if (attributes[key]!.isOptional) throw new TypeError(`Key attribute ${key} cannot be optional`);
  }
  const indexes: Record<string, IndexDefinition> = {};
  for (const [indexName, input] of Object.entries((definition.indexes ?? {}) as Record<string, IndexInput<string>>)) {
    const local = input.type === 'local';
    const index: IndexDefinition = {
      name: indexName,
      type: local ? 'local' : 'global',
      partitionKey: local ? [partitionKey] : asList((input as GlobalIndexInput<string>).partitionKey),
      sortKey: asList(input.sortKey),
      projection: input.projection ?? 'all',
    };
    for (const key of [...index.partitionKey, ...index.sortKey]) scalarTypeOf(attributes, key);
    indexes[indexName] = index;
  }
  if (definition.version !== undefined && attributes[definition.version]?.kind !== 'number') {
    throw new TypeError(`The version attribute ${definition.version} must be a number attribute`);
  }
  return new TableSchema(name, attributes, partitionKey, sortKey, indexes, definition.version);
}

/** The item type of a table schema (or a Table). */
export type ItemOf<S extends { _item: object }> = S['_item'];
