import type { Engine } from '../engine.js';
import type { DatabaseModule, ServiceName } from '../modules/module.js';
import type { StorageOptions } from '../storage/table-storage.js';
import type { RecoveryReport } from './recovery-report.js';

/** Where a database keeps its data. Memory is the default; durable adapters come with their own module. */
export interface StorageAdapter {
  readonly kind: string;
  /** How tables lay out their in-memory partitions and B+ trees. */
  readonly layout: StorageOptions;
  /**
   * Durable adapters only: recovers the stored state into the database's engine (which holds no
   * tables yet) and keeps it from then on. `Database.open()` calls it once; memory has none.
   *
   * @internal
   */
  open?(engine: Engine, modules: readonly DatabaseModule[]): Promise<StorageSession>;
}

/** An open durable adapter, as the Database drives it. */
export interface StorageSession {
  /** What opening found and did (damage included). */
  readonly recoveryReport: RecoveryReport;
  /** Increases with every record logged: read before and after an operation. */
  readonly appendedLsn: number;
  /**
   * What an operation's answer (output or error) waits for (see Durability), or undefined: nothing.
   * `lsnBefore` is `appendedLsn` from before it ran.
   */
  durableAfter(service: ServiceName, operation: string, input: unknown, lsnBefore: number): Promise<void> | undefined;
  /** Takes a snapshot now and drops the log it replaces. */
  snapshot(): Promise<void>;
  /** Flushes, fsyncs and releases the lock. */
  close(): Promise<void>;
}
