import { runWithHooks } from './modules/request-context.js';
import { transactionConflicts } from './modules/transaction-conflicts.js';
import { missingTtl } from './ttl/missing-ttl-module.js';
import { systemClock, type Clock } from './clock.js';
import { Engine } from './engine.js';
import { wireInput } from './wire-input.js';
import type { DatabaseModule, RequestCaller, ServiceName } from './modules/module.js';
import type { ChangeListenerErrorHandler } from './modules/change-listener-error.js';
import { DYNAMODB_OPERATIONS, type CoreOperationTypes } from './operations/catalog.js';
import type {
  DescribeTimeToLiveInput,
  DescribeTimeToLiveOutput,
  UpdateTimeToLiveInput,
  UpdateTimeToLiveOutput,
} from './ttl/time-to-live-operations.js';
import type { RecoveryReport } from './persistence/recovery-report.js';
import { memoryStorage } from './persistence/memory-storage.js';
import type { StorageAdapter, StorageSession } from './persistence/storage-adapter.js';
import type { TableSnapshot } from './tables/table-snapshot.js';
import { Savepoint, Savepoints } from './checkpoint/savepoint.js';

/** Options of `new Database(options)`. */
export interface DatabaseOptions {
  /** The region in ARNs and stream records. Default `us-east-1`. */
  region?: string;
  /** The account in ARNs. Default `000000000000`. */
  accountId?: string;
  /** The clock every time-based feature reads. Default: the system clock; use `ManualClock` in tests. */
  clock?: Clock;
  /** How long a table stays CREATING/UPDATING/DELETING, in ms of the clock. Default 0: settled once the call returns. */
  tableTransitionMs?: number;
  /** Optional features (streams, TTL, capacity, backup, …), each installed through the module contract. */
  modules?: readonly DatabaseModule[];
  /**
   * Where data lives. Default `memoryStorage()`. A durable adapter (`fileStorage(dir)` from
   * `@magneto/core/node`) must be opened: `await db.open()` (the first request opens it otherwise),
   * and `await db.close()` when done.
   */
  storage?: StorageAdapter;
  /**
   * The item-collection size limit of tables with local secondary indexes, in bytes: a write that would
   * grow a partition key's items plus their LSI entries past it fails with
   * ItemCollectionSizeLimitExceededException. Default 10 GiB, as on DynamoDB; tests set a small one.
   */
  itemCollectionSizeLimitBytes?: number;
  /**
   * Transaction conflict simulation, in ms of the clock. Default 0: off. Otherwise a committed
   * TransactWriteItems holds its items for this long, as if it were still ongoing: a TransactWriteItems
   * or TransactGetItems touching one of them is cancelled (TransactionCanceledException, reason
   * `TransactionConflict` for that action, `None` for the others), and a PutItem, UpdateItem or
   * DeleteItem on one fails with TransactionConflictException, so retry logic can be tested. Advance
   * the clock past the window and the retry succeeds.
   */
  transactionConflictWindowMs?: number;
  /**
   * Called when a module's change-feed listener (streams, backups, replication, your own `onChange`)
   * throws or rejects. The write it was told about stays committed and acknowledged, and the other
   * listeners still receive the batch. Default: `console.error`.
   */
  onChangeListenerError?: ChangeListenerErrorHandler;
}

const DYNAMODB: ServiceName = 'DynamoDB_20120810';

/** The request and response types of every DynamoDB operation `Database` has a typed method for: the catalog's, and the ttl module's. */
export type DynamoDBOperations = CoreOperationTypes & {
  UpdateTimeToLive: { input: UpdateTimeToLiveInput; output: UpdateTimeToLiveOutput };
  DescribeTimeToLive: { input: DescribeTimeToLiveInput; output: DescribeTimeToLiveOutput };
};
/** A database as one principal sees it (`db.as(principal)`): the typed methods and `execute`, run as that principal. */
export type DatabaseView = OperationMethods & {
  execute(service: ServiceName, operation: string, input: Record<string, unknown>): Promise<unknown>;
};
/** The name of a DynamoDB operation `Database` has a typed method for. */
export type DynamoDBOperationName = keyof DynamoDBOperations;
/** The request shape of a DynamoDB operation: `OperationInput<'PutItem'>` is `PutItemInput`. */
export type OperationInput<N extends DynamoDBOperationName> = DynamoDBOperations[N]['input'];
/** The response shape of a DynamoDB operation: `OperationOutput<'PutItem'>` is `PutItemOutput`. */
export type OperationOutput<N extends DynamoDBOperationName> = DynamoDBOperations[N]['output'];
/** One camelCase method per operation: `Database` implements it, so a new catalog line asks for its method. */
export type OperationMethods = {
  [N in DynamoDBOperationName as Uncapitalize<N>]: (input: OperationInput<N>) => Promise<OperationOutput<N>>;
};

