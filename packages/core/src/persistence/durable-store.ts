import type { Engine } from '../engine.js';
import type { ChangeBatch } from '../modules/change-record.js';
import type { DatabaseModule, ServiceName } from '../modules/module.js';
import { tablesOfRequest } from '../modules/tables-of-request.js';
import { catalogEntryOf, type CatalogChange, type ModuleTableState } from './catalog.js';
import { MANIFEST, segmentName, snapshotName, storeFiles, writeManifest } from './files.js';
import type { LogAppender, LogDevice } from './log-device.js';
import { catalogRecord, moduleRecord, segmentHeader, writeRecord, type TokenEntry } from './log-records.js';
import { persistenceOf, type PersistentModule } from './persistent-module.js';
import { ReadFence } from './read-fence.js';
import { recover } from './recovery.js';
import type { RecoveryProgress, RecoveryReport } from './recovery-report.js';
import { captureSnapshot, snapshotChunks } from './snapshot.js';

/** When a write's promise resolves, relative to its log record reaching the disk. */
export type Durability = 'strict' | 'batched' | 'none';

/** Options of a durable store (`fileStorage(dir, options)`). */
export interface DurableStorageOptions {
  /**
   * `strict` (default): a write's promise resolves once its log record is fsynced; writes issued
   * together share one fsync (group commit). Survives kill -9 and power loss. Nothing shows a write
   * before then: a read, a failed operation (a condition check's item, a transaction's cancellation
   * reasons), streams' GetRecords, a trigger or a Kinesis subscription that could see a table with a
   * pending group commit waits for it (ModuleContext.whenDurable); reads of settled tables answer at once.
   * `batched`: resolves at once; records are written in the background (one write per event-loop
   * turn) and fsynced every `syncIntervalMs`, so a crash — kill -9 or power loss — loses at most the
   * writes of that interval, and never a part of a transaction. Reads and triggers see writes at once,
   * as their writers do: a crash may lose what they saw within that interval.
   * `none`: resolves at once; records are written in the background and never fsynced by the store
   * (the operating system decides when they reach the disk). Reads and triggers see writes at once: a
   * kill -9 may lose the writes not yet handed to the OS, power loss whatever the OS had not written.
   * Under `batched` and `none` a writer more than 1 MiB of log ahead of the disk waits (backpressure),
   * so a writer that never yields to the event loop still lets the log be written.
   */
  durability?: Durability;
  /** `batched`: the longest time, in ms, between a write and its fsync. Default 100. */
  syncIntervalMs?: number;
  /**
   * A snapshot is taken (and the log restarted) once this many log bytes follow the last one. Default
   * 32 MiB: it bounds what recovery replays (~200,000 writes of ~100-byte items, ~2 s) while a large
   * table is not re-snapshotted too often (each snapshot writes every item once).
   */
  snapshotLogBytes?: number;
  /** Items per snapshot chunk; the store yields to other work between chunks. Default 2,000. */
  snapshotChunkItems?: number;
  /**
   * Called while `open()` recovers the store: after each snapshot chunk loaded (`snapshotChunkItems`
   * items when it was written) and every 10,000 log records replayed, so a caller can show progress
   * (the `magneto` CLI prints it about once a second). Called synchronously from recovery, which does
   * not yield while it loads a snapshot: keep it cheap.
   */
  onRecoveryProgress?: (progress: RecoveryProgress) => void;
}

/**
 * `batched` and `none`: how far (log bytes not yet handed to the OS) writers may run ahead of the disk
 * before they wait. It also bounds what a writer that never yields to the event loop (a tight loop of
 * awaited writes resolves in microtasks only) leaves unwritten: the flush runs when it waits.
 */
const BACKLOG_BYTES = 1024 * 1024;

/**
 * Every open starts a log segment, so a store reopened often with few writes between opens gathers
 * segments below `snapshotLogBytes`: opening one with this many segments after its snapshot takes one.
 */
const SNAPSHOT_SEGMENTS = 8;

/** The log's form of a transaction's ClientRequestToken entry, if its batch carries one. */
function tokenEntryOf(batch: ChangeBatch): TokenEntry | undefined {
  const entry = batch.transactionToken;
  return entry === undefined ? undefined : [entry.token, entry.fingerprint, entry.committedAt, entry.output];
}

/** The store is no longer writing: an earlier I/O error, or it was closed. */
export class StoreFailedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreFailedError';
  }
}

