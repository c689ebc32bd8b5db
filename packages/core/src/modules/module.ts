import type { Clock } from '../clock.js';
import type { Item, Key } from '../model/attribute-value.js';
import type { ChangeBatch, ChangeOrigin } from './change-record.js';
import type { ConsumedCapacity } from '../model/capacity.js';
import type { TableSnapshot } from '../tables/table-snapshot.js';
import type { TableView } from '../tables/table-view.js';

/**
 * The services a database can serve, by their `X-Amz-Target` prefixes. A module serving another
 * service adds its prefix by declaration merging, and registers that service's operations:
 *
 * @example
 * // With, in a module's .ts file: declare module '@magneto/core' { interface Services { AnyScaleFrontendService: true } }
 * const scaling: DatabaseModule = {
 *   name: 'scaling',
 *   install(context) {
 *     context.registerOperation({ service: 'AnyScaleFrontendService', name: 'DescribeScalableTargets', effect: 'read', handler: () => ({ ScalableTargets: [] }) });
 *   },
 * };
 * const db = new Database({ modules: [scaling] });
 * console.log(db.hasOperation('AnyScaleFrontendService', 'DescribeScalableTargets')); // true
 */
export interface Services {
  DynamoDB_20120810: true;
  DynamoDBStreams_20120810: true;
}

/** The `X-Amz-Target` prefix of a service a database can serve (see {@link Services}). */
export type ServiceName = keyof Services & string;

/**
 * What an operation does, which durable storage and modules decide by: `read` changes nothing; `write`
 * changes items only (its changes travel on the change feed); `catalog` may change a table's definition,
 * status or module state (CreateTable, UpdateTimeToLive, …): once it succeeds, the engine emits a catalog
 * change for each table it names (`tablesOf`), or for every table when its request cannot tell. A failed
 * operation must have changed nothing.
 */
export type OperationEffect = 'read' | 'write' | 'catalog';

/**
 * One operation of the catalog: core's (operations/catalog.ts) and modules' (`registerOperation`) have
 * this shape. The SDK handler and the server serve exactly the registered entries.
 *
 * @example
 * context.registerOperation({
 *   service: 'DynamoDB_20120810',
 *   name: 'DescribeTimeToLive',
 *   effect: 'read',
 *   handler: (input: DescribeTimeToLiveInput) => describeTimeToLive(host, input),
 * });
 */
export interface OperationEntry<I extends object = Record<string, unknown>, O = unknown> {
  readonly service: ServiceName;
  /** The operation's name, e.g. `PutItem` (the part of `X-Amz-Target` after the dot). */
  readonly name: string;
  readonly effect: OperationEffect;
  /** Takes the request shape (as the wire carries it: validate it), returns the response shape; throws DynamoDB's exceptions. */
  readonly handler: (input: I) => O;
  /**
   * The tables (names or ARNs) a request reads or changes, or undefined when its input cannot tell
   * (then every table is assumed). Called on the raw, unvalidated request. Default: the request's
   * `TableName` when it is a string.
   */
  readonly tablesOf?: (input: Readonly<Record<string, unknown>>) => readonly string[] | undefined;
}

/** One request on its way through the database, as admission hooks see it. */
export interface OperationRequest {
  readonly service: ServiceName;
  /** The operation's name, e.g. `PutItem`. */
  readonly operation: string;
  readonly input: Readonly<Record<string, unknown>>;
  /**
   * Who sends the request, as its transport identified them: undefined for `Database` methods and
   * `execute` without a caller (the database's own owner). Access control maps it to a principal.
   */
  readonly caller?: RequestCaller | undefined;
  /**
   * The capacity the request consumed, whether or not it asked for ReturnConsumedCapacity (INDEXES
   * detail, one entry per table; empty for operations that consume none). Set after the operation ran
   * (undefined before it, and when it failed). It is measured for every request of a database that has an
   * admission hook reading it (the operation reports its INDEXES detail to the hooks and answers as
   * asked; see AdmissionHook.readsConsumedCapacity), and for none of a database without one.
   */
  readonly consumedCapacity?: readonly ConsumedCapacity[] | undefined;
  /**
   * consumedCapacity as a number, for a request that consumed capacity on one table and on none of its
   * secondary indexes (the commonest item request): its one entry's CapacityUnits. Undefined otherwise
   * (read consumedCapacity then). Reading it builds no ConsumedCapacity: measured requests keep their
   * capacity as the operation reported it until `consumedCapacity` is read. O(1).
   */
  readonly tableCapacityUnits?: number | undefined;
  /**
   * The request as its caller sent it, when an admission hook's `beforeOperation` replaced `input` (fault
   * injection's partial batch); undefined when `input` is what the caller sent.
   */
  readonly receivedInput?: Readonly<Record<string, unknown>> | undefined;
  /**
   * For a PartiQL statement run as the operation it plans to (see AdmissionHook.seesStatements): the
   * PartiQL operation it belongs to (`ExecuteStatement`, `BatchExecuteStatement`, `ExecuteTransaction`).
   * Undefined for every request a caller sent.
   */
  readonly enclosingOperation?: string | undefined;
}

