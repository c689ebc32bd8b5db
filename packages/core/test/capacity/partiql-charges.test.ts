/**
 * capacity(): PartiQL is charged and throttled as the operations it runs as (Developer Guide, "PartiQL
 * for DynamoDB": a statement consumes what the equivalent GetItem, PutItem, UpdateItem, DeleteItem, Query
 * or Scan consumes). ExecuteStatement fails with the operation's throttling exception; BatchExecuteStatement
 * answers a throttled statement as its own Error (`ProvisionedThroughputExceeded`, BatchStatementError)
 * and does the others; ExecuteTransaction is a TransactGetItems / TransactWriteItems: 2 units per item,
 * TransactionCanceledException with ThrottlingError reasons, and a replayed ClientRequestToken admitted as
 * the read it is. A transaction's 2× is the base table's alone: each GSI write costs what it costs outside
 * one (captured against real DynamoDB: a transactional Put of an indexed item reports table 2, GSI 1;
 * nubo-db/dynoxide#188).
 */
import {
  BatchExecuteStatementCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { capacity, createRequestHandler, Database, ManualClock, type CreateTableInput } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/things';

async function setup(throughput: { read: number; write: number }, indexWrite?: number) {
  const clock = new ManualClock(Date.UTC(2024, 0, 1));
  const cap = capacity({ burstSeconds: 0 });
  const db = new Database({ clock, modules: [cap] });
  const table: CreateTableInput = {
    TableName: 'things',
    KeySchema: keys('pk'),
    AttributeDefinitions: attributes(indexWrite === undefined ? { pk: 'S' } : { pk: 'S', g: 'S' }),
    ProvisionedThroughput: { ReadCapacityUnits: throughput.read, WriteCapacityUnits: throughput.write },
  };
  if (indexWrite !== undefined) {
    table.GlobalSecondaryIndexes = [{ IndexName: 'byG', KeySchema: keys('g'), Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 100, WriteCapacityUnits: indexWrite } }];
  }
  await db.createTable(table);
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db), maxAttempts: 1 });
  const minute = (indexName?: string) => cap.metrics('things', indexName === undefined ? {} : { indexName }).at(-1);
  const consumed = (indexName?: string) => ({ read: minute(indexName)?.ConsumedReadCapacityUnits ?? 0, write: minute(indexName)?.ConsumedWriteCapacityUnits ?? 0 });
  const exists = async (pk: string) => (await client.send(new GetItemCommand({ TableName: 'things', Key: { pk: { S: pk } } }))).Item !== undefined;
  return { clock, db, client, consumed, minute, exists };
}

const insert = (pk: string) => ({ Statement: `INSERT INTO things VALUE {'pk': ?}`, Parameters: [{ S: pk }] });
const select = (pk: string) => ({ Statement: `SELECT * FROM things WHERE pk = ?`, Parameters: [{ S: pk }] });