interface QueueEntry {
  segment: number;
  chunks: Uint8Array[];
  endLsn: number;
  bytes: number;
}

interface Waiter {
  lsn: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A database's durable store: it logs every committed change batch and catalog change to a LogDevice
 * (write-ahead log, group commit), snapshots the state now and then, and recovered the state on open.
 * The engine stays synchronous: operations run and commit in memory at once; only their promises wait
 * (`durableAfter`) for the durability policy.
 */
export class DurableStore {
  private nextLsn = 0;
  private written = 0;
  private synced = 0;
  private currentSegment = 0;
  private queue: QueueEntry[] = [];
  private waiters: Waiter[] = [];
  private flushing = false;
  private queuedBytes = 0;
  private flushDone: Promise<void> | undefined;
  private scheduled = false;
  private syncRequested = false;
  private syncTimer: ReturnType<typeof setTimeout> | undefined;
  private appender: LogAppender | undefined;
  private openSegment = -1;
  private logBytesSinceSnapshot = 0;
  /** The newest segment the manifest names (null: none yet). */
  private promisedSegment: number | null = null;
  /** Manifest updates run one at a time: each lists the device and replaces the manifest. */
  private manifestUpdates: Promise<void> = Promise.resolve();
  private snapshotting: Promise<void> | undefined;
  private snapshotDue = false;
  private failure: unknown;
  private closed = false;
  /** The tables whose catalog entry the log holds (a table gone from the engine is logged as deleted once). */
  private readonly catalogTables = new Set<string>();
  private readonly moduleKeys: string[] = [];
  private readonly persistentModules: Array<{ name: string; persistence: PersistentModule }> = [];
  private readonly moduleState: ModuleTableState = { keys: this.moduleKeys, modules: this.persistentModules, view: (table) => this.engine.viewOf(table) };
  private readonly detach: Array<() => void> = [];
  private readonly fence = new ReadFence();
  private readonly durability: Durability;
  private readonly syncIntervalMs: number;
  private readonly snapshotLogBytes: number;
  private readonly snapshotChunkItems: number;
  /** Set on open. */
  recoveryReport!: RecoveryReport;

  private constructor(
    private readonly device: LogDevice,
    private readonly engine: Engine,
    modules: readonly DatabaseModule[],
    options: DurableStorageOptions,
  ) {
    this.durability = options.durability ?? 'strict';
    this.syncIntervalMs = options.syncIntervalMs ?? 100;
    this.snapshotLogBytes = options.snapshotLogBytes ?? 32 * 1024 * 1024;
    this.snapshotChunkItems = options.snapshotChunkItems ?? 2000;
    for (const module of modules) {
      const persistence = persistenceOf(module);
      this.persistentModules.push({ name: module.name, persistence });
      if (persistence.persistentTableState) this.moduleKeys.push(...persistence.persistentTableState);
    }
  }

  /** Locks the device, recovers its state into `engine` (which must hold no tables), and starts logging. @internal */
  static async open(device: LogDevice, engine: Engine, modules: readonly DatabaseModule[], options: DurableStorageOptions = {}): Promise<DurableStore> {
    const store = new DurableStore(device, engine, modules, options);
    await device.lock();
    try {
      const { report, nextLsn, logBytes, logSegments } = await recover(device, engine, store.moduleState, options.onRecoveryProgress);
      store.recoveryReport = report;
      // The log earlier sessions left counts toward the next snapshot, so restarts never reset it.
      store.logBytesSinceSnapshot = logBytes;
      store.nextLsn = nextLsn;
      store.written = nextLsn;
      store.synced = nextLsn;
      store.currentSegment = nextLsn;
      for (const { persistence } of store.persistentModules) persistence.recovered?.();
      for (const name of engine.tables.keys()) store.catalogTables.add(name);
      // Recovery settled in-flight tables: the log must say so before anything follows.
      await store.startSegment(nextLsn);
      store.attach();
      if (logBytes >= store.snapshotLogBytes || logSegments >= SNAPSHOT_SEGMENTS) store.startSnapshot().catch(() => undefined);
    } catch (error) {
      await device.unlock().catch(() => undefined);
      throw error;
    }
    return store;
  }

  /** The LSN the next record gets: compare before and after an operation to see whether it logged anything. */
  get appendedLsn(): number {
    return this.nextLsn;
  }