/**
 * Who sends a request, as the transport identified them (OperationRequest.caller): the SDK request
 * handler and the server fill in the access key id the request was signed with, and the server the
 * client's address; `db.as(principal)` and `createRequestHandler(db, { principal })` name a principal.
 */
export interface RequestCaller {
  /** The access key id of the request's SigV4 credentials. */
  readonly accessKeyId?: string | undefined;
  /** A principal named directly (its ARN, or a name the access control module knows). */
  readonly principal?: string | undefined;
  /** The client's IP address (the server's `aws:SourceIp`). */
  readonly sourceIp?: string | undefined;
}

/**
 * Runs around every operation. `beforeOperation` may veto a request by throwing one of DynamoDB's
 * exceptions (e.g. ProvisionedThroughputExceededException), or return an input to run instead (fault
 * injection's partial batches); `afterOperation` sees the response, to account for it, and may throw (the
 * operation has run: its answer is lost) or return a response to answer instead. Hooks run in install order,
 * each seeing what the one before returned.
 */
export interface AdmissionHook {
  /**
   * Whether this hook reads `request.consumedCapacity` (default true). Measuring it costs every
   * request: a hook that only vetoes (access control) says false, and a database whose hooks all say
   * false measures nothing for them.
   */
  readonly readsConsumedCapacity?: boolean;
  /**
   * Whether this hook also runs around each PartiQL statement as the operation DynamoDB runs it as
   * (default false): GetItem, Query, Scan, PutItem, UpdateItem or DeleteItem for a statement of
   * ExecuteStatement or BatchExecuteStatement, TransactGetItems or TransactWriteItems for an
   * ExecuteTransaction. Those requests carry `enclosingOperation` and no `caller`, run inside the PartiQL
   * request (which the hook sees as well), and a veto fails that statement (a BatchExecuteStatement
   * answers it as the statement's Error). Capacity charges and throttles PartiQL this way.
   */
  readonly seesStatements?: boolean;
  beforeOperation?(request: OperationRequest): Record<string, unknown> | void;
  afterOperation?(request: OperationRequest, output: unknown): unknown;
  /** The request failed: a hook vetoed it or the operation threw `error` (every hook hears it, then the error goes on). */
  operationFailed?(request: OperationRequest, error: unknown): void;
  /**
   * The request succeeded with `output`, the answer its caller gets: called after every hook's
   * `afterOperation`, so it sees what they changed (a request journal records it here, whatever the
   * install order). Exactly one of `operationAnswered` and `operationFailed` is called per request.
   */
  operationAnswered?(request: OperationRequest, output: unknown): void;
}

/**
 * A module's handling of a table parameter (e.g. `StreamSpecification` on CreateTable/UpdateTable):
 * it validates and applies the value, and contributes fields to the table's TableDescription.
 */
export interface TableParameterHandler {
  /** Validates the parameter and records it on the table (throw ValidationException to refuse; nothing has changed yet). */
  apply(table: TableView, value: unknown, operation: 'CreateTable' | 'UpdateTable'): void;
}

