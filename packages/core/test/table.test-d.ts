/**
 * Type tests of the Table API (vitest typecheck): inferred item and key types, the mistakes that must
 * not compile (wrong attribute names, wrong key types, wrong operand types), projections that narrow
 * the result, and a large schema (30 attributes, 5 indexes) that stays shallow.
 */
import { describe, expectTypeOf, test } from 'vitest';
import {
  Database,
  Decimal,
  Table,
  attr,
  defineTable,
  sortKey,
  transactGet,
  type ItemOf,
  type Page,
} from '../src/index.js';

const Users = defineTable({
  name: 'users',
  attributes: {
    id: attr.string(),
    name: attr.string(),
    visits: attr.number(),
    tags: attr.stringSet(),
    nickname: attr.string().optional(),
    balance: attr.bigint().optional(),
    exact: attr.decimal(),
    avatar: attr.binary().optional(),
    profile: attr.object({ city: attr.string(), zip: attr.string().optional() }).optional(),
    history: attr.list(attr.number()),
    rev: attr.number().optional(),
  },
  partitionKey: 'id',
  version: 'rev',
});

const Orders = defineTable({
  name: 'orders',
  attributes: {
    org: attr.string(),
    placedAt: attr.number(),
    status: attr.string<'OPEN' | 'SHIPPED'>(),
    total: attr.number(),
    note: attr.string().optional(),
  },
  partitionKey: 'org',
  sortKey: 'placedAt',
  indexes: {
    byStatus: { partitionKey: 'status', sortKey: 'total' },
    byTotal: { type: 'local', sortKey: 'total', projection: 'keys' },
    byNote: { partitionKey: 'note', projection: ['status'] },
  },
});

const db = new Database();
const users = new Table(Users, db);
const orders = new Table(Orders, db);

describe('inferred types', () => {
  test('the item type follows the schema', () => {
    expectTypeOf<ItemOf<typeof Users>>().toEqualTypeOf<{
      id: string;
      name: string;
      visits: number;
      tags: Set<string>;
      exact: Decimal;
      history: number[];
      nickname?: string;
      balance?: bigint;
      avatar?: Uint8Array;
      profile?: { city: string; zip?: string };
      rev?: number;
    }>();
    expectTypeOf<ItemOf<typeof Orders>['status']>().toEqualTypeOf<'OPEN' | 'SHIPPED'>();
  });

  test('an item type can be given instead', () => {
    interface Account {
      id: string;
      owner: string;
    }
    const Accounts = defineTable({ name: 'a', attributes: { id: attr.string(), owner: attr.string() }, partitionKey: 'id' }).withItemType<Account>();
    expectTypeOf<ItemOf<typeof Accounts>>().toEqualTypeOf<Account>();
  });

  test('keys must be scalar, required attributes of the schema', () => {
    // @ts-expect-error an optional attribute cannot be the partition key
    defineTable({ name: 't', attributes: { id: attr.string().optional() }, partitionKey: 'id' });
    // @ts-expect-error a list cannot be a key
    defineTable({ name: 't', attributes: { id: attr.list(attr.string()) }, partitionKey: 'id' });
    // @ts-expect-error no such attribute
    defineTable({ name: 't', attributes: { id: attr.string() }, partitionKey: 'pk' });
    // @ts-expect-error index keys must be attributes too
    defineTable({ name: 't', attributes: { id: attr.string() }, partitionKey: 'id', indexes: { byX: { partitionKey: 'x' } } });
    // @ts-expect-error the version attribute must be a number
    defineTable({ name: 't', attributes: { id: attr.string(), v: attr.string() }, partitionKey: 'id', version: 'v' });
  });
});

describe('keys', () => {
  test('get checks the key type', async () => {
    expectTypeOf(await users.get({ id: 'a' })).toEqualTypeOf<ItemOf<typeof Users> | undefined>();
    // @ts-expect-error wrong key type
    await users.get({ id: 1 });
    // @ts-expect-error wrong key name
    await users.get({ ID: 'a' });
    // @ts-expect-error the sort key is missing
    await orders.get({ org: 'a' });
    // @ts-expect-error the sort key is a number
    await orders.get({ org: 'a', placedAt: '1' });
    await orders.delete({ org: 'a', placedAt: 1 });
  });

  test('put checks the item', async () => {
    await orders.put({ org: 'a', placedAt: 1, status: 'OPEN', total: 1 });
    // @ts-expect-error a required attribute is missing
    await orders.put({ org: 'a', placedAt: 1, status: 'OPEN' });
    // @ts-expect-error not one of the status literals
    await orders.put({ org: 'a', placedAt: 1, status: 'LOST', total: 1 });
    // @ts-expect-error not an attribute of the schema
    await orders.put({ org: 'a', placedAt: 1, status: 'OPEN', total: 1, color: 'red' });
  });
});

