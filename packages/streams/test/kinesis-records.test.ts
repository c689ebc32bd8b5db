/**
 * What a table writes to its Kinesis destination: one record per item change, as DynamoDB writes it to
 * Kinesis Data Streams (both images, no view type), in Kinesis's GetRecords envelope.
 */
import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  EnableKinesisStreamingDestinationCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateKinesisStreamingDestinationCommand,
} from '@aws-sdk/client-dynamodb';
import { createRequestHandler, Database, ManualClock, md5, type ModuleContext } from '@magneto/core';
import { describe, expect, it } from 'vitest';
import { installKinesisDestinations, parseKinesisRecordData, type KinesisDestinations, type KinesisRecord } from '../src/kinesis/index.js';
import { toHex } from '../src/kinesis/hex.js';

const START = Date.UTC(2026, 0, 15, 12, 0, 0, 250);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function setup(precision?: 'MILLISECOND' | 'MICROSECOND') {
  const clock = new ManualClock(START);
  let destinations!: KinesisDestinations;
  let context!: ModuleContext;
  const db = new Database({
    clock,
    region: 'eu-west-1',
    modules: [
      {
        name: 'kinesis-test',
        install(ctx) {
          context = ctx;
          destinations = installKinesisDestinations(ctx, {});
        },
      },
    ],
  });
  const client = new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db) });
  await client.send(
    new CreateTableCommand({
      TableName: 'orders',
      KeySchema: [
        { AttributeName: 'customer', KeyType: 'HASH' },
        { AttributeName: 'n', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'customer', AttributeType: 'S' },
        { AttributeName: 'n', AttributeType: 'N' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const StreamArn = destinations.createStream('orders-changes');
  await client.send(
    new EnableKinesisStreamingDestinationCommand({
      TableName: 'orders',
      StreamArn,
      ...(precision ? { EnableKinesisStreamingConfiguration: { ApproximateCreationDateTimePrecision: precision } } : {}),
    }),
  );
  const consumer = destinations.consumer(StreamArn, 'test');
  return { db, clock, client, destinations, context, StreamArn, consumer };
}

const dataOf = (records: readonly KinesisRecord[]) => records.map((r) => parseKinesisRecordData(r));

describe('Kinesis destination records', () => {
  it('writes INSERT, MODIFY and REMOVE with both images, DynamoDB JSON and the record keys in DynamoDB order', async () => {
    const { client, clock, consumer } = await setup();
    await client.send(new PutItemCommand({ TableName: 'orders', Item: { customer: { S: 'ada' }, n: { N: '1' }, amount: { N: '12.5' }, tag: { B: new Uint8Array([1, 2, 3, 250]) } } }));
    await clock.advance(5);
    await client.send(
      new UpdateItemCommand({
        TableName: 'orders',
        Key: { customer: { S: 'ada' }, n: { N: '1' } },
        UpdateExpression: 'SET amount = :t',
        ExpressionAttributeValues: { ':t': { N: '20' } },
      }),
    );
    await clock.advance(5);
    await client.send(new DeleteItemCommand({ TableName: 'orders', Key: { customer: { S: 'ada' }, n: { N: '1' } } }));

    const records = consumer.read();
    expect(records).toHaveLength(3);
    const [insert, modify, remove] = dataOf(records);
    const keys = { customer: { S: 'ada' }, n: { N: '1' } };
    const first = { customer: { S: 'ada' }, n: { N: '1' }, amount: { N: '12.5' }, tag: { B: 'AQID+g==' } };
    const second = { ...first, amount: { N: '20' } };
    // Item sizes: customer 8+3, n 1+2 (keys 14); amount 6+3 (12.5) or 6+2 (20); tag 3+4.
    expect(insert).toEqual({
      awsRegion: 'eu-west-1',
      eventID: expect.stringMatching(UUID),
      eventName: 'INSERT',
      userIdentity: null,
      recordFormat: 'application/json',
      tableName: 'orders',
      dynamodb: { ApproximateCreationDateTime: START, ApproximateCreationDateTimePrecision: 'MILLISECOND', Keys: keys, NewImage: first, SizeBytes: 14 + 30 },
      eventSource: 'aws:dynamodb',
    });
    expect(Object.keys(insert!)).toEqual(['awsRegion', 'eventID', 'eventName', 'userIdentity', 'recordFormat', 'tableName', 'dynamodb', 'eventSource']);
    expect(Object.keys(modify!.dynamodb)).toEqual(['ApproximateCreationDateTime', 'ApproximateCreationDateTimePrecision', 'Keys', 'NewImage', 'OldImage', 'SizeBytes']);
    expect(modify).toMatchObject({
      eventName: 'MODIFY',
      userIdentity: null,
      dynamodb: { ApproximateCreationDateTime: START + 5, Keys: keys, NewImage: second, OldImage: first, SizeBytes: 14 + 29 + 30 },
    });
    expect(remove).toMatchObject({ eventName: 'REMOVE', dynamodb: { ApproximateCreationDateTime: START + 10, Keys: keys, OldImage: second, SizeBytes: 14 + 29 } });
    expect(remove!.dynamodb.NewImage).toBeUndefined();
    expect(new Set([insert!.eventID, modify!.eventID, remove!.eventID]).size).toBe(3);
  });

  it('wraps each in the Kinesis envelope: increasing 56-digit sequence numbers, one partition key per item, arrival time', async () => {
    const { client, clock, consumer } = await setup();
    const put = (customer: string, n: string) => client.send(new PutItemCommand({ TableName: 'orders', Item: { customer: { S: customer }, n: { N: n } } }));
    await put('ada', '1');
    await clock.advance(1000);
    await put('ada', '2');
    await put('bob', '1');
    const [a1, a2, b1] = consumer.read();
    for (const record of [a1!, a2!, b1!]) {
      expect(Object.keys(record)).toEqual(['SequenceNumber', 'PartitionKey', 'ApproximateArrivalTimestamp', 'Data']);
      expect(record.SequenceNumber).toMatch(/^\d{56}$/);
      expect(record.PartitionKey).toMatch(/^[0-9A-F]{32}$/);
      expect(record.Data).toBeInstanceOf(Uint8Array);
    }
    expect(BigInt(a1!.SequenceNumber) < BigInt(a2!.SequenceNumber) && BigInt(a2!.SequenceNumber) < BigInt(b1!.SequenceNumber)).toBe(true);
    // The partition key follows the item's partition key, so one item's changes stay on one shard in order.
    expect(a2!.PartitionKey).toBe(a1!.PartitionKey);
    expect(b1!.PartitionKey).not.toBe(a1!.PartitionKey);
    expect(a1!.ApproximateArrivalTimestamp).toEqual(new Date(START));
    expect(a2!.ApproximateArrivalTimestamp).toEqual(new Date(START + 1000));
  });

  it('marks deletions by Time to Live with the DynamoDB service identity', async () => {
    const { client, context, consumer } = await setup();
    await client.send(new PutItemCommand({ TableName: 'orders', Item: { customer: { S: 'ada' }, n: { N: '1' }, expires: { N: '1700000000' } } }));
    context.systemDelete('orders', { customer: { S: 'ada' }, n: { N: '1' } }, 'ttl');
    const [insert, expiry] = dataOf(consumer.read());
    expect(insert!.userIdentity).toBeNull();
    expect(expiry).toMatchObject({
      eventName: 'REMOVE',
      userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
      dynamodb: { Keys: { customer: { S: 'ada' }, n: { N: '1' } }, OldImage: { expires: { N: '1700000000' } } },
    });
    expect(Object.keys(expiry!.userIdentity!)).toEqual(['type', 'principalId']);
  });

  it('writes microseconds under MICROSECOND precision, keeping the order of changes within one millisecond', async () => {
    const { client, clock, consumer } = await setup('MICROSECOND');
    const put = (n: string) => client.send(new PutItemCommand({ TableName: 'orders', Item: { customer: { S: 'ada' }, n: { N: n } } }));
    await put('1');
    await put('2');
    await clock.advance(3);
    await put('3');
    const times = dataOf(consumer.read()).map((d) => [d.dynamodb.ApproximateCreationDateTime, d.dynamodb.ApproximateCreationDateTimePrecision]);
    expect(times).toEqual([
      [START * 1000, 'MICROSECOND'],
      [START * 1000 + 1, 'MICROSECOND'],
      [(START + 3) * 1000, 'MICROSECOND'],
    ]);
  });

  it('switches precision with UpdateKinesisStreamingDestination', async () => {
    const { client, consumer, StreamArn } = await setup();
    const put = (n: string) => client.send(new PutItemCommand({ TableName: 'orders', Item: { customer: { S: 'ada' }, n: { N: n } } }));
    await put('1');
    await client.send(
      new UpdateKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn, UpdateKinesisStreamingConfiguration: { ApproximateCreationDateTimePrecision: 'MICROSECOND' } }),
    );
    await put('2');
    const [before, after] = dataOf(consumer.read());
    expect(before!.dynamodb).toMatchObject({ ApproximateCreationDateTime: START, ApproximateCreationDateTimePrecision: 'MILLISECOND' });
    expect(after!.dynamodb).toMatchObject({ ApproximateCreationDateTime: START * 1000, ApproximateCreationDateTimePrecision: 'MICROSECOND' });
  });

  it('writes binary as base64 at any depth, and nothing for a put that changes nothing', async () => {
    const { client, consumer } = await setup();
    const Item = {
      customer: { S: 'ada' },
      n: { N: '1' },
      set: { BS: [new Uint8Array([0]), new Uint8Array([255, 255])] },
      nested: { M: { list: { L: [{ B: new Uint8Array([104, 105]) }, { S: 'plain' }] } } },
    };
    await client.send(new PutItemCommand({ TableName: 'orders', Item }));
    await client.send(new PutItemCommand({ TableName: 'orders', Item }));
    const data = dataOf(consumer.read());
    expect(data).toHaveLength(1);
    expect(data[0]!.dynamodb.NewImage).toEqual({
      customer: { S: 'ada' },
      n: { N: '1' },
      set: { BS: ['AA==', '//8='] },
      nested: { M: { list: { L: [{ B: 'aGk=' }, { S: 'plain' }] } } },
    });
  });

  it('computes partition keys with MD5 (RFC 1321 test vectors)', () => {
    const hex = (s: string) => toHex(md5(new TextEncoder().encode(s)));
    expect(hex('')).toBe('D41D8CD98F00B204E9800998ECF8427E');
    expect(hex('abc')).toBe('900150983CD24FB0D6963F7D28E17F72');
    expect(hex('12345678901234567890123456789012345678901234567890123456789012345678901234567890')).toBe('57EDF4A22BE3C955AC49DA2E2107B67A');
  });

  it('writes one record per item of a transaction, and none for a failed condition', async () => {
    const { client, consumer } = await setup();
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'orders', Item: { customer: { S: 'ada' }, n: { N: '1' } } } },
          { Put: { TableName: 'orders', Item: { customer: { S: 'bob' }, n: { N: '1' } } } },
        ],
      }),
    );
    await expect(
      client.send(new PutItemCommand({ TableName: 'orders', Item: { customer: { S: 'ada' }, n: { N: '1' } }, ConditionExpression: 'attribute_not_exists(customer)' })),
    ).rejects.toThrow();
    const data = dataOf(consumer.read());
    expect(data.map((d) => [d.eventName, d.dynamodb.Keys.customer])).toEqual([
      ['INSERT', { S: 'ada' }],
      ['INSERT', { S: 'bob' }],
    ]);
  });
});
