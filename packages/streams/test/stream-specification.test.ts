import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  ListStreamsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb-streams';
import { Database } from '@magneto/core';
import { describe, expect, it } from 'vitest';
import { readStream, setup, streamTable } from './support/clients.js';

const DAY = 24 * 60 * 60 * 1000;

async function rejects(promise: Promise<unknown>, name: string, message: string): Promise<void> {
  const error = (await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  )) as Error;
  expect({ name: error.name, message: error.message }).toEqual({ name, message });
}

describe('StreamSpecification', () => {
  it('CreateTable with a stream: DescribeTable shows StreamSpecification, LatestStreamArn and LatestStreamLabel', async () => {
    const { dynamodb } = setup();
    const created = await dynamodb.send(new CreateTableCommand(streamTable('users', 'NEW_IMAGE')));
    const label = '2026-01-15T12:00:00.250';
    const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/users/stream/${label}`;
    expect(created.TableDescription).toMatchObject({
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      LatestStreamLabel: label,
    });
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'users' }));
    expect(Table!.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(Table!.LatestStreamLabel).toBe(label);
    expect(Table!.LatestStreamArn).toMatch(/^arn:aws:dynamodb:us-east-1:\d{12}:table\/users\/stream\/2026-01-15T12:00:00\.250$/);
    expect(Table!.LatestStreamArn!.replace(/:\d{12}:/, ':000000000000:')).toBe(arn);
  });

  it('a table without a stream shows none of the stream fields; StreamEnabled false on CreateTable asks for none', async () => {
    const { dynamodb } = setup();
    await dynamodb.send(new CreateTableCommand(streamTable('plain', undefined)));
    await dynamodb.send(
      new CreateTableCommand({ ...streamTable('off', undefined), StreamSpecification: { StreamEnabled: false } }),
    );
    for (const TableName of ['plain', 'off']) {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName }));
      expect(Table!.StreamSpecification).toBeUndefined();
      expect(Table!.LatestStreamArn).toBeUndefined();
      expect(Table!.LatestStreamLabel).toBeUndefined();
    }
  });

  it("DynamoDB's UpdateTable checks and messages", async () => {
    const { dynamodb } = setup();
    await dynamodb.send(new CreateTableCommand(streamTable('tbl', undefined)));
    const update = (StreamSpecification: { StreamEnabled: boolean; StreamViewType?: 'KEYS_ONLY' | 'NEW_IMAGE' }) =>
      dynamodb.send(new UpdateTableCommand({ TableName: 'tbl', StreamSpecification }));
    await rejects(update({ StreamEnabled: false }), 'ValidationException', 'Table has no stream to disable: TableName: tbl');
    await rejects(
      update({ StreamEnabled: true }),
      'ValidationException',
      'One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required',
    );
    await update({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
    await rejects(update({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' }), 'ValidationException', 'Table already has an enabled stream: TableName: tbl');
    await rejects(update({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' }), 'ValidationException', 'Table already has an enabled stream: TableName: tbl');
    await rejects(
      update({ StreamEnabled: false, StreamViewType: 'KEYS_ONLY' }),
      'ValidationException',
      'One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified',
    );
    await update({ StreamEnabled: false });
    await rejects(update({ StreamEnabled: false }), 'ValidationException', 'Table has no stream to disable: TableName: tbl');
  });

  it('CreateTable with StreamEnabled and no StreamViewType is refused', async () => {
    const { dynamodb } = setup();
    await rejects(
      dynamodb.send(new CreateTableCommand({ ...streamTable('tbl', undefined), StreamSpecification: { StreamEnabled: true } })),
      'ValidationException',
      'One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required',
    );
    await rejects(dynamodb.send(new DescribeTableCommand({ TableName: 'tbl' })), 'ResourceNotFoundException', 'Requested resource not found: Table: tbl not found');
  });

  it('a database without the module refuses a StreamSpecification, naming the module', async () => {
    const db = new Database();
    await expect(db.createTable(streamTable('tbl', 'KEYS_ONLY') as never)).rejects.toThrow(/streams module.*@magneto\/streams/);
  });

  it('disabling keeps LatestStreamArn; the disabled stream stays readable 24 h; re-enabling makes a new ARN', async () => {
    const { dynamodb, streamsClient, clock } = setup();
    await dynamodb.send(new CreateTableCommand(streamTable('tbl', 'KEYS_ONLY')));
    await dynamodb.send(new PutItemCommand({ TableName: 'tbl', Item: { id: { S: '1' } } }));
    const first = (await dynamodb.send(new DescribeTableCommand({ TableName: 'tbl' }))).Table!.LatestStreamArn!;
    await dynamodb.send(new UpdateTableCommand({ TableName: 'tbl', StreamSpecification: { StreamEnabled: false } }));
    await dynamodb.send(new PutItemCommand({ TableName: 'tbl', Item: { id: { S: '2' } } }));
    const afterDisable = (await dynamodb.send(new DescribeTableCommand({ TableName: 'tbl' }))).Table!;
    expect(afterDisable.StreamSpecification).toBeUndefined();
    expect(afterDisable.LatestStreamArn).toBe(first);
    const disabled = await streamsClient.send(new DescribeStreamCommand({ StreamArn: first }));
    expect(disabled.StreamDescription!.StreamStatus).toBe('DISABLED');
    expect(disabled.StreamDescription!.Shards!.every((s) => s.SequenceNumberRange!.EndingSequenceNumber !== undefined)).toBe(true);
    expect((await readStream(streamsClient, first)).map((r) => r.dynamodb!.Keys!.id!.S)).toEqual(['1']);

    await clock.advance(1);
    await dynamodb.send(
      new UpdateTableCommand({ TableName: 'tbl', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }),
    );
    const second = (await dynamodb.send(new DescribeTableCommand({ TableName: 'tbl' }))).Table!.LatestStreamArn!;
    expect(second).not.toBe(first);
    const listed = await streamsClient.send(new ListStreamsCommand({ TableName: 'tbl' }));
    expect(listed.Streams!.map((s) => s.StreamArn)).toEqual([first, second]);

    await clock.advance(DAY);
    await rejects(
      streamsClient.send(new DescribeStreamCommand({ StreamArn: first })),
      'ResourceNotFoundException',
      `Requested resource not found: Stream: ${first} not found`,
    );
    expect((await streamsClient.send(new ListStreamsCommand({}))).Streams!.map((s) => s.StreamArn)).toEqual([second]);
  });

  it("a disabled stream's records are freed after 24 h even if nothing reads or re-enables", async () => {
    const { dynamodb, clock, module } = setup();
    await dynamodb.send(new CreateTableCommand(streamTable('idle', 'NEW_IMAGE')));
    for (let i = 0; i < 10; i++) await dynamodb.send(new PutItemCommand({ TableName: 'idle', Item: { id: { S: `i${i}` } } }));
    const arn = (await dynamodb.send(new DescribeTableCommand({ TableName: 'idle' }))).Table!.LatestStreamArn!;
    const stream = module.store!.stream(arn)!;
    await dynamodb.send(new UpdateTableCommand({ TableName: 'idle', StreamSpecification: { StreamEnabled: false } }));
    expect(stream.shards[0]!.records.end - stream.shards[0]!.records.head).toBe(10);
    await clock.advance(DAY);
    expect(stream.shards).toEqual([]);
    expect((await dynamodb.send(new DescribeTableCommand({ TableName: 'idle' }))).Table!.LatestStreamArn).toBe(arn);
  });

  it('DeleteTable disables the stream, which stays readable for 24 h', async () => {
    const { dynamodb, streamsClient, clock } = setup();
    await dynamodb.send(new CreateTableCommand(streamTable('gone', 'NEW_AND_OLD_IMAGES')));
    await dynamodb.send(new PutItemCommand({ TableName: 'gone', Item: { id: { S: 'x' } } }));
    const arn = (await dynamodb.send(new DescribeTableCommand({ TableName: 'gone' }))).Table!.LatestStreamArn!;
    await dynamodb.send(new DeleteTableCommand({ TableName: 'gone' }));
    const described = await streamsClient.send(new DescribeStreamCommand({ StreamArn: arn }));
    expect(described.StreamDescription).toMatchObject({ StreamStatus: 'DISABLED', TableName: 'gone' });
    expect(await readStream(streamsClient, arn)).toHaveLength(1);
    await clock.advance(DAY - 1);
    expect(await readStream(streamsClient, arn)).toHaveLength(1);
    await clock.advance(1);
    await expect(streamsClient.send(new DescribeStreamCommand({ StreamArn: arn }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('ListStreams and DescribeStream', () => {
  it('ListStreams pages with Limit and ExclusiveStartStreamArn, filters by TableName', async () => {
    const { dynamodb, streamsClient } = setup();
    for (const name of ['c', 'a', 'b']) await dynamodb.send(new CreateTableCommand(streamTable(`table-${name}`, 'KEYS_ONLY')));
    await dynamodb.send(new CreateTableCommand(streamTable('no-stream', undefined)));
    const page1 = await streamsClient.send(new ListStreamsCommand({ Limit: 2 }));
    expect(page1.Streams!.map((s) => s.TableName)).toEqual(['table-a', 'table-b']);
    expect(page1.Streams![0]).toEqual({
      StreamArn: expect.stringContaining(':table/table-a/stream/2026-01-15T12:00:00.250'),
      TableName: 'table-a',
      StreamLabel: '2026-01-15T12:00:00.250',
    });
    expect(page1.LastEvaluatedStreamArn).toBe(page1.Streams![1]!.StreamArn);
    const page2 = await streamsClient.send(new ListStreamsCommand({ Limit: 2, ExclusiveStartStreamArn: page1.LastEvaluatedStreamArn }));
    expect(page2.Streams!.map((s) => s.TableName)).toEqual(['table-c']);
    expect(page2.LastEvaluatedStreamArn).toBeUndefined();
    const filtered = await streamsClient.send(new ListStreamsCommand({ TableName: 'table-b' }));
    expect(filtered.Streams!.map((s) => s.TableName)).toEqual(['table-b']);
    await rejects(
      streamsClient.send(new ListStreamsCommand({ Limit: 0 })),
      'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it('DescribeStream: status, view type, key schema, creation time, shards', async () => {
    const { dynamodb, streamsClient } = setup();
    await dynamodb.send(
      new CreateTableCommand({
        ...streamTable('orders', 'OLD_IMAGE'),
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'at', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'id', KeyType: 'HASH' },
          { AttributeName: 'at', KeyType: 'RANGE' },
        ],
      }),
    );
    const arn = (await dynamodb.send(new DescribeTableCommand({ TableName: 'orders' }))).Table!.LatestStreamArn!;
    const { StreamDescription } = await streamsClient.send(new DescribeStreamCommand({ StreamArn: arn }));
    expect(StreamDescription).toEqual({
      StreamArn: arn,
      StreamLabel: '2026-01-15T12:00:00.250',
      StreamStatus: 'ENABLED',
      StreamViewType: 'OLD_IMAGE',
      CreationRequestDateTime: new Date(Date.UTC(2026, 0, 15, 12, 0, 0, 250)),
      TableName: 'orders',
      KeySchema: [
        { AttributeName: 'id', KeyType: 'HASH' },
        { AttributeName: 'at', KeyType: 'RANGE' },
      ],
      Shards: [
        {
          ShardId: expect.stringMatching(/^shardId-\d{20}-[0-9a-f]{8}$/),
          SequenceNumberRange: { StartingSequenceNumber: expect.stringMatching(/^\d{21}$/) },
        },
      ],
    });
    await rejects(
      streamsClient.send(new DescribeStreamCommand({ StreamArn: arn.replace('orders', 'nothing') })),
      'ResourceNotFoundException',
      `Requested resource not found: Stream: ${arn.replace('orders', 'nothing')} not found`,
    );
  });
});
