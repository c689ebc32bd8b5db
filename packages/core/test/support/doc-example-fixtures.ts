/**
 * What the `@example`s of the public API may use without declaring it (doc-examples.test.ts): a database
 * with the `users` and `orders` tables of the Table API examples (`orders` with a DynamoDB stream, for
 * triggers), their Table objects holding a user `ada` (visits 0, version 3) and an order `acme`/`o1`, an
 * SDK client over it, a module context, a memory LogDevice, a Kinesis stream with a consumer (no table
 * streams to it yet), and the application's own functions (`send`, `notify`, …) as no-ops. Everything
 * else an example uses it declares or imports itself.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { installKinesisDestinations, streams, type KinesisDestinations } from '@magneto/streams';
import { attr, createRequestHandler, Database, defineTable, Table, type ModuleContext } from '../../src/index.js';
import { GatedDevice } from './gated-device.js';

export async function docExampleFixtures(): Promise<Record<string, unknown>> {
  let ctx!: ModuleContext;
  let destinations!: KinesisDestinations;
  const db = new Database({
    modules: [
      streams(),
      { name: 'fixture', install: (context) => void (ctx = context) },
      { name: 'kinesis-fixture', install: (context) => void (destinations = installKinesisDestinations(context, {})) },
    ],
  });
  const Users = defineTable({
    name: 'users',
    attributes: { id: attr.string(), name: attr.string(), visits: attr.number(), tags: attr.stringSet(), nickname: attr.string().optional(), orders: attr.number(), version: attr.number() },
    partitionKey: 'id',
    version: 'version',
  });
  const Orders = defineTable({
    name: 'orders',
    attributes: { org: attr.string(), id: attr.string(), status: attr.string<'OPEN' | 'SHIPPED'>(), total: attr.number(), user: attr.string(), tags: attr.stringSet().optional(), lines: attr.list(attr.string()).optional() },
    partitionKey: 'org',
    sortKey: 'id',
    indexes: { byStatus: { partitionKey: 'status', sortKey: 'total' } },
  });
  await db.createTable(Users.createTableInput());
  await db.createTable({ ...Orders.createTableInput(), StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
  const users = new Table(Users, db);
  const orders = new Table(Orders, db);
  const user = { id: 'ada', name: 'Ada', visits: 0, tags: new Set(['math']), orders: 0, version: 3 };
  const order = { org: 'acme', id: 'o1', status: 'OPEN' as const, total: 120, user: 'ada' };
  await users.put(user);
  await orders.put(order);
  const streamArn = destinations.createStream('fixture-changes');
  const noop = (): void => undefined;
  return {
    db,
    ctx,
    context: ctx,
    client: new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, requestHandler: createRequestHandler(db) }),
    Users,
    Orders,
    users,
    orders,
    user,
    order,
    myDevice: new GatedDevice(), // ungated: an ordinary in-memory LogDevice
    destinations,
    streamArn,
    consumer: destinations.consumer(streamArn, 'fixture'),
    onRecordsAppended: noop,
    input: {},
    readNewRecords: () => [],
    deliver: noop,
    reportFailure: noop,
    askForThePassphraseAgain: noop,
    send: noop,
    notify: async () => undefined,
    save: noop,
    index: async () => undefined,
  };
}
