import type { Engine } from '../engine.js';
import type { TableStorage } from '../storage/table-storage.js';
import { CopyOnWriteMap } from '../storage/copy-on-write-map.js';
import type { SecondaryIndex } from '../tables/secondary-index.js';
import type { TableState } from '../tables/table-state.js';

/**
 * A saved point of a database (`db.savepoint()`), to go back to with `db.rollback(savepoint)` as often as
 * wanted, in any order. Opaque: only the database that made it can use it.
 */
export class Savepoint {
  /** @internal */
  constructor(
    /** @internal The database's savepoints. */
    readonly owner: Savepoints,
    /** @internal The database's generation (resets) when it was taken. */
    readonly generation: number,
    /** @internal Each table that existed, with its settings and an O(1) snapshot of its storage. */
    readonly tables: ReadonlyMap<TableState, SavedTable>,
    /** @internal TransactWriteItems' idempotency tokens as they were. */
    readonly transactionTokens: ReadonlyMap<string, unknown>,
    /** @internal What puts each module's state back (ModuleContext.addSavepointHook). */
    readonly modules: ReadonlyArray<() => void>,
  ) {}
}

/** A table at a savepoint: its own fields (shallow), its mutable members copied, its storage snapshots. */
interface SavedTable {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly moduleState: ReadonlyMap<string, unknown>;
  readonly storage: TableStorage;
  readonly collectionSizes: ReadonlyMap<string, number> | undefined;
  /** Every index the table had (its `indexes` array is replaced, never changed, so `fields` keeps it). */
  readonly indexes: ReadonlyArray<SavedIndex>;
}

/** A secondary index at a savepoint: its mutable settings and a snapshot of its storage. */
interface SavedIndex {
  readonly index: SecondaryIndex;
  readonly status: SecondaryIndex['status'];
  readonly backfilling: boolean;
  readonly throughput: SecondaryIndex['throughput'];
  readonly storage: TableStorage;
}

/**
 * @internal A database's savepoints. A savepoint holds an O(1) copy-on-write snapshot of every table's and
 * index's storage (B+ tree clones, item slots, identity index); a rollback swaps those back in
 * (TableStorage.restore). Nothing is logged and no item or index entry is rewritten: a rollback costs
 * O(tables + indexes + partitions), whatever the tables hold and however much was written since, plus what
 * the modules' hooks cost. Tables and their settings go back as they were (created ones go, deleted
 * ones come back), and every module that keeps state (streams, TTL, …) puts it back through its
 * savepoint hook.
 */
export class Savepoints {
  /** Increases with every reset: savepoints of an earlier generation no longer exist. */
  private generation = 0;

  /** What puts each module's state back as it was when the database was made (for reset). */
  private readonly initialModules: ReadonlyArray<() => void>;

  constructor(private readonly engine: Engine) {
    this.initialModules = engine.savepointHooks.map((save) => save());
  }

  /** Empties the database: no tables, no idempotency tokens, every module's state as when it was installed. */
  reset(): void {
    const engine = this.engine;
    for (const table of engine.tables.values()) table.cancelTransition?.();
    const names = [...engine.tables.keys()];
    engine.tables.clear();
    engine.transactionTokens.clear();
    // Every savepoint taken so far is gone with the state it saved.
    this.generation++;
    for (const restore of this.initialModules) restore();
    for (const name of names) engine.catalogChanged(name);
  }

  /** Saves the database's current state. O(tables + indexes + modules). */
  save(): Savepoint {
    const engine = this.engine;
    const tables = new Map<TableState, SavedTable>();
    for (const table of engine.tables.values()) tables.set(table, savedTable(table));
    const modules = engine.savepointHooks.map((save) => save());
    return new Savepoint(this, this.generation, tables, new Map(engine.transactionTokens), modules);
  }

  /**
   * Puts the database back as it was at `savepoint`: every table's and index's storage from its snapshot,
   * the tables' settings and the set of tables, then lets modules restore their state. The item changes
   * this undoes do not go out on the change feed: modules that derive state from it restore that state
   * through their savepoint hooks.
   */
  rollback(savepoint: Savepoint): void {
    if (savepoint.owner !== this) throw new Error('rollback() needs a savepoint of this database');
    if (savepoint.generation !== this.generation) throw new Error('This savepoint no longer exists: it was taken before a reset()');
    const engine = this.engine;
    for (const table of engine.tables.values()) {
      table.cancelTransition?.();
      table.cancelTransition = undefined;
    }
    for (const [table, saved] of savepoint.tables) restoreTable(table, saved);
    engine.tables.clear();
    for (const table of savepoint.tables.keys()) engine.tables.set(table.name, table);
    engine.transactionTokens.clear();
    for (const [token, entry] of savepoint.transactionTokens) engine.transactionTokens.set(token, entry as never);
    for (const restore of savepoint.modules) restore();
    for (const table of engine.tables.keys()) engine.catalogChanged(table);
  }
}

function savedTable(table: TableState): SavedTable {
  const fields: Record<string, unknown> = { ...table };
  // Members changed in place rather than replaced.
  fields.throughput = { ...table.throughput };
  fields.tags = [...table.tags];
  // A transition pending then was cancelled by the rollback; the saved status stands.
  fields.cancelTransition = undefined;
  return {
    fields,
    moduleState: new Map(table.moduleState),
    storage: table.storage.snapshot(),
    // Only tables with LSIs keep collection sizes: shared, never changed (CopyOnWriteMap). O(1) when unchanged since.
    collectionSizes: table.collectionSizes?.share(),
    indexes: table.indexes.map((index) => ({
      index,
      status: index.status,
      backfilling: index.backfilling,
      throughput: index.throughput === undefined ? undefined : { ...index.throughput },
      storage: index.storage.snapshot(),
    })),
  };
}

function restoreTable(table: TableState, saved: SavedTable): void {
  Object.assign(table, saved.fields, {
    throughput: { ...(saved.fields.throughput as object) },
    tags: [...(saved.fields.tags as unknown[])],
    // Still shared with the savepoint, which may serve again: O(1), and so is the write after it.
    collectionSizes: saved.collectionSizes === undefined ? undefined : CopyOnWriteMap.adopting(saved.collectionSizes),
  });
  table.moduleState.clear();
  for (const [name, state] of saved.moduleState) table.moduleState.set(name, state);
  table.storage.restore(saved.storage);
  for (const { index, status, backfilling, throughput, storage } of saved.indexes) {
    index.status = status;
    index.backfilling = backfilling;
    index.throughput = throughput === undefined ? undefined : { ...throughput };
    index.storage.restore(storage);
  }
}
