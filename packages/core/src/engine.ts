import type { Clock } from './clock.js';
import { MSG_TRANSACTION_CONFLICT, ResourceNotFoundException, TransactionCanceledException, UnknownOperationException, type CancellationReason } from './errors.js';
import type { ChangeBatch, ChangeOrigin, ChangeRecord, TransactionTokenEntry } from './modules/change-record.js';
import type {
  AdmissionHook,
  ModuleContext,
  OperationEntry,
  OperationRequest,
  TableEvent,
  TableParameterHandler,
  TransactionHook,
  TransactionItem,
  VisibilityFilter,
} from './modules/module.js';
import { tablesOfRequest } from './modules/tables-of-request.js';
import type { CapacitySink } from './modules/request-context.js';
import { decodeStorageKey, primaryKeyCodeOf, withHash } from './storage/storage-key.js';
import { decodeAttributes, decodeItem } from './storage/item-codec.js';
import { keyAttributesOf, type PrimaryKeySchema } from './model/key-schema.js';
import { validateItem } from './model/validate-item.js';
import { validateItemKey } from './model/validate-key.js';
import type { StorageOptions, TableStorage } from './storage/table-storage.js';
import type { IndexProjection, SecondaryIndex } from './tables/secondary-index.js';
import { checkIndexKeys } from './tables/index-key-checks.js';
import { backfillIndex } from './tables/backfill-index.js';
import { recomputeCollectionSizes } from './tables/item-collections.js';
import type { TableSnapshot } from './tables/table-snapshot.js';
import type { TableState } from './tables/table-state.js';
import { tableViewOf, type TableView } from './tables/table-view.js';
import type { Item } from './model/attribute-value.js';
import { removeItem, writeItem, writeStoredItem } from './tables/write-item.js';
import { itemChange } from './modules/item-change.js';
import { reportChangeListenerError, type ChangeListenerErrorHandler } from './modules/change-listener-error.js';

/** How many of a systemLoad's changes go out in one change batch (one log record on durable storage). */
const LOAD_BATCH_ITEMS = 1000;

/** Whether systemLoad was handed a table snapshot rather than items. */
function isTableSnapshot(items: TableSnapshot | Iterable<Item>): items is TableSnapshot {
  return (items as Partial<TableSnapshot>).storage !== undefined && (items as Partial<TableSnapshot>).keySchema !== undefined;
}

/** Whether two key schemas name and type the same key attributes (so items have the same storage keys under both). */
function sameKeySchema(a: PrimaryKeySchema, b: PrimaryKeySchema): boolean {
  const attributes = (schema: PrimaryKeySchema): string => JSON.stringify(keyAttributesOf(schema).map((k) => [k.name, k.type]).concat([[String(schema.partitionKeys.length)]]));
  return attributes(a) === attributes(b);
}

/** A secondary index as a table snapshot recorded it: what its entries are, and their O(1) snapshot. */
type IndexSnapshot = Pick<SecondaryIndex, 'kind' | 'keySchema' | 'projection'> & { readonly storage: TableStorage };

/**
 * The secondary indexes of each table snapshot taken by snapshotTable (of any database), by the
 * snapshot's table storage: systemLoad forks them instead of rebuilding them. Module-wide so a snapshot
 * loads as a fork into another database too (a backup copied to another region).
 */
const snapshotIndexes = new WeakMap<TableStorage, readonly IndexSnapshot[]>();

function sameProjection(a: IndexProjection, b: IndexProjection): boolean {
  const attributes = (p: IndexProjection): string => [...(p.NonKeyAttributes ?? [])].sort().join('\u0000');
  return a.ProjectionType === b.ProjectionType && attributes(a) === attributes(b);
}

/**
 * The tables by name, counting every change to which table a name holds (ModuleContext.tablesVersion):
 * tables are added, removed and replaced here by create, delete, savepoint restore and catalog replay alike.
 */
class TableMap extends Map<string, TableState> {
  version = 0;
  override set(name: string, table: TableState): this {
    this.version++;
    return super.set(name, table);
  }
  override delete(name: string): boolean {
    this.version++;
    return super.delete(name);
  }
  override clear(): void {
    this.version++;
    super.clear();
  }
}

/** A change record before the engine numbers it. */
export type UnnumberedChange = Omit<ChangeRecord, 'sequenceNumber'>;

