import type { ChangeBatch, ChangeRecord, Item, Key, ModuleContext, TableView } from '@magneto/core';
import { GlobalTableState, STATE_KEY, globalTableStateOf, type GlobalTableVersion, type ReplicaState, type ReplicaStatus } from './global-table-state.js';
import { compareVersions, keyCodeOf, keyOf, nextVersion, type ItemVersion } from './item-version.js';
import { LatencyStats } from './latency-stats.js';
import { checkJoinable } from './v2017/create-global-table.js';
import { OutboundLog } from './outbound-log.js';
import { StrongConsistency, type StrongConsistencyRecord } from './mrsc/strong-consistency.js';
import { ReplicaAutoScaling } from './replica-auto-scaling.js';
import { SettingsSync } from './settings-sync.js';
import type { StrongConsistencyRequest } from './mrsc/mrsc-updates.js';
import type { ChannelPayload, ControlMessage, ReplicaSetMessage, ReplicatedWrite, ReplicationMessage, Transport, TransportEndpoint } from './transport.js';

/**
 * The region recorded for a replicated write replayed from durable storage (whose origin the log does not
 * keep): after every region name, so a same-millisecond retransmission of it is not applied again.
 */
export const REPLAYED = '~replayed';

/** A replicated write's version as the durable log keeps it: table, key, version, and when a delete was applied. */
export type LoggedVersion = readonly [tableName: string, key: Key, timestamp: number, region: string, sequence: number, deletedAt: number | undefined];

/** A replicated write this region refused to apply (it did not validate here), as reported. */
export interface ReplicationError {
  readonly from: string;
  readonly tableName: string;
  readonly message: string;
}

/** Settings of the replicator (see GlobalTablesOptions). */
export interface ReplicatorSettings {
  readonly retransmitMs: number;
  readonly tombstoneMs: number;
  /** How long a strongly consistent request waits for another region's vote before it fails (ms of the clock). */
  readonly strongTimeoutMs: number;
  readonly onReplicationError: ((error: ReplicationError) => void) | undefined;
}

/**
 * One region's replication engine (MREC): sends this region's writes to every other replica of each
 * global table, item by item from the change feed, and applies the writes other regions send by
 * last-writer-wins. It also runs the replica lifecycle (create, copy, delete) for the control plane.
 *
 * Writes that arrive here as replication are never sent on (each region sends only the writes it
 * accepted itself), so nothing loops; a write applied twice or after a newer one changes nothing.
 */
export class Replicator {
  private readonly endpoint: TransportEndpoint;
  private readonly log: OutboundLog;
  /** Multi-Region strong consistency: votes, item locks, witness duty. */
  readonly strong: StrongConsistency;
  private readonly settingsSync: SettingsSync;
  /** Replica auto scaling over every replica (with capacity()). */
  private readonly autoScaling: ReplicaAutoScaling;
  /** Set while an UpdateTable asking for MultiRegionConsistency STRONG runs (see mrsc-updates.ts). */
  pendingStrong: StrongConsistencyRequest | undefined;
  private readonly latency = new Map<string, LatencyStats>();
  readonly errors: ReplicationError[] = [];
  private epochCounter = 0;

  constructor(
    readonly ctx: ModuleContext,
    transport: Transport,
    private readonly settings: ReplicatorSettings,
  ) {
    this.endpoint = transport.attach(ctx.region, (from, message) => this.receive(from, message));
    this.strong = new StrongConsistency(ctx, this.endpoint, this, settings.strongTimeoutMs);
    this.settingsSync = new SettingsSync(ctx, (peer, message) => this.sendControl(peer, message, `settings ${ctx.clock.now()} ${++this.epochCounter}`), (tableName, message) =>
      this.report({ from: this.region, tableName, message }),
    );
    this.log = new OutboundLog(this.endpoint, ctx.clock, settings.retransmitMs, (seq) => this.strong.onAcknowledged(seq));
    this.autoScaling = new ReplicaAutoScaling(ctx, (peer, message, slot) => this.sendControl(peer, message, slot));
    // capacity() may be installed after this module: its operations are wrapped once a table exists.
    ctx.onCatalogChange(() => this.autoScaling.wrap());
    ctx.onChange((batch) => this.onChange(batch));
    ctx.onTableEvent((event) => {
      if (event.type === 'active') this.replicaTableActive(event.table.name);
      else if (event.type === 'deleting') this.leaveGlobalTable(event.table);
    });
  }

