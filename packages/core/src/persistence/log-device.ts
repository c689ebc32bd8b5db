/**
 * Where a durable store keeps its bytes: a flat namespace of named files that can be appended to,
 * synced, written whole atomically, renamed, truncated and removed, plus a single-writer lock.
 *
 * The write-ahead log, the snapshots and recovery (this folder) are written against this interface
 * only, so they run unchanged over Node's file system (`@magneto/core/node`) or a browser store
 * (IndexedDB, where an "append" is a row and "sync" is a committed transaction).
 */
export interface LogDevice {
  /** Names the store in messages, e.g. a directory path. */
  readonly location: string;
  /**
   * Takes the single-writer lock. Throws StoreLockedError (naming the holder) when another process,
   * tab or database holds it; a stale lock whose holder is gone is taken over.
   */
  lock(): Promise<void>;
  /** Releases the lock taken by `lock()`. */
  unlock(): Promise<void>;
  /** The names of every stored file, in no particular order. */
  list(): Promise<string[]>;
  /** A whole file's bytes. */
  read(name: string): Promise<Uint8Array>;
  /**
   * Creates (or empties) `name` and returns an appender for it; the new file is durable once `sync`
   * resolves. With `durableWrites`, the device may make each append durable by itself (O_DSYNC, a
   * committed transaction) and say so in `LogAppender.writesAreDurable`, saving a round trip per commit.
   */
  openAppender(name: string, options?: { readonly durableWrites?: boolean }): Promise<LogAppender>;
  /**
   * Writes a file whole: `name` appears only once every chunk is durable (a temporary file, synced,
   * then renamed over), so a crash leaves either the old state or the complete file.
   */
  writeAtomically(name: string, chunks: AsyncIterable<Uint8Array>): Promise<void>;
  /** Cuts `name` to its first `length` bytes, durably. */
  truncate(name: string, length: number): Promise<void>;
  /** Renames a file, durably. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; a missing file is not an error. */
  remove(name: string): Promise<void>;
  /**
   * Runs `task` soon, after pending I/O callbacks, so one burst of writes forms one group commit.
   * Optional: the store falls back to a microtask.
   */
  schedule?(task: () => void): void;
}

/** Appends to one open file, in call order. */
export interface LogAppender {
  /** Whether an append is durable once it resolves (no `sync` needed). */
  readonly writesAreDurable: boolean;
  /** Hands the chunks to the operating system, in order (survives the process being killed, not power loss). */
  append(chunks: readonly Uint8Array[]): Promise<void>;
  /** Makes everything appended so far durable (fdatasync). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The lock of a store is held by someone else. The message names the holder. */
export class StoreLockedError extends Error {
  constructor(
    message: string,
    /** What the device knows about the holder (e.g. `{ pid, host, since }`). */
    readonly holder: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'StoreLockedError';
  }
}
