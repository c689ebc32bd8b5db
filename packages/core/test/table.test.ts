/**
 * The typed Table API, run twice: directly on the engine (`Database`) and through an AWS SDK v3
 * DynamoDBClient served by `createRequestHandler` — the code path a real DynamoDB endpoint takes.
 */
import * as dynamodb from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  Database,
  Decimal,
  Table,
  attr,
  batchGet,
  batchWrite,
  defineTable,
  sdkOperations,
  sortKey,
  transactGet,
  transactWrite,
  type TableOperations,
} from '../src/index.js';
import { sdkClient, sdkClients, serverAvailable } from './support/sdk.js';

const Users = defineTable({
  name: 'users',
  attributes: {
    id: attr.string(),
    name: attr.string(),
    visits: attr.number(),
    tags: attr.stringSet(),
    scores: attr.numberSet(),
    nickname: attr.string().optional(),
    profile: attr.object({ city: attr.string(), langs: attr.list(attr.string()), pets: attr.stringSet() }).optional(),
    history: attr.list(attr.object({ at: attr.number(), what: attr.string() })).optional(),
    balance: attr.bigint().optional(),
    exact: attr.decimal().optional(),
    avatar: attr.binary().optional(),
    active: attr.boolean().optional(),
    nothing: attr.null().optional(),
    extra: attr.map(attr.number()).optional(),
    rev: attr.number().optional(),
  },
  partitionKey: 'id',
  version: 'rev',
});

const Orders = defineTable({
  name: 'orders',
  attributes: {
    org: attr.string(),
    id: attr.string(),
    status: attr.string<'OPEN' | 'SHIPPED' | 'CANCELLED'>(),
    placedAt: attr.number(),
    total: attr.number(),
    note: attr.string().optional(),
  },
  partitionKey: 'org',
  sortKey: 'id',
  indexes: {
    byStatus: { partitionKey: 'status', sortKey: 'placedAt' },
    byTotal: { type: 'local', sortKey: 'total', projection: 'keys' },
    byOrgStatus: { partitionKey: ['org', 'status'], sortKey: ['placedAt', 'id'], projection: ['total'] },
  },
});

/** The operations, recording every request (to check the expressions sent). */
function recording(operations: TableOperations): { operations: TableOperations; calls: { op: string; input: Record<string, unknown> }[] } {
  const calls: { op: string; input: Record<string, unknown> }[] = [];
  const wrapped = {} as Record<string, unknown>;
  for (const op of Object.keys(sdkOperations({ send: async () => ({}) }, dynamodb))) {
    wrapped[op] = (input: Record<string, unknown>) => {
      calls.push({ op, input });
      return (operations as unknown as Record<string, (input: unknown) => Promise<unknown>>)[op]!(input);
    };
  }
  return { operations: wrapped as unknown as TableOperations, calls };
}

/** Where the Table API runs: the engine itself, or an SDK DynamoDBClient in-process or over HTTP (SigV4). */
const BACKENDS = ['engine', 'SDK client (in-process)', 'SDK client (HTTP)'] as const;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  return error as Error;
}

const ada = () => ({
  id: 'ada',
  name: 'Ada',
  visits: 1,
  tags: new Set(['math']),
  scores: new Set([1, 2.5]),
  profile: { city: 'London', langs: ['en'], pets: new Set(['cat']) },
  history: [{ at: 1, what: 'born' }],
});

