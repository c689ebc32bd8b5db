import type { Item } from '../model/attribute-value.js';
import { itemSize, knownItemSize } from '../model/item-size.js';
import { HASH_SPACE } from './hash-prefix.js';
import { identityHash, IdentityIndex } from './identity-index.js';
import { decodeItem, encodeItem, storedItemSize } from './item-codec.js';
import { ItemSlots } from './item-slots.js';
import { Partition } from './partition.js';
import {
  decodeStorageKey,
  encodeCollectionPrefix,
  encodeHash,
  encodeSortBound,
  encodeStorageKey,
  hashOfStorageKey,
  primaryKeyIdentity,
  type PrimaryKeyCode,
  type StorageKey,
} from './storage-key.js';
import { visitTreeRange, visitTreeRangeReversed } from './tree-range.js';

/** How a table's storage is laid out; the defaults suit production, tests shrink them. */
export interface StorageOptions {
  /** Maximum B+ tree node size (KeyTree's default is 64, at least 4; tiny sizes make tests split nodes). */
  readonly maxNodeSize?: number | undefined;
  /** A partition with more items than this splits in two at its median hash prefix. */
  readonly partitionSplitItems?: number | undefined;
}

/** The string that identifies an item in a storage: its table primary key (an index keys its items by it too). */
export type ItemIdentity = (key: StorageKey | PrimaryKeyCode) => string;

const DEFAULT_SPLIT_ITEMS = 200_000;

/**
 * Receives one item of a range read: its encoded storage key (see storage-key.ts), the item (decoded
 * afresh, frozen) and its size; returns false to stop.
 */
export type Visitor = (key: string, item: Item, size: number) => boolean;

/** Decodes a stored item (item-codec.ts): whole (sharingDecoder, collectionsDecoder) or only the attributes a read needs (attributesReader). */
export type Decoder = (stored: string) => Item;

// Sorts after every encoded storage key (their first character is a hash byte, at most 0xFF).
const PAST_EVERY_KEY = '\u0100';

/**
 * A table's items: partitions owning contiguous ranges of the 24-bit hash space (a hash ring cut into
 * arcs), each a B+ tree. Partitions split as they grow, as DynamoDB's do; a full iteration visits
 * partitions in hash order, which is DynamoDB's Scan order.
 *
 * Each item is two flat strings in a slot (item-slots.ts): its storage key (storage-key.ts) and its
 * encoded attributes (item-codec.ts), so a million items are two million strings the garbage collector
 * never walks into, rather than ten million small objects. The trees map storage keys to slots; an
 * identity index (identity-index.ts) maps primary keys to slots for point lookups (GetItem, and the old
 * item of every write) in O(1) without hashing the partition key. Replacing an item rewrites its slot:
 * no tree descent. Reads decode a fresh frozen item.
 */
export class TableStorage {
  private partitions: Partition[];
  private slots = new ItemSlots();
  /** Primary key → slot; shared copy-on-write with snapshots and forks, as the slots are. */
  private index: IdentityIndex;
  /** Whether an item's identity is its storage key after the hash prefix (a table, not an index). */
  private readonly afterHash: boolean;
  private readOnly = false;
  private count = 0;
  private writes = 0;
  private bytes = 0;
  private readonly maxNodeSize: number | undefined;
  private readonly splitItems: number;
  /** A partition that could not split (one partition key holds all its items) waits until it doubles. */
  private splitFloor = new WeakMap<Partition, number>();
  /**
   * The size of the item the last `get`, `put` or `delete` returned (0 when it returned none), so a
   * caller that charges capacity for that item need not measure it again (its holder kept the size).
   */
  lastItemSize = 0;

  /**
   * `identity` names an item for point lookups and replacement: a table's primary key (the default);
   * a secondary index passes its items' table keys (`key.tableKey`), since index keys repeat. An item's
   * identity is how its encoded storage key ends.
   */
  constructor(
    options: StorageOptions = {},
    private readonly identity: ItemIdentity = primaryKeyIdentity,
  ) {
    this.afterHash = identity === primaryKeyIdentity;
    this.index = new IdentityIndex(this.slots, this.afterHash);
    this.maxNodeSize = options.maxNodeSize;
    this.splitItems = options.partitionSplitItems ?? DEFAULT_SPLIT_ITEMS;
    this.partitions = [Partition.create(0, HASH_SPACE, this.maxNodeSize)];
  }