  /** Replica tables this region is creating, with the region that asked: told once the table is ACTIVE. */
  private readonly creatingFor = new Map<string, string>();

  private replicaTableActive(tableName: string): void {
    this.settingsSync.applyOwnOverrides(tableName);
    this.tellAutoScaling(tableName);
    const coordinator = this.creatingFor.get(tableName);
    if (coordinator === undefined) return;
    this.creatingFor.delete(tableName);
    this.sendControl(coordinator, { type: 'replicaCreated', tableName });
  }

  /** A replica deleted by DeleteTable in its own region leaves the global table: the others are told. */
  private leaveGlobalTable(table: TableView): void {
    const state = globalTableStateOf(table);
    if (state === undefined) return;
    state.replicas.delete(this.region);
    state.epoch = this.nextEpoch(state);
    this.broadcastReplicas(table.name, state);
    table.setModuleState(STATE_KEY, undefined);
  }

  get region(): string {
    return this.ctx.region;
  }

  /** Entries not yet acknowledged by their peers, over every peer, plus replica tables being created here. */
  get pendingCount(): number {
    return this.creatingFor.size + this.log.pendingCount;
  }

  /** ReplicationLatency of writes from `source` applied here (undefined before the first). */
  latencyFrom(source: string): LatencyStats | undefined {
    return this.latency.get(source);
  }

  /** Detaches from the transport. */
  close(): void {
    this.log.close();
    this.endpoint.close();
  }

  /** A new replica-set epoch, newer than every one this region made. */
  nextEpoch(state?: GlobalTableState): ItemVersion {
    const now = this.ctx.clock.now();
    const candidate = { timestamp: now, region: this.region, sequence: ++this.epochCounter };
    return state === undefined ? candidate : nextVersion(state.epoch, now, this.region, candidate.sequence);
  }

  /**
   * For `db.savepoint()` (ModuleContext.addSavepointHook). A rollback is local to this region: its items
   * go back, and so do its global tables' replica sets and item versions (restore functions of their
   * states); the writes it queued for other regions since the savepoint are withdrawn (not sent, or not
   * sent again). What other regions already received stays there: roll back every region's database,
   * once replication has settled, to put a whole global table back. O(global tables + their tombstones): item
   * versions are shared copy-on-write.
   */
  savepoint(): () => void {
    const logEnd = this.log.end;
    const states = this.globalTableNames().map((name) => globalTableStateOf(this.ctx.getTable(name)!)!.savepoint());
    return () => {
      this.log.withdrawFrom(logEnd);
      for (const restore of states) restore();
    };
  }

  // ---------------------------------------------------------------- outgoing writes

  private onChange(batch: ChangeBatch): void {
    // A batch's records are mostly of one table: it is looked up once per run of records of the same name.
    let tableName: string | undefined;
    let table: TableView | undefined;
    let state: GlobalTableState | undefined;
    for (const record of batch.records) {
      // Replicated writes are not sent on (no loops); restores are the restoring region's own business.
      if (record.origin === 'replication' || record.origin === 'restore') continue;
      if (record.tableName !== tableName) {
        tableName = record.tableName;
        table = this.ctx.getTable(tableName);
        state = table === undefined ? undefined : globalTableStateOf(table);
      }
      if (state === undefined) continue;
      const code = keyCodeOf(record.keys, table!.keySchema);
      const version = this.recordVersion(state, code, record);
      const payload: ChannelPayload = { kind: 'write', write: { tableName: record.tableName, key: record.keys, item: record.newImage, version } };
      this.log.append(state.peersOf(this.region), payload, state.loggedSeqs, code);
    }
  }