/**
 * An embedded DynamoDB: one camelCase async method per DynamoDB operation, taking and returning exactly
 * DynamoDB's request and response shapes (as AWS SDK v3 types them: binary as Uint8Array, dates as Date).
 * Failures reject with the exported exception classes, carrying DynamoDB's exact name and message.
 * An input that is not plain JSON data is read as the wire would carry it (no input is `{}`, a bigint its
 * number, NaN null, functions and symbols nothing; see `wire-input.ts`), so any JS value meets DynamoDB's checks.
 *
 * @example
 * const db = new Database();
 * await db.createTable({
 *   TableName: 'users',
 *   KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
 *   AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
 *   BillingMode: 'PAY_PER_REQUEST',
 * });
 * await db.putItem({ TableName: 'users', Item: { id: { S: 'u1' }, name: { S: 'Ada' } } });
 * const { Item } = await db.getItem({ TableName: 'users', Key: { id: { S: 'u1' } } });
 */
export class Database implements OperationMethods {
  /** @internal The engine the operations run on. */
  readonly engine: Engine;
  private readonly storage: StorageAdapter;
  private readonly modules: readonly DatabaseModule[];
  /** The open durable store; undefined for memory, and for a durable adapter until open() ends. */
  private session: StorageSession | undefined;
  private opening: Promise<void> | undefined;
  private closed = false;
  /** Savepoints, rollbacks and reset (made at construction, once the modules are installed). */
  private readonly savepoints: Savepoints;

  constructor(options: DatabaseOptions = {}) {
    const storage = options.storage ?? memoryStorage();
    this.storage = storage;
    this.modules = options.modules ?? [];
    this.engine = new Engine(
      options.clock ?? systemClock,
      options.region ?? 'us-east-1',
      options.accountId ?? '000000000000',
      options.tableTransitionMs ?? 0,
      storage.layout,
      options.itemCollectionSizeLimitBytes,
    );
    const engine = this.engine;
    if (options.onChangeListenerError !== undefined) engine.onChangeListenerError = options.onChangeListenerError;
    for (const [name, { effect, run, tablesOf }] of Object.entries(DYNAMODB_OPERATIONS)) {
      const runs = run as (engine: Engine, input: Record<string, unknown>) => unknown;
      const handler = (input: Record<string, unknown>): unknown => runs(engine, input);
      engine.register(tablesOf === undefined ? { service: DYNAMODB, name, effect, handler } : { service: DYNAMODB, name, effect, handler, tablesOf });
    }
    const context = this.engine.moduleContext();
    // Core's own optional behaviour is installed as modules too: without ttl(), its operations answer how
    // to install it; conflict simulation holds a committed transaction's items.
    if (!this.modules.some((module) => module.name === 'ttl')) missingTtl().install(context);
    for (const module of options.modules ?? []) module.install(context);
    const windowMs = options.transactionConflictWindowMs ?? 0;
    if (windowMs > 0) transactionConflicts(windowMs).install(context);
    this.savepoints = new Savepoints(this.engine);
  }

  /**
   * Saves the database's current state, to go back to with `rollback(savepoint)` as often as wanted: every
   * table (items, indexes, settings), the set of tables, and the state of modules such as streams and TTL.
   * O(tables + indexes): each storage is kept as a copy-on-write snapshot (B+ trees, item slots, identity index). A test suite seeds a fixture
   * once, takes a savepoint, and rolls back to it before each test.
   * Memory storage only (a durable store's log cannot be rewound). Not DynamoDB's: a testing aid.
   *
   * @example
   * const fixture = db.savepoint();
   * await db.putItem({ TableName: 'users', Item: { id: { S: 'temporary' } } });
   * db.rollback(fixture); // the item is gone again
   */
  savepoint(): Savepoint {
    this.assertInMemory('savepoint');
    return this.savepoints.save();
  }

  /**
   * Puts the database back as it was at `savepoint`: tables created since are gone, tables deleted since are
   * back, every item, index, setting and module state is as it was. O(tables + indexes) to swap each saved
   * storage back in (B+ trees, item slots and identity index, all copy-on-write), whatever the tables hold and
   * however much was written since; modules' own state as their hooks cost (streams copy their records' array).
   * Every savepoint of this database stays usable, in any order, until `reset()`.
   */
  rollback(savepoint: Savepoint): void {
    this.assertInMemory('rollback');
    this.savepoints.rollback(savepoint);
  }