  /** The number of items. O(1). */
  get itemCount(): number {
    return this.count;
  }

  /** The items' total size as DynamoDB counts it (TableSizeBytes, IndexSizeBytes). O(1): kept on every write. */
  get sizeBytes(): number {
    return this.bytes;
  }

  /** Increases with every put and delete. */
  get version(): number {
    return this.writes;
  }

  /** The number of partitions. */
  get partitionCount(): number {
    return this.partitions.length;
  }

  /** An encoded storage key's identity (slow path: invariant checks). */
  private identityOfKey(key: string): string {
    return this.afterHash ? key.slice(3) : this.identity(decodeStorageKey(key));
  }

  /** The slot of the item with this primary key, or -1. O(1). */
  private slotOf(identity: string): number {
    return this.index.find(identity, identityHash(identity));
  }

  /**
   * The item with this primary key, if any, decoded afresh (or as a recent read decoded it). A read that
   * needs only some attributes passes `decodeOnce` (see ItemSlots.decoded): it may get the whole item
   * or only those. O(1) to find, O(item) to decode.
   */
  get(key: PrimaryKeyCode, decodeOnce?: Decoder): Item | undefined {
    const slot = this.slotOf(this.identity(key));
    if (slot < 0) {
      this.lastItemSize = 0;
      return undefined;
    }
    const stored = this.slots.item(slot);
    this.lastItemSize = storedItemSize(stored);
    return this.slots.decoded(slot, stored, decodeOnce);
  }

  /** The encoded form of the item with this primary key (item-codec.ts), if any. O(1). Sets lastItemSize. */
  getStored(key: PrimaryKeyCode): string | undefined {
    const slot = this.slotOf(this.identity(key));
    if (slot < 0) {
      this.lastItemSize = 0;
      return undefined;
    }
    const stored = this.slots.item(slot);
    this.lastItemSize = storedItemSize(stored);
    return stored;
  }

  /**
   * Stores `item` under its primary key; returns the item it replaced. See write; `size` is the
   * item's size when the caller already knows it.
   */
  put(
    key: PrimaryKeyCode,
    item: Item,
    place: (key: PrimaryKeyCode) => StorageKey = (k) => k as StorageKey,
    size: number = knownItemSize(item),
  ): Item | undefined {
    const old = this.write(key, item, place, size);
    return old === undefined ? undefined : decodeItem(old);
  }

  /**
   * Stores `item` (of `size` bytes as DynamoDB counts them) under its primary key; returns the encoded
   * item it replaced. O(1) to replace, O(log n) to insert. `place` gives a new item's storage key
   * (hashing its partition key): replacing an item keeps its key, so it is only called for inserts.
   */
  write(key: PrimaryKeyCode, item: Item, place: (key: PrimaryKeyCode) => StorageKey, size: number): string | undefined {
    return this.putStored(key, encodeItem(item, size), place);
  }

  /**
   * Stores an item already encoded (an index entry of projection ALL shares the table's string) under
   * its primary key; returns the encoded item it replaced. O(1) to replace, O(log n) to insert.
   */
  putStored(key: PrimaryKeyCode, stored: string, place: (key: PrimaryKeyCode) => StorageKey = (k) => k as StorageKey): string | undefined {
    this.assertWritable();
    const identity = this.identity(key);
    const hash = identityHash(identity);
    const index = this.index;
    const slot = index.find(identity, hash);
    this.writes++;
    if (slot >= 0) {
      const old = this.slots.item(slot);
      const oldSize = storedItemSize(old);
      this.lastItemSize = oldSize;
      this.slots.setItem(slot, stored);
      this.bytes += storedItemSize(stored) - oldSize;
      return old;
    }
    this.lastItemSize = 0;
    const storageKey = place(key);
    const encoded = encodeStorageKey(storageKey);
    const created = this.slots.add(encoded, stored, hash);
    index.insert(created);
    const partition = this.partitionFor(storageKey.hash);
    partition.items.set(encoded, created);
    this.count++;
    this.bytes += storedItemSize(stored);
    if (partition.items.size > this.splitItems) this.maybeSplit(partition);
    return undefined;
  }