  /** Stamps a write this region accepted with its version, and records it. */
  private recordVersion(state: GlobalTableState, code: string, record: ChangeRecord): ItemVersion {
    const version = nextVersion(state.versions.get(code), record.timestamp, this.region, record.sequenceNumber);
    if (record.newImage === undefined) state.addTombstone(code, record.keys, version, record.timestamp, this.settings.tombstoneMs);
    else state.versions.set(code, version);
    return version;
  }

  /**
   * Recovery from durable storage: a logged batch, replayed. This region's own writes get the versions
   * they had (the same timestamps and sequence numbers); a replicated write's origin is not logged, so it
   * gets {@link REPLAYED} as its region, which orders it after any write of the same millisecond: a
   * retransmission of the very write is then not applied twice.
   */
  replay(batch: ChangeBatch): void {
    for (const record of batch.records) {
      if (record.origin === 'restore') continue;
      const table = this.ctx.getTable(record.tableName);
      const state = table === undefined ? undefined : globalTableStateOf(table);
      if (state === undefined) continue;
      const code = keyCodeOf(record.keys, table!.keySchema);
      if (record.origin !== 'replication') {
        this.recordVersion(state, code, record);
        continue;
      }
      const version = { timestamp: record.timestamp, region: REPLAYED, sequence: 0 };
      if (record.newImage === undefined) state.addTombstone(code, record.keys, version, record.timestamp, this.settings.tombstoneMs);
      else state.versions.set(code, version);
    }
  }

  /**
   * After recovery: sends every item this region wrote last (and its remembered deletes) to every other
   * replica again, since acknowledgements do not survive a restart. Receivers ignore what they have.
   */
  recovered(): void {
    for (const name of this.globalTableNames()) {
      const table = this.ctx.getTable(name)!;
      const state = globalTableStateOf(table)!;
      for (const peer of state.peersOf(this.region)) this.syncTable(peer, table, state, (version) => version.region === this.region);
      if ([...state.replicas.values()].some((replica) => replica.status === 'CREATING')) this.coordinating.add(name);
    }
  }

  /** This region's global tables. */
  private globalTableNames(): string[] {
    const names: string[] = [];
    let start: string | undefined;
    do {
      const page = this.ctx.execute('DynamoDB_20120810', 'ListTables', start === undefined ? {} : { ExclusiveStartTableName: start }) as { TableNames: string[]; LastEvaluatedTableName?: string };
      for (const name of page.TableNames) if (globalTableStateOf(this.ctx.getTable(name)!) !== undefined) names.push(name);
      start = page.LastEvaluatedTableName;
    } while (start !== undefined);
    return names;
  }

  /**
   * Sends a region every item and remembered tombstone of a table (those whose version `select` picks),
   * with their versions: a new replica's copy, or what a restarted region may owe.
   */
  syncTable(peer: string, table: TableView, state: GlobalTableState, select: (version: ItemVersion) => boolean = () => true): void {
    const peers = [peer];
    const base: ItemVersion = { timestamp: 0, region: this.region, sequence: 0 };
    // A replayed write's origin is unknown: it travels as this region's, at its own timestamp.
    const sendable = (version: ItemVersion): ItemVersion => (version.region === REPLAYED ? { timestamp: version.timestamp, region: this.region, sequence: 0 } : version);
    for (const [, item] of table.snapshot().storage.entries()) {
      const code = keyCodeOf(item, table.keySchema);
      const version = state.versions.get(code) ?? base;
      if (!select(version)) continue;
      const write: ReplicatedWrite = { tableName: table.name, key: keyOf(item, table.keySchema), item, version: sendable(version) };
      this.log.append(peers, { kind: 'write', write }, state.loggedSeqs, code);
    }
    for (const [key, version] of state.liveTombstones()) {
      if (!select(version)) continue;
      this.log.append(peers, { kind: 'write', write: { tableName: table.name, key, version: sendable(version) } }, state.loggedSeqs, keyCodeOf(key, table.keySchema));
    }
  }