  /**
   * What an operation's answer (its output, or the error it threw) must wait for: undefined when
   * nothing, else a promise that resolves when the policy is met. Under `strict`, a write waits for
   * everything logged so far (what it saw included); a read, or an operation that failed having logged
   * nothing, waits for the last record that touched the tables it names (all of them when its input does
   * not tell), so it never shows a change that a crash could still lose.
   */
  durableAfter(service: ServiceName, operation: string, input: unknown, lsnBefore: number): Promise<void> | undefined {
    if (this.failure !== undefined) return Promise.reject(this.failureError());
    if (this.durability !== 'strict') {
      // Backpressure: a writer that outruns the disk by more than BACKLOG_BYTES waits for the write.
      if (this.queuedBytes <= BACKLOG_BYTES) return undefined;
      return this.waitFor(this.nextLsn);
    }
    // Nothing logged is waiting for its fsync: the common case of a read answers here, in O(1).
    if (this.synced >= this.nextLsn) return undefined;
    const entry = this.engine.operations.get(`${service}.${operation}`);
    const wrote = this.nextLsn !== lsnBefore || entry?.effect === 'write';
    const tables = entry === undefined ? undefined : tablesOfRequest(entry, input);
    const target = wrote ? this.nextLsn : this.fence.lsnFor(tables, this.nextLsn, (name) => this.engine.tableNameOf(name));
    return this.synced >= target ? undefined : this.waitFor(target);
  }

  /**
   * Undefined when every change committed so far meets the durability policy (always under `batched`
   * and `none`, whose writes are acknowledged at once); else a promise that resolves once it does.
   */
  whenDurable(): Promise<void> | undefined {
    if (this.failure !== undefined) return Promise.reject(this.failureError());
    if (this.durability !== 'strict' || this.synced >= this.nextLsn) return undefined;
    return this.waitFor(this.nextLsn);
  }

