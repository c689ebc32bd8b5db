import type { StorageOptions } from '../storage/table-storage.js';
import type { StorageAdapter } from './storage-adapter.js';

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