/**
 * The state every operation works on: the tables, the clock, the operation registry, and what modules
 * have plugged in. Operations are synchronous functions of (engine, input), so each runs atomically.
 * Not exported from the package; declared all the same, because the operation catalog's types name it.
 */
export class Engine {
  readonly tables = new TableMap();
  /** The operation catalog as registered: core's entries and modules', by `service.name`. */
  readonly operations: ReadonlyMap<string, OperationEntry> = new Map<string, OperationEntry>();
  readonly admissionHooks: AdmissionHook[] = [];
  /** Whether any admission hook reads requests' consumed capacity (AdmissionHook.readsConsumedCapacity): kept as hooks are added. */
  hooksReadCapacity = false;
  readonly tableParameters = new Map<string, TableParameterHandler>();
  readonly descriptionContributors: Array<(table: TableView, description: Record<string, unknown>) => void> = [];
  private readonly changeListeners: Array<(batch: ChangeBatch) => void> = [];
  private readonly tableEventListeners: Array<(event: TableEvent) => void> = [];
  /** Modules' item-visibility filters (ModuleContext.addVisibilityFilter); empty for most databases. */
  readonly visibilityFilters: VisibilityFilter[] = [];
  /** Modules' transaction hooks (ModuleContext.addTransactionHook); empty for most databases. */
  readonly transactionHooks: TransactionHook[] = [];
  /** Modules' savepoint hooks (ModuleContext.addSavepointHook); empty for most databases. */
  readonly savepointHooks: Array<() => () => void> = [];
  /** Modules' request delays (ModuleContext.addRequestDelay); empty for most databases. */
  readonly requestDelays: Array<(request: Pick<OperationRequest, 'service' | 'operation' | 'input'>) => number> = [];
  /** The answer a handler deferred the running request to (ModuleContext.deferAnswer); taken by Database.run. */
  deferredAnswer: Promise<unknown> | undefined;
  /**
   * TransactWriteItems' ClientRequestTokens, oldest first: the request's fingerprint, when it committed
   * (database clock) and its answer. Entries older than the idempotency window are dropped as they are met.
   */
  readonly transactionTokens = new Map<string, { readonly fingerprint: string; readonly committedAt: number; readonly output: unknown }>();
  private nextSequenceNumber = 1;
  /**
   * While admission hooks measure a request (runWithHooks): where its operation puts its consumed
   * capacity, INDEXES detail, whatever the caller asked for. Undefined otherwise: operations check it once.
   */
  capacitySink: CapacitySink | undefined = undefined;
  /**
   * Durable storage, while it is open: whether every committed change meets its durability policy yet
   * (ModuleContext.whenDurable). Undefined for memory storage, where everything is as durable as it gets.
   */
  durableLog: { whenDurable(): Promise<void> | undefined; logModuleRecord(module: string, record: unknown): void } | undefined;

  constructor(
    readonly clock: Clock,
    readonly region: string,
    readonly accountId: string,
    /** How long CREATING/UPDATING/DELETING last before the table settles. */
    readonly tableTransitionMs: number,
    readonly storageLayout: StorageOptions,
    /** The size past which a write may not grow an item collection of a table with LSIs (DynamoDB: 10 GB). */
    readonly itemCollectionSizeLimitBytes: number = 10 * 1024 * 1024 * 1024,
  ) {}

  /** The table, whatever its status; ResourceNotFoundException with DescribeTable's message otherwise. */
  describableTable(name: string): TableState {
    const table = this.tables.get(this.tableNameOf(name));
    if (!table) throw new ResourceNotFoundException(`Requested resource not found: Table: ${name} not found`);
    return table;
  }

  /**
   * The table for an item operation: it must exist and be ACTIVE or UPDATING (DynamoDB serves items while
   * a table updates, and answers "Requested resource not found" while it is created or deleted).
   */
  itemTable(name: string): TableState {
    const table = this.tables.get(this.tableNameOf(name));
    if (!table || table.status === 'CREATING' || table.status === 'DELETING') {
      throw new ResourceNotFoundException('Requested resource not found');
    }
    return table;
  }

  /**
   * The table name a request's `TableName` refers to: DynamoDB accepts a table's ARN wherever it takes
   * a name. An ARN of another region or account names no table here.
   */
  tableNameOf(nameOrArn: string): string {
    if (!nameOrArn.startsWith('arn:')) return nameOrArn;
    const prefix = `arn:aws:dynamodb:${this.region}:${this.accountId}:table/`;
    return nameOrArn.startsWith(prefix) ? nameOrArn.slice(prefix.length) : '';
  }

