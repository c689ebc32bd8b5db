import type { DatabaseModule, ModuleContext, PersistentModule, ServiceName, TableView } from '@magneto/core';
import { describeStream, type DescribeStreamInput } from './api/describe-stream.js';
import { getRecords, type GetRecordsInput } from './api/get-records.js';
import { getShardIterator, type GetShardIteratorInput } from './api/get-shard-iterator.js';
import { listStreams, type ListStreamsInput } from './api/list-streams.js';
import { installKinesisDestinations, type KinesisDestinations } from './kinesis/index.js';
import { persistDestinations, restoreDestinations, resumeDestinations, type PersistedDestination } from './kinesis/destinations-persistence.js';
import { runtimeOf } from './kinesis/kinesis-destinations.js';
import { DEFAULT_RETENTION_MS, StreamStore, tableStreams, type PersistedStreams, type PersistedTableStreams } from './stream-store.js';
import { TriggerManager, type Trigger, type TriggerHandler, type TriggerOptions } from './triggers/index.js';

/** Options of {@link streams}. */
export interface StreamsOptions {
  /** How long records and disabled streams stay readable, in ms of the database clock. Default: 24 hours, as on DynamoDB. */
  retentionMs?: number;
  /** Retention of Kinesis-style streaming destinations, in ms. */
  kinesisRetentionMs?: number;
}

/** The streams module, as `streams()` returns it: a DatabaseModule plus the APIs it adds once installed. */
export interface StreamsModule extends DatabaseModule, PersistentModule {
  readonly name: 'streams';
  /** The module's stream store (undefined until installed). Internal to this package's helpers and tests. */
  readonly store: StreamStore | undefined;
  /**
   * Runs `handler` on the table's stream records, as a Lambda event-source mapping would (batching,
   * filters, retries, checkpoints); the table's stream must be enabled. Throws if the module is not
   * installed in a database yet.
   *
   * @example
   * const events = streams();
   * const db = new Database({ modules: [events] });
   * await db.createTable({ ...Users.createTableInput(), StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } });
   * events.onChange('users', async ({ Records }) => { for (const r of Records) send(r.eventName); }, { batchSize: 10 });
   */
  onChange(tableName: string, handler: TriggerHandler, options?: TriggerOptions): Trigger;
  /** Kinesis-style streaming destinations (undefined until installed). */
  readonly kinesis: KinesisDestinations | undefined;
}

const STREAMS: ServiceName = 'DynamoDBStreams_20120810';

/** What durable storage keeps with a table for this module. */
interface PersistedTable {
  stream?: PersistedTableStreams;
  kinesis?: PersistedDestination[];
}

/**
 * DynamoDB Streams for a Magneto database: StreamSpecification on CreateTable/UpdateTable, LatestStreamArn
 * and LatestStreamLabel in table descriptions, and the DynamoDB Streams API (ListStreams, DescribeStream,
 * GetShardIterator, GetRecords) for `@aws-sdk/client-dynamodb-streams`.
 *
 * On durable storage (`fileStorage(dir)` from `@magneto/core/node`, IndexedDB) the module's state persists
 * across `db.close()` + `db.open()` and crashes: each table's StreamSpecification, LatestStreamArn/Label,
 * streams disabled or of deleted tables (within retention), shards with their lineage and sequence-number
 * ranges, the records within retention with the same SequenceNumbers and eventIDs (a consumer continues
 * with AFTER_SEQUENCE_NUMBER, and iterators issued before stay valid), and Kinesis destinations' settings.
 * Not persisted: triggers (`onChange` callbacks: register them again after opening) and the in-process
 * Kinesis data streams with their records (`kinesis.createStream` again; the same name gives the same ARN).
 *
 * @example
 * import { Database, createRequestHandler } from '@magneto/core';
 * import { streams } from '@magneto/streams';
 * import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
 *
 * const db = new Database({ modules: [streams()] });
 * await db.createTable({
 *   TableName: 'users',
 *   KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
 *   AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
 *   BillingMode: 'PAY_PER_REQUEST',
 *   StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
 * });
 * const client = new DynamoDBStreamsClient({
 *   region: 'us-east-1',
 *   credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
 *   requestHandler: createRequestHandler(db),
 * });
 * const { Streams } = await client.send(new ListStreamsCommand({ TableName: 'users' }));
 *
 * @example
 * import { fileStorage } from '@magneto/core/node';
 * const db = new Database({ modules: [streams()], storage: fileStorage('./data') });
 * await db.open(); // streams and their records are back
 */
