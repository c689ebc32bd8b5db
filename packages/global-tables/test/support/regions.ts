import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createRequestHandler, Database, ManualClock, type CreateTableInput, type DatabaseModule, type Item } from '@magneto/core';
import { streams, type StreamsModule } from '@magneto/streams';
import { globalTables, InProcessNetwork, type GlobalTablesModule, type InProcessNetworkOptions } from '@magneto/global-tables';

/** One region of a test: its database and its modules. */
export interface Region {
  readonly name: string;
  readonly db: Database;
  readonly replication: GlobalTablesModule;
  readonly streams: StreamsModule;
}

/** Options of {@link regions}: the network's, the retransmission interval, and more modules per region. */
export interface RegionsOptions extends Omit<InProcessNetworkOptions, 'clock'> {
  retransmitMs?: number;
  modules?: (region: string) => DatabaseModule[];
  tableTransitionMs?: number;
}

/** Regions on one ManualClock, linked by an InProcessNetwork. */
export function regions(names: readonly string[], options: RegionsOptions = {}) {
  const { retransmitMs = 1000, modules, tableTransitionMs = 0, ...network } = options;
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const net = new InProcessNetwork({ clock, ...network });
  const all: Region[] = names.map((name) => {
    const replication = globalTables({ transport: net, retransmitMs });
    const events = streams();
    const db = new Database({ region: name, clock, tableTransitionMs, modules: [events, replication, ...(modules?.(name) ?? [])] });
    return { name, db, replication, streams: events };
  });
  /** Moves time until nothing is in flight and no replica is being created or deleted (at most `limitMs`). */
  const drain = async (limitMs = 10 * 60 * 1000): Promise<void> => {
    for (let waited = 0; waited <= limitMs; waited += 100) {
      await clock.advance(100);
      if (all.every((r) => r.replication.pendingCount === 0)) return;
    }
    throw new Error(`still in flight after ${limitMs} ms: ${all.map((r) => `${r.name}=${r.replication.pendingCount}`).join(', ')}`);
  };
  return { clock, network: net, regions: all, drain };
}

/** The AWS SDK's DynamoDB client, served in-process by a region's database. */
export function sdkClient(region: Region): DynamoDBClient {
  return new DynamoDBClient({ region: region.name, credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(region.db) });
}

/** Every record of a table's latest stream, read through the DynamoDB Streams API in process. */
export async function streamRecords(region: Region, tableName: string): Promise<Array<Record<string, unknown>>> {
  const arn = (await region.db.describeTable({ TableName: tableName })).Table!.LatestStreamArn as string;
  const call = (operation: string, input: Record<string, unknown>) => region.db.execute('DynamoDBStreams_20120810', operation, input);
  const { StreamDescription } = (await call('DescribeStream', { StreamArn: arn })) as unknown as { StreamDescription: { Shards: Array<{ ShardId: string }> } };
  const records: Array<Record<string, unknown>> = [];
  for (const shard of StreamDescription.Shards) {
    let iterator: string | undefined = ((await call('GetShardIterator', { StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' })) as unknown as { ShardIterator: string }).ShardIterator;
    while (iterator !== undefined) {
      const page = (await call('GetRecords', { ShardIterator: iterator })) as unknown as { Records: Array<Record<string, unknown>>; NextShardIterator?: string };
      records.push(...page.Records);
      if (page.Records.length === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return records;
}

/** A table definition with a stream of new and old images, as global tables need. */
export function globalTableDefinition(tableName = 'users', extra: Partial<CreateTableInput> = {}): CreateTableInput {
  return {
    TableName: tableName,
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    ...extra,
  } as CreateTableInput;
}

/** Every item of a table, sorted by key, for comparing regions. */
export async function itemsOf(db: Database, tableName: string, indexName?: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.scan({ TableName: tableName, ...(indexName ? { IndexName: indexName } : {}), ...(start ? { ExclusiveStartKey: start } : {}) } as never);
    items.push(...((page as { Items?: Item[] }).Items ?? []));
    start = (page as { LastEvaluatedKey?: Record<string, unknown> }).LastEvaluatedKey;
  } while (start !== undefined);
  return items.sort((a, b) => (canonical(a) < canonical(b) ? -1 : 1));
}

/** JSON with object keys sorted, so equal items print equal. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record).sort().map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(',')}}`;
}