  /** ModuleContext.onCatalogChange's listeners. */
  private readonly catalogChangeListeners: Array<(tableName: string) => void> = [];

  /** The sequence number the next published change record gets. */
  get nextChangeSequenceNumber(): number {
    return this.nextSequenceNumber;
  }

  /** Recovery: continues numbering change records after the last one a durable store recovered. */
  resumeChangeSequence(next: number): void {
    this.nextSequenceNumber = Math.max(this.nextSequenceNumber, next);
  }

  /** Whether any module listens to the change feed (writes skip building records otherwise). */
  get hasChangeListeners(): boolean {
    return this.changeListeners.length > 0;
  }

  /**
   * Numbers a committed write's changes and hands them to every listener, in commit order. A
   * transaction's `transactionToken` goes with its batch, published even when it changed no item.
   */
  publish(changes: readonly UnnumberedChange[], transactionToken?: TransactionTokenEntry): void {
    if ((changes.length === 0 && transactionToken === undefined) || this.changeListeners.length === 0) return;
    // One literal of a fixed shape per record: an object spread here measured ~6 % of a streamed PutItem.
    const records: ChangeRecord[] = new Array<ChangeRecord>(changes.length);
    for (let i = 0; i < changes.length; i++) {
      const change = changes[i]!;
      records[i] = {
        sequenceNumber: this.nextSequenceNumber++,
        tableName: change.tableName,
        eventName: change.eventName,
        keys: change.keys,
        oldImage: change.oldImage,
        newImage: change.newImage,
        timestamp: change.timestamp,
        origin: change.origin,
      };
    }
    const batch: ChangeBatch = transactionToken === undefined ? { records } : { records, transactionToken };
    for (const listener of this.changeListeners) {
      // The write has committed: a failing listener must neither make it look failed nor keep the
      // others from the batch. Its error goes to onChangeListenerError (an async listener's rejection too).
      try {
        const result: unknown = listener(batch);
        if (result instanceof Promise) result.catch((error: unknown) => this.changeListenerFailed(error, batch));
      } catch (error) {
        this.changeListenerFailed(error, batch);
      }
    }
  }

  /** Where a failing change-feed listener's error goes (DatabaseOptions.onChangeListenerError). */
  onChangeListenerError: ChangeListenerErrorHandler = reportChangeListenerError;

  private changeListenerFailed(error: unknown, batch: ChangeBatch): void {
    try {
      this.onChangeListenerError(error, batch);
    } catch (failure) {
      // A handler that throws must not fail the write either.
      reportChangeListenerError(failure, batch);
    }
  }

  /**
   * The catalog again, by service then name: what a request looks up. Two look-ups of the strings a
   * request carries (their hashes cached) instead of building `service.name` per request, which
   * measured 7–14 % of a GetItem.
   */
  private readonly operationsByService = new Map<string, Map<string, OperationEntry>>();

  /** Adds an operation to the catalog, replacing one of the same service and name. */
  register<I extends object, O>(entry: OperationEntry<I, O>): void {
    (this.operations as Map<string, OperationEntry>).set(`${entry.service}.${entry.name}`, entry as unknown as OperationEntry);
    let byName = this.operationsByService.get(entry.service);
    if (byName === undefined) this.operationsByService.set(entry.service, (byName = new Map()));
    byName.set(entry.name, entry as unknown as OperationEntry);
  }

  /** The registered entry of `service.operation`, if any. O(1). */
  findOperation(service: string, operation: string): OperationEntry | undefined {
    return this.operationsByService.get(service)?.get(operation);
  }

  /** The registered entry of `service.operation`; UnknownOperationException when there is none. O(1). */
  operationOf(service: string, operation: string): OperationEntry {
    const entry = this.operationsByService.get(service)?.get(operation);
    if (!entry) throw new UnknownOperationException(`Unknown operation: ${operation}`);
    return entry;
  }

