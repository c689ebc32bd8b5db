import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as dynamodbStreams from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient, GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { createRequestHandler, Database, ManualClock, ttl } from '@magneto/core';
import { streams } from '@magneto/streams';
import { serveInProcess } from '@magneto/testing';
import { describe, expect, it } from 'vitest';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
type Client = { send(command: unknown): Promise<unknown> };
type Call = readonly [service: 'DynamoDB' | 'Streams', operation: string, input: (previous: Record<string, unknown>) => Record<string, unknown>];

const TABLE = 'orders';
const key = (id: string) => ({ pk: { S: id }, sk: { N: '1' } });
const bytes = new Uint8Array([0, 1, 2, 255]);

/**
 * One session touching every operation of every registered service, each once successfully and once with
 * an error where it has one. `previous` is the last answer of the same path (for stream ARNs, iterators).
 */
const SESSION: readonly Call[] = [
  ['DynamoDB', 'CreateTable', () => ({
    TableName: TABLE,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'g', AttributeType: 'B' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  })],
  ['DynamoDB', 'CreateTable', () => ({ TableName: TABLE, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' })],
  ['DynamoDB', 'DescribeTable', () => ({ TableName: TABLE })],
  ['DynamoDB', 'DescribeTable', () => ({ TableName: 'missing' })],
  ['DynamoDB', 'ListTables', () => ({ Limit: 1 })],
  ['DynamoDB', 'ListTables', () => ({ Limit: 0 })],
  ['DynamoDB', 'UpdateTable', () => ({ TableName: TABLE, DeletionProtectionEnabled: false })],
  ['DynamoDB', 'UpdateTable', () => ({ TableName: 'missing', DeletionProtectionEnabled: false })],
  ['DynamoDB', 'PutItem', () => ({ TableName: TABLE, Item: { ...key('a'), g: { B: bytes }, bs: { BS: [bytes] }, n: { N: '10' }, m: { M: { l: { L: [{ NULL: true }, { BOOL: false }] } } } }, ReturnConsumedCapacity: 'INDEXES' })],
  ['DynamoDB', 'PutItem', () => ({ TableName: TABLE, Item: key('a'), ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })],
  ['DynamoDB', 'GetItem', () => ({ TableName: TABLE, Key: key('a'), ReturnConsumedCapacity: 'TOTAL' })],
  ['DynamoDB', 'GetItem', () => ({ TableName: TABLE, Key: key('nobody') })],
  ['DynamoDB', 'GetItem', () => ({ TableName: TABLE, Key: { pk: { S: 'a' } } })],
  ['DynamoDB', 'UpdateItem', () => ({ TableName: TABLE, Key: key('a'), UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'ALL_NEW' })],
  ['DynamoDB', 'UpdateItem', () => ({ TableName: TABLE, Key: key('a'), UpdateExpression: 'SET n = :unused' })],
  ['DynamoDB', 'Query', () => ({ TableName: TABLE, KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: 'a' } }, ReturnConsumedCapacity: 'INDEXES' })],
  ['DynamoDB', 'Query', () => ({ TableName: TABLE, IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { B: bytes } } })],
  ['DynamoDB', 'Query', () => ({ TableName: TABLE, KeyConditionExpression: 'nope = :a', ExpressionAttributeValues: { ':a': { S: 'a' } } })],
  ['DynamoDB', 'Scan', () => ({ TableName: TABLE, Limit: 1 })],
  ['DynamoDB', 'Scan', () => ({ TableName: TABLE, Segment: 1 })],
  ['DynamoDB', 'BatchWriteItem', () => ({ RequestItems: { [TABLE]: [{ PutRequest: { Item: key('b') } }, { PutRequest: { Item: key('c') } }] }, ReturnConsumedCapacity: 'TOTAL' })],
  ['DynamoDB', 'BatchWriteItem', () => ({ RequestItems: { [TABLE]: [{ PutRequest: { Item: key('b') } }, { DeleteRequest: { Key: key('b') } }] } })],
  ['DynamoDB', 'BatchGetItem', () => ({ RequestItems: { [TABLE]: { Keys: [key('a'), key('b'), key('zzz')] } } })],
  ['DynamoDB', 'BatchGetItem', () => ({ RequestItems: { missing: { Keys: [key('a')] } } })],
  ['DynamoDB', 'TransactWriteItems', () => ({ TransactItems: [{ Put: { TableName: TABLE, Item: key('d') } }, { ConditionCheck: { TableName: TABLE, Key: key('a'), ConditionExpression: 'attribute_exists(pk)' } }] })],
  ['DynamoDB', 'TransactWriteItems', () => ({ TransactItems: [{ Put: { TableName: TABLE, Item: key('e') } }, { ConditionCheck: { TableName: TABLE, Key: key('a'), ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } }] })],
  ['DynamoDB', 'TransactGetItems', () => ({ TransactItems: [{ Get: { TableName: TABLE, Key: key('a') } }, { Get: { TableName: TABLE, Key: key('zzz') } }] })],
  ['DynamoDB', 'TransactGetItems', () => ({ TransactItems: [] })],
  ['DynamoDB', 'UpdateTimeToLive', () => ({ TableName: TABLE, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } })],
  ['DynamoDB', 'UpdateTimeToLive', () => ({ TableName: TABLE, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } })],
  ['DynamoDB', 'DescribeTimeToLive', () => ({ TableName: TABLE })],
  ['DynamoDB', 'DescribeTimeToLive', () => ({ TableName: 'missing' })],
  ['DynamoDB', 'DescribeKinesisStreamingDestination', () => ({ TableName: TABLE })],
  ['DynamoDB', 'EnableKinesisStreamingDestination', () => ({ TableName: TABLE, StreamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s' })],
  ['DynamoDB', 'UpdateKinesisStreamingDestination', () => ({ TableName: TABLE, StreamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s', UpdateKinesisStreamingConfiguration: { ApproximateCreationDateTimePrecision: 'MICROSECOND' } })],
  ['DynamoDB', 'DisableKinesisStreamingDestination', () => ({ TableName: TABLE, StreamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s' })],
  ['DynamoDB', 'DisableKinesisStreamingDestination', () => ({ TableName: 'missing', StreamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s' })],
  ['DynamoDB', 'DeleteItem', () => ({ TableName: TABLE, Key: key('c'), ReturnValues: 'ALL_OLD' })],
  ['DynamoDB', 'DeleteItem', () => ({ TableName: TABLE, Key: key('a'), ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })],
  ['Streams', 'ListStreams', () => ({ TableName: TABLE })],
  ['Streams', 'DescribeStream', (previous) => ({ StreamArn: (previous.Streams as Array<{ StreamArn: string }>)[0]!.StreamArn })],
  ['Streams', 'GetShardIterator', (previous) => {
    const description = previous.StreamDescription as { StreamArn: string; Shards: Array<{ ShardId: string }> };
    return { StreamArn: description.StreamArn, ShardId: description.Shards[0]!.ShardId, ShardIteratorType: 'TRIM_HORIZON' };
  }],
  ['Streams', 'GetRecords', (previous) => ({ ShardIterator: previous.ShardIterator as string })],
  ['Streams', 'GetRecords', () => ({ ShardIterator: 'not-an-iterator' })],
  ['Streams', 'DescribeStream', () => ({ StreamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/missing/stream/2026-01-01T00:00:00.000' })],
  ['DynamoDB', 'ExecuteStatement', () => ({ Statement: `SELECT * FROM "${TABLE}" WHERE pk = ?`, Parameters: [{ S: 'a' }], ReturnConsumedCapacity: 'TOTAL' })],
  ['DynamoDB', 'ExecuteStatement', () => ({ Statement: `SELEC * FROM "${TABLE}"` })],
  ['DynamoDB', 'BatchExecuteStatement', () => ({ Statements: [{ Statement: `SELECT * FROM "${TABLE}" WHERE pk = 'a' AND sk = 1` }, { Statement: `SELECT * FROM "missing" WHERE pk = 'a'` }] })],
  ['DynamoDB', 'ExecuteTransaction', () => ({ TransactStatements: [{ Statement: `INSERT INTO "${TABLE}" VALUE {'pk': 'f', 'sk': 1}` }] })],
  ['DynamoDB', 'ExecuteTransaction', () => ({ TransactStatements: [{ Statement: `INSERT INTO "${TABLE}" VALUE {'pk': 'f', 'sk': 1}` }] })],
  ['DynamoDB', 'TagResource', () => ({ ResourceArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${TABLE}`, Tags: [{ Key: 'team', Value: 'orders' }] })],
  ['DynamoDB', 'TagResource', () => ({ ResourceArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${TABLE}`, Tags: [{ Key: 'aws:reserved', Value: 'x' }] })],
  ['DynamoDB', 'ListTagsOfResource', () => ({ ResourceArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${TABLE}` })],
  ['DynamoDB', 'UntagResource', () => ({ ResourceArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${TABLE}`, TagKeys: ['team'] })],
  ['DynamoDB', 'UntagResource', () => ({ ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/missing', TagKeys: ['team'] })],
  ['DynamoDB', 'DeleteTable', () => ({ TableName: TABLE })],
  ['DynamoDB', 'DeleteTable', () => ({ TableName: TABLE })],
];

function database(): Database {
  return new Database({ clock: new ManualClock(Date.UTC(2026, 0, 1)), modules: [ttl(), streams()] });
}

function clients(db: Database, fast: boolean): Record<Call[0], Client> {
  const options = { region: 'us-east-1', credentials, maxAttempts: 1, ...(fast ? {} : { requestHandler: createRequestHandler(db) }) };
  const main = new dynamodb.DynamoDBClient(options);
  const stream = new dynamodbStreams.DynamoDBStreamsClient(options);
  return fast ? { DynamoDB: serveInProcess(main, db), Streams: serveInProcess(stream, db) } : { DynamoDB: main, Streams: stream };
}

/** Random by design on both paths: request ids, and the TableId CreateTable draws. */
const RANDOM = new Set(['requestId', 'TableId']);

/** A copy of an answer with the random members blanked. */
function blanked(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array || value instanceof Date || value instanceof Set) return value;
  if (Array.isArray(value)) return value.map(blanked);
  return Object.fromEntries(Object.entries(value).map(([name, member]) => [name, RANDOM.has(name) ? 'random' : blanked(member)]));
}

/** What a caller can observe of an answer or exception. */
function observed(value: unknown): unknown {
  if (!(value instanceof Error)) return blanked(value);
  const error = value as Error & { $fault: string };
  return { class: error.constructor, name: error.name, message: error.message, $fault: error.$fault, members: blanked({ ...error }) };
}

async function run(fast: boolean): Promise<Array<{ call: string; answer: unknown }>> {
  const db = database();
  const byService = clients(db, fast);
  const answers: Array<{ call: string; answer: unknown }> = [];
  let previous: Record<string, unknown> = {};
  for (const [service, operation, input] of SESSION) {
    const module = service === 'DynamoDB' ? dynamodb : dynamodbStreams;
    const Command = (module as unknown as Record<string, new (input: unknown) => unknown>)[`${operation}Command`]!;
    let answer: unknown;
    try {
      answer = await byService[service].send(new Command(input(previous)));
      previous = answer as Record<string, unknown>;
    } catch (error) {
      answer = error;
    }
    answers.push({ call: `${service}.${operation}`, answer: observed(answer) });
  }
  return answers;
}

describe('serveInProcess', () => {
  it('answers every operation of every registered service exactly as the wire path does, outputs and exceptions', async () => {
    const [wire, fast] = [await run(false), await run(true)];
    for (let i = 0; i < wire.length; i++) expect(fast[i], wire[i]!.call).toStrictEqual(wire[i]);
    const registered = [...database().engine.operations.keys()].map((name) => name.replace('DynamoDB_20120810.', 'DynamoDB.').replace('DynamoDBStreams_20120810.', 'Streams.'));
    expect(new Set(SESSION.map(([service, operation]) => `${service}.${operation}`))).toEqual(new Set(registered));
    // Both outcomes were exercised: some answers and some exceptions.
    expect(fast.some(({ answer }) => (answer as { class?: unknown }).class !== undefined)).toBe(true);
  });

  it('serves DynamoDBDocumentClient.from(client) with its own marshalling, and its paginators', async () => {
    const db = database();
    const docs = DynamoDBDocumentClient.from(serveInProcess(new dynamodb.DynamoDBClient({ region: 'us-east-1', credentials }), db));
    await db.createTable({ TableName: 'notes', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }], BillingMode: 'PAY_PER_REQUEST' });
    for (let sk = 0; sk < 5; sk++) await docs.send(new PutCommand({ TableName: 'notes', Item: { pk: 'p', sk, tags: new Set(['a']), body: bytes } }));
    const { Item } = await docs.send(new GetCommand({ TableName: 'notes', Key: { pk: 'p', sk: 3 } }));
    expect(Item).toStrictEqual({ pk: 'p', sk: 3, tags: new Set(['a']), body: bytes });
    const pages: number[] = [];
    for await (const page of paginateQuery({ client: docs, pageSize: 2 }, { TableName: 'notes', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'p' } })) pages.push(page.Count ?? 0);
    expect(pages).toEqual([2, 2, 1, 0].slice(0, pages.length));
    expect(pages.reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('gives the caller its own copy: changing an answer changes nothing stored', async () => {
    const db = database();
    const client = serveInProcess(new dynamodb.DynamoDBClient({ region: 'us-east-1', credentials }), db);
    await db.createTable({ TableName: 'tab', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
    await client.send(new dynamodb.PutItemCommand({ TableName: 'tab', Item: { pk: { S: 'a' }, v: { S: 'before' } } }));
    const { Item } = await client.send(new dynamodb.GetItemCommand({ TableName: 'tab', Key: { pk: { S: 'a' } } }));
    Item!.v = { S: 'after' };
    expect((await db.getItem({ TableName: 'tab', Key: { pk: { S: 'a' } } })).Item?.v).toEqual({ S: 'before' });
  });

  it('lets waiters poll the database', async () => {
    const db = database();
    const client = serveInProcess(new dynamodb.DynamoDBClient({ region: 'us-east-1', credentials }), db);
    await client.send(new dynamodb.CreateTableCommand({ TableName: 'wait', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
    const result = await dynamodb.waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: 'wait' });
    expect(result.state).toBe('SUCCESS');
  });

  it('needs no region and no credentials: nothing is resolved, signed or sent', async () => {
    const saved = { ...process.env };
    for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) delete process.env[name];
    process.env.AWS_PROFILE = 'magneto-no-such-profile';
    try {
      const client = serveInProcess(new dynamodb.DynamoDBClient({}), database());
      expect((await client.send(new dynamodb.ListTablesCommand({}))).TableNames).toEqual([]);
    } finally {
      process.env = saved;
    }
  });

  it('runs each send with its own command: many DocumentClient and DynamoDBClient commands of one class, concurrently', async () => {
    const db = database();
    const client = serveInProcess(new dynamodb.DynamoDBClient({ region: 'us-east-1', credentials }), db);
    const docs = DynamoDBDocumentClient.from(client);
    await db.createTable({ TableName: 'tab', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
    const ids = Array.from({ length: 20 }, (_, i) => `k${i}`);
    await Promise.all(ids.map((pk, n) => docs.send(new PutCommand({ TableName: 'tab', Item: { pk, n } }))));
    const viaDocs = await Promise.all(ids.map((pk) => docs.send(new GetCommand({ TableName: 'tab', Key: { pk } }))));
    expect(viaDocs.map(({ Item }) => Item)).toEqual(ids.map((pk, n) => ({ pk, n })));
    const viaClient = await Promise.all(ids.map((pk) => client.send(new dynamodb.GetItemCommand({ TableName: 'tab', Key: { pk: { S: pk } } }))));
    expect(viaClient.map(({ Item }) => Item?.n)).toEqual(ids.map((_, n) => ({ N: String(n) })));
  });

  it("runs the caller's own middleware, added before or after serveInProcess, in the SDK's order, and stops running it once removed", async () => {
    const db = database();
    const client = new dynamodb.DynamoDBClient({ region: 'us-east-1', credentials });
    const seen: string[] = [];
    const tag = (label: string) => (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      seen.push(label);
      return next(args);
    };
    client.middlewareStack.add(tag('build') as never, { step: 'build', name: 'callerBuild' });
    serveInProcess(client, db);
    client.middlewareStack.add(tag('initialize') as never, { step: 'initialize', name: 'callerInitialize' });
    client.middlewareStack.addRelativeTo(tag('before build') as never, { relation: 'before', toMiddleware: 'callerBuild', name: 'callerBeforeBuild' });
    const docs = DynamoDBDocumentClient.from(client);
    await client.send(new dynamodb.ListTablesCommand({}));
    expect(seen).toEqual(['initialize', 'before build', 'build']);
    client.middlewareStack.remove('callerBuild');
    client.middlewareStack.remove('callerBeforeBuild');
    seen.length = 0;
    await docs.send(new GetCommand({ TableName: 'none', Key: { pk: 'x' } })).catch(() => undefined);
    await client.send(new dynamodb.ListTablesCommand({}));
    expect(seen).toEqual(['initialize', 'initialize']);
    // A stack smithy would refuse is refused as smithy refuses it (synchronously, from send).
    client.middlewareStack.addRelativeTo(tag('lost') as never, { relation: 'after', toMiddleware: 'noSuchMiddleware', name: 'callerLost' });
    expect(() => client.send(new dynamodb.ListTablesCommand({}))).toThrow('noSuchMiddleware is not found when adding callerLost middleware after noSuchMiddleware');
  });
});