  /** Removes the item under `key`; returns it, if there was one. O(log n). */
  delete(key: PrimaryKeyCode): Item | undefined {
    const old = this.deleteStored(key);
    return old === undefined ? undefined : decodeItem(old);
  }

  /** Removes the item under `key`; returns its encoded form, if there was one. O(log n). */
  deleteStored(key: PrimaryKeyCode): string | undefined {
    this.assertWritable();
    const index = this.index;
    const slot = this.slotOf(this.identity(key));
    if (slot < 0) {
      this.lastItemSize = 0;
      return undefined;
    }
    const encoded = this.slots.key(slot);
    const old = this.slots.item(slot);
    this.partitionFor(hashOfStorageKey(encoded)).items.delete(encoded);
    index.remove(slot);
    this.slots.remove(slot);
    this.count--;
    this.writes++;
    this.lastItemSize = storedItemSize(old);
    this.bytes -= this.lastItemSize;
    return old;
  }

  /** Every item in Scan order (hash prefix, partition key, sort key). */
  *entries(): IterableIterator<[StorageKey, Item]> {
    for (const partition of this.partitions) {
      for (const [key, slot] of partition.items.entries()) yield [decodeStorageKey(key), this.slots.decoded(slot)];
    }
  }

  /**
   * Visits the items in Scan order whose hash prefix lies in [lowHash, highHash) — a parallel Scan
   * segment — starting strictly after `after` when given (an ExclusiveStartKey, encoded), until `visit`
   * returns false. O(log n) to start; a callback rather than an iterator because it is Scan's inner loop.
   * `decodeOnce`: as in `get`.
   */
  visitScanRange(lowHash: number, highHash: number, after: string | undefined, visit: Visitor, decodeOnce?: Decoder): void {
    const afterHash = after === undefined ? -1 : hashOfStorageKey(after);
    const start = after !== undefined && afterHash >= lowHash ? after : encodeHash(lowHash);
    const startHash = start === after ? afterHash : lowHash;
    const end = highHash >= HASH_SPACE ? PAST_EVERY_KEY : encodeHash(highHash);
    const slots = this.slots;
    let stopped = false;
    const onFound = (key: string, slot: number): boolean => {
      if (key === after) return true;
      const stored = slots.item(slot);
      if (visit(key, slots.decoded(slot, stored, decodeOnce), storedItemSize(stored))) return true;
      stopped = true;
      return false;
    };
    for (const partition of this.partitions) {
      if (partition.highHash <= startHash || partition.lowHash >= highHash) continue;
      visitTreeRange(partition.items, start, end, onFound);
      if (stopped) return;
    }
  }

  /**
   * Visits every item in Scan order as its encoded storage key and its stored form (item-codec.ts),
   * starting strictly after the encoded storage key `after` when given, until `visit` returns false:
   * what a durable snapshot writes, without decoding. O(log n) to start.
   */
  visitStored(after: string | undefined, visit: (key: string, stored: string) => boolean): void {
    const slots = this.slots;
    const afterHash = after === undefined ? 0 : hashOfStorageKey(after);
    let stopped = false;
    const onFound = (key: string, slot: number): boolean => {
      if (key === after || visit(key, slots.item(slot))) return true;
      stopped = true;
      return false;
    };
    for (const partition of this.partitions) {
      if (partition.highHash <= afterHash) continue;
      visitTreeRange(partition.items, after ?? encodeHash(0), PAST_EVERY_KEY, onFound);
      if (stopped) return;
    }
  }