  /** Empties the database: no tables, every module's state as when it was installed. Every savepoint is gone. */
  reset(): void {
    this.assertInMemory('reset');
    this.savepoints.reset();
  }

  private assertInMemory(method: string): void {
    if (this.storage.open !== undefined) throw new Error(`${method}() needs memory storage: a durable store's log cannot be rewound`);
  }

  /**
   * Opens the storage: a durable adapter takes its lock, recovers the tables and items it holds (see
   * `recoveryReport`) and starts logging. Needed before synchronous use (`snapshotTable`); requests
   * made before it wait for it. A no-op for memory storage. Rejects with StoreLockedError (naming
   * the holder) when another process or database has the store open.
   *
   * @example
   * const db = new Database({ storage: fileStorage('./data') });
   * await db.open();
   * console.log(db.recoveryReport?.damage); // [] when the store was intact
   */
  open(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The database is closed'));
    const open = this.storage.open;
    if (open === undefined) return Promise.resolve();
    this.opening ??= open.call(this.storage, this.engine, this.modules).then(
      (session) => {
        this.session = session;
      },
      (error: unknown) => {
        this.opening = undefined;
        throw error;
      },
    );
    return this.opening;
  }

  /**
   * Closes the database: a durable store writes and fsyncs everything acknowledged or not, then
   * releases its lock. Requests after it are refused.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    const opening = this.opening;
    this.closed = true;
    if (opening !== undefined) await opening.catch(() => undefined);
    await this.session?.close();
  }

  /** What opening a durable store found (undefined for memory, or before open): items, time, and any damage. */
  get recoveryReport(): RecoveryReport | undefined {
    return this.session?.recoveryReport;
  }

  /** Durable storage: takes a snapshot now, so the next open replays less log. A no-op for memory. */
  async checkpoint(): Promise<void> {
    if (this.storage.open !== undefined && this.session === undefined) await this.open();
    await this.session?.snapshot();
  }

  /** The region of this database's ARNs. */
  get region(): string {
    return this.engine.region;
  }

  /** The clock this database reads. */
  get clock(): Clock {
    return this.engine.clock;
  }

  /**
   * Runs any registered operation by service and name: the entry point of the SDK handler and the server.
   * `caller` says who sends it (admission hooks see it: access control authorizes by it).
   */
  async execute(service: ServiceName, operation: string, input: Record<string, unknown>, caller?: RequestCaller): Promise<unknown> {
    return this.run(service, operation, input, caller);
  }

  /**
   * This database as `principal` sees it (with the `accessControl()` module: a principal's name, ARN
   * or access key id): every typed method and `execute` run as that principal. Without the module,
   * the same as the database itself.
   *
   * @example
   * const alice = db.as('alice');
   * await alice.getItem({ TableName: 'users', Key: { id: { S: 'alice' } } });
   */
  as(principal: string): DatabaseView {
    const caller: RequestCaller = { principal };
    const view: Record<string, unknown> = {
      execute: (service: ServiceName, operation: string, input: Record<string, unknown>) => this.run(service, operation, input, caller),
    };
    for (const name of [...Object.keys(DYNAMODB_OPERATIONS), 'UpdateTimeToLive', 'DescribeTimeToLive']) {
      view[name[0]!.toLowerCase() + name.slice(1)] = (input: Record<string, unknown> = {}) => this.run(DYNAMODB, name, input, caller);
    }
    return view as unknown as DatabaseView;
  }

  /** Whether `service.operation` is in the catalog (core's operations and those of the installed modules). */
  hasOperation(service: string, operation: string): service is ServiceName {
    return this.engine.findOperation(service, operation) !== undefined;
  }

  /** A consistent, read-only view of a table's items. O(partitions). */
  snapshotTable(tableName: string): TableSnapshot {
    return this.engine.snapshotTable(tableName);
  }

  /** Creates a table. It answers CREATING and turns ACTIVE after `tableTransitionMs`. */
  createTable(input: OperationInput<'CreateTable'>): Promise<OperationOutput<'CreateTable'>> {
    return this.call('CreateTable', input);
  }

  /** Describes a table: definition, status, settings, item count and size. */
  describeTable(input: OperationInput<'DescribeTable'>): Promise<OperationOutput<'DescribeTable'>> {
    return this.call('DescribeTable', input);
  }