describe('conditions and filters', () => {
  test('names and operand types are checked', async () => {
    await users.put({} as ItemOf<typeof Users>, { condition: (c) => c.and(c.eq('visits', 1), c.beginsWith('name', 'A'), c.contains('tags', 'x')) });
    // @ts-expect-error no such attribute
    await users.put({} as ItemOf<typeof Users>, { condition: (c) => c.eq('visitz', 1) });
    // @ts-expect-error a string operand for a number attribute
    await users.put({} as ItemOf<typeof Users>, { condition: (c) => c.gt('visits', '1') });
    // @ts-expect-error begins_with on a number attribute
    users.scan({ filter: (c) => c.beginsWith('visits', '1') });
    // @ts-expect-error a set of strings contains strings
    users.scan({ filter: (c) => c.contains('tags', 1) });
    // @ts-expect-error between takes the attribute's type
    users.scan({ filter: (c) => c.between('name', 1, 2) });
    // @ts-expect-error IN takes the attribute's type
    orders.scan({ filter: (c) => c.in('status', ['OPEN', 'GONE']) });
    users.scan({ filter: (c) => c.or(c.size('tags').gt(1), c.not(c.exists('nickname')), c.type('exact', 'N')) });
  });

  test('nested paths are typed step by step', () => {
    users.scan({ filter: (c) => c.and(c.at('profile', 'city').eq('Paris'), c.at('history', 0).gt(3), c.at('profile', 'zip').exists()) });
    // @ts-expect-error the city is a string
    users.scan({ filter: (c) => c.at('profile', 'city').eq(1) });
    // @ts-expect-error no such member
    users.scan({ filter: (c) => c.at('profile', 'town').exists() });
    // @ts-expect-error a list is indexed by numbers
    users.scan({ filter: (c) => c.at('history', 'first').exists() });
    // @ts-expect-error begins_with on a number element
    users.scan({ filter: (c) => c.at('history', 0).beginsWith('1') });
  });
});

describe('queries', () => {
  test('sort key conditions are typed by the sort key', () => {
    orders.query({ org: 'a', placedAt: sortKey.between(1, 2) });
    orders.query({ org: 'a', placedAt: 5 });
    // @ts-expect-error begins_with on a number sort key
    orders.query({ org: 'a', placedAt: sortKey.beginsWith('1') });
    // @ts-expect-error a string bound for a number sort key
    orders.query({ org: 'a', placedAt: sortKey.gt('1') });
    // @ts-expect-error the partition key is required
    orders.query({ placedAt: 5 });
    // @ts-expect-error a filter on an unknown attribute
    orders.query({ org: 'a' }, { filter: (c) => c.eq('colour', 'red') });
  });

  test('indexes: names, keys and projected types', async () => {
    const open = await orders.index('byStatus').query({ status: 'OPEN', total: sortKey.ge(10) }).all();
    expectTypeOf(open).toEqualTypeOf<ItemOf<typeof Orders>[]>();
    const keysOnly = await orders.index('byTotal').query({ org: 'a' }).all();
    expectTypeOf(keysOnly).toEqualTypeOf<{ org: string; placedAt: number; total: number }[]>();
    const included = await orders.index('byNote').query({ note: 'x' }).all();
    expectTypeOf(included).toEqualTypeOf<{ org: string; placedAt: number; status: 'OPEN' | 'SHIPPED'; note?: string }[]>();
    // @ts-expect-error no such index
    orders.index('byColour');
    // @ts-expect-error the index's partition key is status
    orders.index('byStatus').query({ org: 'a' });
    // @ts-expect-error status is one of the literals
    orders.index('byStatus').query({ status: 'LOST' });
  });

  test('projections narrow the result', async () => {
    expectTypeOf(await users.get({ id: 'a' }, { projection: ['name', 'nickname'] })).toEqualTypeOf<{ name: string; nickname?: string } | undefined>();
    const page = await orders.query({ org: 'a' }, { projection: ['total'] }).page();
    expectTypeOf(page).toEqualTypeOf<Page<{ total: number }>>();
    for await (const item of users.scan({ projection: ['visits'] })) expectTypeOf(item).toEqualTypeOf<{ visits: number }>();
    // @ts-expect-error not an attribute
    await users.get({ id: 'a' }, { projection: ['nope'] });
    const [user, order] = await transactGet([users.getAction({ id: 'a' }, { projection: ['name'] }), orders.getAction({ org: 'a', placedAt: 1 })]);
    expectTypeOf(user).toEqualTypeOf<{ name: string } | undefined>();
    expectTypeOf(order).toEqualTypeOf<ItemOf<typeof Orders> | undefined>();
  });
});

