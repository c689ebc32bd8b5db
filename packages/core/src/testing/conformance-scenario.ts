/**
 * The conformance scenario, shared by every adapter in Node (conformance.test.ts) and by the page
 * run in a real Chromium (test/browser): a workload touching every persisted thing — tables, items of
 * every type, a GSI and an LSI, updates, deletes, batches, transactions (and a cancelled one), an
 * UpdateTable adding a GSI, a TTL setting, a deleted table — and `observe`, everything a client can
 * see of it, as plain JSON (binary as base64), so two databases compare by `toEqual` or by string.
 * Browser-safe: imports only the engine.
 */
import { ManualClock } from '../clock.js';
import { Database, type DatabaseOptions } from '../database.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import type { TransactWriteItemsInput } from '../operations/transact-write-items.js';
import { ttl } from '../ttl/ttl.js';

/** One fixed clock start: the same scenario gives the same creation times everywhere. */
export const SCENARIO_START = 1_800_000_000_000;

/** The options every scenario database is made with (the adapter adds `storage`). */
export function scenarioOptions(): DatabaseOptions {
  return { clock: new ManualClock(SCENARIO_START), modules: [ttl()] };
}

const key = (hash: string, range?: string) => [
  { AttributeName: hash, KeyType: 'HASH' as const },
  ...(range === undefined ? [] : [{ AttributeName: range, KeyType: 'RANGE' as const }]),
];

export const ORDERS = {
  TableName: 'orders',
  KeySchema: key('customer', 'order'),
  AttributeDefinitions: [
    { AttributeName: 'customer', AttributeType: 'S' as const },
    { AttributeName: 'order', AttributeType: 'N' as const },
    { AttributeName: 'status', AttributeType: 'S' as const },
    { AttributeName: 'placed', AttributeType: 'S' as const },
  ],
  BillingMode: 'PAY_PER_REQUEST' as const,
  GlobalSecondaryIndexes: [{ IndexName: 'by-status', KeySchema: key('status', 'order'), Projection: { ProjectionType: 'ALL' as const } }],
  LocalSecondaryIndexes: [{ IndexName: 'by-placed', KeySchema: key('customer', 'placed'), Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: ['total'] } }],
};

export const USERS = { TableName: 'users', KeySchema: key('id'), AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }], BillingMode: 'PAY_PER_REQUEST' as const };

