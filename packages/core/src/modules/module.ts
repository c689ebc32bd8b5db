import type { Clock } from '../clock.js';
import type { Item, Key } from '../model/attribute-value.js';
import type { ChangeBatch, ChangeOrigin } from './change-record.js';
import type { TableSnapshot } from '../tables/table-snapshot.js';
import type { TableState } from '../tables/table-state.js';

/** The DynamoDB-protocol services a database can serve (their `X-Amz-Target` prefixes). */
export type ServiceName = 'DynamoDB_20120810' | 'DynamoDBStreams_20120810';

/** Implements one DynamoDB operation: takes its request shape, returns its response shape. */
export type OperationHandler = (input: Record<string, unknown>) => unknown;

/** One request on its way through the database, as admission hooks see it. */
export interface OperationRequest {
  readonly service: ServiceName;
  /** The operation's name, e.g. `PutItem`. */
  readonly operation: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/**
 * Runs around every operation. `beforeOperation` may veto a request by throwing one of DynamoDB's
 * exceptions (e.g. ProvisionedThroughputExceededException); `afterOperation` sees the response, to account for it.
 */
export interface AdmissionHook {
  beforeOperation?(request: OperationRequest): void;
  afterOperation?(request: OperationRequest, output: unknown): void;
}

/**
 * A module's handling of a table parameter (e.g. `StreamSpecification` on CreateTable/UpdateTable):
 * it validates and applies the value, and contributes fields to the table's TableDescription.
 */
export interface TableParameterHandler {
  /** Validates the parameter and records it on the table (throw ValidationException to refuse; nothing has changed yet). */
  apply(table: TableState, value: unknown, operation: 'CreateTable' | 'UpdateTable'): void;
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
  /** Adds an operation to the registry, so the SDK handler and the server serve it. */
  registerOperation(service: ServiceName, operation: string, handler: OperationHandler): void;
  /** Adds a hook that runs before and after every operation. */
  addAdmissionHook(hook: AdmissionHook): void;
  /** Claims a CreateTable/UpdateTable parameter this module implements. */
  handleTableParameter(parameter: string, handler: TableParameterHandler): void;
  /** Adds fields to every DescribeTable/CreateTable/… TableDescription. */
  contributeTableDescription(contribute: (table: TableState, description: Record<string, unknown>) => void): void;
  /** A consistent, read-only view of a table's items; O(1) per partition. */
  snapshotTable(tableName: string): TableSnapshot;
  /** The table's state, or undefined if it does not exist. */
  getTable(tableName: string): TableState | undefined;
  /**
   * The table name a request's `TableName` refers to: a name, or a table ARN of this database's region
   * and account (any other ARN gives `''`, which names no table), as core's own operations resolve it.
   */
  tableNameOf(nameOrArn: string): string;
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
