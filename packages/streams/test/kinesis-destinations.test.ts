/**
 * EnableKinesisStreamingDestination, DisableKinesisStreamingDestination, DescribeKinesisStreamingDestination
 * and UpdateKinesisStreamingDestination through the real AWS SDK v3 client: shapes, statuses on the
 * database clock, and DynamoDB's errors.
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeKinesisStreamingDestinationCommand,
  DescribeTableCommand,
  DisableKinesisStreamingDestinationCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  EnableKinesisStreamingDestinationCommand,
  PutItemCommand,
  ResourceNotFoundException,
  UpdateKinesisStreamingDestinationCommand,
} from '@aws-sdk/client-dynamodb';
import { createRequestHandler, Database, ManualClock, type DatabaseOptions } from '@magneto/core';
import { describe, expect, it } from 'vitest';
import { startServer } from '@magneto/server';
import { streams } from '@magneto/streams';
import { installKinesisDestinations, parseKinesisRecordData, type KinesisDestinations } from '../src/kinesis/index.js';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

function setup(options: DatabaseOptions = {}) {
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 12, 0, 0, 250));
  let destinations!: KinesisDestinations;
  const db = new Database({
    clock,
    ...options,
    modules: [{ name: 'kinesis-test', install: (ctx) => void (destinations = installKinesisDestinations(ctx, {})) }],
  });
  const client = new DynamoDBClient({ region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db) });
  return { db, clock, client, destinations };
}

const table = (TableName: string) =>
  new CreateTableCommand({
    TableName,
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });

async function expectError(promise: Promise<unknown>, name: string, message: string): Promise<void> {
  const error = await promise.then(
    () => new Error('expected the request to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DynamoDBServiceException);
  const sdkError = error as DynamoDBServiceException;
  expect({ name: sdkError.name, message: sdkError.message, status: sdkError.$metadata.httpStatusCode }).toEqual({ name, message, status: 400 });
}

const INVALID_STATE = 'Table is not in a valid state to enable Kinesis Streaming Destination: ';
const MUST_BE_DISABLED = `${INVALID_STATE}EnableKinesisStreamingDestination must be DISABLED or ENABLE_FAILED to perform ENABLE operation.`;
const MUST_BE_ACTIVE = `${INVALID_STATE}KinesisStreamingDestination must be ACTIVE to perform DISABLE operation.`;

describe('Kinesis streaming destination operations through the SDK', () => {
  it('answers ENABLING, then ACTIVE after the transition time; Describe lists the entry without a precision', async () => {
    const { client, clock, destinations } = setup({ tableTransitionMs: 2000 });
    await client.send(table('orders'));
    await clock.advance(2000);
    const StreamArn = destinations.createStream('orders-changes');
    expect(StreamArn).toBe(`arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/orders-changes`);

    const empty = await client.send(new DescribeKinesisStreamingDestinationCommand({ TableName: 'orders' }));
    expect({ TableName: empty.TableName, KinesisDataStreamDestinations: empty.KinesisDataStreamDestinations }).toEqual({
      TableName: 'orders',
      KinesisDataStreamDestinations: [],
    });

    const enabled = await client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn }));
    const { $metadata: _m, ...output } = enabled;
    expect(output).toEqual({ TableName: 'orders', StreamArn, DestinationStatus: 'ENABLING', EnableKinesisStreamingConfiguration: {} });
    const during = await client.send(new DescribeKinesisStreamingDestinationCommand({ TableName: 'orders' }));
    expect(during.KinesisDataStreamDestinations).toEqual([{ StreamArn, DestinationStatus: 'ENABLING' }]);

    await clock.advance(1999);
    expect((await client.send(new DescribeKinesisStreamingDestinationCommand({ TableName: 'orders' }))).KinesisDataStreamDestinations).toEqual([
      { StreamArn, DestinationStatus: 'ENABLING' },
    ]);
    await clock.advance(1);
    expect((await client.send(new DescribeKinesisStreamingDestinationCommand({ TableName: 'orders' }))).KinesisDataStreamDestinations).toEqual([
      { StreamArn, DestinationStatus: 'ACTIVE' },
    ]);
  });

  it('settles at once when tableTransitionMs is 0, and accepts the table ARN', async () => {
    const { client, destinations } = setup();
    await client.send(table('orders'));
    const StreamArn = destinations.createStream('orders-changes');
    const TableName = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`;
    const enabled = await client.send(
      new EnableKinesisStreamingDestinationCommand({ TableName, StreamArn, EnableKinesisStreamingConfiguration: { ApproximateCreationDateTimePrecision: 'MICROSECOND' } }),
    );
    expect(enabled.TableName).toBe('orders');
    expect(enabled.DestinationStatus).toBe('ENABLING');
    expect(enabled.EnableKinesisStreamingConfiguration).toEqual({ ApproximateCreationDateTimePrecision: 'MICROSECOND' });
    const described = await client.send(new DescribeKinesisStreamingDestinationCommand({ TableName }));
    expect(described.KinesisDataStreamDestinations).toEqual([
      { StreamArn, DestinationStatus: 'ACTIVE', ApproximateCreationDateTimePrecision: 'MICROSECOND' },
    ]);
  });

  it('allows one live destination per table: a second Enable, on the same stream or another, is refused', async () => {
    const { client, clock, destinations } = setup({ tableTransitionMs: 1000 });
    await client.send(table('orders'));
    await clock.advance(1000);
    const first = destinations.createStream('first-stream-of-orders');
    const second = destinations.createStream('second-stream-of-orders');
    await client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn: first }));
    // While ENABLING, and once ACTIVE.
    for (const when of ['ENABLING', 'ACTIVE']) {
      if (when === 'ACTIVE') await clock.advance(1000);
      await expectError(client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn: first })), 'ValidationException', MUST_BE_DISABLED);
      await expectError(client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn: second })), 'ValidationException', MUST_BE_DISABLED);
    }
    // Another table may stream onto the same Kinesis stream.
    await client.send(table('customers'));
    await clock.advance(1000);
    const other = await client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'customers', StreamArn: first }));
    expect(other.DestinationStatus).toBe('ENABLING');
  });

  it('disables: DISABLING (again on a second Disable), then DISABLED, still listed; re-enabling reuses the entry', async () => {
    const { client, clock, destinations } = setup({ tableTransitionMs: 1000 });
    await client.send(table('orders'));
    await clock.advance(1000);
    const StreamArn = destinations.createStream('orders-changes');
    await expectError(client.send(new DisableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn })), 'ValidationException', MUST_BE_ACTIVE);
    await client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn }));
    await expectError(client.send(new DisableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn })), 'ValidationException', MUST_BE_ACTIVE);
    await clock.advance(1000);

    await expectError(
      client.send(
        new DisableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn, EnableKinesisStreamingConfiguration: { ApproximateCreationDateTimePrecision: 'MICROSECOND' } }),
      ),
      'ValidationException',
      'Stream cannot be disabled using EnableKinesisStreamingConfiguration parameters',
    );
    const disabled = await client.send(new DisableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn }));
    const { $metadata: _m, ...output } = disabled;
    expect(output).toEqual({ TableName: 'orders', StreamArn, DestinationStatus: 'DISABLING' });
    expect((await client.send(new DisableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn }))).DestinationStatus).toBe('DISABLING');
    await expectError(client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn })), 'ValidationException', MUST_BE_DISABLED);
    await clock.advance(1000);
    expect((await client.send(new DescribeKinesisStreamingDestinationCommand({ TableName: 'orders' }))).KinesisDataStreamDestinations).toEqual([
      { StreamArn, DestinationStatus: 'DISABLED' },
    ]);
    await expectError(client.send(new DisableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn })), 'ValidationException', MUST_BE_ACTIVE);

    await client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn }));
    await clock.advance(1000);
    expect((await client.send(new DescribeKinesisStreamingDestinationCommand({ TableName: 'orders' }))).KinesisDataStreamDestinations).toEqual([
      { StreamArn, DestinationStatus: 'ACTIVE' },
    ]);
  });

  it('updates the precision: UPDATING with the new value shown, then ACTIVE; the current value is refused', async () => {
    const { client, clock, destinations } = setup({ tableTransitionMs: 1000 });
    await client.send(table('orders'));
    await clock.advance(1000);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'orders' }));
    const StreamArn = destinations.createStream('orders-changes');
    const update = (precision?: 'MILLISECOND' | 'MICROSECOND') =>
      client.send(
        new UpdateKinesisStreamingDestinationCommand({
          TableName: 'orders',
          StreamArn,
          ...(precision ? { UpdateKinesisStreamingConfiguration: { ApproximateCreationDateTimePrecision: precision } } : {}),
        }),
      );
    await expectError(
      update('MICROSECOND'),
      'ValidationException',
      `${INVALID_STATE}No streaming destination with streamArn: ${StreamArn} found for table with tableName: orders`,
    );
    await client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn }));
    const notActive = `${INVALID_STATE}Kinesis streaming is not in ACTIVE state. Updates are only allowed in ACTIVE state. TableName: orders, kdsArn: ${StreamArn}`;
    await expectError(update('MICROSECOND'), 'ValidationException', notActive);
    await clock.advance(1000);

    await expectError(
      update(),
      'ValidationException',
      'Streaming destination cannot be updated with given parameters: UpdateKinesisStreamingConfiguration cannot be null or contain only null values',
    );
    // Never set reads as absent, yet counts as MILLISECOND.
    await expectError(
      update('MILLISECOND'),
      'ValidationException',
      `Invalid Request: Precision is already set to the desired value of MILLISECOND for tableId: ${Table!.TableId}, kdsArn: ${StreamArn}`,
    );
    const updated = await update('MICROSECOND');
    const { $metadata: _m, ...output } = updated;
    expect(output).toEqual({
      TableName: 'orders',
      StreamArn,
      DestinationStatus: 'UPDATING',
      UpdateKinesisStreamingConfiguration: { ApproximateCreationDateTimePrecision: 'MICROSECOND' },
    });
    expect((await client.send(new DescribeKinesisStreamingDestinationCommand({ TableName: 'orders' }))).KinesisDataStreamDestinations).toEqual([
      { StreamArn, DestinationStatus: 'UPDATING', ApproximateCreationDateTimePrecision: 'MICROSECOND' },
    ]);
    await expectError(update('MILLISECOND'), 'ValidationException', notActive);
    await expectError(client.send(new DisableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn })), 'ValidationException', MUST_BE_ACTIVE);
    await clock.advance(1000);
    await expectError(
      update('MICROSECOND'),
      'ValidationException',
      `Invalid Request: Precision is already set to the desired value of MICROSECOND for tableId: ${Table!.TableId}, kdsArn: ${StreamArn}`,
    );
    expect((await update('MILLISECOND')).DestinationStatus).toBe('UPDATING');
  });

  it('fails asynchronously (ENABLE_FAILED with a description) when the stream cannot be written; failed entries accumulate', async () => {
    const { client, clock, destinations } = setup({ tableTransitionMs: 1000 });
    await client.send(table('orders'));
    await clock.advance(1000);
    const missing = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/never-created`;
    const elsewhere = `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/orders-changes`;
    const enabling = await client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn: missing }));
    expect(enabling.DestinationStatus).toBe('ENABLING');
    await clock.advance(1000);
    await client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn: elsewhere }));
    await clock.advance(1000);
    expect((await client.send(new DescribeKinesisStreamingDestinationCommand({ TableName: 'orders' }))).KinesisDataStreamDestinations).toEqual([
      {
        StreamArn: elsewhere,
        DestinationStatus: 'ENABLE_FAILED',
        DestinationStatusDescription: 'The kinesis Arn used to enable kinesis replication belongs to a stream which is not in the current region',
      },
      { StreamArn: missing, DestinationStatus: 'ENABLE_FAILED', DestinationStatusDescription: 'User does not have a permission to use kinesis stream' },
    ]);
    await expectError(client.send(new DisableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn: missing })), 'ValidationException', MUST_BE_ACTIVE);

    // Creating the stream and enabling again flips the failed entry.
    expect(destinations.createStream('never-created')).toBe(missing);
    await client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn: missing }));
    await clock.advance(1000);
    expect((await client.send(new DescribeKinesisStreamingDestinationCommand({ TableName: 'orders' }))).KinesisDataStreamDestinations).toEqual([
      expect.objectContaining({ StreamArn: elsewhere, DestinationStatus: 'ENABLE_FAILED' }),
      { StreamArn: missing, DestinationStatus: 'ACTIVE' },
    ]);
  });

  it('answers ResourceNotFoundException for a missing table, or one still being created', async () => {
    const { client, clock } = setup({ tableTransitionMs: 1000 });
    const StreamArn = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/orders-changes`;
    await client.send(table('orders'));
    for (const TableName of ['missing', 'orders', `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/missing`]) {
      const notFound = `Requested resource not found: Table: ${TableName} not found`;
      const sent = [
        client.send(new EnableKinesisStreamingDestinationCommand({ TableName, StreamArn })),
        client.send(new DisableKinesisStreamingDestinationCommand({ TableName, StreamArn })),
        client.send(new DescribeKinesisStreamingDestinationCommand({ TableName })),
        client.send(new UpdateKinesisStreamingDestinationCommand({ TableName, StreamArn, UpdateKinesisStreamingConfiguration: { ApproximateCreationDateTimePrecision: 'MICROSECOND' } })),
      ];
      for (const request of sent) {
        await expect(request).rejects.toBeInstanceOf(ResourceNotFoundException);
        await expectError(request, 'ResourceNotFoundException', notFound);
      }
    }
    await clock.advance(1000);
    expect((await client.send(new DescribeKinesisStreamingDestinationCommand({ TableName: 'orders' }))).KinesisDataStreamDestinations).toEqual([]);
  });

  it('while the table is being deleted: an ACTIVE destination reads UPDATING, Enable and Disable are refused; then not found', async () => {
    const { client, clock, destinations } = setup({ tableTransitionMs: 1000 });
    await client.send(table('orders'));
    await clock.advance(1000);
    const StreamArn = destinations.createStream('orders-changes');
    await client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn }));
    await clock.advance(1000);
    await client.send(new DeleteTableCommand({ TableName: 'orders' }));
    expect((await client.send(new DescribeKinesisStreamingDestinationCommand({ TableName: 'orders' }))).KinesisDataStreamDestinations).toEqual([
      { StreamArn, DestinationStatus: 'UPDATING' },
    ]);
    await expectError(client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn })), 'ValidationException', MUST_BE_DISABLED);
    await expectError(client.send(new DisableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn })), 'ValidationException', MUST_BE_ACTIVE);
    await clock.advance(1000);
    await expectError(
      client.send(new DescribeKinesisStreamingDestinationCommand({ TableName: 'orders' })),
      'ResourceNotFoundException',
      'Requested resource not found: Table: orders not found',
    );
    // A table re-created under the name starts with no destinations.
    await client.send(table('orders'));
    await clock.advance(1000);
    expect((await client.send(new DescribeKinesisStreamingDestinationCommand({ TableName: 'orders' }))).KinesisDataStreamDestinations).toEqual([]);
  });

  it('checks members before looking the table up, with Coral-style messages', async () => {
    const { client } = setup();
    await expectError(
      client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'missing', StreamArn: 'arn:aws:kinesis:us-east-1:0:stream/x' })),
      'ValidationException',
      "1 validation error detected: Value 'arn:aws:kinesis:us-east-1:0:stream/x' at 'streamArn' failed to satisfy constraint: Member must have length greater than or equal to 37",
    );
    await expectError(
      client.send(new DisableKinesisStreamingDestinationCommand({} as never)),
      'ValidationException',
      "2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null; Value null at 'streamArn' failed to satisfy constraint: Member must not be null",
    );
    await expectError(
      client.send(
        new EnableKinesisStreamingDestinationCommand({
          TableName: '',
          StreamArn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/orders-changes`,
          EnableKinesisStreamingConfiguration: { ApproximateCreationDateTimePrecision: 'NANOSECOND' as never },
        }),
      ),
      'ValidationException',
      "2 validation errors detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value 'NANOSECOND' at 'enableKinesisStreamingConfiguration.approximateCreationDateTimePrecision' failed to satisfy constraint: Member must satisfy enum value set: [MILLISECOND, MICROSECOND]",
    );
    await expectError(
      client.send(new DescribeKinesisStreamingDestinationCommand({ TableName: 'x'.repeat(1025) })),
      'ValidationException',
      `1 validation error detected: Value '${'x'.repeat(1025)}' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 1024`,
    );
  });
});

describe('Kinesis destinations in the streams() module', () => {
  it('are served by streams().kinesis, independently of the table having a DynamoDB stream', async () => {
    const module = streams();
    const db = new Database({ modules: [module] });
    const client = new DynamoDBClient({ region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db) });
    await client.send(table('orders'));
    const kinesis = module.kinesis!;
    const StreamArn = kinesis.createStream('orders-changes');
    await client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn }));
    await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'a' } } }));
    const [record] = kinesis.consumer(StreamArn, 'c').read();
    expect(parseKinesisRecordData(record!)).toMatchObject({ eventName: 'INSERT', tableName: 'orders', dynamodb: { NewImage: { id: { S: 'a' } } } });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'orders' }));
    expect(Table!.StreamSpecification).toBeUndefined();
    expect(Table!.LatestStreamArn).toBeUndefined();
  });
});

describe('Kinesis destinations over HTTP', () => {
  it('serves the four operations through @magneto/server with SigV4-signed requests', async () => {
    const module = streams();
    const db = new Database({ modules: [module] });
    const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };
    const server = await startServer({ port: 0, database: db, credentials: [credentials] });
    const client = new DynamoDBClient({ endpoint: server.url, region: REGION, credentials });
    try {
      await client.send(table('orders'));
      const StreamArn = module.kinesis!.createStream('orders-changes');
      expect((await client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn }))).DestinationStatus).toBe('ENABLING');
      const update = await client.send(
        new UpdateKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn, UpdateKinesisStreamingConfiguration: { ApproximateCreationDateTimePrecision: 'MICROSECOND' } }),
      );
      expect(update.DestinationStatus).toBe('UPDATING');
      expect((await client.send(new DescribeKinesisStreamingDestinationCommand({ TableName: 'orders' }))).KinesisDataStreamDestinations).toEqual([
        { StreamArn, DestinationStatus: 'ACTIVE', ApproximateCreationDateTimePrecision: 'MICROSECOND' },
      ]);
      expect((await client.send(new DisableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn }))).DestinationStatus).toBe('DISABLING');
      await expectError(client.send(new DisableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn })), 'ValidationException', MUST_BE_ACTIVE);
    } finally {
      client.destroy();
      await server.close();
    }
  });
});
