import type { StorageOptions } from './table-storage.js';

/** Where a database keeps its data. Memory is the default; durable adapters come with their own module. */
export interface StorageAdapter {
  readonly kind: string;
  /** How tables lay out their in-memory partitions and B+ trees. */
  readonly layout: StorageOptions;
}

/**
 * Keeps everything in memory: fast, and gone when the process ends.
 *
 * @example
 * // Tiny B+ tree nodes and partitions, so a test exercises node and partition splits:
 * const db = new Database({ storage: memoryStorage({ maxNodeSize: 4, partitionSplitItems: 16 }) });
 */
export function memoryStorage(layout: StorageOptions = {}): StorageAdapter {
  return { kind: 'memory', layout };
}
