/**
 * `pnpm bench` (access control): GetItem on a table of 10,000 items, without the module and as a
 * principal whose identity policy has 10 statements (one allows GetItem under a `dynamodb:LeadingKeys`
 * condition), through `db.*` and through the AWS SDK's in-process handler; for reference, through
 * `db.as()` with a do-nothing admission hook instead of the module (what any hook costs). Rounds
 * alternate so both sides see the same noise; the median ratio is reported (goal: at most +15 %).
 * Time is this process's CPU time (the machine may be shared: wall time then measures the neighbours).
 * Reports, never fails. BENCH_AC_OPS (100,000 per round; the SDK a tenth), BENCH_AC_ROUNDS (9).
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { accessControl, createRequestHandler, Database, type DatabaseModule, type PolicyStatement } from '@magneto/core';

const ITEMS = 10_000;
const OPS = Number(process.env.BENCH_AC_OPS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_AC_ROUNDS ?? 9);
const TABLE = 'bench';

const statements: PolicyStatement[] = [
  { Effect: 'Allow', Action: ['dynamodb:Query', 'dynamodb:Scan'], Resource: 'arn:aws:dynamodb:*:*:table/reports/index/*' },
  { Effect: 'Allow', Action: 'dynamodb:DescribeTable', Resource: '*' },
  { Effect: 'Deny', Action: 'dynamodb:DeleteTable', Resource: '*' },
  { Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: `arn:aws:dynamodb:*:*:table/${TABLE}`, Condition: { StringEquals: { 'dynamodb:ReturnValues': 'NONE' } } },
  { Effect: 'Deny', NotAction: ['dynamodb:Get*', 'dynamodb:Query', 'dynamodb:Put*', 'dynamodb:Update*', 'dynamodb:Describe*'], Resource: '*' },
  { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: `arn:aws:dynamodb:*:*:table/${TABLE}`, Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['user#*'] } } },
  { Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*' },
  { Effect: 'Deny', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:*:*:table/secrets' },
  { Effect: 'Allow', Action: 'dynamodb:BatchGetItem', Resource: `arn:aws:dynamodb:*:*:table/${TABLE}`, Condition: { StringEquals: { 'aws:username': 'alice' } } },
  { Effect: 'Allow', Action: 'dynamodb:TagResource', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } } },
];

/** An admission hook that does nothing: what `db.as()` and any hook cost without access control. */
const doNothing: DatabaseModule = { name: 'doNothing', install: (ctx) => ctx.addAdmissionHook({ readsConsumedCapacity: false, beforeOperation() {} }) };

async function database(modules: DatabaseModule[]): Promise<Database> {
  const db = new Database({ modules });
  await db.createTable({ TableName: TABLE, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
  for (let i = 0; i < ITEMS; i++) await db.putItem({ TableName: TABLE, Item: { pk: { S: `user#${i}` }, name: { S: `name-${i}-abcdefghij` }, visits: { N: String(i) } } });
  return db;
}

const key = (i: number) => ({ pk: { S: `user#${i % ITEMS}` } });

/** Milliseconds of this process's CPU time `ops` calls take. */
async function time(ops: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < ops; i++) await op(i);
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

async function compare(name: string, plain: (i: number) => Promise<unknown>, guarded: (i: number) => Promise<unknown>, ops = OPS): Promise<void> {
  await time(Math.min(ops, 20_000), plain);
  await time(Math.min(ops, 20_000), guarded);
  const ratios: number[] = [];
  let plainMs = 0;
  let guardedMs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const a = await time(ops, plain);
    const b = await time(ops, guarded);
    plainMs += a;
    guardedMs += b;
    ratios.push(b / a);
  }
  ratios.sort((x, y) => x - y);
  const median = ratios[Math.floor(ratios.length / 2)]!;
  const perOp = (ms: number) => `${((ms * 1000) / (ops * ROUNDS)).toFixed(2)} µs`;
  console.log(`  ${name.padEnd(28)} without ${perOp(plainMs)}  with ${perOp(guardedMs)}  median ${median >= 1 ? '+' : ''}${((median - 1) * 100).toFixed(1)} %`);
}

console.log('\nAccess control: GetItem with a 10-statement identity policy (goal: at most +15 %)');
const principals = { alice: { arn: 'arn:aws:iam::000000000000:user/alice', accessKeyIds: ['AKIAALICE'], policies: [{ Version: '2012-10-17' as const, Statement: statements }] } };
const plainDb = await database([]);
const guardedDb = await database([accessControl({ principals })]);
const hookedDb = await database([doNothing]);
const alice = guardedDb.as('alice');
const anyone = hookedDb.as('alice');
await compare('db.getItem', (i) => plainDb.getItem({ TableName: TABLE, Key: key(i) }), (i) => alice.getItem({ TableName: TABLE, Key: key(i) }));
await compare('(db.as(), a do-nothing hook)', (i) => plainDb.getItem({ TableName: TABLE, Key: key(i) }), (i) => anyone.getItem({ TableName: TABLE, Key: key(i) }));
const credentials = { accessKeyId: 'AKIAALICE', secretAccessKey: 'secret' };
const plainClient = new DynamoDBClient({ region: 'us-east-1', credentials, requestHandler: createRequestHandler(plainDb) });
const guardedClient = new DynamoDBClient({ region: 'us-east-1', credentials, requestHandler: createRequestHandler(guardedDb) });
await compare(
  'SDK GetItemCommand',
  (i) => plainClient.send(new GetItemCommand({ TableName: TABLE, Key: key(i) })),
  (i) => guardedClient.send(new GetItemCommand({ TableName: TABLE, Key: key(i) })),
  Math.ceil(OPS / 10),
);