  /** Sends a control message to a region (a newer one of the same kind replaces an unsent older one). */
  sendControl(peer: string, control: ControlMessage, slot: string = control.type): void {
    this.log.appendControl(peer, `${control.tableName}\n${slot}`, { kind: 'control', control });
  }

  /** Tells every other replica (and any region in `alsoTo`) the table's replica set. */
  broadcastReplicas(tableName: string, state: GlobalTableState, alsoTo: readonly string[] = []): void {
    const replicas = replicaSetMessage(state);
    const targets = new Set([...state.replicas.keys(), ...alsoTo]);
    targets.delete(this.region);
    for (const peer of targets) this.sendControl(peer, { type: 'replicas', tableName, replicas });
  }

  // ---------------------------------------------------------------- incoming messages

  private receive(from: string, message: ReplicationMessage): void {
    if (message.kind !== 'ack' && message.kind !== 'entries') {
      this.strong.receive(from, message);
      return;
    }
    if (message.kind === 'ack') {
      if (this.log.acknowledge(from, message)) this.checkCopiesDone(from);
      return;
    }
    const acked: number[] = [];
    for (const entry of message.entries) {
      if (this.applyPayload(from, entry.payload)) acked.push(entry.seq);
    }
    if (acked.length > 0) this.endpoint.send(from, { kind: 'ack', session: message.session, seqs: acked });
  }

  /** Applies one entry; false to leave it unacknowledged (it is retransmitted, e.g. until the replica table exists). */
  private applyPayload(from: string, payload: ChannelPayload): boolean {
    return payload.kind === 'write' ? this.applyWrite(from, payload.write) : this.applyControl(from, payload.control);
  }

  /** Applies a write another region sent (or told of) by last writer wins; false to leave it unacknowledged. */
  applyWrite(from: string, write: ReplicatedWrite): boolean {
    const table = this.ctx.getTable(write.tableName);
    const state = table === undefined ? undefined : globalTableStateOf(table);
    if (table === undefined || state === undefined) return this.strong.applyWitnessWrite(from, write);
    const code = keyCodeOf(write.key, table.keySchema);
    if (state.consistency === 'STRONG') this.strong.written(from, write.tableName, code);
    return this.applyNewer(from, state, code, write);
  }

  /** Applies an item's version another region answered a vote with, when newer here (no lock is released). */
  applyLatest(from: string, write: ReplicatedWrite): void {
    const table = this.ctx.getTable(write.tableName);
    const state = table === undefined ? undefined : globalTableStateOf(table);
    if (table !== undefined && state !== undefined) this.applyNewer(from, state, keyCodeOf(write.key, table.keySchema), write);
  }

  /**
   * Multi-Region strong consistency: a write no other region acknowledged in time is undone here and
   * everywhere. The item's image from before it is written back with a version just after the write's
   * (the same timestamp), so it wins over the write wherever that arrived, and loses to any later write.
   * It supersedes the write in the outbound log when the write was not sent yet.
   */
  annul(tableName: string, key: Key, before: Item | undefined, version: ItemVersion): void {
    const table = this.ctx.getTable(tableName);
    const state = table === undefined ? undefined : globalTableStateOf(table);
    if (table === undefined || state === undefined) return;
    const code = keyCodeOf(key, table.keySchema);
    const now = this.ctx.clock.now();
    const write: ReplicatedWrite = { tableName, key, item: before, version };
    if (before === undefined) {
      state.addTombstone(code, key, version, now, this.settings.tombstoneMs);
      this.ctx.systemDelete(tableName, key, 'replication');
    } else {
      this.ctx.systemPut(tableName, before, 'replication', version.timestamp);
      state.versions.set(code, version);
    }
    this.logVersion(write, now);
    this.log.append(state.peersOf(this.region), { kind: 'write', write }, state.loggedSeqs, code);
  }