  /**
   * Runs an operation's handler; after a `catalog` operation that succeeded, tells catalog listeners
   * about the tables its request names (every table before and after it, when the request cannot tell).
   */
  invoke(entry: OperationEntry, input: Record<string, unknown>): unknown {
    if (entry.effect !== 'catalog' || this.catalogChangeListeners.length === 0) return entry.handler(input);
    const named = tablesOfRequest(entry, input);
    const before = named === undefined ? [...this.tables.keys()] : undefined;
    const output = entry.handler(input);
    const changed = new Set(named === undefined ? [...before!, ...this.tables.keys()] : named.map((name) => this.tableNameOf(name)));
    for (const tableName of changed) if (tableName !== '') this.catalogChanged(tableName);
    return output;
  }

  /** Tells every catalog listener that `tableName`'s catalog entry may have changed. */
  catalogChanged(tableName: string): void {
    for (const listener of this.catalogChangeListeners) listener(tableName);
  }

  /** The read-only view modules see of a table. */
  viewOf(table: TableState): TableView {
    return tableViewOf(table, this.clock);
  }

  /** Tells modules a table's lifecycle moved on (ModuleContext.onTableEvent). */
  emitTableEvent(type: TableEvent['type'], table: TableState): void {
    if (this.tableEventListeners.length === 0) return;
    const event: TableEvent = { type, table: this.viewOf(table) };
    for (const listener of this.tableEventListeners) listener(event);
  }

  /**
   * Which of a table's items a read may return (ModuleContext.addVisibilityFilter): undefined when all
   * (no filter installed, or none hides anything of this table), else a predicate over stored table items.
   */
  visibilityOf(table: TableState): ((item: Item) => boolean) | undefined {
    const filters = this.visibilityFilters;
    if (filters.length === 0) return undefined;
    let visible: ((item: Item) => boolean) | undefined;
    for (const filter of filters) {
      const next = filter.forTable(this.viewOf(table));
      if (next === undefined) continue;
      const before = visible;
      visible = before === undefined ? next : (item) => before(item) && next(item);
    }
    return visible;
  }

  /**
   * Asks the transaction hooks whether a transaction's items conflict (TransactionHook.conflicts):
   * throws TransactionCanceledException with a TransactionConflict reason for each conflicting item.
   */
  checkTransactionConflicts(operation: 'TransactWriteItems' | 'TransactGetItems', items: readonly TransactionItem[]): void {
    let reasons: CancellationReason[] | undefined;
    for (const hook of this.transactionHooks) {
      const positions = hook.conflicts?.(operation, items);
      if (positions === undefined) continue;
      for (const i of positions) {
        reasons ??= items.map(() => ({ Code: 'None' }));
        reasons[i] = { Code: 'TransactionConflict', Message: MSG_TRANSACTION_CONFLICT };
      }
    }
    if (reasons !== undefined) throw new TransactionCanceledException(reasons);
  }