/** A transaction with a ClientRequestToken: written once, then retried after a restart (answered from its token). */
const TOKEN_TRANSACTION: TransactWriteItemsInput = {
  ClientRequestToken: 'conformance-token-1',
  TransactItems: [
    { Put: { TableName: 'users', Item: { id: { S: 'u3' }, name: { S: 'Grace' } }, ConditionExpression: 'attribute_not_exists(id)' } },
    { Update: { TableName: 'users', Key: { id: { S: 'u1' } }, UpdateExpression: 'SET visits = :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
    { Delete: { TableName: 'users', Key: { id: { S: 'u2' } } } },
    { ConditionCheck: { TableName: 'orders', Key: { customer: { S: 'c0' }, order: { N: '0' } }, ConditionExpression: 'attribute_exists(customer)' } },
  ],
};

/** Runs the scenario's writes on `db` (which holds no tables). */
export async function writeScenario(db: Database): Promise<void> {
  await db.createTable(ORDERS);
  await db.createTable(USERS);
  await db.createTable({ ...USERS, TableName: 'doomed' });
  await db.putItem({ TableName: 'doomed', Item: { id: { S: 'x' } } });
  // Concurrent writers, as an application issues them (strict stores group them into one commit).
  await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      db.putItem({
        TableName: 'orders',
        Item: {
          customer: { S: `c${i % 4}` },
          order: { N: String(i) },
          status: { S: i % 3 === 0 ? 'open' : 'shipped' },
          placed: { S: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}` },
          total: { N: `${i}.25` },
          blob: { B: Uint8Array.from([i, 255, 0]) },
          tags: { SS: ['a', `t${i}`] },
          sizes: { NS: ['1', String(i + 2)] },
          lines: { L: [{ M: { sku: { S: `s${i}` }, qty: { N: '2' } } }, { NULL: true }, { BOOL: i % 2 === 0 }] },
        },
      }),
    ),
  );
  await db.updateItem({
    TableName: 'orders',
    Key: { customer: { S: 'c1' }, order: { N: '1' } },
    UpdateExpression: 'SET #s = :s, #t = #t + :d REMOVE placed',
    ExpressionAttributeNames: { '#s': 'status', '#t': 'total' },
    ExpressionAttributeValues: { ':s': { S: 'open' }, ':d': { N: '100' } },
  });
  await db.deleteItem({ TableName: 'orders', Key: { customer: { S: 'c2' }, order: { N: '2' } } });
  await db.batchWriteItem({
    RequestItems: {
      users: [{ PutRequest: { Item: { id: { S: 'u1' }, name: { S: 'Ada' } } } }, { PutRequest: { Item: { id: { S: 'u2' }, expires: { N: '1900000000' } } } }],
      orders: [{ DeleteRequest: { Key: { customer: { S: 'c3' }, order: { N: '3' } } } }],
    },
  });
  await db.transactWriteItems(TOKEN_TRANSACTION);
  // A cancelled transaction writes nothing, before or after a restart.
  const cancelled = await db
    .transactWriteItems({
      TransactItems: [
        { Put: { TableName: 'users', Item: { id: { S: 'u9' } } } },
        { ConditionCheck: { TableName: 'users', Key: { id: { S: 'nobody' } }, ConditionExpression: 'attribute_exists(id)' } },
      ],
    })
    .then(
      () => undefined,
      (error: Error) => error.name,
    );
  if (cancelled !== 'TransactionCanceledException') throw new Error(`expected TransactionCanceledException, got ${String(cancelled)}`);
  await db.updateTable({
    TableName: 'users',
    AttributeDefinitions: [{ AttributeName: 'name', AttributeType: 'S' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by-name', KeySchema: key('name'), Projection: { ProjectionType: 'KEYS_ONLY' } } }],
  });
  await db.execute('DynamoDB_20120810', 'UpdateTimeToLive', { TableName: 'users', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } });
  await db.updateTable({ TableName: 'orders', DeletionProtectionEnabled: true });
  await db.deleteTable({ TableName: 'doomed' });
}

/** Writes the scenario does after a restart: the reopened store must still take writes and maintain indexes. */
export async function writeAfterReopen(db: Database): Promise<void> {
  await db.putItem({ TableName: 'users', Item: { id: { S: 'u4' }, name: { S: 'Hedy' } } });
  // The retried transaction is answered from its token (idempotency survives the restart), not re-run.
  await db.transactWriteItems(TOKEN_TRANSACTION);
}

/** Everything observable about `db`'s tables, as plain JSON. */
export async function observe(db: Database): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const { TableNames = [] } = await db.listTables({});
  for (const name of TableNames) {
    const { Table } = await db.describeTable({ TableName: name });
    const indexes: Record<string, unknown> = {};
    for (const index of [...(Table.GlobalSecondaryIndexes ?? []), ...(Table.LocalSecondaryIndexes ?? [])]) {
      indexes[index.IndexName] = await scanAll(db, name, index.IndexName);
    }
    // A table's id is a random UUID: the one thing two runs of the scenario do not share.
    const { TableId: _id, ...description } = Table;
    const timeToLive = await db.execute('DynamoDB_20120810', 'DescribeTimeToLive', { TableName: name });
    out[name] = toJson({ description, timeToLive, items: await scanAll(db, name), indexes });
  }
  const byName = await db.query({
    TableName: 'users',
    IndexName: 'by-name',
    KeyConditionExpression: '#n = :n',
    ExpressionAttributeNames: { '#n': 'name' },
    ExpressionAttributeValues: { ':n': { S: 'Grace' } },
  });
  out['query users by-name Grace'] = toJson(byName.Items);
  return out;
}

async function scanAll(db: Database, TableName: string, IndexName?: string): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await db.scan({ TableName, Limit: 7, ...(IndexName === undefined ? {} : { IndexName }), ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) });
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey !== undefined);
  return items;
}

/** Plain JSON: Uint8Array as `{ base64 }`, Dates as ISO strings, undefined members dropped. */
function toJson(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => {
      if (v instanceof Uint8Array) return { base64: btoa(String.fromCharCode(...v)) };
      return v;
    }),
  );
}