  private applyNewer(from: string, state: GlobalTableState, code: string, write: ReplicatedWrite): boolean {
    const current = state.versions.get(code);
    if (current !== undefined && compareVersions(write.version, current) <= 0) return true;
    const now = this.ctx.clock.now();
    if (write.item === undefined) {
      state.addTombstone(code, write.key, write.version, now, this.settings.tombstoneMs);
      this.ctx.systemDelete(write.tableName, write.key, 'replication');
      this.logVersion(write, now);
    } else {
      try {
        this.ctx.systemPut(write.tableName, write.item, 'replication', write.version.timestamp);
      } catch (error) {
        // Never apply what does not validate here; report it and let the sender move on.
        this.report({ from, tableName: write.tableName, message: error instanceof Error ? error.message : String(error) });
        return true;
      }
      state.versions.set(code, write.version);
      this.logVersion(write, now);
    }
    if (write.version.sequence !== 0) this.latencyOf(write.version.region).add(Math.max(0, now - write.version.timestamp));
    return true;
  }

  /**
   * Durable storage: the version of a replicated write goes into the log right after the write, so a
   * restarted region orders it exactly as before (its source region and sequence included), not as
   * {@link REPLAYED}. Nothing happens on memory storage.
   */
  private logVersion(write: ReplicatedWrite, appliedAt: number): void {
    const { timestamp, region, sequence } = write.version;
    const record: LoggedVersion = [write.tableName, write.key, timestamp, region, sequence, write.item === undefined ? appliedAt : undefined];
    this.ctx.logModuleRecord('globalTables', record);
  }

  /** Recovery: a logged replicated write's version (see logVersion) replaces the {@link REPLAYED} one. */
  replayRecord(record: LoggedVersion | StrongConsistencyRecord): void {
    if (Array.isArray(record)) this.replayVersion(record as LoggedVersion);
    else this.strong.replayRecord(record as StrongConsistencyRecord);
  }

  private replayVersion(record: LoggedVersion): void {
    const [tableName, key, timestamp, region, sequence, deletedAt] = record;
    const table = this.ctx.getTable(tableName);
    const state = table === undefined ? undefined : globalTableStateOf(table);
    if (state === undefined) return;
    const code = keyCodeOf(key, table!.keySchema);
    const version = { timestamp, region, sequence };
    if (deletedAt === undefined) state.versions.set(code, version);
    else state.addTombstone(code, key, version, deletedAt, this.settings.tombstoneMs);
  }

  private latencyOf(region: string): LatencyStats {
    let stats = this.latency.get(region);
    if (stats === undefined) {
      stats = new LatencyStats();
      this.latency.set(region, stats);
    }
    return stats;
  }

  private report(error: ReplicationError): void {
    this.errors.push(error);
    this.settings.onReplicationError?.(error);
  }

  // ---------------------------------------------------------------- replica lifecycle

  private applyControl(from: string, control: ControlMessage): boolean {
    const table = this.ctx.getTable(control.tableName);
    const state = table === undefined ? undefined : globalTableStateOf(table);
    switch (control.type) {
      case 'createReplica':
        this.createReplicaHere(from, control.tableName, control.definition, control.replicas);
        return true;
      case 'joinReplica':
        this.joinHere(from, control.tableName, control.replicas);
        return true;
      case 'replicaCreated':
      case 'replicaFailed': {
        const replica = state?.replicas.get(from);
        if (state === undefined || replica === undefined || replica.status !== 'CREATING') return true;
        if (control.type === 'replicaCreated') {
          replica.created = true;
          this.checkCopiesDone(from);
        } else {
          this.setReplicaStatus(control.tableName, state, from, 'CREATION_FAILED', control.description);
        }
        return true;
      }
      case 'deleteReplica':
        if (table !== undefined && state !== undefined) {
          table.setModuleState(STATE_KEY, undefined);
          this.ctx.catalogChanged(control.tableName);
          try {
            this.ctx.execute('DynamoDB_20120810', 'DeleteTable', { TableName: control.tableName });
          } catch {
            // Already being deleted: the replica goes all the same.
          }
        }
        this.sendControl(from, { type: 'replicaDeleted', tableName: control.tableName });
        return true;
      case 'replicaDeleted':
        if (state !== undefined && state.replicas.get(from)?.status === 'DELETING') {
          state.replicas.delete(from);
          this.log.forget(from);
          state.epoch = this.nextEpoch(state);
          this.broadcastReplicas(control.tableName, state);
          this.afterReplicaChange(control.tableName, table!, state);
        }
        return true;
      case 'replicas':
        this.adoptReplicaSet(control.tableName, table, state, control.replicas);
        return true;
      case 'settings':
        // Applied once the replica table is ACTIVE (retransmitted until then).
        if (table === undefined || state === undefined || table.status !== 'ACTIVE') return false;
        this.settingsSync.apply(control);
        return true;
      case 'autoScaling':
        if (table === undefined || state === undefined || table.status !== 'ACTIVE') return false;
        this.autoScaling.receive(from, control, state);
        return true;
      case 'createWitness':
        this.strong.createWitness(control.tableName, control.keySchema);
        return true;
    }
  }