for (const backend of BACKENDS) describe.skipIf(backend === 'SDK client (HTTP)' && !serverAvailable)(`Table API on the ${backend}`, () => {
  const overHttp = backend === 'SDK client (HTTP)' ? sdkClients('http') : undefined;
  let db: Database;
  let calls: { op: string; input: Record<string, unknown> }[];
  let users: Table<typeof Users._item, 'id', never, {}>;
  let orders: Table<typeof Orders._item, 'org', 'id', typeof Orders._indexes>;

  beforeEach(async () => {
    let operations: TableOperations;
    if (backend === 'engine') {
      db = new Database();
      operations = db;
    } else {
      const made = overHttp ? await overHttp() : sdkClient();
      db = made.db;
      operations = sdkOperations(made.client, dynamodb);
    }
    const recorded = recording(operations);
    calls = recorded.calls;
    await db.createTable(Users.createTableInput());
    await db.createTable(Orders.createTableInput());
    users = new Table(Users, recorded.operations);
    orders = new Table(Orders, recorded.operations);
  });

  const lastInput = () => calls[calls.length - 1]!.input;

  describe('values', () => {
    it('round-trips every native type', async () => {
      const item = {
        ...ada(),
        nickname: 'Countess',
        balance: 2n ** 100n,
        exact: new Decimal('0.1000000000000000000000000000000000001'),
        avatar: new Uint8Array([0, 1, 255]),
        active: false,
        nothing: null,
        extra: { a: 1, b: -2.5 },
      };
      await users.put(item);
      const stored = (await db.getItem({ TableName: 'users', Key: { id: { S: 'ada' } } })).Item!;
      expect(stored.balance).toEqual({ N: '1267650600228229401496703205376' });
      expect(stored.scores).toEqual({ NS: expect.arrayContaining(['1', '2.5']) });
      expect(stored.nothing).toEqual({ NULL: true });
      const got = await users.get({ id: 'ada' });
      expect(got).toEqual(item);
      expect(got!.exact!.text).toBe('0.1000000000000000000000000000000000001');
    });

    it('reads an absent required set as an empty Set and leaves an empty Set out', async () => {
      await users.put({ id: 'bob', name: 'Bob', visits: 0, tags: new Set(), scores: new Set() });
      const stored = (await db.getItem({ TableName: 'users', Key: { id: { S: 'bob' } } })).Item!;
      expect(Object.keys(stored).sort()).toEqual(['id', 'name', 'visits']);
      const bob = await users.get({ id: 'bob' });
      expect(bob!.tags).toEqual(new Set());
      expect(bob!.scores).toEqual(new Set());
    });

    it('reads Numbers as number, bigint or Decimal by the rule, an inexact one in attr.number() too', async () => {
      await db.putItem({
        TableName: 'users',
        Item: {
          id: { S: 'n' },
          name: { S: 'n' },
          visits: { N: '1e2' },
          extra: { M: { safe: { N: '9007199254740991' }, tiny: { N: '0.0000001' } } },
          other: { L: [{ N: '9007199254740993' }, { N: '1.5' }, { N: '3.14159265358979323846264338327950288' }, { N: '-0.1' }] },
        },
      });
      const item = (await users.get({ id: 'n' })) as Record<string, unknown>;
      expect(item.visits).toBe(100);
      expect(item.extra).toEqual({ safe: 9007199254740991, tiny: 1e-7 });
      expect(item.other).toEqual([9007199254740993n, 1.5, new Decimal('3.14159265358979323846264338327950288'), -0.1]);
      await db.putItem({ TableName: 'users', Item: { id: { S: 'big' }, name: { S: 'b' }, visits: { N: '12345678901234567890' } } });
      // Another client's Number that no JS number holds exactly reads as numeric() reads it, never a RangeError.
      expect(((await users.get({ id: 'big' })) as Record<string, unknown>).visits).toBe(12345678901234567890n);
    });

    it('projections return only the attributes named', async () => {
      await users.put(ada());
      const got = await users.get({ id: 'ada' }, { projection: ['name', 'tags'] });
      expect(got).toEqual({ name: 'Ada', tags: new Set(['math']) });
      expect(lastInput().ProjectionExpression).toBe('#n0, #n1');
      expect(await users.get({ id: 'nobody' })).toBeUndefined();
    });
  });

  describe('put and delete', () => {
    it('puts with a typed condition, failing as DynamoDB does', async () => {
      await users.put(ada(), { condition: (c) => c.notExists('id') });
      const error = await rejection(users.put(ada(), { condition: (c) => c.notExists('id') }));
      expect(error.name).toBe('ConditionalCheckFailedException');
      expect(error.message).toBe('The conditional request failed');
      await users.put({ ...ada(), visits: 9 }, { condition: (c) => c.and(c.eq('visits', 1), c.contains('tags', 'math'), c.size('tags').ge(1)) });
      expect((await users.get({ id: 'ada' }))!.visits).toBe(9);
      expect(lastInput().ConditionExpression).toBeUndefined();
    });

    it('renders every condition operator with placeholders', async () => {
      await users.put(ada());
      await users.put(
        { ...ada(), visits: 2 },
        {
          condition: (c) =>
            c.or(
              c.not(c.exists('nickname')),
              c.and(c.between('visits', 0, 5), c.in('name', ['Ada', 'Bob']), c.beginsWith('name', 'A'), c.type('tags', 'SS'), c.ne('visits', 7)),
            ),
        },
      );
      expect(calls[calls.length - 1]!.input.ConditionExpression).toBe(
        '(NOT (attribute_exists(#n0))) OR ((#n1 BETWEEN :v0 AND :v1) AND (#n2 IN (:v2, :v3)) AND (begins_with(#n2, :v4)) AND (attribute_type(#n3, :v5)) AND (#n1 <> :v6))',
      );
      expect(calls[calls.length - 1]!.input.ExpressionAttributeNames).toEqual({ '#n0': 'nickname', '#n1': 'visits', '#n2': 'name', '#n3': 'tags' });
    });

    it('conditions on nested paths: map members and list elements', async () => {
      await users.put(ada());
      const refused = await rejection(users.delete({ id: 'ada' }, { condition: (c) => c.at('profile', 'city').eq('Paris') }));
      expect(refused.name).toBe('ConditionalCheckFailedException');
      await users.put(
        { ...ada(), visits: 5 },
        {
          condition: (c) =>
            c.and(
              c.at('profile', 'city').beginsWith('Lon'),
              c.at('profile', 'langs', 0).eq('en'),
              c.at('history', 0, 'what').in(['born', 'died']),
              c.at('profile', 'pets').contains('cat'),
              c.at('history').size().eq(1),
              c.at('history', 1).notExists(),
            ),
        },
      );
      expect(lastInput().ConditionExpression).toBe(
        '(begins_with(#n0.#n1, :v0)) AND (#n0.#n2[0] = :v1) AND (#n3[0].#n4 IN (:v2, :v3)) AND (contains(#n0.#n5, :v4)) AND (size(#n3) = :v5) AND (attribute_not_exists(#n3[1]))',
      );
      expect((await users.get({ id: 'ada' }))!.visits).toBe(5);
    });

    it('deletes, returning the old item, with a condition', async () => {
      await users.put(ada());
      const error = await rejection(users.delete({ id: 'ada' }, { condition: (c) => c.gt('visits', 5) }));
      expect(error.name).toBe('ConditionalCheckFailedException');
      expect(await users.delete({ id: 'ada' })).toEqual(ada());
      expect(await users.delete({ id: 'ada' })).toBeUndefined();
    });
  });

  describe('update through a draft', () => {
    it('compiles changes to a minimal UpdateExpression and returns the new item', async () => {
      await users.put({ ...ada(), nickname: 'C' });
      const updated = await users.update({ id: 'ada' }, (u) => {
        u.visits += 2;
        u.tags.add('poetry');
        delete u.nickname;
        u.profile!.city = 'Paris';
        u.profile!.langs.push('fr');
        u.history![0]!.what = 'b.';
      });
      const update = calls.find((call) => call.op === 'updateItem')!.input;
      expect(update.UpdateExpression).toBe(
        'SET #n0 = #n0 + :v0, #n2.#n3 = :v2, #n2.#n4 = list_append(#n2.#n4, :v3), #n5[0].#n6 = :v4, #n8 = if_not_exists(#n8, :v5) + :v6 REMOVE #n7 ADD #n1 :v1',
      );
      expect(update.ConditionExpression).toBe('attribute_exists(#n9)');
      expect(update.ExpressionAttributeNames).toEqual({
        '#n0': 'visits',
        '#n1': 'tags',
        '#n2': 'profile',
        '#n3': 'city',
        '#n4': 'langs',
        '#n5': 'history',
        '#n6': 'what',
        '#n7': 'nickname',
        '#n8': 'rev',
        '#n9': 'id',
      });
      const expected = {
        ...ada(),
        visits: 3,
        tags: new Set(['math', 'poetry']),
        profile: { city: 'Paris', langs: ['en', 'fr'], pets: new Set(['cat']) },
        history: [{ at: 1, what: 'b.' }],
        rev: 1,
      };
      expect(updated).toEqual(expected);
      expect(await users.get({ id: 'ada' })).toEqual(expected);
    });

    it('deletes set members, replaces sets, empties them, and rewrites shrunk lists', async () => {
      await users.put({ ...ada(), tags: new Set(['a', 'b', 'c']), scores: new Set([1, 2]), history: [{ at: 1, what: 'x' }, { at: 2, what: 'y' }] });
      await users.update({ id: 'ada' }, (u) => {
        u.tags.delete('b');
        u.scores.clear();
        u.profile!.pets.add('dog');
        u.history!.splice(0, 1);
      });
      const update = calls.find((call) => call.op === 'updateItem')!.input;
      expect(update.UpdateExpression).toMatch(/REMOVE #n\d+ DELETE #n\d+ :v\d+$/);
      const got = await users.get({ id: 'ada' });
      expect(got!.tags).toEqual(new Set(['a', 'c']));
      expect(got!.scores).toEqual(new Set());
      expect(got!.profile!.pets).toEqual(new Set(['cat', 'dog']));
      expect(got!.history).toEqual([{ at: 2, what: 'y' }]);
    });

    it('applies concurrent counter increments atomically', async () => {
      await users.put(ada());
      await Promise.all(Array.from({ length: 5 }, () => users.update({ id: 'ada' }, (u) => void (u.visits += 1))));
      const got = await users.get({ id: 'ada' });
      expect(got!.visits).toBe(6);
      expect(got!.rev).toBe(5);
    });

    it('checks the expected version (optimistic locking)', async () => {
      await users.put({ ...ada(), rev: 3 });
      const stale = await rejection(users.update({ id: 'ada' }, (u) => void (u.name = 'X'), { expectedVersion: 2 }));
      expect(stale.name).toBe('ConditionalCheckFailedException');
      const ok = await users.update({ id: 'ada' }, (u) => void (u.name = 'Y'), { expectedVersion: 3, condition: (c) => c.eq('name', 'Ada') });
      expect(ok!.rev).toBe(4);
      const sent = calls[calls.length - 1]!.input;
      expect(sent.UpdateExpression).toBe('SET #n0 = :v0, #n1 = if_not_exists(#n1, :v1) + :v2');
      expect(sent.ConditionExpression).toBe('(attribute_exists(#n2)) AND (#n0 = :v3) AND (#n1 = :v4)');
      expect(sent.ExpressionAttributeValues).toEqual({ ':v0': { S: 'Y' }, ':v1': { N: '0' }, ':v2': { N: '1' }, ':v3': { S: 'Ada' }, ':v4': { N: '3' } });
    });

    it('answers undefined and writes nothing when no item has the key', async () => {
      expect(await users.update({ id: 'ghost' }, (u) => void (u.visits += 1))).toBeUndefined();
      expect(calls.map((call) => call.op)).toEqual(['getItem']);
      expect(await users.get({ id: 'ghost' })).toBeUndefined();
    });

    it('accepts a recipe that returns a replacement item, and refuses to change a key', async () => {
      await orders.put({ org: 'acme', id: 'o1', status: 'OPEN', placedAt: 1, total: 10, note: 'n' });
      const next = await orders.update({ org: 'acme', id: 'o1' }, (o) => ({ org: o.org, id: o.id, status: 'SHIPPED', placedAt: 1, total: 10 }));
      expect(next).toEqual({ org: 'acme', id: 'o1', status: 'SHIPPED', placedAt: 1, total: 10 });
      expect(calls[calls.length - 1]!.input.UpdateExpression).toBe('SET #n0 = :v0 REMOVE #n1');
      const error = await rejection(orders.update({ org: 'acme', id: 'o1' }, (o) => void (o.id = 'o2')));
      expect(error.name).toBe('ValidationException');
      expect(error.message).toContain('This attribute is part of the key');
    });

    it('writes nothing when the recipe changes nothing (no version attribute)', async () => {
      await orders.put({ org: 'acme', id: 'o1', status: 'OPEN', placedAt: 1, total: 10 });
      const same = await orders.update({ org: 'acme', id: 'o1' }, (o) => void (o.total = 10));
      expect(same!.total).toBe(10);
      expect(calls.filter((call) => call.op === 'updateItem')).toHaveLength(0);
    });
  });

  describe('query and scan', () => {
    const statuses = ['OPEN', 'SHIPPED', 'CANCELLED'] as const;
    const data = Array.from({ length: 30 }, (_, i) => ({
      org: i % 2 === 0 ? 'acme' : 'globex',
      id: `o${String(i).padStart(2, '0')}`,
      status: statuses[i % 3]!,
      placedAt: 1000 + i,
      total: (i * 7) % 50,
    }));
    beforeEach(async () => {
      await orders.batchPut(data);
    });

    it('queries a partition with sort key conditions, in order or reversed', async () => {
      const ids = async (q: AsyncIterable<{ id: string }>) => {
        const out: string[] = [];
        for await (const item of q) out.push(item.id);
        return out;
      };
      expect(await ids(orders.query({ org: 'acme', id: sortKey.beginsWith('o0') }))).toEqual(['o00', 'o02', 'o04', 'o06', 'o08']);
      expect(await ids(orders.query({ org: 'acme', id: sortKey.between('o10', 'o14') }, { reverse: true }))).toEqual(['o14', 'o12', 'o10']);
      expect(await ids(orders.query({ org: 'globex', id: sortKey.gt('o25') }))).toEqual(['o27', 'o29']);
      expect(await ids(orders.query({ org: 'globex', id: 'o27' }))).toEqual(['o27']);
      expect(lastInput().KeyConditionExpression).toBe('#n0 = :v0 AND #n1 = :v1');
    });

    it('filters, projects, pages and counts', async () => {
      const q = orders.query({ org: 'acme' }, { filter: (c) => c.eq('status', 'OPEN'), projection: ['id', 'total'], pageSize: 4 });
      const pages = [];
      for await (const page of q.pages()) pages.push(page);
      expect(pages).toHaveLength(4);
      expect(pages.map((p) => p.scannedCount)).toEqual([4, 4, 4, 3]);
      const all = pages.flatMap((p) => p.items);
      expect(all.map((o) => o.id)).toEqual(['o00', 'o06', 'o12', 'o18', 'o24']);
      expect(all[0]).toEqual({ id: 'o00', total: 0 });
      expect(await q.count()).toBe(5);
      expect(await orders.query({ org: 'acme' }).count()).toBe(15);
    });

    it('stops after `limit` items, and resumes from a lastKey', async () => {
      const first = await orders.query({ org: 'acme' }, { limit: 3 }).all();
      expect(first.map((o) => o.id)).toEqual(['o00', 'o02', 'o04']);
      const page = await orders.query({ org: 'acme' }, { pageSize: 3 }).page();
      expect(page.lastKey).toEqual({ org: { S: 'acme' }, id: { S: 'o04' } });
      const rest = await orders.query({ org: 'acme' }, { startKey: page.lastKey!, limit: 2 }).all();
      expect(rest.map((o) => o.id)).toEqual(['o06', 'o08']);
    });

    it('all() gathers every page, and rejects (never throws) a query without its partition key value', async () => {
      const paged = await orders.query({ org: 'acme' }, { pageSize: 4 }).all();
      expect(paged).toEqual(await orders.query({ org: 'acme' }).all());
      expect(paged).toHaveLength(15);
      const missing = orders.query({ org: undefined as unknown as string }).all();
      await expect(missing).rejects.toThrow(TypeError);
    });

    it('queries a GSI, an LSI with a keys-only projection, and a multi-attribute GSI', async () => {
      const open = await orders.index('byStatus').query({ status: 'OPEN', placedAt: sortKey.ge(1020) }).all();
      expect(open.map((o) => o.id)).toEqual(['o21', 'o24', 'o27']);
      const cheap = await orders.index('byTotal').query({ org: 'acme', total: sortKey.lt(10) }).all();
      expect(cheap).toEqual([
        { org: 'acme', id: 'o00', total: 0 },
        { org: 'acme', id: 'o22', total: 4 },
        { org: 'acme', id: 'o08', total: 6 },
      ]);
      const multi = await orders.index('byOrgStatus').query({ org: 'acme', status: 'SHIPPED', placedAt: sortKey.between(1004, 1016) }).all();
      expect(multi.map((o) => [o.id, o.total])).toEqual([
        ['o04', 28],
        ['o10', 20],
        ['o16', 12],
      ]);
      expect(lastInput().KeyConditionExpression).toBe('#n0 = :v0 AND #n1 = :v1 AND #n2 BETWEEN :v2 AND :v3');
      expect(await orders.index('byStatus').scan({ filter: (c) => c.lt('total', 5) }).count()).toBe(data.filter((o) => o.total < 5).length);
    });

    it('scans with a filter, and in parallel segments', async () => {
      const big = await orders.scan({ filter: (c) => c.ge('total', 40) }).all();
      expect(big.map((o) => o.id).sort()).toEqual(data.filter((o) => o.total >= 40).map((o) => o.id));
      const segments = await Promise.all([0, 1, 2].map((segment) => orders.scan({ segment, totalSegments: 3 }).all()));
      expect(segments.flat().map((o) => o.id).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `o${String(i).padStart(2, '0')}`));
    });
  });

  describe('transactions and batches', () => {
    it('writes across tables all together or not at all', async () => {
      await users.put(ada());
      await transactWrite([
        orders.putAction({ org: 'acme', id: 'o1', status: 'OPEN', placedAt: 1, total: 5 }, { condition: (c) => c.notExists('id') }),
        await users.updateAction({ id: 'ada' }, (u) => void (u.visits += 10)),
        users.conditionCheck({ id: 'bob' }, (c) => c.notExists('id')),
      ]);
      const [user, order, none] = await transactGet([
        users.getAction({ id: 'ada' }, { projection: ['visits'] }),
        orders.getAction({ org: 'acme', id: 'o1' }),
        orders.getAction({ org: 'acme', id: 'none' }),
      ]);
      expect(user).toEqual({ visits: 11 });
      expect(order!.status).toBe('OPEN');
      expect(none).toBeUndefined();

      const error = await rejection(
        transactWrite([orders.deleteAction({ org: 'acme', id: 'o1' }), users.conditionCheck({ id: 'ada' }, (c) => c.eq('name', 'Bob'))], {
          clientRequestToken: 'tx-1',
        }),
      );
      expect(error.name).toBe('TransactionCanceledException');
      expect(await orders.get({ org: 'acme', id: 'o1' })).toBeDefined();
    });

    it('batches more than one request can hold, returning reads in request order', async () => {
      const many = Array.from({ length: 60 }, (_, i) => ({ ...ada(), id: `u${i}`, visits: i }));
      await users.batchPut(many);
      const keys = [...Array.from({ length: 120 }, (_, i) => ({ id: `u${(i * 7) % 70}` })), { id: 'u3' }];
      const got = await users.batchGet(keys);
      expect(got.map((u) => u?.visits)).toEqual(keys.map(({ id }) => (Number(id.slice(1)) < 60 ? Number(id.slice(1)) : undefined)));
      const [u1, o] = await batchGet([users.getAction({ id: 'u1' }, { projection: ['name'] }), orders.getAction({ org: 'x', id: 'y' })]);
      expect(u1).toEqual({ name: 'Ada' });
      expect(o).toBeUndefined();
      await batchWrite([...many.slice(0, 30).map(({ id }) => users.deleteAction({ id })), orders.putAction({ org: 'a', id: 'b', status: 'OPEN', placedAt: 0, total: 0 })]);
      expect(await users.scan().count()).toBe(30);
      expect(await orders.scan().count()).toBe(1);
      await expect(batchWrite([users.deleteAction({ id: 'u1' }, { condition: (c) => c.exists('id') })])).rejects.toThrow(TypeError);
    });
  });
});

