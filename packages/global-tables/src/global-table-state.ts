import type { Key, TableView } from '@magneto/core';
import { CopyOnWriteMap } from '@magneto/core';
import { compareVersions, type ItemVersion } from './item-version.js';

/** The table module-state key this package keeps a global table's state under. */
export const STATE_KEY = 'globalTables';

/** DescribeTable's ReplicaStatus. */
export type ReplicaStatus = 'CREATING' | 'CREATION_FAILED' | 'UPDATING' | 'DELETING' | 'ACTIVE';

/** The global-tables versions DynamoDB has: DescribeTable's GlobalTableVersion. */
export type GlobalTableVersion = '2019.11.21' | '2017.11.29';

/** One replica of a global table, as this region knows it. */
export interface ReplicaState {
  status: ReplicaStatus;
  /** ReplicaStatusDescription (e.g. why creation failed). */
  description?: string | undefined;
  /** Per-replica settings of ReplicaUpdates Update, as DescribeTable's ReplicaDescription shows them. */
  overrides?: Record<string, unknown> | undefined;
  /** A multi-Region strong consistency witness: it votes and keeps the writes, but has no table. */
  witness?: boolean | undefined;
  /** Coordinator only: the replica's region has created its table (its copy may still be under way). */
  created?: boolean | undefined;
}

/** A deleted item's version, kept so a late, older write cannot bring the item back. */
interface Tombstone {
  readonly code: string;
  readonly key: Key;
  readonly version: ItemVersion;
  readonly deletedAt: number;
}

/**
 * What a region knows of one of its global tables: the replica set (its own region included) and, per
 * item, the version of the last write applied, deleted items' versions included for `tombstoneMs`.
 */
export class GlobalTableState {
  /** Every replica's region (this one's too), in the order they joined. */
  replicas: Map<string, ReplicaState>;
  /** Orders replica-set changes: the newest set wins everywhere. */
  epoch: ItemVersion;
  globalTableVersion: GlobalTableVersion;
  /** DescribeTable's MultiRegionConsistency: STRONG writes need a majority of the regions (see strong-consistency.ts). */
  consistency: 'EVENTUAL' | 'STRONG' = 'EVENTUAL';
  /** Per item key code: the version of the write now applied (a tombstone's for a deleted item); savepoints share it. */
  readonly versions = new CopyOnWriteMap<string, ItemVersion>();
  /** Each other replica's auto-scaling settings (ReplicaAutoScalingDescription), as it last told them (not durable). */
  readonly autoScaling = new Map<string, Record<string, unknown>>();
  /** Per item key code: the outbound-log seq of the item's latest entry (so a newer write supersedes it). */
  readonly loggedSeqs = new Map<string, number>();
  /** Deleted items, oldest first, until they are forgotten. */
  private readonly tombstones: Tombstone[] = [];
  private tombstoneHead = 0;

  /** When the global table was created (version 2017.11.29's CreationDateTime), in ms of the clock. */
  readonly createdAt: number;

  constructor(replicas: Map<string, ReplicaState>, epoch: ItemVersion, globalTableVersion: GlobalTableVersion, createdAt: number = epoch.timestamp) {
    this.replicas = replicas;
    this.createdAt = createdAt;
    this.epoch = epoch;
    this.globalTableVersion = globalTableVersion;
  }

  /** Records a delete's version; forgets tombstones older than `tombstoneMs`. Amortised O(1). */
  addTombstone(code: string, key: Key, version: ItemVersion, now: number, tombstoneMs: number): void {
    this.versions.set(code, version);
    this.tombstones.push({ code, key, version, deletedAt: now });
    while (this.tombstoneHead < this.tombstones.length) {
      const oldest = this.tombstones[this.tombstoneHead]!;
      if (oldest.deletedAt + tombstoneMs > now) break;
      // Forget it only if no later write replaced it.
      if (this.versions.get(oldest.code) === oldest.version) this.versions.delete(oldest.code);
      this.tombstoneHead++;
    }
    if (this.tombstoneHead > 1024 && this.tombstoneHead * 2 > this.tombstones.length) {
      this.tombstones.splice(0, this.tombstoneHead);
      this.tombstoneHead = 0;
    }
  }

  /**
   * For `db.savepoint()`: returns what puts the replica set and the item versions back as they are now,
   * so after a rollback this region judges replicated writes against the versions of the items it holds
   * again. O(replicas + tombstones): the item versions are shared (see CopyOnWriteMap; a savepoint after
   * writes merges them once, a rollback costs O(1)).
   */
  savepoint(): () => void {
    const replicas = [...this.replicas].map(([region, replica]) => [region, { ...replica }] as const);
    const { epoch, globalTableVersion, consistency } = this;
    const versions = this.versions.share();
    const tombstones = this.tombstones.slice(this.tombstoneHead);
    return () => {
      this.replicas = new Map(replicas.map(([region, replica]) => [region, { ...replica }]));
      Object.assign(this, { epoch, globalTableVersion, consistency });
      this.versions.adopt(versions);
      this.tombstones.length = 0;
      for (const tombstone of tombstones) this.tombstones.push(tombstone);
      this.tombstoneHead = 0;
    };
  }