export function streams(options: StreamsOptions = {}): StreamsModule {
  let store: StreamStore | undefined;
  let triggers: TriggerManager | undefined;
  let kinesis: KinesisDestinations | undefined;
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  // Durable storage restores tables' settings as it applies catalog records (in commit order, so a stream
  // enabled during the replay is re-created just where it was, drawing the same sequence numbers), but
  // while it loads a snapshot, before the module-wide state (the streams themselves): what those
  // settings set up is replaced by `restoreState`, which then links the snapshot's tables again.
  const restoredBeforeState: Array<[TableView, PersistedTableStreams]> = [];
  let stateRestored = false;
  /** Tables whose Kinesis destinations were restored: they resume delivering once recovery is over. */
  const withDestinations = new Set<TableView>();
  return {
    name: 'streams',
    get store() {
      return store;
    },
    get kinesis() {
      return kinesis;
    },
    // Durable storage (PersistentModule). Records persist in snapshots; those written after the last
    // snapshot are rebuilt from the replayed change batches, drawing the same sequence numbers (recovery
    // replays in commit order), so eventIDs and SequenceNumbers are stable and none is duplicated.
    // Triggers are in-process callbacks: they do not persist (register them again after opening).
    persistTableState: (table) => {
      const stream = store?.persistTable(table);
      const destinations = persistDestinations(table);
      if (stream === undefined && destinations === undefined) return undefined;
      const persisted: PersistedTable = {};
      if (stream !== undefined) persisted.stream = stream;
      if (destinations !== undefined) persisted.kinesis = destinations;
      return persisted;
    },
    restoreTableState: (table, state) => {
      const persisted = state as PersistedTable;
      if (persisted.stream !== undefined) {
        if (!stateRestored) restoredBeforeState.push([table, persisted.stream]);
        store?.restoreTable(table, persisted.stream);
      }
      if (persisted.kinesis !== undefined) {
        restoreDestinations(table, persisted.kinesis);
        withDestinations.add(table);
      }
    },
    snapshotState: () => store?.snapshotState(),
    restoreState: (state) => {
      stateRestored = true;
      if (store === undefined) return;
      store.restoreState(state as PersistedStreams);
      for (const [table, persisted] of restoredBeforeState.splice(0)) store.restoreTable(table, persisted);
    },
    replayChanges: (batch) => {
      stateRestored = true;
      restoredBeforeState.length = 0;
      store?.onChange(batch);
    },
    recovered: () => {
      stateRestored = true;
      restoredBeforeState.length = 0;
      store?.recovered();
      if (kinesis !== undefined) resumeDestinations(runtimeOf(kinesis), withDestinations);
      withDestinations.clear();
    },
    onChange(tableName, handler, triggerOptions) {
      if (triggers === undefined) {
        throw new Error('streams().onChange needs the module installed first: new Database({ modules: [theStreamsModule] })');
      }
      return triggers.onChange(tableName, handler, triggerOptions);
    },
    install(context: ModuleContext) {
      if (store !== undefined) throw new Error('This streams() module is already installed in a database: create one per database');
      const installed = new StreamStore(context, retentionMs);
      store = installed;
      context.addSavepointHook(() => {
        const restore = installed.savepoint();
        return () => {
          restore();
          // Triggers are not database state: they stay, and read on from where the restored stream ends.
          triggers?.rewind((streamArn, shardId) => {
            const shard = installed.stream(streamArn)?.shard(shardId);
            if (shard === undefined) return undefined;
            return { last: shard.newestSequence, open: shard.isOpen };
          });
        };
      });
      context.handleTableParameter('StreamSpecification', {
        apply: (table, value, operation) => installed.applySpecification(table, value, operation),
      });
      context.contributeTableDescription((table, description) => {
        const state = tableStreams(table);
        if (state === undefined) return;
        if (state.enabled !== undefined) {
          description.StreamSpecification = { StreamEnabled: true, StreamViewType: state.enabled.viewType };
        }
        if (state.latest !== undefined) {
          description.LatestStreamLabel = state.latest.label;
          description.LatestStreamArn = state.latest.arn;
        }
      });
      // Streams' answers follow writes their input does not name (shards, records): the read fence waits for every table.
      const read = { service: STREAMS, effect: 'read', tablesOf: () => undefined } as const;
      context.registerOperation({ ...read, name: 'ListStreams', handler: (input: ListStreamsInput) => listStreams(installed, input) });
      context.registerOperation({ ...read, name: 'DescribeStream', handler: (input: DescribeStreamInput) => describeStream(installed, input) });
      context.registerOperation({ ...read, name: 'GetShardIterator', handler: (input: GetShardIteratorInput) => getShardIterator(installed, input) });
      context.registerOperation({ ...read, name: 'GetRecords', handler: (input: GetRecordsInput) => getRecords(installed, input) });
      triggers = new TriggerManager({ context, onRecordsAppended: (listener) => installed.onRecordsAppended(listener) });
      kinesis = installKinesisDestinations(
        context,
        options.kinesisRetentionMs === undefined ? {} : { retentionMs: options.kinesisRetentionMs },
      );
    },
  };
}