  /** The contract a module is installed with. */
  moduleContext(): ModuleContext {
    return {
      clock: this.clock,
      region: this.region,
      accountId: this.accountId,
      tableTransitionMs: this.tableTransitionMs,
      onChange: (listener) => {
        this.changeListeners.push(listener);
        return () => {
          const index = this.changeListeners.indexOf(listener);
          if (index >= 0) this.changeListeners.splice(index, 1);
        };
      },
      registerOperation: (entry) => this.register(entry),
      getOperation: (service, name) => this.findOperation(service, name),
      addAdmissionHook: (hook) => {
        this.admissionHooks.push(hook);
        if (hook.readsConsumedCapacity !== false) this.hooksReadCapacity = true;
      },
      handleTableParameter: (parameter, handler) => {
        this.tableParameters.set(parameter, handler);
      },
      contributeTableDescription: (contribute) => {
        this.descriptionContributors.push(contribute);
      },
      snapshotTable: (tableName) => this.snapshotTable(tableName),
      getTable: (tableName) => {
        const table = this.tables.get(tableName);
        return table === undefined ? undefined : this.viewOf(table);
      },
      tableNameOf: (nameOrArn) => this.tableNameOf(nameOrArn),
      tablesVersion: () => this.tables.version,
      transactionTokenCommittedAt: (token) => this.transactionTokens.get(token)?.committedAt,
      execute: (service, operation, input) => {
        // A module's own request, even one made while another runs, is not charged to that request.
        const sink = this.capacitySink;
        this.capacitySink = undefined;
        const deferred = this.deferredAnswer;
        try {
          return this.invoke(this.operationOf(service, operation), input);
        } finally {
          this.capacitySink = sink;
          // A module's own request answers at once (deferAnswer): a deferral there is not the outer request's.
          if (this.deferredAnswer !== deferred) this.deferredAnswer?.catch(() => undefined);
          this.deferredAnswer = deferred;
        }
      },
      whenDurable: () => this.durableLog?.whenDurable(),
      logModuleRecord: (module, record) => this.durableLog?.logModuleRecord(module, record),
      systemDelete: (tableName, key, origin) => {
        const table = this.tables.get(tableName);
        if (table === undefined) return undefined;
        const old = removeItem(table, primaryKeyCodeOf(key, table.keySchema));
        if (old !== undefined && this.hasChangeListeners) this.publish([itemChange(table, old, undefined, this.clock.now(), origin)!]);
        return old;
      },
      systemPut: (tableName, item, origin, timestamp) => {
        const table = this.tables.get(tableName);
        if (table === undefined) throw new ResourceNotFoundException(`Requested resource not found: Table: ${tableName} not found`);
        const measured = { size: 0 };
        const valid = validateItem(item as Record<string, unknown>, measured);
        const schema = table.keySchema;
        validateItemKey(valid, schema);
        const old = writeItem(table, primaryKeyCodeOf(valid, schema), valid, (c) => withHash(c, valid, schema), false, measured.size);
        if (this.hasChangeListeners) {
          const change = itemChange(table, old, valid, timestamp ?? this.clock.now(), origin);
          if (change !== undefined) this.publish([change]);
        }
        return old;
      },
      systemLoad: (tableName, items, origin, progress) => this.systemLoad(tableName, items, origin, progress),
      onCatalogChange: (listener) => {
        this.catalogChangeListeners.push(listener);
        return () => {
          const index = this.catalogChangeListeners.indexOf(listener);
          if (index >= 0) this.catalogChangeListeners.splice(index, 1);
        };
      },
      catalogChanged: (tableName) => this.catalogChanged(tableName),
      onTableEvent: (listener) => {
        this.tableEventListeners.push(listener);
        return () => {
          const index = this.tableEventListeners.indexOf(listener);
          if (index >= 0) this.tableEventListeners.splice(index, 1);
        };
      },
      addVisibilityFilter: (filter) => {
        this.visibilityFilters.push(filter);
      },
      addTransactionHook: (hook) => {
        this.transactionHooks.push(hook);
      },
      addSavepointHook: (save) => {
        this.savepointHooks.push(save);
      },
      addRequestDelay: (delay) => {
        this.requestDelays.push(delay);
      },
      deferAnswer: (answer) => {
        this.deferredAnswer = answer;
      },
    };
  }

  /**
   * ModuleContext.systemLoad: every item written through the one write path (a snapshot's stored items
   * as they are, others validated as PutItem), the changes published LOAD_BATCH_ITEMS at a time.
   */
  private systemLoad(tableName: string, items: TableSnapshot | Iterable<Item>, origin: Exclude<ChangeOrigin, 'user'>, progress?: (written: number) => void): number {
    const table = this.tables.get(tableName);
    if (table === undefined) throw new ResourceNotFoundException(`Requested resource not found: Table: ${tableName} not found`);
    const schema = table.keySchema;
    const timestamp = this.clock.now();
    let changes: UnnumberedChange[] | undefined = this.hasChangeListeners ? [] : undefined;
    let written = 0;
    // Counts a written item and publishes its change (`old`: the item it replaced; `item` is decoded when there are listeners).
    const counted = (item: Item | undefined, old: Item | undefined): void => {
      written++;
      if (changes !== undefined) {
        const change = itemChange(table, old, item, timestamp, origin);
        if (change !== undefined) changes.push(change);
      }
      if (written % LOAD_BATCH_ITEMS === 0) {
        if (changes !== undefined && changes.length > 0) this.publish(changes.splice(0));
        progress?.(written);
      }
    };
    if (isTableSnapshot(items) && this.loadFork(table, items)) {
      // The table now shares the snapshot's storage (forked): its changes go out as if written one by one.
      if (changes !== undefined || progress !== undefined) {
        for (const [, item] of table.storage.entries()) {
          written++;
          if (changes !== undefined) changes.push(itemChange(table, undefined, item, timestamp, origin)!);
          if (written % LOAD_BATCH_ITEMS === 0) {
            if (changes !== undefined) this.publish(changes.splice(0));
            progress?.(written);
          }
        }
      } else {
        written = table.storage.itemCount;
      }
    } else if (isTableSnapshot(items)) {
      // A table's stored items are valid already: not validated again, and kept as stored (this process's
      // encoding), decoded only for indexes, listeners or a key. Under the same key schema their storage
      // keys (hashed) are this table's too: not hashed again.
      const sameKeys = sameKeySchema(items.keySchema, schema);
      const keyNames = keyAttributesOf(schema).map((attribute) => attribute.name);
      const decoded = table.indexes.length > 0 || changes !== undefined;
      items.storage.visitStored(undefined, (encodedKey, stored) => {
        const item = decoded ? decodeItem(stored) : undefined;
        let replaced: string | undefined;
        if (sameKeys) {
          const key = decodeStorageKey(encodedKey);
          replaced = writeStoredItem(table, key, item, stored, () => key, false);
        } else {
          const keyItem = item ?? decodeAttributes(stored, keyNames);
          validateItemKey(keyItem, schema);
          replaced = writeStoredItem(table, primaryKeyCodeOf(keyItem, schema), item, stored, (c) => withHash(c, keyItem, schema), false);
        }
        counted(item, changes !== undefined && replaced !== undefined ? decodeItem(replaced) : undefined);
        return true;
      });
    } else {
      const measured = { size: 0 };
      for (const raw of items) {
        const item = validateItem(raw as Record<string, unknown>, measured);
        validateItemKey(item, schema);
        counted(item, writeItem(table, primaryKeyCodeOf(item, schema), item, (c) => withHash(c, item, schema), false, measured.size));
      }
    }
    if (changes !== undefined && changes.length > 0) this.publish(changes);
    if (written % LOAD_BATCH_ITEMS !== 0) progress?.(written);
    return written;
  }

