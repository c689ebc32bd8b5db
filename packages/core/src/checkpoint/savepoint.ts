import type { Engine } from '../engine.js';
import type { Item } from '../model/attribute-value.js';
import type { ChangeBatch } from '../modules/change-record.js';
import { itemChange } from '../modules/item-change.js';
import { primaryKeyCodeOf, withHash } from '../storage/storage-key.js';
import type { TableState } from '../tables/table-state.js';
import { removeItem, writeItem } from '../tables/write-item.js';

/**
 * A saved point of a database (`db.savepoint()`), to go back to with `db.rollback(savepoint)` as often as
 * wanted. Opaque: only the database that made it can use it.
 */
export class Savepoint {
  /** @internal */
  constructor(
    /** @internal The database's savepoint log. */
    readonly log: SavepointLog,
    /** @internal The log's generation (resets) when it was taken. */
    readonly generation: number,
    /** @internal How many item changes the log held when it was taken. */
    readonly position: number,
    /** @internal Each table that existed, with its settings as they were. */
    readonly tables: ReadonlyMap<TableState, SavedTable>,
    /** @internal TransactWriteItems' idempotency tokens as they were. */
    readonly transactionTokens: ReadonlyMap<string, unknown>,
    /** @internal What puts each module's state back (ModuleContext.addSavepointHook). */
    readonly modules: ReadonlyArray<() => void>,
  ) {}
}

/** A table's catalog entry at a savepoint: its own fields (shallow), with its mutable members copied. */
interface SavedTable {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly moduleState: ReadonlyMap<string, unknown>;
}

/** One item change since the oldest live savepoint: enough to undo it on the very table it was made to. */
interface LoggedChange {
  readonly table: TableState;
  readonly oldImage: Item | undefined;
  readonly newImage: Item | undefined;
}

/**
 * @internal The item changes made since the oldest savepoint of a database, so a rollback undoes exactly
 * those: O(tables + changes since the savepoint), whatever the tables hold. Tables and their settings go
 * back as they were (created ones go, deleted ones come back), and every module that keeps state
 * (streams, …) puts it back through its savepoint hook. Listens to the change feed only once a savepoint
 * has been taken.
 */
export class SavepointLog {
  private readonly changes: LoggedChange[] = [];
  private listening = false;
  /** Increases with every reset: savepoints of an earlier generation no longer exist. */
  private generation = 0;
  /** Set while a rollback writes: its own undo is not logged. */
  private undoing = false;

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
    this.changes.length = 0;
    this.generation++;
    for (const restore of this.initialModules) restore();
    for (const name of names) engine.catalogChanged(name);
  }

  /** Saves the database's current state. O(tables + modules). */
  save(): Savepoint {
    const engine = this.engine;
    if (!this.listening) {
      this.listening = true;
      engine.moduleContext().onChange((batch) => this.record(batch));
    }
    const tables = new Map<TableState, SavedTable>();
    for (const table of engine.tables.values()) tables.set(table, savedTable(table));
    const modules = engine.savepointHooks.map((save) => save());
    return new Savepoint(this, this.generation, this.changes.length, tables, new Map(engine.transactionTokens), modules);
  }

  /**
   * Puts the database back as it was at `savepoint`: undoes the item changes made since (publishing each
   * undo on the change feed with origin `restore`, so derived state such as TTL's expiry index follows),
   * restores the tables' settings and the set of tables, then lets modules restore their state.
   * Savepoints taken after `savepoint` can no longer be rolled back to.
   */
  rollback(savepoint: Savepoint): void {
    if (savepoint.log !== this) throw new Error('rollback() needs a savepoint of this database');
    if (savepoint.position > this.changes.length || savepoint.generation !== this.generation) throw new Error('This savepoint no longer exists: it was taken after the savepoint last rolled back to, or before a reset()');
    const engine = this.engine;
    for (const table of engine.tables.values()) {
      table.cancelTransition?.();
      table.cancelTransition = undefined;
    }
    for (const [table, saved] of savepoint.tables) restoreTable(table, saved);
    this.undoing = true;
    try {
      for (let i = this.changes.length - 1; i >= savepoint.position; i--) {
        const change = this.changes[i]!;
        if (savepoint.tables.has(change.table)) this.undo(change);
      }
    } finally {
      this.undoing = false;
    }
    this.changes.length = savepoint.position;
    engine.tables.clear();
    for (const table of savepoint.tables.keys()) engine.tables.set(table.name, table);
    engine.transactionTokens.clear();
    for (const [token, entry] of savepoint.transactionTokens) engine.transactionTokens.set(token, entry as never);
    for (const restore of savepoint.modules) restore();
    for (const table of engine.tables.keys()) engine.catalogChanged(table);
  }

  private record(batch: ChangeBatch): void {
    if (this.undoing) return;
    for (const record of batch.records) {
      const table = this.engine.tables.get(record.tableName);
      if (table !== undefined) this.changes.push({ table, oldImage: record.oldImage, newImage: record.newImage });
    }
  }

  /** Writes a change's old image back (or deletes what it inserted), as the database itself: origin `restore`. */
  private undo({ table, oldImage, newImage }: LoggedChange): void {
    const schema = table.keySchema;
    const now = this.engine.clock.now();
    let replaced: Item | undefined;
    if (oldImage === undefined) replaced = removeItem(table, primaryKeyCodeOf(newImage!, schema));
    else replaced = writeItem(table, primaryKeyCodeOf(oldImage, schema), oldImage, (code) => withHash(code, oldImage, schema), true);
    if (this.engine.hasChangeListeners) {
      const change = itemChange(table, replaced, oldImage, now, 'restore');
      if (change !== undefined) this.engine.publish([change]);
    }
  }
}

function savedTable(table: TableState): SavedTable {
  const fields: Record<string, unknown> = { ...table };
  // Members changed in place rather than replaced.
  fields.throughput = { ...table.throughput };
  fields.tags = [...table.tags];
  // A transition pending then was cancelled by the rollback; the saved status stands.
  fields.cancelTransition = undefined;
  return { fields, moduleState: new Map(table.moduleState) };
}

function restoreTable(table: TableState, saved: SavedTable): void {
  Object.assign(table, saved.fields, { throughput: { ...(saved.fields.throughput as object) }, tags: [...(saved.fields.tags as unknown[])] });
  table.moduleState.clear();
  for (const [name, state] of saved.moduleState) table.moduleState.set(name, state);
}