describe('capacity() › ExecuteStatement through the AWS SDK', () => {
  it('charges an INSERT as a PutItem and throttles it past the WCU, changing nothing, until a second passes', async () => {
    const { clock, client, consumed, minute, exists } = await setup({ read: 100, write: 2 });
    const first = await client.send(new ExecuteStatementCommand({ ...insert('a'), ReturnConsumedCapacity: 'TOTAL' }));
    expect(first.ConsumedCapacity).toEqual({ TableName: 'things', CapacityUnits: 1 });
    await client.send(new ExecuteStatementCommand(insert('b')));
    expect(consumed().write).toBe(2);
    const error = await client.send(new ExecuteStatementCommand(insert('c'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect((error as ProvisionedThroughputExceededException).ThrottlingReasons).toEqual([{ reason: 'TableWriteProvisionedThroughputExceeded', resource: ARN }]);
    expect(minute()?.ThrottledRequests).toEqual({ ExecuteStatement: 1 });
    expect(await exists('c')).toBe(false);
    await clock.advance(1000);
    await client.send(new ExecuteStatementCommand(insert('c')));
    expect(await exists('c')).toBe(true);
  });

  it('charges UPDATE and DELETE as UpdateItem and DeleteItem, and a SELECT by key as an eventually consistent GetItem', async () => {
    const { clock, client, consumed } = await setup({ read: 1, write: 10 });
    await client.send(new ExecuteStatementCommand(insert('a')));
    await client.send(new ExecuteStatementCommand({ Statement: `UPDATE things SET n = 1 WHERE pk = 'a'` }));
    await client.send(new ExecuteStatementCommand({ Statement: `DELETE FROM things WHERE pk = 'a'` }));
    expect(consumed().write).toBe(3);
    // Half a unit each: two eventually consistent reads spend the one RCU, the third is throttled.
    const read = await client.send(new ExecuteStatementCommand({ ...select('a'), ReturnConsumedCapacity: 'TOTAL' }));
    expect(read.ConsumedCapacity).toEqual({ TableName: 'things', CapacityUnits: 0.5 });
    await client.send(new ExecuteStatementCommand(select('a')));
    expect(consumed().read).toBe(1);
    const error = await client.send(new ExecuteStatementCommand(select('a'))).catch((e: unknown) => e);
    expect((error as ProvisionedThroughputExceededException).ThrottlingReasons).toEqual([{ reason: 'TableReadProvisionedThroughputExceeded', resource: ARN }]);
    await clock.advance(1000);
    // A strongly consistent SELECT that reads the whole table is a Scan: charged a full unit.
    await client.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM things', ConsistentRead: true }));
    expect(consumed().read).toBe(2);
  });
});

describe('capacity() › BatchExecuteStatement through the AWS SDK', () => {
  it('answers each throttled statement with a ProvisionedThroughputExceeded Error and does the others', async () => {
    const { clock, client, consumed, exists } = await setup({ read: 1, write: 2 });
    const writes = await client.send(new BatchExecuteStatementCommand({ Statements: [insert('a'), insert('b'), insert('c')], ReturnConsumedCapacity: 'TOTAL' }));
    expect(writes.Responses?.map((r) => r.Error?.Code)).toEqual([undefined, undefined, 'ProvisionedThroughputExceeded']);
    expect(writes.ConsumedCapacity).toEqual([{ TableName: 'things', CapacityUnits: 2 }]);
    expect(consumed().write).toBe(2);
    // Half a unit each: two eventually consistent reads spend the one RCU.
    const reads = await client.send(new BatchExecuteStatementCommand({ Statements: [select('a'), select('b'), select('c')] }));
    expect(reads.Responses?.map((r) => r.Error?.Code ?? r.Item?.pk?.S)).toEqual(['a', 'b', 'ProvisionedThroughputExceeded']);
    expect(consumed().read).toBe(1);
    await clock.advance(1000);
    expect(await exists('c')).toBe(false);
  });
});

describe('capacity() › PartiQL on an on-demand table', () => {
  it('answers ThrottlingException past OnDemandThroughput, and ThrottlingError for a throttled batch statement', async () => {
    const db = new Database({ clock: new ManualClock(Date.UTC(2024, 0, 1)), modules: [capacity()] });
    await db.createTable({
      TableName: 'things',
      KeySchema: keys('pk'),
      AttributeDefinitions: attributes({ pk: 'S' }),
      BillingMode: 'PAY_PER_REQUEST',
      OnDemandThroughput: { MaxWriteRequestUnits: 1 },
    } as CreateTableInput);
    const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db), maxAttempts: 1 });
    const batch = await client.send(new BatchExecuteStatementCommand({ Statements: [insert('a'), insert('b')] }));
    expect(batch.Responses?.map((r) => r.Error?.Code)).toEqual([undefined, 'ThrottlingError']);
    const error = await client.send(new ExecuteStatementCommand(insert('c'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as ThrottlingException).throttlingReasons).toEqual([{ reason: 'TableWriteMaxOnDemandThroughputExceeded', resource: ARN }]);
  });
});

describe('capacity() › ExecuteTransaction through the AWS SDK', () => {
  it('charges a write transaction 2 units per item, cancels it past the WCU with ThrottlingError, and admits a replay of its token as a read', async () => {
    const { clock, client, consumed, exists } = await setup({ read: 100, write: 4 });
    await client.send(new ExecuteTransactionCommand({ TransactStatements: [insert('a')], ClientRequestToken: 'token-a' }));
    await client.send(new ExecuteTransactionCommand({ TransactStatements: [insert('b')] }));
    expect(consumed()).toEqual({ read: 0, write: 4 });
    const error = await client.send(new ExecuteTransactionCommand({ TransactStatements: [insert('c')] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual(['ThrottlingError']);
    // The same token within its window writes nothing: it is served while write capacity is spent, as a read.
    await client.send(new ExecuteTransactionCommand({ TransactStatements: [insert('a')], ClientRequestToken: 'token-a' }));
    expect(consumed()).toEqual({ read: 2, write: 4 });
    expect(await exists('c')).toBe(false);
    await clock.advance(1000);
    await client.send(new ExecuteTransactionCommand({ TransactStatements: [insert('c')] }));
    expect(await exists('c')).toBe(true);
  });

  it('charges a read transaction 2 units per item and cancels it past the RCU', async () => {
    const { client, consumed } = await setup({ read: 4, write: 10 });
    await client.send(new ExecuteStatementCommand(insert('a')));
    const read = await client.send(new ExecuteTransactionCommand({ TransactStatements: [select('a'), select('b')], ReturnConsumedCapacity: 'TOTAL' }));
    expect(read.ConsumedCapacity).toEqual([{ TableName: 'things', CapacityUnits: 4 }]);
    expect(consumed().read).toBe(4);
    const error = await client.send(new ExecuteTransactionCommand({ TransactStatements: [select('a')] })).catch((e: unknown) => e);
    expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual(['ThrottlingError']);
  });
});

describe('capacity() › a transaction charges its GSI writes once, not doubled', () => {
  const indexed = (pk: string) => ({ Put: { TableName: 'things', Item: { pk: { S: pk }, g: { S: 'x' } } } });

  it('reports and charges a TransactWriteItems Put of an indexed item as table 2, GSI 1', async () => {
    const { client, consumed } = await setup({ read: 100, write: 100 }, 2);
    const first = await client.send(new TransactWriteItemsCommand({ TransactItems: [indexed('a')], ReturnConsumedCapacity: 'INDEXES' }));
    expect(first.ConsumedCapacity).toEqual([{ TableName: 'things', CapacityUnits: 3, Table: { CapacityUnits: 2 }, GlobalSecondaryIndexes: { byG: { CapacityUnits: 1 } } }]);
    // The GSI's 2 WCU serve two transactional writes (doubled, they would serve one).
    await client.send(new TransactWriteItemsCommand({ TransactItems: [indexed('b')] }));
    expect(consumed('byG').write).toBe(2);
    expect(consumed().write).toBe(4);
    const error = await client.send(new TransactWriteItemsCommand({ TransactItems: [indexed('c')] })).catch((e: unknown) => e);
    expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual(['ThrottlingError']);
  });

  it('reports an ExecuteTransaction INSERT of an indexed item as table 2, GSI 1', async () => {
    const { client, consumed } = await setup({ read: 100, write: 100 }, 100);
    const output = await client.send(
      new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `INSERT INTO things VALUE {'pk': 'a', 'g': 'x'}` }], ReturnConsumedCapacity: 'INDEXES' }),
    );
    expect(output.ConsumedCapacity?.[0]).toMatchObject({ CapacityUnits: 3, Table: { CapacityUnits: 2 }, GlobalSecondaryIndexes: { byG: { CapacityUnits: 1 } } });
    expect(consumed('byG').write).toBe(1);
  });
});