  /**
   * Visits the item collection of one partition key (its `hash` and sortable `partitionKey`) in sort key
   * order or reversed, starting at `from` (a sortable sort key, and in an index the table-key tiebreak;
   * inclusive unless `exclusive`), until `visit` returns false. O(log n) to start. `decodeOnce`: as in `get`.
   */
  visitItemCollection(
    hash: number,
    partitionKey: string,
    forward: boolean,
    from: { readonly sortKey: string; readonly tableKey?: string; readonly exclusive: boolean } | undefined,
    visit: Visitor,
    decodeOnce?: Decoder,
  ): void {
    const items = this.partitionFor(hash).items;
    const slots = this.slots;
    const prefix = encodeCollectionPrefix(hash, partitionKey);
    const start = from === undefined ? undefined : encodeSortBound(prefix, from.sortKey) + (from.tableKey ?? '');
    const exclusive = from?.exclusive === true;
    // Past every key of the collection: its prefix ends with the terminator U+0000 U+0001.
    const past = prefix.slice(0, -1) + '\u0002';
    if (forward) {
      const low = start ?? prefix;
      visitTreeRange(items, low, past, (key, slot) => {
        if (exclusive && key === low) return true;
        const stored = slots.item(slot);
        return visit(key, slots.decoded(slot, stored, decodeOnce), storedItemSize(stored));
      });
      return;
    }
    // Every key of the collection starts with `prefix`, so it lies in [prefix, past).
    visitTreeRangeReversed(items, prefix, start ?? past, start !== undefined && !exclusive, (key, slot) => {
      const stored = slots.item(slot);
      return visit(key, slots.decoded(slot, stored, decodeOnce), storedItemSize(stored));
    });
  }

  /**
   * A consistent read-only view that later writes do not affect. O(partitions): each B+ tree clone is
   * O(1), and the slots and identity index are shared copy-on-write.
   */
  snapshot(): TableStorage {
    const copy = Object.create(TableStorage.prototype) as TableStorage;
    const slots = this.slots.snapshot();
    Object.assign(copy, this, {
      partitions: this.partitions.map((p) => p.snapshot()),
      slots,
      index: this.index.share(slots),
      splitFloor: new WeakMap(),
      readOnly: true,
    });
    return copy;
  }

  /**
   * Makes this empty storage a writable fork of `source` (a snapshot, or a live storage): it holds
   * `source`'s items, and later writes to either never show in the other. O(partitions): the B+ trees
   * are cloned, and the slot and identity-index chunks shared copy-on-write (each side copies a chunk
   * before changing it). `source` must name its items as this storage does (a table's storage from a
   * table's, an index's from an index's of the same key schema). For restores: a table restored from a
   * backup shares its items, and its first write finds them at once.
   */
  loadFork(source: TableStorage): void {
    this.assertWritable();
    if (this.count > 0) throw new Error('loadFork needs an empty storage');
    this.adopt(source);
  }

  /**
   * Puts this storage back as it was when `snapshot` was taken from it (`db.rollback`): the snapshot's
   * trees, slots and identity index come back as copy-on-write copies, so the snapshot can serve again.
   * O(partitions), whatever the storage holds and however much was written since.
   */
  restore(snapshot: TableStorage): void {
    this.assertWritable();
    this.adopt(snapshot);
  }

  /** Takes `source`'s items as copy-on-write copies (loadFork, restore). O(partitions). */
  private adopt(source: TableStorage): void {
    this.partitions = source.partitions.map((p) => p.snapshot());
    this.slots = source.slots.snapshot();
    this.index = source.index.share(this.slots);
    this.count = source.count;
    this.bytes = source.bytes;
    this.writes++;
    this.splitFloor = new WeakMap();
  }

  /** The partitions, in hash order (read-only use: tests and diagnostics). */
  get partitionList(): readonly Partition[] {
    return this.partitions;
  }

