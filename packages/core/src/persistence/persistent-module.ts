import type { ChangeBatch } from '../modules/change-record.js';
import type { DatabaseModule } from '../modules/module.js';
import type { TableView } from '../tables/table-view.js';

/**
 * What a module adds (all optional) so durable storage keeps its state across restarts. A module is
 * any DatabaseModule; the store looks for these members on the modules the Database was given.
 *
 * - Settings kept per table in the table's module state (`TableView.getModuleState`) (e.g. a StreamSpecification, a TTL attribute):
 *   list their keys in `persistentTableState`. Their values must be plain data (objects, arrays,
 *   strings, numbers, booleans, null, Uint8Array). They are saved with the table's catalog entry
 *   after every operation of effect `catalog` (see OperationEntry) that names the table, and in every
 *   snapshot, and are back in `moduleState` before the database answers its first request.
 * - Per-table state that is not plain data (timers, class instances): `persistTableState(table)` returns
 *   plain data for it and `restoreTableState(table, state)` puts it back. A change a module makes
 *   outside its `catalog` operations (on a timer) is saved once it calls `ModuleContext.catalogChanged`
 *   with the table's name (else at the next catalog operation on the table or the next snapshot).
 * - Module-wide state (e.g. stream records within retention): `snapshotState()` returns it as plain
 *   data when a snapshot is taken; `restoreState(state)` receives it on open. Changes after the
 *   snapshot come back through `replayChanges`: each logged change batch, in commit order, numbered
 *   and timed as first published (with its oldImage), after its items are applied. The change feed
 *   (`onChange`) is not called during recovery.
 * - Module-wide state that changes outside the change feed (a backup taken, a setting): log each change
 *   with `ModuleContext.logModuleRecord` as it happens; `replayRecord` receives the records logged after
 *   the snapshot, in log order.
 *
 * @example
 * const audit: DatabaseModule & PersistentModule = {
 *   name: 'audit',
 *   persistentTableState: ['audit'],
 *   install(ctx) { ctx.onChange((batch) => { count += batch.records.length; }); },
 *   snapshotState: () => ({ count }),
 *   restoreState: (state) => { count = (state as { count: number }).count; },
 *   replayChanges: (batch) => { count += batch.records.length; },
 * };
 */
export interface PersistentModule {
  /** the table's module state (`TableView.getModuleState`) keys whose values persist with the table. */
  readonly persistentTableState?: readonly string[];
  /**
   * A table's module state as plain data (undefined: none), for state that is not plain data itself
   * (timers, class instances). Saved with the table's catalog entry, like `persistentTableState`.
   */
  persistTableState?(table: TableView): unknown;
  /**
   * Receives what `persistTableState` returned, on a table being recovered (before any item of it is
   * replayed). A setting caught mid-transition (e.g. ENABLING) should be finished or re-timed here.
   */
  restoreTableState?(table: TableView, state: unknown): void;
  /** The module's own durable state, as plain data, at a snapshot. */
  snapshotState?(): unknown;
  /** Receives what `snapshotState` returned, when the database opens from that snapshot. */
  restoreState?(state: unknown): void;
  /** Receives each change batch logged after the snapshot, in order, during recovery. */
  replayChanges?(batch: ChangeBatch): void;
  /**
   * Receives each record the module logged after the snapshot (`ModuleContext.logModuleRecord`), in log
   * order among the change batches and catalog records, during recovery.
   */
  replayRecord?(record: unknown): void;
  /**
   * Called once recovery is complete, before the database answers its first request: rebuild state
   * derived from the tables' items here (e.g. TTL's expiry index), by reading the tables.
   */
  recovered?(): void;
}

/** The persistence members of a module, if it has any. */
export function persistenceOf(module: DatabaseModule): PersistentModule {
  return module as DatabaseModule & PersistentModule;
}