  /** In the new replica's region: creates the replica table from the coordinator's definition. */
  private createReplicaHere(from: string, tableName: string, definition: Record<string, unknown>, replicas: ReplicaSetMessage): void {
    const table = this.ctx.getTable(tableName);
    const state = table === undefined ? undefined : globalTableStateOf(table);
    if (state !== undefined) {
      // A retransmitted request: the replica exists already (and says so once ACTIVE).
      if (table!.status === 'ACTIVE') this.sendControl(from, { type: 'replicaCreated', tableName });
      return;
    }
    if (table !== undefined) {
      this.sendControl(from, { type: 'replicaFailed', tableName, description: `Table already exists: ${tableName}` });
      return;
    }
    try {
      this.ctx.execute('DynamoDB_20120810', 'CreateTable', definition);
    } catch (error) {
      this.sendControl(from, { type: 'replicaFailed', tableName, description: error instanceof Error ? error.message : String(error) });
      return;
    }
    const created = this.ctx.getTable(tableName)!;
    const createdState = stateFromMessage(replicas);
    if (createdState.consistency === 'STRONG') this.strong.activate();
    created.setModuleState(STATE_KEY, createdState);
    this.ctx.catalogChanged(tableName);
    if (created.status === 'ACTIVE') this.sendControl(from, { type: 'replicaCreated', tableName });
    else this.creatingFor.set(tableName, from);
  }

  /** In a region joining a version 2017.11.29 global table: its own table of that name becomes the replica. */
  private joinHere(from: string, tableName: string, replicas: ReplicaSetMessage): void {
    const table = this.ctx.getTable(tableName);
    if (table !== undefined && globalTableStateOf(table) !== undefined) {
      this.sendControl(from, { type: 'replicaCreated', tableName });
      return;
    }
    try {
      if (table === undefined) throw new Error(`Table: ${tableName} not found`);
      checkJoinable(this, tableName);
    } catch (error) {
      this.sendControl(from, { type: 'replicaFailed', tableName, description: error instanceof Error ? error.message : String(error) });
      return;
    }
    table.setModuleState(STATE_KEY, stateFromMessage(replicas));
    this.ctx.catalogChanged(tableName);
    this.sendControl(from, { type: 'replicaCreated', tableName });
  }

  private adoptReplicaSet(tableName: string, table: TableView | undefined, state: GlobalTableState | undefined, message: ReplicaSetMessage): void {
    if (table === undefined) return;
    if (state !== undefined && compareVersions(message.epoch, state.epoch) <= 0) return;
    const next = stateFromMessage(message);
    if (!next.replicas.has(this.region)) {
      // This region was removed from the global table.
      if (state !== undefined) {
        table.setModuleState(STATE_KEY, undefined);
        this.ctx.catalogChanged(tableName);
      }
      return;
    }
    if (state === undefined) {
      table.setModuleState(STATE_KEY, next);
      state = next;
    } else {
      const before = new Set(state.replicas.keys());
      state.replicas = next.replicas;
      state.epoch = next.epoch;
      state.globalTableVersion = next.globalTableVersion;
      state.consistency = next.consistency;
      // A region that joined gets this region's copy of the table too: some of its items may have
      // reached no other region yet.
      for (const peer of state.peersOf(this.region)) if (!before.has(peer)) this.syncTable(peer, table, state);
    }
    this.ctx.catalogChanged(tableName);
    this.settingsSync.applyOwnOverrides(tableName);
    this.tellAutoScaling(tableName);
  }