describe('the schema', () => {
  it('makes the CreateTable request: keys, attribute definitions, GSIs with multi-attribute keys, LSIs', () => {
    expect(Orders.createTableInput({ provisioned: { read: 5, write: 5 } })).toEqual({
      TableName: 'orders',
      KeySchema: [
        { AttributeName: 'org', KeyType: 'HASH' },
        { AttributeName: 'id', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'org', AttributeType: 'S' },
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'placedAt', AttributeType: 'N' },
        { AttributeName: 'total', AttributeType: 'N' },
      ],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byStatus',
          KeySchema: [
            { AttributeName: 'status', KeyType: 'HASH' },
            { AttributeName: 'placedAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        },
        {
          IndexName: 'byOrgStatus',
          KeySchema: [
            { AttributeName: 'org', KeyType: 'HASH' },
            { AttributeName: 'status', KeyType: 'HASH' },
            { AttributeName: 'placedAt', KeyType: 'RANGE' },
            { AttributeName: 'id', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'byTotal',
          KeySchema: [
            { AttributeName: 'org', KeyType: 'HASH' },
            { AttributeName: 'total', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
  });

  it('refuses key attributes that are missing, optional or not scalar', () => {
    const attributes = { id: attr.string(), maybe: attr.string().optional(), list: attr.list(attr.string()) };
    expect(() => defineTable({ name: 't', attributes, partitionKey: 'nope' as 'id' })).toThrow('Key attribute nope is not in the schema');
    expect(() => defineTable({ name: 't', attributes, partitionKey: 'maybe' as 'id' })).toThrow('Key attribute maybe cannot be optional');
    expect(() => defineTable({ name: 't', attributes, partitionKey: 'list' as 'id' })).toThrow('must be a string, number or binary attribute');
  });
});
