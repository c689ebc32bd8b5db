import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import { createRequestHandler, Database, ManualClock, ttl, type Item } from '@magneto/core';
import { streams } from '@magneto/streams';
import { describe, expect, it } from 'vitest';

const users = {
  TableName: 'users',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }, { AttributeName: 'team', AttributeType: 'S' as const }],
  GlobalSecondaryIndexes: [{ IndexName: 'byTeam', KeySchema: [{ AttributeName: 'team', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const } }],
  BillingMode: 'PAY_PER_REQUEST' as const,
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' as const },
};
const user = (id: string, team: string, extra: Item = {}): Item => ({ id: { S: id }, team: { S: team }, ...extra });

/** Everything a test can read of the database: tables, settings, items by scan and by index, TTL, streams. */
async function observable(db: Database): Promise<unknown> {
  const { TableNames = [] } = await db.listTables({});
  const tables: Record<string, unknown> = {};
  for (const name of TableNames) {
    const { Table } = await db.describeTable({ TableName: name });
    const { Items } = await db.scan({ TableName: name });
    const byTeam = Table?.GlobalSecondaryIndexes === undefined ? undefined : (await db.scan({ TableName: name, IndexName: 'byTeam' })).Items;
    const timeToLive = (await db.describeTimeToLive({ TableName: name })).TimeToLiveDescription;
    tables[name] = { Table, Items, byTeam, timeToLive };
  }
  return tables;
}

async function streamRecords(db: Database): Promise<unknown[]> {
  const client = new DynamoDBStreamsClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, requestHandler: createRequestHandler(db) });
  const { Table } = await db.describeTable({ TableName: 'users' });
  const streamArn = Table!.LatestStreamArn as string;
  const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const records: unknown[] = [];
  for (const shard of StreamDescription!.Shards!) {
    const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
    records.push(...((await client.send(new GetRecordsCommand({ ShardIterator: ShardIterator! }))).Records ?? []).map((r) => r.dynamodb?.Keys));
  }
  return records;
}

describe('Database.savepoint / rollback / reset', () => {
  it('rollback puts back every item, index entry, table setting, TTL setting and stream record, and drops tables created since', async () => {
    const db = new Database({ clock: new ManualClock(Date.UTC(2026, 0, 1)), modules: [ttl(), streams()] });
    await db.createTable(users);
    await db.putItem({ TableName: 'users', Item: user('ada', 'red') });
    await db.putItem({ TableName: 'users', Item: user('bob', 'blue') });
    const before = await observable(db);
    const recordsBefore = await streamRecords(db);
    const fixture = db.savepoint();

    await db.putItem({ TableName: 'users', Item: user('ada', 'green', { n: { N: '1' } }) });
    await db.deleteItem({ TableName: 'users', Key: { id: { S: 'bob' } } });
    await db.putItem({ TableName: 'users', Item: user('cyd', 'red') });
    await db.transactWriteItems({ TransactItems: [{ Put: { TableName: 'users', Item: user('dan', 'blue') } }, { Update: { TableName: 'users', Key: { id: { S: 'cyd' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '2' } } } }] });
    await db.updateTable({ TableName: 'users', DeletionProtectionEnabled: true });
    await db.updateTimeToLive({ TableName: 'users', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } });
    await db.createTable({ ...users, TableName: 'extra', StreamSpecification: undefined });
    expect(await observable(db)).not.toEqual(before);

    db.rollback(fixture);
    expect(await observable(db)).toEqual(before);
    expect(await streamRecords(db)).toEqual(recordsBefore);

    // The same savepoint serves again, and the database works on from it.
    await db.putItem({ TableName: 'users', Item: user('eve', 'red') });
    db.rollback(fixture);
    expect(await observable(db)).toEqual(before);
    await db.putItem({ TableName: 'users', Item: user('eve', 'red') });
    expect((await db.getItem({ TableName: 'users', Key: { id: { S: 'eve' } } })).Item).toEqual(user('eve', 'red'));
  });

  it('brings back a table deleted since the savepoint, with its items', async () => {
    const db = new Database({ modules: [ttl()] });
    await db.createTable({ ...users, StreamSpecification: undefined });
    await db.putItem({ TableName: 'users', Item: user('ada', 'red') });
    const before = await observable(db);
    const fixture = db.savepoint();
    await db.putItem({ TableName: 'users', Item: user('bob', 'red') });
    await db.deleteTable({ TableName: 'users' });
    await db.createTable({ ...users, StreamSpecification: undefined });
    await db.putItem({ TableName: 'users', Item: user('new', 'red') });
    db.rollback(fixture);
    expect(await observable(db)).toEqual(before);
  });

  it('keeps savepoints taken after the one rolled back to, and forgets every savepoint on reset', async () => {
    const db = new Database();
    await db.createTable({ ...users, StreamSpecification: undefined });
    const first = db.savepoint();
    await db.putItem({ TableName: 'users', Item: user('ada', 'red') });
    const second = db.savepoint();
    db.rollback(first);
    db.rollback(second);
    expect((await db.getItem({ TableName: 'users', Key: { id: { S: 'ada' } } })).Item).toEqual(user('ada', 'red'));
    db.reset();
    expect((await db.listTables({})).TableNames).toEqual([]);
    expect(() => db.rollback(first)).toThrow('This savepoint no longer exists');
    expect(() => new Database().rollback(db.savepoint())).toThrow('rollback() needs a savepoint of this database');
  });

  it('reset empties the database, streams included', async () => {
    const db = new Database({ modules: [streams()] });
    await db.createTable(users);
    await db.putItem({ TableName: 'users', Item: user('ada', 'red') });
    db.reset();
    expect((await db.listTables({})).TableNames).toEqual([]);
    await db.createTable(users);
    expect(await streamRecords(db)).toEqual([]);
  });
});