  /**
   * systemLoad of a snapshot into an empty table of the same key schema: the table's storage becomes an
   * O(1) writable fork of the snapshot's (TableStorage.loadFork), and so does each index's whose key
   * schema and projection the snapshot's table had too; any other index (a restore's index overrides) is
   * built from the items, after every item's index keys are checked (nothing changes if one is refused).
   * False when it does not apply (the caller writes the items one by one).
   */
  private loadFork(table: TableState, snapshot: TableSnapshot): boolean {
    if (table.storage.itemCount > 0 || !sameKeySchema(snapshot.keySchema, table.keySchema)) return false;
    const sources = snapshotIndexes.get(snapshot.storage) ?? [];
    const forked = new Map<SecondaryIndex, TableStorage>();
    const rebuilt: SecondaryIndex[] = [];
    for (const index of table.indexes) {
      const source = sources.find((s) => s.kind === index.kind && sameKeySchema(s.keySchema, index.keySchema) && sameProjection(s.projection, index.projection));
      if (source === undefined) rebuilt.push(index);
      else forked.set(index, source.storage);
    }
    if (rebuilt.length > 0) for (const [, item] of snapshot.storage.entries()) checkIndexKeys(table, item);
    table.storage.loadFork(snapshot.storage);
    for (const [index, storage] of forked) index.storage.loadFork(storage);
    for (const index of rebuilt) backfillIndex(table, index);
    recomputeCollectionSizes(table);
    return true;
  }

  /** A consistent, read-only view of a table's items (its indexes' too, for systemLoad's fork). */
  snapshotTable(tableName: string): TableSnapshot {
    const table = this.describableTable(tableName);
    const storage = table.storage.snapshot();
    if (table.indexes.length > 0) {
      snapshotIndexes.set(storage, table.indexes.map((index) => ({ kind: index.kind, keySchema: index.keySchema, projection: index.projection, storage: index.storage.snapshot() })));
    }
    return { tableName, keySchema: table.keySchema, takenAt: this.clock.now(), storage };
  }

  /**
   * Runs `settle` after tableTransitionMs (at once when it is 0), replacing any pending transition, then
   * tells modules the table is `settled` (active again, or deleted).
   */
  scheduleTransition(table: TableState, settle: () => void, settled: 'active' | 'deleted'): void {
    table.cancelTransition?.();
    table.cancelTransition = undefined;
    if (this.tableTransitionMs <= 0) {
      settle();
      this.emitTableEvent(settled, table);
      return;
    }
    table.cancelTransition = this.clock.setTimer(this.tableTransitionMs, () => {
      table.cancelTransition = undefined;
      settle();
      this.emitTableEvent(settled, table);
      this.catalogChanged(table.name);
    });
  }
}
