/**
 * Client-chosen names that are also names of `Object.prototype` members (`__proto__`, `constructor`,
 * `toString`, `hasOwnProperty`, `valueOf`) are legal DynamoDB table, index and attribute names. Every
 * operation must treat them as plain names: a scenario run with them must answer exactly as the same
 * scenario run with ordinary names, through `Database` methods and through the wire (JSON.parse'd
 * requests, where `__proto__` is an own member).
 */
import { BatchGetItemCommand, CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRequestHandler, Database } from '../src/index.js';

const ADVERSARIAL = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;

/** The roles a client-chosen name plays in the scenario. */
interface Names {
  table: string;
  other: string;
  index: string;
  pk: string;
  sk: string;
  gsiKey: string;
  attribute: string;
  mapKey: string;
  absent: string;
}
const ROLES = ['table', 'other', 'index', 'pk', 'sk', 'gsiKey', 'attribute', 'mapKey', 'absent'] as const;
/** Names that are no prototype member's, one per role. */
const SAFE: Names = { table: 'tbl0', other: 'tbl1', index: 'idx0', pk: 'pk0', sk: 'sk0', gsiKey: 'gk0', attribute: 'at0', mapKey: 'mk0', absent: 'ab0' };

/** An object with exactly these own members, also `__proto__` (a literal `{ __proto__: … }` would set the prototype). */
function obj(...entries: Array<[string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of entries) Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

type Call = (operation: string, input: Record<string, unknown>) => Promise<unknown>;

/** Runs every operation with names `n`; returns each answer or error, in order. */
async function scenario(call: Call, n: Names): Promise<unknown[]> {
  const log: unknown[] = [];
  const run = async (operation: string, input: Record<string, unknown>) => {
    try {
      log.push([operation, await call(operation, input)]);
    } catch (error) {
      const e = error as Error;
      log.push([operation, 'error', e.name, e.message]);
    }
  };
  const S = (s: string) => ({ S: s });
  const key = (p: string, s: string) => obj([n.pk, S(p)], [n.sk, S(s)]);
  await run('CreateTable', {
    TableName: n.table,
    KeySchema: [
      { AttributeName: n.pk, KeyType: 'HASH' },
      { AttributeName: n.sk, KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: n.pk, AttributeType: 'S' },
      { AttributeName: n.sk, AttributeType: 'S' },
      { AttributeName: n.gsiKey, AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: n.index,
        KeySchema: [{ AttributeName: n.gsiKey, KeyType: 'HASH' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [n.attribute] },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  await run('CreateTable', {
    TableName: n.other,
    KeySchema: [{ AttributeName: n.pk, KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: n.pk, AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  const item = (p: string, s: string, extra: Array<[string, unknown]> = []) =>
    obj([n.pk, S(p)], [n.sk, S(s)], [n.gsiKey, S('g')], [n.attribute, obj([n.mapKey, { N: '1' }])], ...extra);
  await run('PutItem', { TableName: n.table, Item: item('a', '1'), ReturnConsumedCapacity: 'INDEXES', ReturnItemCollectionMetrics: 'SIZE' });
  await run('PutItem', { TableName: n.table, Item: item('a', '2', [['plain', S('x')]]), ReturnValues: 'ALL_OLD' });
  await run('PutItem', { TableName: n.table, Item: item('a', '2'), ReturnValues: 'ALL_OLD' });
  // An item lacking a key attribute named like a prototype member.
  await run('PutItem', { TableName: n.table, Item: obj([n.pk, S('a')]) });
  await run('PutItem', { TableName: n.table, Item: obj([n.sk, S('a')]) });
  await run('GetItem', { TableName: n.table, Key: obj([n.pk, S('a')]) });
  await run('GetItem', { TableName: n.table, Key: key('a', '1') });
  await run('GetItem', { TableName: n.table, Key: key('a', '1'), ProjectionExpression: '#a.#m, #x', ExpressionAttributeNames: { '#a': n.attribute, '#m': n.mapKey, '#x': n.absent } });
  await run('GetItem', { TableName: n.table, Key: key('a', '1'), AttributesToGet: [n.absent, n.attribute] });
  for (const condition of ['attribute_exists(#x)', 'attribute_not_exists(#x)', 'attribute_exists(#a.#x)', 'attribute_type(#x, :t)', 'size(#x) > :one']) {
    const values = condition.includes(':t') ? { ':t': S('S') } : condition.includes(':one') ? { ':one': { N: '1' } } : undefined;
    const names = condition.includes('#a') ? { '#a': n.attribute, '#x': n.absent } : { '#x': n.absent };
    await run('PutItem', { TableName: n.table, Item: item('a', '1'), ConditionExpression: condition, ExpressionAttributeNames: names, ...(values && { ExpressionAttributeValues: values }) });
  }
  await run('PutItem', { TableName: n.table, Item: item('a', '1'), Expected: obj([n.absent, { Exists: false }]) });
  await run('PutItem', { TableName: n.table, Item: item('a', '1'), Expected: obj([n.absent, { Exists: true, Value: S('v') }]) });
  await run('UpdateItem', {
    TableName: n.table,
    Key: key('a', '1'),
    UpdateExpression: 'SET #a.#x = if_not_exists(#a.#x, :one), #y = list_append(if_not_exists(#y, :empty), :l) ADD #z :one',
    ExpressionAttributeNames: { '#a': n.attribute, '#x': n.absent, '#y': n.mapKey, '#z': n.absent },
    ExpressionAttributeValues: { ':one': { N: '1' }, ':empty': { L: [] }, ':l': { L: [S('v')] } },
    ReturnValues: 'ALL_NEW',
  });
  await run('UpdateItem', {
    TableName: n.table,
    Key: key('a', '1'),
    UpdateExpression: 'REMOVE #a.#m, #y',
    ExpressionAttributeNames: { '#a': n.attribute, '#m': n.mapKey, '#y': n.mapKey },
    ReturnValues: 'UPDATED_OLD',
  });
  await run('UpdateItem', { TableName: n.table, Key: key('b', '1'), AttributeUpdates: obj([n.absent, { Action: 'ADD', Value: { N: '2' } }]), ReturnValues: 'UPDATED_NEW' });
  await run('UpdateItem', { TableName: n.table, Key: key('b', '1'), AttributeUpdates: obj([n.absent, { Action: 'DELETE' }]), ReturnValues: 'ALL_OLD' });
  await run('Query', { TableName: n.table, KeyConditionExpression: '#p = :p AND #s > :s', ExpressionAttributeNames: { '#p': n.pk, '#s': n.sk }, ExpressionAttributeValues: { ':p': S('a'), ':s': S('0') }, ReturnConsumedCapacity: 'INDEXES' });
  await run('Query', { TableName: n.table, IndexName: n.index, KeyConditionExpression: '#g = :g', ExpressionAttributeNames: { '#g': n.gsiKey }, ExpressionAttributeValues: { ':g': S('g') }, ReturnConsumedCapacity: 'INDEXES' });
  await run('Query', { TableName: n.table, KeyConditions: obj([n.pk, { ComparisonOperator: 'EQ', AttributeValueList: [S('a')] }]), QueryFilter: obj([n.absent, { ComparisonOperator: 'NULL' }]) });
  await run('Query', { TableName: n.table, KeyConditionExpression: '#p = :p', ExpressionAttributeNames: { '#p': n.pk }, ExpressionAttributeValues: { ':p': S('a') }, Limit: 1 });
  await run('Scan', { TableName: n.table, FilterExpression: 'attribute_not_exists(#x) AND #a.#m = :one', ExpressionAttributeNames: { '#x': n.absent, '#a': n.attribute, '#m': n.mapKey }, ExpressionAttributeValues: { ':one': { N: '1' } } });
  await run('Scan', { TableName: n.table, ScanFilter: obj([n.absent, { ComparisonOperator: 'NOT_NULL' }]) });
  await run('Scan', { TableName: n.table, IndexName: n.index, Select: 'ALL_PROJECTED_ATTRIBUTES' });
  await run('Scan', { TableName: n.table, Limit: 1, ExclusiveStartKey: key('a', '1') });
  await run('BatchWriteItem', {
    RequestItems: obj(
      [n.table, [{ PutRequest: { Item: item('c', '1') } }, { DeleteRequest: { Key: key('b', '1') } }]],
      [n.other, [{ PutRequest: { Item: obj([n.pk, S('o')]) } }]],
    ),
    ReturnConsumedCapacity: 'TOTAL',
    ReturnItemCollectionMetrics: 'SIZE',
  });
  await run('BatchGetItem', {
    RequestItems: obj([n.table, { Keys: [key('a', '1'), key('c', '1'), key('z', '1')] }], [n.other, { Keys: [obj([n.pk, S('o')])], ProjectionExpression: '#p', ExpressionAttributeNames: { '#p': n.pk } }]),
    ReturnConsumedCapacity: 'TOTAL',
  });
  await run('TransactWriteItems', {
    TransactItems: [
      { Put: { TableName: n.table, Item: item('d', '1'), ConditionExpression: 'attribute_not_exists(#x)', ExpressionAttributeNames: { '#x': n.absent } } },
      { Update: { TableName: n.other, Key: obj([n.pk, S('o')]), UpdateExpression: 'SET #x = :one', ExpressionAttributeNames: { '#x': n.absent }, ExpressionAttributeValues: { ':one': { N: '1' } } } },
      { ConditionCheck: { TableName: n.table, Key: key('a', '1'), ConditionExpression: 'attribute_exists(#a)', ExpressionAttributeNames: { '#a': n.attribute } } },
    ],
    ReturnConsumedCapacity: 'INDEXES',
  });
  await run('TransactWriteItems', {
    TransactItems: [{ Delete: { TableName: n.table, Key: key('d', '1'), ConditionExpression: 'attribute_exists(#x)', ExpressionAttributeNames: { '#x': n.absent }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } }],
  });
  await run('TransactGetItems', {
    TransactItems: [{ Get: { TableName: n.table, Key: key('d', '1') } }, { Get: { TableName: n.other, Key: obj([n.pk, S('o')]), ProjectionExpression: '#x', ExpressionAttributeNames: { '#x': n.absent } } }],
    ReturnConsumedCapacity: 'TOTAL',
  });
  await run('DeleteItem', { TableName: n.table, Key: key('a', '2'), ReturnValues: 'ALL_OLD', ConditionExpression: 'attribute_not_exists(#x)', ExpressionAttributeNames: { '#x': n.absent } });
  await run('DeleteItem', { TableName: n.table, Key: obj([n.absent, S('a')]) });
  await run('UpdateTable', { TableName: n.table, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }, GlobalSecondaryIndexUpdates: [{ Update: { IndexName: n.index, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } }] });
  await run('DescribeTable', { TableName: n.table });
  await run('ListTables', {});
  await run('Scan', { TableName: n.table });
  await run('DeleteTable', { TableName: n.other });
  await run('DescribeTable', { TableName: n.other });
  return log;
}

/** Replaces every name of `from` by the same role's name of `to`, in member names and strings. */
function rename(value: unknown, from: Names, to: Names): unknown {
  const map = new Map<string, string>(ROLES.map((role) => [from[role], to[role]]));
  const renameText = (s: string): string => {
    const whole = map.get(s);
    if (whole !== undefined) return whole;
    // Names inside ARNs (`table/<name>/index/<name>`) and messages.
    return s.replace(/[A-Za-z0-9_]+/g, (word) => map.get(word) ?? word);
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return renameText(v);
    if (v === null || typeof v !== 'object' || v instanceof Uint8Array || v instanceof Date) return v;
    if (Array.isArray(v)) return v.map(walk);
    const entries = Object.keys(v).map((k) => [renameText(k), walk((v as Record<string, unknown>)[k])] as [string, unknown]);
    expect(Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null).toBe(true);
    return obj(...entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  };
  return walk(value);
}

/** Blanks what differs between runs: timestamps and table ids. */
function stable(log: unknown[]): unknown {
  return JSON.parse(JSON.stringify(log, (k, v: unknown) => (k.endsWith('DateTime') || k === 'TableId' ? 0 : v)));
}

const viaDatabase = (): Call => {
  const db = new Database();
  return (operation, input) => db.execute('DynamoDB_20120810', operation, input);
};

/** Through the in-process wire handler: the request is JSON text, so the engine sees JSON.parse'd members. */
const viaWire = (): Call => {
  const handler = createRequestHandler(new Database());
  return async (operation, input) => {
    const { response } = await handler.handle({ headers: { 'x-amz-target': `DynamoDB_20120810.${operation}` }, body: JSON.stringify(input) });
    const body = JSON.parse(new TextDecoder().decode(response.body)) as Record<string, unknown>;
    if (response.statusCode !== 200) throw Object.assign(new Error(String(body.message ?? body.Message ?? '')), { name: String(body.__type).split('#')[1] });
    return body;
  };
};

const namesArbitrary: fc.Arbitrary<Names> = fc
  .tuple(...ROLES.map((role) => fc.constantFrom(SAFE[role], ...ADVERSARIAL)))
  .filter((picked) => {
    // Names of one kind must differ, as in the SAFE scenario.
    const [table, other, , pk, sk, gsiKey, attribute, mapKey, absent] = picked;
    return table !== other && new Set([pk, sk, gsiKey, attribute, absent]).size === 5 && mapKey !== absent;
  })
  .map((picked) => Object.fromEntries(ROLES.map((role, i) => [role, picked[i]!])) as unknown as Names);

/**
 * The ordinary names the same scenario runs with: one per distinct name, in the same sort order (so
 * ListTables and error messages list them alike) and of the same length.
 */
function ordinary(names: Names): Names {
  const distinct = [...new Set(ROLES.map((role) => names[role]))].sort();
  // As long as the name they stand for: sizes count names' bytes.
  return Object.fromEntries(ROLES.map((role) => [role, `nm${distinct.indexOf(names[role])}`.padEnd(names[role].length, 'x')])) as unknown as Names;
}

/** Runs the scenario with `names` over `call` and with their ordinary names over Database, and compares. */
async function expectSameAnswers(names: Names, call: Call): Promise<void> {
  const safe = ordinary(names);
  const expected = stable(await scenario(viaDatabase(), safe));
  expect(rename(stable(await scenario(call, names)), names, safe)).toEqual(expected);
}

/** Stress runs take minutes; the short runs take about a second. */
const STRESS_TIMEOUT = process.env.MAGNETO_STRESS ? 900_000 : 60_000;

describe('adversarial names', () => {
  it.each(ADVERSARIAL.map((name, k) => [name, k] as const))('every operation treats %s as a plain name in every role, through Database and the wire', async (name, k) => {
    const nth = (j: number) => ADVERSARIAL[(j + k) % ADVERSARIAL.length]!;
    const names: Names = { table: name, other: nth(1), index: name, pk: nth(0), sk: nth(1), gsiKey: nth(2), attribute: nth(3), absent: nth(4), mapKey: nth(1) };
    await expectSameAnswers(names, viaDatabase());
    await expectSameAnswers(names, viaWire());
  });

  it('answers as with ordinary names, whichever roles the adversarial names play (property)', async () => {
    await fc.assert(
      fc.asyncProperty(namesArbitrary, fc.boolean(), async (names, wire) => expectSameAnswers(names, wire ? viaWire() : viaDatabase())),
      { numRuns: process.env.MAGNETO_STRESS ? 300 : 20 },
    );
  }, STRESS_TIMEOUT);

  it('BatchGetItem on a table named __proto__ answers its items under that name, through the AWS SDK', async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, requestHandler: createRequestHandler(new Database()) });
    await client.send(new CreateTableCommand({ TableName: '__proto__', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
    await client.send(new PutItemCommand({ TableName: '__proto__', Item: { id: { S: '1' } } }));
    const out = await client.send(new BatchGetItemCommand({ RequestItems: JSON.parse('{"__proto__":{"Keys":[{"id":{"S":"1"}}]}}') as never, ReturnConsumedCapacity: 'TOTAL' }));
    expect(Object.keys(out.Responses ?? {})).toEqual(['__proto__']);
    expect(out.ConsumedCapacity).toEqual([{ TableName: '__proto__', CapacityUnits: 0.5 }]);
  });
});