/** What a module receives when it is installed into a database. */
export interface ModuleContext {
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  /** How long tables stay CREATING/UPDATING/DELETING (ms of the clock; 0: settled at once); modules time their own transitions by it. */
  readonly tableTransitionMs: number;
  /** Calls `listener` with every committed batch of changes, in commit order; returns an unsubscribe function. */
  onChange(listener: (batch: ChangeBatch) => void): () => void;
  /**
   * Adds an operation to the catalog (replacing one of the same service and name), so the SDK handler,
   * the server and `execute` serve it, and durable storage follows its effect: a `catalog` operation's
   * tables have their catalog entry (module state included) logged after it.
   */
  registerOperation<I extends object, O>(entry: OperationEntry<I, O>): void;
  /**
   * The entry registered now for `service.name` (core's or a module's), or undefined: a module that
   * changes how an operation answers (capacity returns a batch's throttled part as unprocessed) registers
   * an entry whose handler calls this one.
   */
  getOperation(service: ServiceName, name: string): OperationEntry | undefined;
  /** Adds a hook that runs before and after every operation. */
  addAdmissionHook(hook: AdmissionHook): void;
  /** Claims a CreateTable/UpdateTable parameter this module implements. */
  handleTableParameter(parameter: string, handler: TableParameterHandler): void;
  /** Adds fields to every DescribeTable/CreateTable/… TableDescription. */
  contributeTableDescription(contribute: (table: TableView, description: Record<string, unknown>) => void): void;
  /** A consistent, read-only view of a table's items; O(1) per partition. */
  snapshotTable(tableName: string): TableSnapshot;
  /** The table's read-only view (whatever its status), or undefined if it does not exist. */
  getTable(tableName: string): TableView | undefined;
  /**
   * The table name a request's `TableName` refers to: a name, or a table ARN of this database's region
   * and account (any other ARN gives `''`, which names no table), as core's own operations resolve it.
   */
  tableNameOf(nameOrArn: string): string;
  /**
   * A number that changes whenever a table name comes to hold another table, or none: a table created,
   * deleted, or replaced (savepoint rollback, catalog replay), events or not. While it holds, a view
   * `getTable` gave for a name is still that name's table, so a module may keep it instead of looking
   * the table up per request. O(1).
   */
  tablesVersion(): number;
  /**
   * When the TransactWriteItems holding ClientRequestToken `token` committed (ms of the clock), or
   * undefined when none does. Within the token's idempotency window (10 minutes) a request with it writes
   * nothing: it is answered as a replay, or refused as a mismatch — capacity admits it as a read. O(1).
   */
  transactionTokenCommittedAt(token: string): number | undefined;
  /**
   * Runs a registered operation synchronously (no admission hooks: a module's own reads are not user
   * traffic). Throws DynamoDB's exceptions as the operation does.
   */
  execute(service: ServiceName, operation: string, input: Record<string, unknown>): unknown;
  /**
   * Whether every change committed so far meets the storage's durability policy: undefined when it does
   * (always with memory storage, and with `batched` or `none` durability, whose writes are acknowledged
   * at once), else a promise that resolves once it does (`strict`: once fsynced) and rejects if the store
   * fails. A module that shows changes to someone (stream triggers, Kinesis consumers) takes it when it
   * reads them and shows them only after it resolves: DynamoDB shows no write before it is durable, and a
   * crash may lose a change that is not.
   *
   * @example
   * const records = readNewRecords(); // synchronously: all committed, maybe not yet durable
   * const durable = ctx.whenDurable();
   * if (durable === undefined) deliver(records);
   * else durable.then(() => deliver(records), reportFailure);
   */
  whenDurable(): Promise<void> | undefined;
  /**
   * Deletes an item as the database itself does (TTL expiry, …), not as a user request: no admission
   * hooks and no capacity; the table and its secondary indexes change atomically through core's
   * item-removal path; the REMOVE is published on the change feed with `origin`. Returns the deleted
   * item, or undefined when the table or the item does not exist.
   */
  systemDelete(tableName: string, key: Key, origin: Exclude<ChangeOrigin, 'user'>): Item | undefined;
  /**
   * Writes a whole item as the database itself does (restores, imports, replication), not as a user
   * request: no admission hooks, no condition, no capacity. The item is validated as PutItem validates
   * it (attribute values, size, the table's key schema and its index keys: ValidationException, nothing
   * changed); the table and its secondary indexes change atomically through core's write path; the
   * INSERT/MODIFY is published on the change feed with `origin` and `timestamp` (default: the clock's
   * now). Returns the item it replaced; throws ResourceNotFoundException when the table does not exist.
   *
   * @example
   * ctx.systemPut('users', { id: { S: 'u1' }, name: { S: 'Ada' } }, 'restore');
   */
  systemPut(tableName: string, item: Item, origin: Exclude<ChangeOrigin, 'user'>, timestamp?: number): Item | undefined;
  /**
   * Writes many whole items as the database itself does (restores, imports), each as `systemPut` writes
   * it at the clock's now, with their changes published in batches of up to 1,000 records (one durable
   * log record each) instead of one batch per item. Given a TableSnapshot (of any table), its stored
   * items go in as they are: valid already, they are not validated or copied again (the new table shares
   * them with the snapshot), only checked against this table's key schema and index keys. Other items are
   * validated as PutItem validates them. `progress` hears the count written after every batch and at the
   * end. Returns how many items were written. Not atomic: a refused item (ValidationException) stops the
   * load with the items before it written, so a caller that needs all or nothing loads into a new table
   * and deletes it on failure. A snapshot loaded into an empty table of its key schema (a restore) is an
   * O(partitions) fork instead (TableStorage.loadFork): the table shares the snapshot's trees copy-on-write,
   * and so does each index that the snapshot's table had with the same key schema and projection; other
   * indexes are built after every item's index keys are checked (all or nothing). The change records still
   * go out, one per item; the table's identity indexes (primary key → item) are shared copy-on-write too.
   *
   * @example
   * ctx.systemLoad('users', [{ id: { S: 'u1' } }, { id: { S: 'u2' } }], 'restore'); // 2
   * // A table snapshot's items go in as they are (as a restore loads a backup): shared, not copied.
   * const copy = { TableName: 'usersCopy', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' };
   * ctx.execute('DynamoDB_20120810', 'CreateTable', copy);
   * ctx.systemLoad('usersCopy', ctx.snapshotTable('users'), 'restore');
   */
  systemLoad(tableName: string, items: TableSnapshot | Iterable<Item>, origin: Exclude<ChangeOrigin, 'user'>, progress?: (written: number) => void): number;
  /**
   * Calls `listener` with a table's name whenever its catalog entry (definition, status, settings,
   * module state) may have changed: after every `catalog` operation, for the tables it names, and after a
   * scheduled status transition or a module's `catalogChanged`. A table gone from `getTable` was deleted.
   * Returns an unsubscribe function.
   */
  onCatalogChange(listener: (tableName: string) => void): () => void;
  /**
   * Tells catalog listeners (durable storage) that a table's module state changed outside an operation,
   * e.g. on a timer (TTL's ENABLING → ENABLED): state changed without it is saved only at the next
   * catalog operation on the table or the next snapshot.
   */
  catalogChanged(tableName: string): void;
  /**
   * Calls `listener` with every table lifecycle event, synchronously, as it happens; returns an
   * unsubscribe function. A table goes `created` (CreateTable, status CREATING) → `active`; UpdateTable
   * goes `updating` → `active`; DeleteTable goes `deleting` (after its response is described) →
   * `deleted` (the table is gone). With `tableTransitionMs` 0 each pair happens within one request.
   * Not called while durable storage recovers tables.
   */
  onTableEvent(listener: (event: TableEvent) => void): () => void;
  /**
   * Hides items from GetItem, BatchGetItem, TransactGetItems, Query and Scan, inside the read paths:
   * a hidden item reads as if it did not exist (GetItem/TransactGetItems answer no Item; BatchGetItem
   * leaves it out) or, in Query and Scan, as if the FilterExpression had removed it (Count drops;
   * ScannedCount, LastEvaluatedKey and the read units of the bytes read do not); a point read of a
   * hidden item is charged as a read of an absent item. Writes, conditions and the change feed still
   * see it. No cost when none is installed.
   */
  addVisibilityFilter(filter: VisibilityFilter): void;
  /** Adds a hook that sees the items of every TransactWriteItems and TransactGetItems (see TransactionHook). */
  addTransactionHook(hook: TransactionHook): void;
  /**
   * Lets a module that keeps state of its own beyond tables' module state (stream records, …) take part in
   * `db.savepoint()` / `db.rollback()` / `db.reset()`: `save` is called at every savepoint (and once at
   * install's end, for reset) and returns a function that puts the module's state back as it is now (it may
   * run many times, for any savepoint, in any order). Items, tables and each table's module state are the
   * database's to restore: by the time a restore function runs, they are back as they were. The item changes
   * a rollback undoes do not go out on the change feed (tables come back from storage snapshots), so a module
   * that derives state from the feed (TTL's expiry index, stream records) saves and restores it here. Keep
   * `save` cheap: tests call it often.
   *
   * @example
   * ctx.addSavepointHook(() => {
   *   const saved = [...records];
   *   return () => { records = [...saved]; };
   * });
   */
  addSavepointHook(save: () => () => void): void;
  /**
   * Adds a delay every request waits, in ms of the database clock, before it runs (fault injection's
   * latency): the largest delay any of them gives. Not called while none is added, and a request given 0
   * runs at once, as if none were added.
   */
  addRequestDelay(delay: (request: Pick<OperationRequest, 'service' | 'operation' | 'input'>) => number): void;
  /**
   * Called by an operation's handler while it runs: the request is answered with `answer`'s outcome
   * (its value, or its rejection) instead of the handler's own return value. For work that must finish
   * elsewhere before a request may be acknowledged, e.g. a multi-Region strongly consistent write that a
   * majority of regions must hold first. Only the outermost request of a `Database` method, the SDK
   * handler or the server is deferred; a handler run through `execute` answers at once.
   *
   * @example
   * handler: (input) => { ctx.deferAnswer(replicateThenWrite(input)); return undefined; }
   */
  deferAnswer(answer: Promise<unknown>): void;
  /**
   * Appends a record of a change to the module's own state (plain data, see PersistentModule) to durable
   * storage's log, in commit order with the change batches and catalog records around it, so the change
   * survives a crash once the log is durable (an operation that logs one answers after it is, like any
   * write). On recovery the record goes back to the module named `module`, in that order
   * (`PersistentModule.replayRecord`): the tables hold just what they held when it was logged. Records
   * before the snapshot recovery starts from are not replayed: the module's `snapshotState` covers them.
   * Nothing happens on memory storage.
   *
   * @example
   * ctx.logModuleRecord('settings', { kind: 'limit', value: 10 }); // after a restart: replayRecord({ kind: 'limit', value: 10 })
   */
  logModuleRecord(module: string, record: unknown): void;
}