  /** Lists table names in ascending order, 100 per page at most. */
  listTables(input: OperationInput<'ListTables'> = {}): Promise<OperationOutput<'ListTables'>> {
    return this.call('ListTables', input);
  }

  /** Changes a table's billing mode, throughput, table class or deletion protection. */
  updateTable(input: OperationInput<'UpdateTable'>): Promise<OperationOutput<'UpdateTable'>> {
    return this.call('UpdateTable', input);
  }

  /** Deletes a table and its items (refused while deletion protection is on). */
  deleteTable(input: OperationInput<'DeleteTable'>): Promise<OperationOutput<'DeleteTable'>> {
    return this.call('DeleteTable', input);
  }

  /** Creates or replaces an item. */
  putItem(input: OperationInput<'PutItem'>): Promise<OperationOutput<'PutItem'>> {
    return this.call('PutItem', input);
  }

  /** Reads an item by primary key. The returned item is frozen: copy it before changing it. */
  getItem(input: OperationInput<'GetItem'>): Promise<OperationOutput<'GetItem'>> {
    return this.call('GetItem', input);
  }

  /** Edits an item's attributes (creating the item if absent) with an UpdateExpression. */
  updateItem(input: OperationInput<'UpdateItem'>): Promise<OperationOutput<'UpdateItem'>> {
    return this.call('UpdateItem', input);
  }

  /** Deletes an item by primary key. */
  deleteItem(input: OperationInput<'DeleteItem'>): Promise<OperationOutput<'DeleteItem'>> {
    return this.call('DeleteItem', input);
  }

  /**
   * Reads one page of the items of one partition key (of the table or an index), in sort key order.
   * Page on with `ExclusiveStartKey: LastEvaluatedKey`. Returned items are frozen.
   */
  query(input: OperationInput<'Query'>): Promise<OperationOutput<'Query'>> {
    return this.call('Query', input);
  }

  /** Reads one page of every item of the table (or an index), or of one parallel-scan segment. Returned items are frozen. */
  scan(input: OperationInput<'Scan'>): Promise<OperationOutput<'Scan'>> {
    return this.call('Scan', input);
  }

  /** Reads up to 100 items by primary key from one or more tables. Returned items are frozen. */
  batchGetItem(input: OperationInput<'BatchGetItem'>): Promise<OperationOutput<'BatchGetItem'>> {
    return this.call('BatchGetItem', input);
  }

  /** Puts or deletes up to 25 items in one or more tables; all are validated before any is written. */
  batchWriteItem(input: OperationInput<'BatchWriteItem'>): Promise<OperationOutput<'BatchWriteItem'>> {
    return this.call('BatchWriteItem', input);
  }

  /**
   * Runs up to 100 Put, Update, Delete and ConditionCheck actions (on one or more tables) all together or
   * not at all; a failure rejects with TransactionCanceledException and one CancellationReason per action.
   */
  transactWriteItems(input: OperationInput<'TransactWriteItems'>): Promise<OperationOutput<'TransactWriteItems'>> {
    return this.call('TransactWriteItems', input);
  }

  /** Reads up to 100 items (on one or more tables) as one consistent view. Returned items are frozen. */
  transactGetItems(input: OperationInput<'TransactGetItems'>): Promise<OperationOutput<'TransactGetItems'>> {
    return this.call('TransactGetItems', input);
  }

  /** Adds tags to a table (by its ARN), replacing the values of keys it already has; 50 tags at most. */
  tagResource(input: OperationInput<'TagResource'>): Promise<OperationOutput<'TagResource'>> {
    return this.call('TagResource', input);
  }

  /** Removes tags from a table (by its ARN) by key. */
  untagResource(input: OperationInput<'UntagResource'>): Promise<OperationOutput<'UntagResource'>> {
    return this.call('UntagResource', input);
  }

  /** A table's tags (by its ARN). */
  listTagsOfResource(input: OperationInput<'ListTagsOfResource'>): Promise<OperationOutput<'ListTagsOfResource'>> {
    return this.call('ListTagsOfResource', input);
  }

  /**
   * Runs one PartiQL statement (SELECT, INSERT, UPDATE, DELETE) as the operation DynamoDB plans it to.
   *
   * @example
   * await db.executeStatement({ Statement: 'SELECT * FROM "users" WHERE id = ?', Parameters: [{ S: 'ada' }] });
   */
  executeStatement(input: OperationInput<'ExecuteStatement'>): Promise<OperationOutput<'ExecuteStatement'>> {
    return this.call('ExecuteStatement', input);
  }

