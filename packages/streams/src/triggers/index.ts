import type { ModuleContext } from '@magneto/core';
import { InvalidParameterValueException } from './errors.js';
import { resolveTriggerOptions, type TriggerOptions } from './options.js';
import { TableTrigger, type Trigger, type TriggerHandler } from './trigger.js';

export type { Trigger, TriggerHandler, TriggerResponse, TriggerStats } from './trigger.js';
export type { TriggerOptions, StartingPosition } from './options.js';
export type { FilterCriteria } from './filter-pattern.js';
export type { DynamoDBStreamEvent, LambdaStreamRecord, LambdaAttributeValue } from './lambda-record.js';
export type { TriggerFailureRecord, TriggerFailureCondition } from './failure-record.js';
export { InvalidParameterValueException } from './errors.js';
export { parseFilterCriteria } from './filter-pattern.js';

/** What the streams module gives the trigger manager. */
export interface TriggerManagerDeps {
  context: ModuleContext;
  /**
   * Subscribes to "records were appended to these shards of this table's stream" (the table, the stream's
   * ARN, the ids of the shards that received records); returns an unsubscribe function.
   */
  onRecordsAppended(listener: (tableName: string, streamArn: string, shardIds: readonly string[]) => void): () => void;
}

/**
 * In-process triggers: what AWS Lambda's DynamoDB event-source mappings do, without Lambda. Each trigger
 * reads its table's stream through the DynamoDB Streams API, batches, filters, retries and checkpoints as
 * Lambda does, and never runs inside (or fails) the write that produced a record. Costs nothing until the
 * first `onChange`.
 *
 * @example
 * const manager = new TriggerManager({ context, onRecordsAppended });
 * const trigger = manager.onChange('orders', async ({ Records }) => {
 *   for (const record of Records) if (record.eventName === 'INSERT') await notify(record.dynamodb.NewImage);
 * }, { batchSize: 10, startingPosition: 'TRIM_HORIZON', retryAttempts: 3, bisectBatchOnFunctionError: true });
 */
export class TriggerManager {
  private readonly byTable = new Map<string, Set<TableTrigger>>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: TriggerManagerDeps) {}

  /** Starts a trigger on `tableName`'s stream (which must be enabled). Throws on invalid options. */
  onChange(tableName: string, handler: TriggerHandler, options?: TriggerOptions): Trigger {
    if (typeof tableName !== 'string' || tableName === '') throw new InvalidParameterValueException('onChange needs a table name');
    if (typeof handler !== 'function') throw new InvalidParameterValueException('onChange needs a handler function');
    const resolved = resolveTriggerOptions(options);
    const trigger: TableTrigger = new TableTrigger(this.deps.context, tableName, handler, resolved, () => this.remove(trigger));
    let set = this.byTable.get(tableName);
    if (set === undefined) this.byTable.set(tableName, (set = new Set()));
    set.add(trigger);
    this.unsubscribe ??= this.deps.onRecordsAppended((name, streamArn, shardIds) => this.wake(name, streamArn, shardIds));
    return trigger;
  }

  /**
   * After `db.rollback()`: every trigger moves back to where its stream now ends (see TableTrigger.rewind).
   * `lastRecordOf` gives a shard's last record's sequence number (null: none) and whether it is open, or
   * undefined when the stream or the shard no longer exists.
   */
  rewind(lastRecordOf: (streamArn: string, shardId: string) => { readonly last: number | null; readonly open: boolean } | undefined): void {
    for (const set of this.byTable.values()) for (const trigger of set) trigger.rewind((shardId) => lastRecordOf(trigger.streamArn, shardId));
  }

  private wake(tableName: string, streamArn: string, shardIds: readonly string[]): void {
    const set = this.byTable.get(tableName);
    if (set !== undefined) for (const trigger of set) trigger.wake(streamArn, shardIds);
  }

  private remove(trigger: TableTrigger): void {
    const set = this.byTable.get(trigger.tableName);
    set?.delete(trigger);
    if (set?.size === 0) this.byTable.delete(trigger.tableName);
    if (this.byTable.size === 0 && this.unsubscribe !== undefined) {
      this.unsubscribe();
      this.unsubscribe = undefined;
    }
  }
}