/** One item of a transaction, as transaction hooks see it. */
export interface TransactionItem {
  readonly table: TableView;
  /** The item's key (for a Put, the whole new item, which holds the key). */
  readonly key: Key;
}

/**
 * Runs inside TransactWriteItems and TransactGetItems (transaction conflict simulation, …). Nothing is
 * built for it unless a hook is installed.
 */
export interface TransactionHook {
  /**
   * After the request is validated and its items located, before anything is read or written: the
   * positions of the items that cancel the transaction (TransactionCanceledException with a
   * `TransactionConflict` reason for each, `None` for the others), or undefined to let it run.
   */
  conflicts?(operation: 'TransactWriteItems' | 'TransactGetItems', items: readonly TransactionItem[]): readonly number[] | undefined;
  /** After a TransactWriteItems committed (every action's item, ConditionChecks included). */
  committed?(items: readonly TransactionItem[]): void;
}

/** A table lifecycle event (see ModuleContext.onTableEvent). */
export interface TableEvent {
  readonly type: 'created' | 'active' | 'updating' | 'deleting' | 'deleted';
  readonly table: TableView;
}

/**
 * Decides which items of a table reads return (ModuleContext.addVisibilityFilter). Called once per
 * table a read request touches: it returns undefined when every item of that table is visible (the
 * read then pays nothing more), else a predicate called with each stored table item (for index reads,
 * the table's item behind the entry, whatever the projection) that returns false to hide it.
 *
 * @example
 * ctx.addVisibilityFilter({
 *   forTable: (table) => (table.name === 'secrets' ? (item) => item.public?.BOOL === true : undefined),
 * });
 */
export interface VisibilityFilter {
  forTable(table: TableView): ((item: Item) => boolean) | undefined;
}

/**
 * A database module: streams, TTL, capacity, backup and persistence plug in through this one contract.
 *
 * @example
 * const audit: DatabaseModule = {
 *   name: 'audit',
 *   install(ctx) { ctx.onChange((batch) => console.log(batch.records.length)); },
 * };
 * const db = new Database({ modules: [audit] });
 */
export interface DatabaseModule {
  /** The module's name, shown in errors that ask for it (e.g. `streams`). */
  readonly name: string;
  install(context: ModuleContext): void;
}
