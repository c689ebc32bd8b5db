import type { Clock } from './clock.js';
import { ResourceNotFoundException } from './errors.js';
import type { ChangeBatch, ChangeRecord } from './modules/change-record.js';
import type {
  AdmissionHook,
  ModuleContext,
  OperationHandler,
  ServiceName,
  TableParameterHandler,
} from './modules/module.js';
import type { StorageOptions } from './storage/table-storage.js';
import type { TableSnapshot } from './tables/table-snapshot.js';
import type { TableState } from './tables/table-state.js';

/** A change record before the engine numbers it. */
export type UnnumberedChange = Omit<ChangeRecord, 'sequenceNumber'>;

/**
 * The state every operation works on: the tables, the clock, the operation registry, and what modules
 * have plugged in. Operations are synchronous functions of (engine, input), so each runs atomically.
 */
export class Engine {
  readonly tables = new Map<string, TableState>();
  readonly operations = new Map<string, OperationHandler>();
  readonly admissionHooks: AdmissionHook[] = [];
  readonly tableParameters = new Map<string, TableParameterHandler>();
  readonly descriptionContributors: Array<(table: TableState, description: Record<string, unknown>) => void> = [];
  private readonly changeListeners: Array<(batch: ChangeBatch) => void> = [];
  /**
   * TransactWriteItems' ClientRequestTokens, oldest first: the request's fingerprint, when it committed
   * (database clock) and its answer. Entries older than the idempotency window are dropped as they are met.
   */
  readonly transactionTokens = new Map<string, { readonly fingerprint: string; readonly committedAt: number; readonly output: unknown }>();
  private nextSequenceNumber = 1;

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

  /** Whether any module listens to the change feed (writes skip building records otherwise). */
  get hasChangeListeners(): boolean {
    return this.changeListeners.length > 0;
  }

  /** Numbers a committed write's changes and hands them to every listener, in commit order. */
  publish(changes: readonly UnnumberedChange[]): void {
    if (changes.length === 0 || this.changeListeners.length === 0) return;
    const records = changes.map((change) => ({ ...change, sequenceNumber: this.nextSequenceNumber++ }));
    const batch: ChangeBatch = { records };
    for (const listener of this.changeListeners) {
      try {
        listener(batch);
      } catch (error) {
        // The write has committed; a failing listener must not make it look failed. Fail loudly elsewhere.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** The contract a module is installed with. */
  moduleContext(): ModuleContext {
    return {
      clock: this.clock,
      region: this.region,
      accountId: this.accountId,
      onChange: (listener) => {
        this.changeListeners.push(listener);
        return () => {
          const index = this.changeListeners.indexOf(listener);
          if (index >= 0) this.changeListeners.splice(index, 1);
        };
      },
      registerOperation: (service: ServiceName, operation: string, handler: OperationHandler) => {
        this.operations.set(`${service}.${operation}`, handler);
      },
      addAdmissionHook: (hook) => {
        this.admissionHooks.push(hook);
      },
      handleTableParameter: (parameter, handler) => {
        this.tableParameters.set(parameter, handler);
      },
      contributeTableDescription: (contribute) => {
        this.descriptionContributors.push(contribute);
      },
      snapshotTable: (tableName) => this.snapshotTable(tableName),
      getTable: (tableName) => this.tables.get(tableName),
    };
  }

  /** A consistent, read-only view of a table's items. */
  snapshotTable(tableName: string): TableSnapshot {
    const table = this.describableTable(tableName);
    return {
      tableName,
      keySchema: table.keySchema,
      takenAt: this.clock.now(),
      storage: table.storage.snapshot(),
    };
  }

  /** Runs `settle` after tableTransitionMs (at once when it is 0), replacing any pending transition. */
  scheduleTransition(table: TableState, settle: () => void): void {
    table.cancelTransition?.();
    table.cancelTransition = undefined;
    if (this.tableTransitionMs <= 0) {
      settle();
      return;
    }
    table.cancelTransition = this.clock.setTimer(this.tableTransitionMs, () => {
      table.cancelTransition = undefined;
      settle();
    });
  }
}