  /** The remembered tombstones, oldest first. */
  liveTombstoneEntries(): Tombstone[] {
    return this.tombstones.slice(this.tombstoneHead).filter((t) => this.versions.get(t.code) === t.version);
  }

  /** Puts back a tombstone from durable storage (its version must be the item's, already in `versions`). */
  restoreTombstone(code: string, key: Key, version: ItemVersion, deletedAt: number): void {
    const current = this.versions.get(code);
    const same = current !== undefined && compareVersions(current, version) === 0;
    if (current === undefined || same) {
      this.versions.set(code, version);
      this.tombstones.push({ code, key, version, deletedAt });
    }
  }

  /** The deleted items still remembered, with their versions. */
  *liveTombstones(): IterableIterator<[key: Key, version: ItemVersion]> {
    for (let i = this.tombstoneHead; i < this.tombstones.length; i++) {
      const tombstone = this.tombstones[i]!;
      if (this.versions.get(tombstone.code) === tombstone.version) yield [tombstone.key, tombstone.version];
    }
  }

  /** peersOf's last answer, for the epoch and replica map it was computed from (every write asks). */
  private peersCache: { readonly epoch: ItemVersion; readonly replicas: Map<string, ReplicaState>; readonly region: string; readonly peers: readonly string[] } | undefined;

  /**
   * The replicas other than `region` that should receive writes (not failed, not being deleted). O(1)
   * while the replica set is unchanged: every change of it sets a new `epoch` (do not modify the array).
   */
  peersOf(region: string): readonly string[] {
    const cached = this.peersCache;
    if (cached !== undefined && cached.epoch === this.epoch && cached.replicas === this.replicas && cached.region === region) return cached.peers;
    const peers: string[] = [];
    for (const [name, replica] of this.replicas) {
      if (name !== region && replica.status !== 'CREATION_FAILED' && replica.status !== 'DELETING') peers.push(name);
    }
    this.peersCache = { epoch: this.epoch, replicas: this.replicas, region, peers };
    return peers;
  }
}

/** A global table's state as durable storage keeps it (plain data). */
export interface PersistedGlobalTableState {
  readonly version: GlobalTableVersion;
  readonly consistency?: 'STRONG';
  readonly createdAt: number;
  readonly epoch: ItemVersion;
  readonly replicas: ReadonlyArray<readonly [string, ReplicaState]>;
  readonly versions: ReadonlyArray<readonly [code: string, timestamp: number, region: string, sequence: number]>;
  readonly tombstones: ReadonlyArray<readonly [code: string, key: Key, timestamp: number, region: string, sequence: number, deletedAt: number]>;
}

/** The state as plain data, for durable storage. O(items). */
export function persistGlobalTableState(state: GlobalTableState): PersistedGlobalTableState {
  return {
    version: state.globalTableVersion,
    ...(state.consistency === 'STRONG' ? { consistency: 'STRONG' as const } : {}),
    createdAt: state.createdAt,
    epoch: state.epoch,
    replicas: [...state.replicas].map(([region, replica]) => [region, { ...replica }] as const),
    versions: [...state.versions].map(([code, v]) => [code, v.timestamp, v.region, v.sequence] as const),
    tombstones: state.liveTombstoneEntries().map((t) => [t.code, t.key, t.version.timestamp, t.version.region, t.version.sequence, t.deletedAt] as const),
  };
}

/** The state back from durable storage. */
export function restoreGlobalTableState(persisted: PersistedGlobalTableState): GlobalTableState {
  const replicas = new Map(persisted.replicas.map(([region, replica]) => [region, { ...replica }]));
  const state = new GlobalTableState(replicas, persisted.epoch, persisted.version, persisted.createdAt);
  if (persisted.consistency === 'STRONG') state.consistency = 'STRONG';
  for (const [code, timestamp, region, sequence] of persisted.versions) state.versions.set(code, { timestamp, region, sequence });
  for (const [code, key, timestamp, region, sequence, deletedAt] of persisted.tombstones) state.restoreTombstone(code, key, { timestamp, region, sequence }, deletedAt);
  return state;
}

/** The global-table state of a table, or undefined when it is not a global table. */
export function globalTableStateOf(table: TableView): GlobalTableState | undefined {
  return table.getModuleState(STATE_KEY) as GlobalTableState | undefined;
}
