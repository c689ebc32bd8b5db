/**
 * A single-table design with the typed Table API: organisations, their users and their orders share one
 * DynamoDB table (`pk`/`sk`, keys you compose yourself — nothing is prefixed for you), with a global
 * secondary index for an organisation's orders by status (a multi-attribute key: org + status, sorted by
 * placedAt). Every read and write below is typed from the schemas: keys, conditions, updates, results.
 *
 * The same `run` function runs twice: on the embedded engine, then through an AWS SDK v3 DynamoDBClient
 * (served in-process here; give it a real endpoint and it talks to DynamoDB).
 *
 * Run it with `pnpm example single-table`.
 */
import * as dynamodb from '@aws-sdk/client-dynamodb';
import {
  Database,
  Table,
  attr,
  createRequestHandler,
  defineTable,
  sdkOperations,
  sortKey,
  transactWrite,
  type ItemOf,
  type TableOperations,
} from '@magneto/core';

// One schema per entity, all on the table `app`. Keys are plain strings the application composes.
const Organisations = defineTable({
  name: 'app',
  attributes: { pk: attr.string(), sk: attr.string(), entity: attr.string<'org'>(), name: attr.string(), plan: attr.string<'free' | 'pro'>() },
  partitionKey: 'pk',
  sortKey: 'sk',
});

const Users = defineTable({
  name: 'app',
  attributes: {
    pk: attr.string(),
    sk: attr.string(),
    entity: attr.string<'user'>(),
    email: attr.string(),
    roles: attr.stringSet<'admin' | 'buyer'>(),
    orders: attr.number(),
  },
  partitionKey: 'pk',
  sortKey: 'sk',
});

const Orders = defineTable({
  name: 'app',
  attributes: {
    pk: attr.string(),
    sk: attr.string(),
    entity: attr.string<'order'>(),
    org: attr.string(),
    status: attr.string<'OPEN' | 'PAID' | 'SHIPPED'>(),
    placedAt: attr.number(),
    buyer: attr.string(),
    lines: attr.list(attr.object({ sku: attr.string(), qty: attr.number(), price: attr.number() })),
    total: attr.number(),
    version: attr.number(),
  },
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: { byStatus: { partitionKey: ['org', 'status'], sortKey: 'placedAt' } },
  version: 'version',
});

type Order = ItemOf<typeof Orders>;

const orgKey = (org: string) => ({ pk: `ORG#${org}`, sk: 'ORG' });
const userKey = (org: string, email: string) => ({ pk: `ORG#${org}`, sk: `USER#${email}` });
const orderKey = (org: string, id: string) => ({ pk: `ORG#${org}`, sk: `ORDER#${id}` });

async function run(label: string, operations: TableOperations): Promise<void> {
  const orgs = new Table(Organisations, operations);
  const users = new Table(Users, operations);
  const orders = new Table(Orders, operations);

  await orgs.put({ ...orgKey('acme'), entity: 'org', name: 'Acme Ltd', plan: 'pro' });
  for (const email of ['ada@acme.test', 'bob@acme.test']) {
    // Create-only: the condition fails if the user exists.
    await users.put({ ...userKey('acme', email), entity: 'user', email, roles: new Set(['buyer']), orders: 0 }, { condition: (c) => c.notExists('pk') });
  }

  // An order and its buyer's counter, all or nothing.
  const placeOrder = async (id: string, buyer: string, placedAt: number, lines: Order['lines']) => {
    const total = lines.reduce((sum, line) => sum + line.qty * line.price, 0);
    await transactWrite([
      orders.putAction(
        { ...orderKey('acme', id), entity: 'order', org: 'acme', status: 'OPEN', placedAt, buyer, lines, total, version: 1 },
        { condition: (c) => c.notExists('pk') },
      ),
      await users.updateAction(userKey('acme', buyer), (user) => {
        user.orders += 1;
      }),
    ]);
  };
  await placeOrder('o-1', 'ada@acme.test', 1000, [{ sku: 'anvil', qty: 1, price: 120 }]);
  await placeOrder('o-2', 'ada@acme.test', 1100, [{ sku: 'rocket', qty: 2, price: 75.5 }]);
  await placeOrder('o-3', 'bob@acme.test', 1200, [{ sku: 'magnet', qty: 10, price: 3 }]);

  // An immer draft: the changes compile to `SET #status = :v, #lines = list_append(...), #total = #total + :d, ...`.
  const paid = await orders.update(orderKey('acme', 'o-1'), (order) => {
    order.status = 'PAID';
    order.lines.push({ sku: 'paint', qty: 1, price: 9 });
    order.total += 9;
  });
  console.log(`${label}: o-1 is ${paid?.status}, total ${paid?.total}, version ${paid?.version}`);

  // Optimistic locking: an update expecting an old version is refused.
  try {
    await orders.update(orderKey('acme', 'o-1'), (order) => void (order.status = 'SHIPPED'), { expectedVersion: 1 });
  } catch (error) {
    console.log(`${label}: stale update refused: ${(error as Error).name}`);
  }

  // The organisation's users: one partition, sort key prefix.
  const members = await users.query({ pk: 'ORG#acme', sk: sortKey.beginsWith('USER#') }, { projection: ['email', 'orders'] }).all();
  console.log(`${label}: users`, members.map((u) => `${u.email}=${u.orders}`).join(', '));

  // Open orders by status through the GSI, newest first, with a typed filter.
  const open = orders.index('byStatus').query({ org: 'acme', status: 'OPEN' }, { reverse: true, filter: (c) => c.gt('total', 100) });
  for await (const order of open) console.log(`${label}: open order ${order.sk} of ${order.buyer} for ${order.total}`);

  // Paging: one page at a time, resumable from lastKey.
  let pages = 0;
  for await (const page of orders.query({ pk: 'ORG#acme', sk: sortKey.beginsWith('ORDER#') }, { pageSize: 2 }).pages()) {
    pages++;
    if (page.lastKey === undefined) console.log(`${label}: ${pages} pages of orders`);
  }
  const org = await orgs.get(orgKey('acme'), { projection: ['name', 'plan'] });
  console.log(`${label}: organisation ${org?.name} (${org?.plan})`);
}

// 1. The embedded engine.
const db = new Database();
await db.createTable(Orders.createTableInput()); // the Orders schema declares the table's GSI
await run('engine', db);

// 2. The same code through the AWS SDK v3 (here served in-process by another embedded database).
const served = new Database();
const client = new dynamodb.DynamoDBClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  requestHandler: createRequestHandler(served),
});
await client.send(new dynamodb.CreateTableCommand(Orders.createTableInput()));
await run('sdk', sdkOperations(client, dynamodb));