  /** A promise that resolves once the records up to `lsn` meet the policy. Waiters stay sorted by LSN for release(). */
  private waitFor(lsn: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let at = this.waiters.length;
      // A read's target may precede a write's that waits already: usually it goes last, O(1).
      while (at > 0 && this.waiters[at - 1]!.lsn > lsn) at--;
      this.waiters.splice(at, 0, { lsn, resolve, reject });
    });
  }

  /**
   * Takes a snapshot of the state as it is now (after one in progress, if any), then drops the log
   * segments and snapshots no longer needed.
   */
  async snapshot(): Promise<void> {
    while (this.snapshotting) await this.snapshotting.catch(() => undefined);
    return this.startSnapshot();
  }

  private startSnapshot(): Promise<void> {
    if (this.closed) return Promise.reject(new StoreFailedError('The store is closed'));
    const lsn = this.nextLsn;
    const moduleStates: Record<string, unknown> = {};
    for (const { name, persistence } of this.persistentModules) if (persistence.snapshotState) moduleStates[name] = persistence.snapshotState();
    const capture = captureSnapshot(this.engine, lsn, this.moduleState, moduleStates);
    // Records from here on go to a new segment, so the snapshot plus that segment replace everything before.
    this.currentSegment = lsn;
    this.enqueue([], 0);
    this.logBytesSinceSnapshot = 0;
    const pause = (): Promise<void> => new Promise((resolve) => this.schedule(resolve));
    this.snapshotting = (async () => {
      try {
        await this.device.writeAtomically(snapshotName(lsn), snapshotChunks(capture, this.snapshotChunkItems, pause));
        await this.dropObsolete();
      } finally {
        this.snapshotting = undefined;
      }
      // The log may have outgrown the threshold again while this one was written.
      if (!this.closed && this.logBytesSinceSnapshot >= this.snapshotLogBytes) this.startSnapshot().catch(() => undefined);
    })();
    return this.snapshotting;
  }

  /**
   * Flushes and fsyncs everything, waits for a snapshot in progress, stops logging and releases the
   * lock. Once the log since the last snapshot is half `snapshotLogBytes` or more, it takes a snapshot
   * first, so that the next open loads it instead of replaying that log.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    for (;;) {
      while (this.snapshotting) await this.snapshotting.catch(() => undefined);
      if (this.failure !== undefined || this.logBytesSinceSnapshot < this.snapshotLogBytes / 2) break;
      await this.startSnapshot().catch(() => undefined);
    }
    this.closed = true;
    for (const undo of this.detach.splice(0)) undo();
    if (this.syncTimer !== undefined) clearTimeout(this.syncTimer);
    this.syncRequested = true;
    await this.flush();
    // A round in progress when close() began may have ended before seeing the request.
    if (this.syncRequested || this.queue.length > 0) await this.flush();
    await this.appender?.close();
    this.appender = undefined;
    await this.device.unlock();
    if (this.failure !== undefined) throw this.failureError();
  }

  // --- logging -----------------------------------------------------------------------------------

  private attach(): void {
    const context = this.engine.moduleContext();
    // Kept after close(): what close() flushes is durable only once it has.
    this.engine.durableLog = this;
    // A transaction's ClientRequestToken travels with its batch, so both go in one record.
    this.detach.push(
      context.onChange((batch) => {
        try {
          this.append(writeRecord(this.nextLsn, batch, tokenEntryOf(batch)), batch);
        } catch (error) {
          // A change that cannot be logged is not durable: the store fails (its waiters reject, so no
          // answer that waits for durability is given) instead of the engine only reporting the error.
          this.failure ??= error;
          this.release();
          throw error;
        }
      }),
    );
    this.detach.push(context.onCatalogChange((tableName) => this.logCatalogEntry(tableName)));
  }

  /** Logs a module's record of its own state (ModuleContext.logModuleRecord). */
  logModuleRecord(module: string, record: unknown): void {
    this.append(moduleRecord(this.nextLsn, module, record), undefined);
  }

  /** Logs a table's catalog entry, or its removal when it is gone (once). */
  private logCatalogEntry(tableName: string): void {
    const table = this.engine.tables.get(tableName);
    let change: CatalogChange;
    if (table !== undefined) {
      change = catalogEntryOf(table, this.moduleState);
      this.catalogTables.add(tableName);
    } else {
      if (!this.catalogTables.delete(tableName)) return;
      change = { name: tableName, deleted: true };
    }
    const changes = [change];
    this.append(catalogRecord(this.nextLsn, changes), undefined, changes);
  }

  /** Logs one framed record; `batch` and `catalog` say which tables it touches (for the read fence). */
  private append(framed: Uint8Array, batch: ChangeBatch | undefined, catalog?: readonly CatalogChange[]): void {
    if (this.closed) {
      this.failure ??= new StoreFailedError('A write reached the database after close(): it is not durable');
      return;
    }
    this.nextLsn++;
    this.fence.logged(this.nextLsn, batch, catalog);
    this.enqueue([framed], framed.length);
    this.logBytesSinceSnapshot += framed.length;
    if (this.logBytesSinceSnapshot >= this.snapshotLogBytes && this.snapshotting === undefined && !this.snapshotDue) {
      // Taken between operations, not inside the one whose change crossed the threshold.
      this.snapshotDue = true;
      this.schedule(() => {
        this.snapshotDue = false;
        if (this.snapshotting === undefined && !this.closed) this.startSnapshot().catch(() => undefined);
      });
    }
  }

  private enqueue(chunks: Uint8Array[], bytes: number): void {
    this.queuedBytes += bytes;
    const last = this.queue[this.queue.length - 1];
    if (last !== undefined && last.segment === this.currentSegment) {
      last.chunks.push(...chunks);
      last.endLsn = this.nextLsn;
      last.bytes += bytes;
    } else {
      this.queue.push({ segment: this.currentSegment, chunks, endLsn: this.nextLsn, bytes });
    }
    this.kick();
  }

  private schedule(task: () => void): void {
    if (this.device.schedule) this.device.schedule(task);
    else queueMicrotask(task);
  }

  private kick(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /** Writes the queue in order, one write per segment run and one fsync per round (group commit). */
  private flush(): Promise<void> {
    if (this.flushing) return this.flushDone!;
    this.flushing = true;
    this.flushDone = this.flushRounds();
    return this.flushDone;
  }

  private async flushRounds(): Promise<void> {
    try {
      while (this.failure === undefined && (this.queue.length > 0 || this.syncRequested)) {
        const entries = this.queue;
        this.queue = [];
        for (const entry of entries) {
          if (entry.segment !== this.openSegment) await this.startSegment(entry.segment);
          if (entry.chunks.length > 0) await this.appender!.append(entry.chunks);
          this.written = entry.endLsn;
          this.queuedBytes -= entry.bytes;
        }
        if (this.durability === 'strict' && this.appender!.writesAreDurable && !this.syncRequested) {
          this.synced = this.written;
        } else if (this.durability === 'strict' || this.syncRequested) {
          this.syncRequested = false;
          await this.appender!.sync();
          this.synced = this.written;
        } else if (this.durability === 'batched' && this.syncTimer === undefined && this.synced < this.written) {
          this.syncTimer = setTimeout(() => {
            this.syncTimer = undefined;
            this.syncRequested = true;
            this.kick();
          }, this.syncIntervalMs);
          (this.syncTimer as { unref?: () => void }).unref?.();
        }
        this.release();
      }
    } catch (error) {
      this.failure = error;
      this.release();
    } finally {
      this.flushing = false;
    }
    if (this.queue.length > 0 && this.failure === undefined) this.kick();
  }

  /**
   * Closes the open segment (synced) and starts the one whose first record is `lsn`, named in the
   * manifest before any record goes to it.
   */
  private async startSegment(lsn: number): Promise<void> {
    if (this.appender !== undefined) {
      await this.appender.sync();
      this.synced = this.written;
      await this.appender.close();
    }
    if (this.openSegment === -1) {
      // A session's first segment may replace a segment of the same name (the newest, holding no
      // record), or the store may have no manifest yet: the manifest must promise no segment while
      // it is (re)created, or a crash then would read as a lost segment.
      const names = await this.device.list();
      if (!names.includes(MANIFEST) || names.includes(segmentName(lsn))) await this.updateManifest(null);
    }
    this.appender = await this.device.openAppender(segmentName(lsn), { durableWrites: this.durability === 'strict' });
    await this.appender.append([segmentHeader(lsn)]);
    await this.appender.sync();
    this.openSegment = lsn;
    await this.updateManifest(lsn);
  }

  /** Replaces the manifest: `segment` as the newest log segment, and the snapshots on the device. */
  private updateManifest(segment: number | null): Promise<void> {
    return this.serialManifest(async () => {
      const { snapshots } = storeFiles(await this.device.list());
      this.promisedSegment = segment;
      await writeManifest(this.device, { segment, snapshots: snapshots.map((snapshot) => snapshot.lsn) });
    });
  }

  /** Runs `task` after every manifest update before it. */
  private serialManifest(task: () => Promise<void>): Promise<void> {
    const run = this.manifestUpdates.then(task);
    this.manifestUpdates = run.catch(() => undefined);
    return run;
  }

  /** Resolves the waiters the policy now covers; rejects them all after a failure. */
  private release(): void {
    if (this.failure !== undefined) {
      const error = this.failureError();
      for (const waiter of this.waiters.splice(0)) waiter.reject(error);
      return;
    }
    const covered = this.durability === 'strict' ? this.synced : this.written;
    let n = 0;
    while (n < this.waiters.length && this.waiters[n]!.lsn <= covered) this.waiters[n++]!.resolve();
    if (n > 0) this.waiters.splice(0, n);
  }

  private failureError(): StoreFailedError {
    const cause = this.failure;
    if (cause instanceof StoreFailedError) return cause;
    return new StoreFailedError(`Writes to ${this.device.location} are failing, so they are not durable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }

  /**
   * Keeps the two newest snapshots and the log from the older of them on: a snapshot found damaged on
   * open still leaves an older one and the log to recover from.
   */
  private dropObsolete(): Promise<void> {
    return this.serialManifest(async () => {
      const { segments, snapshots } = storeFiles(await this.device.list());
      if (snapshots.length === 0) return;
      // With one snapshot, the log from the start is its fallback.
      const keepFrom = snapshots.length >= 2 ? snapshots[snapshots.length - 2]!.lsn : 0;
      // The manifest stops listing what is removed before it is removed.
      const kept = snapshots.filter((snapshot) => snapshot.lsn >= keepFrom);
      await writeManifest(this.device, { segment: this.promisedSegment, snapshots: kept.map((snapshot) => snapshot.lsn) });
      for (const snapshot of snapshots) if (snapshot.lsn < keepFrom) await this.device.remove(snapshot.name);
      for (let i = 0; i < segments.length; i++) {
        const next = segments[i + 1];
        if (next !== undefined && next.lsn <= keepFrom && segments[i]!.lsn !== this.openSegment) await this.device.remove(segments[i]!.name);
      }
    });
  }
}