describe('updates', () => {
  test('the draft is typed', async () => {
    await users.update({ id: 'a' }, (u) => {
      u.visits += 1;
      u.tags.add('x');
      delete u.nickname;
      u.history.push(3);
      if (u.profile) u.profile.city = 'Paris';
      // @ts-expect-error visits is a number
      u.visits = 'many';
      // @ts-expect-error a set of strings
      u.tags.add(1);
      // @ts-expect-error no such attribute
      u.visitz = 1;
    });
    await users.update({ id: 'a' }, () => undefined, { expectedVersion: 2 });
    // @ts-expect-error the expected version is a number
    await users.update({ id: 'a' }, () => undefined, { expectedVersion: '2' });
  });
});

// 30 attributes and 5 indexes: the types must stay shallow (no "excessively deep" error).
const Wide = defineTable({
  name: 'wide',
  attributes: {
    pk: attr.string(),
    sk: attr.number(),
    a01: attr.string(),
    a02: attr.number(),
    a03: attr.boolean(),
    a04: attr.stringSet(),
    a05: attr.list(attr.string()),
    a06: attr.map(attr.number()),
    a07: attr.object({ x: attr.string(), y: attr.object({ z: attr.number() }) }),
    a08: attr.string().optional(),
    a09: attr.number().optional(),
    a10: attr.bigint(),
    a11: attr.decimal().optional(),
    a12: attr.binary(),
    a13: attr.numberSet(),
    a14: attr.binarySet().optional(),
    a15: attr.string<'A' | 'B' | 'C'>(),
    a16: attr.string(),
    a17: attr.number(),
    a18: attr.string().optional(),
    a19: attr.number().optional(),
    a20: attr.string(),
    a21: attr.number(),
    a22: attr.boolean().optional(),
    a23: attr.null().optional(),
    a24: attr.list(attr.object({ k: attr.string(), v: attr.number() })),
    a25: attr.string(),
    a26: attr.number(),
    a27: attr.string().optional(),
    a28: attr.numeric(),
  },
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: {
    i1: { partitionKey: 'a01', sortKey: 'a02' },
    i2: { partitionKey: ['a15', 'a16'], sortKey: ['a17', 'a20', 'a21'], projection: ['a25'] },
    i3: { type: 'local', sortKey: 'a26', projection: 'keys' },
    i4: { partitionKey: 'a08', projection: 'keys' },
    i5: { partitionKey: 'a12', sortKey: 'a10' },
  },
});

describe('a wide schema', () => {
  test('30 attributes and 5 indexes type-check', async () => {
    const wide = new Table(Wide, db);
    const item = await wide.get({ pk: 'p', sk: 1 });
    expectTypeOf(item).toEqualTypeOf<ItemOf<typeof Wide> | undefined>();
    expectTypeOf<ItemOf<typeof Wide>['a07']['y']['z']>().toEqualTypeOf<number>();
    const i2 = await wide.index('i2').query({ a15: 'A', a16: 'x', a17: 1, a20: sortKey.beginsWith('q') }).all();
    expectTypeOf(i2).toEqualTypeOf<{ pk: string; sk: number; a15: 'A' | 'B' | 'C'; a16: string; a17: number; a20: string; a21: number; a25: string }[]>();
    await wide.index('i5').query({ a12: new Uint8Array(), a10: sortKey.gt(5n) }).count();
    await wide.index('i3').query({ pk: 'p', a26: sortKey.le(3) }, { projection: ['a26'] }).all();
    await wide.update({ pk: 'p', sk: 1 }, (w) => {
      w.a07.y.z += 1;
      w.a24.push({ k: 'k', v: 1 });
      w.a13.add(3);
    });
    await wide.put(item!, { condition: (c) => c.and(c.eq('a15', 'B'), c.gt('a10', 5n), c.contains('a24', { k: 'k', v: 1 })) });
    // @ts-expect-error the i4 index partition key is a08, a string
    wide.index('i4').query({ a08: 5 });
  });
});

describe('ItemOf', () => {
  test('reads the item type of a schema or a table', () => {
    expectTypeOf<ItemOf<typeof users>>().toEqualTypeOf<ItemOf<typeof Users>>();
  });
});