  /** Tells the other replicas this region's auto-scaling settings of a table (when it or they joined). */
  private tellAutoScaling(tableName: string): void {
    const table = this.ctx.getTable(tableName);
    const state = table === undefined ? undefined : globalTableStateOf(table);
    if (state !== undefined && table!.status === 'ACTIVE') this.autoScaling.tell(tableName, state);
  }

  /** Coordinator: a creating replica turns ACTIVE once its table exists and this region's copy is acknowledged. */
  private checkCopiesDone(peer: string): void {
    for (const tableName of this.creatingTablesOf(peer)) {
      const table = this.ctx.getTable(tableName)!;
      const state = globalTableStateOf(table)!;
      if (state.replicas.get(peer)?.created !== true) continue;
      if (this.log.someOwed(peer, (payload) => payload.kind === 'write' && payload.write.tableName === tableName)) continue;
      this.setReplicaStatus(tableName, state, peer, 'ACTIVE');
    }
  }

  /** Tables this region coordinates the creation of a replica in `peer` for. */
  private *creatingTablesOf(peer: string): IterableIterator<string> {
    for (const name of this.coordinating) {
      const table = this.ctx.getTable(name);
      const state = table === undefined ? undefined : globalTableStateOf(table);
      if (state === undefined || state.replicas.get(peer)?.status !== 'CREATING') {
        if (state === undefined || ![...state.replicas.values()].some((r) => r.status === 'CREATING')) this.coordinating.delete(name);
        continue;
      }
      yield name;
    }
  }

  /** Tables with a replica this region is creating (few: checked on every acknowledgement). */
  readonly coordinating = new Set<string>();

  /** Sets a replica's status, tells every replica, and records the change durably. */
  setReplicaStatus(tableName: string, state: GlobalTableState, region: string, status: ReplicaStatus, description?: string): void {
    const replica = state.replicas.get(region);
    if (replica === undefined) return;
    replica.status = status;
    replica.description = description;
    state.epoch = this.nextEpoch(state);
    this.broadcastReplicas(tableName, state);
    this.afterReplicaChange(tableName, this.ctx.getTable(tableName)!, state);
  }

  /** After the replica set changed here: a table left alone is no longer global. */
  private afterReplicaChange(tableName: string, table: TableView, state: GlobalTableState): void {
    if (state.replicas.size <= 1) table.setModuleState(STATE_KEY, undefined);
    this.ctx.catalogChanged(tableName);
  }
}

/** The replica set as the regions exchange it. */
export function replicaSetMessage(state: GlobalTableState): ReplicaSetMessage {
  return {
    epoch: state.epoch,
    globalTableVersion: state.globalTableVersion,
    ...(state.consistency === 'STRONG' ? { consistency: 'STRONG' as const } : {}),
    replicas: [...state.replicas].map(([region, replica]) => ({
      region,
      status: replica.status,
      ...(replica.witness === true ? { witness: true } : {}),
      ...(replica.description === undefined ? {} : { description: replica.description }),
      ...(replica.overrides === undefined ? {} : { overrides: replica.overrides }),
    })),
  };
}

function stateFromMessage(message: ReplicaSetMessage): GlobalTableState {
  const replicas = new Map<string, ReplicaState>(
    message.replicas.map((replica) => [replica.region, { status: replica.status as ReplicaStatus, description: replica.description, overrides: replica.overrides, witness: replica.witness }]),
  );
  const state = new GlobalTableState(replicas, message.epoch, message.globalTableVersion as GlobalTableVersion);
  if (message.consistency === 'STRONG') state.consistency = 'STRONG';
  return state;
}