  /** Runs up to 25 PartiQL statements (all reads or all writes), each answering on its own. */
  batchExecuteStatement(input: OperationInput<'BatchExecuteStatement'>): Promise<OperationOutput<'BatchExecuteStatement'>> {
    return this.call('BatchExecuteStatement', input);
  }

  /** Runs up to 100 PartiQL statements as one transaction. */
  executeTransaction(input: OperationInput<'ExecuteTransaction'>): Promise<OperationOutput<'ExecuteTransaction'>> {
    return this.call('ExecuteTransaction', input);
  }

  /**
   * Enables or disables Time to Live on a table (needs the `ttl()` module: without it, a ValidationException
   * says to install it).
   *
   * @example
   * const db = new Database({ modules: [ttl()] });
   * await db.createTable({
   *   TableName: 'sessions',
   *   KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
   *   AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
   *   BillingMode: 'PAY_PER_REQUEST',
   * });
   * await db.updateTimeToLive({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } });
   */
  updateTimeToLive(input: OperationInput<'UpdateTimeToLive'>): Promise<OperationOutput<'UpdateTimeToLive'>> {
    return this.call('UpdateTimeToLive', input);
  }

  /** A table's Time to Live status and attribute (needs the `ttl()` module). */
  describeTimeToLive(input: OperationInput<'DescribeTimeToLive'>): Promise<OperationOutput<'DescribeTimeToLive'>> {
    return this.call('DescribeTimeToLive', input);
  }

  private call<N extends DynamoDBOperationName>(operation: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
    return this.run(DYNAMODB, operation, input as Record<string, unknown>) as Promise<OperationOutput<N>>;
  }

  /**
   * Runs an operation now (synchronously, atomically) and answers once the storage's durability policy
   * covers what it wrote and what it saw: under `strict`, a read (or a failure, which can show an item or
   * a cancellation reason) of a table with a pending group commit waits for it; other reads answer at once.
   */
  private run(service: ServiceName, operation: string, input: Record<string, unknown>, caller?: RequestCaller, delayed = false): Promise<unknown> {
    // Request delays (fault injection's latency) first: checked inline, so the common case costs one test.
    if (!delayed && this.engine.requestDelays.length !== 0) {
      let delayMs = 0;
      for (const delay of this.engine.requestDelays) delayMs = Math.max(delayMs, delay({ service, operation, input }));
      if (delayMs > 0) return new Promise<void>((resolve) => this.engine.clock.setTimer(delayMs, resolve)).then(() => this.run(service, operation, input, caller, true));
    }
    const session = this.session;
    if (session === undefined && (this.closed || this.storage.open !== undefined)) {
      if (this.closed) return Promise.reject(new Error('The database is closed'));
      return this.open().then(() => this.run(service, operation, input, caller, true));
    }
    let before = 0;
    try {
      if (session === undefined) {
        const output = this.executeNow(service, operation, input, caller);
        return this.engine.deferredAnswer === undefined ? Promise.resolve(output) : this.takeDeferredAnswer();
      }
      if (this.closed) return Promise.reject(new Error('The database is closed'));
      before = session.appendedLsn;
      const output = this.executeNow(service, operation, input, caller);
      if (this.engine.deferredAnswer !== undefined) return this.takeDeferredAnswer();
      const durable = session.durableAfter(service, operation, input, before);
      return durable === undefined ? Promise.resolve(output) : durable.then(() => output);
    } catch (error) {
      this.engine.deferredAnswer = undefined;
      // Only executeNow throws: an operation's error can show what it saw (a condition check's item).
      const durable = session?.durableAfter(service, operation, input, before);
      return durable === undefined ? Promise.reject(error) : durable.then(() => Promise.reject(error));
    }
  }

  /** The answer a handler deferred the request to (ModuleContext.deferAnswer), taken so the next request has none. */
  private takeDeferredAnswer(): Promise<unknown> {
    const answer = this.engine.deferredAnswer!;
    this.engine.deferredAnswer = undefined;
    return answer;
  }

  /** Runs an operation synchronously between its admission hooks: nothing else interleaves with it. */
  private executeNow(service: ServiceName, operation: string, raw: Record<string, unknown>, caller: RequestCaller | undefined): unknown {
    const engine = this.engine;
    const entry = engine.operationOf(service, operation);
    // Any JS value reaches here through the typed methods; the operations see what the wire would carry.
    const input = wireInput(raw);
    const hooks = engine.admissionHooks;
    if (hooks.length === 0) return engine.invoke(entry, input);
    return runWithHooks(engine, hooks, service, operation, input, entry, caller);
  }
}