  /**
   * Lays an empty storage out in partitions starting at these hash prefixes (after the first, at 0),
   * as a snapshot recorded them: a table reloaded from its items alone could split differently (splits
   * depend on the items' history), and DynamoDB Streams shards follow the partitions.
   */
  presetPartitions(starts: readonly number[]): void {
    if (this.count > 0) throw new Error('presetPartitions needs an empty storage');
    const bounds = [0, ...starts, HASH_SPACE];
    const partitions: Partition[] = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      if (!(bounds[i]! < bounds[i + 1]!)) throw new Error('presetPartitions needs increasing hash prefixes inside the hash space');
      partitions.push(Partition.create(bounds[i]!, bounds[i + 1]!, this.maxNodeSize));
    }
    this.partitions = partitions;
  }

  /**
   * Throws if any structural invariant is broken: every B+ tree valid, partitions tiling the hash space
   * in order, every item in the partition that owns its hash, counts agreeing, the identity index
   * finding every item's slot and nothing else.
   */
  checkInvariants(): void {
    let expectedLow = 0;
    let total = 0;
    for (const partition of this.partitions) {
      if (partition.lowHash !== expectedLow) {
        throw new Error(`storage invariant: partition starts at ${partition.lowHash}, expected ${expectedLow}`);
      }
      if (partition.highHash <= partition.lowHash) throw new Error('storage invariant: empty partition range');
      partition.items.checkValid(true);
      let previous: string | undefined;
      for (const key of partition.items.keys()) {
        const hash = hashOfStorageKey(key);
        if (!partition.owns(hash)) {
          throw new Error(`storage invariant: hash ${hash} outside [${partition.lowHash}, ${partition.highHash})`);
        }
        if (previous !== undefined && previous >= key) throw new Error('storage invariant: keys out of order');
        previous = key;
      }
      total += partition.items.size;
      expectedLow = partition.highHash;
    }
    if (expectedLow !== HASH_SPACE) throw new Error(`storage invariant: partitions end at ${expectedLow}`);
    if (total !== this.count) throw new Error(`storage invariant: ${this.count} items counted, partitions hold ${total}`);
    let bytes = 0;
    for (const partition of this.partitions) {
      for (const [key, slot] of partition.items.entries()) {
        const identity = this.identityOfKey(key);
        if (this.slots.key(slot) !== key || this.slots.hash(slot) !== identityHash(identity) || this.slotOf(identity) !== slot) {
          throw new Error('storage invariant: the identity index disagrees with the partitions');
        }
        const stored = this.slots.item(slot);
        if (storedItemSize(stored) !== itemSize(decodeItem(stored))) throw new Error('storage invariant: a stored size disagrees with its item');
        bytes += storedItemSize(stored);
      }
    }
    if (bytes !== this.bytes) throw new Error(`storage invariant: sizeBytes ${this.bytes}, items add up to ${bytes}`);
    if (this.index.size !== total) throw new Error(`storage invariant: the identity index holds ${this.index.size} items, the partitions ${total}`);
  }

  private assertWritable(): void {
    if (this.readOnly) throw new Error('A table snapshot is read-only');
  }

  /** Binary search over the partitions' ranges. O(log partitions). */
  partitionFor(hash: number): Partition {
    const partitions = this.partitions;
    if (partitions.length === 1) return partitions[0]!;
    let low = 0;
    let high = partitions.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (partitions[mid]!.lowHash <= hash) low = mid;
      else high = mid - 1;
    }
    return partitions[low]!;
  }

  /** Splits a partition at the hash prefix of its median item. O(n) in the partition, and rare. */
  private maybeSplit(partition: Partition): void {
    const floor = this.splitFloor.get(partition);
    if (floor !== undefined && partition.items.size < floor) return;
    const splitHash = this.medianHash(partition);
    if (splitHash === undefined) {
      this.splitFloor.set(partition, partition.items.size * 2);
      return;
    }
    const left = partition.items;
    const right = left.clone();
    left.deleteRange(encodeHash(splitHash), partition.highHash >= HASH_SPACE ? PAST_EVERY_KEY : encodeHash(partition.highHash), false);
    right.deleteRange(encodeHash(partition.lowHash), encodeHash(splitHash), false);
    const index = this.partitions.indexOf(partition);
    this.partitions.splice(
      index,
      1,
      new Partition(partition.lowHash, splitHash, left),
      new Partition(splitHash, partition.highHash, right),
    );
  }

  /** A whole hash prefix near the middle of the partition's items that leaves items on both sides. */
  private medianHash(partition: Partition): number | undefined {
    const half = partition.items.size >>> 1;
    let index = 0;
    let first: number | undefined;
    for (const key of partition.items.keys()) {
      const hash = hashOfStorageKey(key);
      first ??= hash;
      if (index++ >= half && hash !== first) return hash;
    }
    return undefined;
  }
}
