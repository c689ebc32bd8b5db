/**
 * The streams tests' shared setup: a Database with the streams module, and the real AWS SDK v3
 * DynamoDB and DynamoDB Streams clients served in-process by `createRequestHandler(db)`.
 */
import { DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { createRequestHandler, Database, ManualClock, type DatabaseOptions } from '@magneto/core';
import { streams, type StreamsModule, type StreamsOptions } from '@magneto/streams';

export const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'y' };

export interface StreamsSetup {
  db: Database;
  clock: ManualClock;
  dynamodb: DynamoDBClient;
  streamsClient: DynamoDBStreamsClient;
  /** The installed streams module (its `store` is there for white-box checks). */
  module: StreamsModule;
}

/** A Database with streams() on a ManualClock, and both SDK clients wired to it in-process. */
export function setup(options: DatabaseOptions = {}, streamsOptions: StreamsOptions = {}): StreamsSetup {
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 12, 0, 0, 250));
  const module = streams(streamsOptions);
  const db = new Database({ clock, ...options, modules: [module, ...(options.modules ?? [])] });
  const requestHandler = createRequestHandler(db);
  const dynamodb = new DynamoDBClient({ region: REGION, credentials: CREDENTIALS, requestHandler });
  const streamsClient = new DynamoDBStreamsClient({ region: REGION, credentials: CREDENTIALS, requestHandler });
  return { db, clock, dynamodb, streamsClient, module };
}

/** An on-demand table keyed by a string `id`, with a stream of the given view type. */
export function streamTable(
  TableName: string,
  StreamViewType: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | undefined,
  extra: Partial<CreateTableCommandInput> = {},
): CreateTableCommandInput {
  return {
    TableName,
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    ...(StreamViewType === undefined ? {} : { StreamSpecification: { StreamEnabled: true, StreamViewType } }),
    ...extra,
  };
}

/** Every shard of a stream, following DescribeStream's pages. */
export async function allShards(client: DynamoDBStreamsClient, StreamArn: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let ExclusiveStartShardId: string | undefined;
  do {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn, ExclusiveStartShardId }));
    shards.push(...(StreamDescription?.Shards ?? []));
    ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
  } while (ExclusiveStartShardId !== undefined);
  return shards;
}

/** Reads one shard from TRIM_HORIZON until GetRecords returns nothing more (or the shard ends). */
export async function readShard(client: DynamoDBStreamsClient, StreamArn: string, ShardId: string): Promise<_Record[]> {
  const { ShardIterator } = await client.send(
    new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
  );
  const records: _Record[] = [];
  let iterator = ShardIterator;
  while (iterator !== undefined) {
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
    records.push(...(page.Records ?? []));
    if ((page.Records ?? []).length === 0) break;
    iterator = page.NextShardIterator;
  }
  return records;
}

/**
 * Every record of a stream in an order that replays correctly: shards ordered so each parent comes
 * before its children (as a consumer must read them), each shard from TRIM_HORIZON.
 */
export async function readStream(client: DynamoDBStreamsClient, StreamArn: string): Promise<_Record[]> {
  const shards = await allShards(client, StreamArn);
  const ids = new Set(shards.map((s) => s.ShardId));
  const done = new Set<string>();
  const records: _Record[] = [];
  const pending = [...shards];
  while (pending.length > 0) {
    const index = pending.findIndex((s) => s.ParentShardId === undefined || !ids.has(s.ParentShardId) || done.has(s.ParentShardId));
    if (index < 0) throw new Error('shard lineage has a cycle');
    const [shard] = pending.splice(index, 1);
    records.push(...(await readShard(client, StreamArn, shard!.ShardId!)));
    done.add(shard!.ShardId!);
  }
  return records;
}
