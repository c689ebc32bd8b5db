import { InternalServerError, ValidationException, type Item, type Key, type ModuleContext, type OperationEntry, type PrimaryKeySchema, type TableView } from '@magneto/core';
import { globalTableStateOf, type GlobalTableState } from '../global-table-state.js';
import { compareVersions, keyCodeOf, keyOf, nextVersion, type ItemVersion } from '../item-version.js';
import type { ReplicatedWrite, StrongConsistencyMessage, TransportEndpoint } from '../transport.js';
import { ReplicatedWriteConflictException, MSG_REPLICATED_WRITE_CONFLICT, MSG_TRANSACTIONS_UNSUPPORTED, MSG_NO_QUORUM, MSG_TTL_UNSUPPORTED } from './mrsc-errors.js';

/** An item locked for one region's write in progress, until its write arrives, it is released, or it expires. */
interface ItemLock {
  readonly owner: string;
  readonly id: string;
  readonly expiresAt: number;
}

/** What a region answered a vote with: its latest version of the item(s) asked for. */
type Answer = Extract<StrongConsistencyMessage, { kind: 'grant' | 'fetched' | 'fetchedItems' }>;

/** A vote this region waits for. */
interface PendingVote {
  waiting: number;
  conflicts: number;
  readonly resolve: (answer: { from: string; message: Answer }) => void;
  readonly reject: (error: Error) => void;
  readonly cancelTimer: () => void;
}

/** One item as a witness keeps it: its key, its latest image (none once deleted) and version. */
interface WitnessEntry {
  readonly key: Key;
  readonly item?: Item | undefined;
  readonly version: ItemVersion;
}

/** What a witness keeps of one table: its key schema and every item's latest write. */
interface WitnessTable {
  readonly keySchema: KeySchemaElements;
  readonly schema: PrimaryKeySchema;
  readonly items: Map<string, WitnessEntry>;
}

type KeySchemaElements = ReadonlyArray<{ readonly AttributeName: string; readonly KeyType: string }>;

/** One item a write request changes on a strongly consistent table. */
interface WriteTarget {
  readonly table: TableView;
  readonly state: GlobalTableState;
  readonly key: Key;
  readonly code: string;
  readonly lockKey: string;
}

/** A change to item locks or witness tables, as the durable log keeps it (see replayRecord). */
export type StrongConsistencyRecord =
  | { readonly mrsc: 'lock'; readonly lockKey: string; readonly owner: string; readonly id: string; readonly expiresAt: number }
  | { readonly mrsc: 'unlock'; readonly lockKey: string }
  | { readonly mrsc: 'witness'; readonly tableName: string; readonly keySchema: KeySchemaElements }
  | { readonly mrsc: 'witnessWrite'; readonly tableName: string; readonly code: string; readonly entry: WitnessEntry };

/** Item locks and witness tables at a snapshot of durable storage. */
export interface StrongConsistencySnapshot {
  readonly locks: ReadonlyArray<readonly [lockKey: string, lock: ItemLock]>;
  readonly witnesses: ReadonlyArray<readonly [tableName: string, keySchema: KeySchemaElements, items: ReadonlyArray<readonly [string, WitnessEntry]>]>;
}

/** The operations a strongly consistent global table changes or reads through a majority of its regions. */
const OPERATIONS = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactWriteItems', 'TransactGetItems'] as const;

/** How strong consistency applies what other regions answered, and undoes a write no region acknowledged. */
export interface WriteApplier {
  /** Applies an item's version another region answered a vote with, when newer here (last writer wins). */
  applyLatest(from: string, write: ReplicatedWrite): void;
  /** Undoes a local write: writes `before` back, everywhere, with `version` (see Replicator.annul). */
  annul(tableName: string, key: Key, before: Item | undefined, version: ItemVersion): void;
}

/**
 * Multi-Region strong consistency (MultiRegionConsistency: STRONG) over three regions (three replicas, or
 * two and a witness). A write takes a majority before it runs: it locks its items in this region and asks
 * the others to `prepare` them; the first region that grants each item (with its latest version, applied
 * here first, so the write's condition sees the latest item whichever region wrote it) makes a majority,
 * and the write runs. It is answered only once another region has acknowledged it (the outbound log's
 * acknowledgement), so every answered write is held by a majority; a write no region acknowledges within
 * `timeoutMs` is undone here and everywhere (see Replicator.annul) and fails with InternalServerError, so
 * a timed-out write never shows up later. Two regions writing one item at once: each region locks it for
 * the first write it hears of, so at most one write gets a majority; a write that every other region
 * refused fails with ReplicatedWriteConflictException (and changes nothing). BatchWriteItem locks every
 * item of the batch first: one item being written elsewhere fails the whole batch with
 * ReplicatedWriteConflictException, as DynamoDB's BatchWriteItem documents. A region cut off from both
 * others cannot write (the request fails once `timeoutMs` passes without a vote).
 *
 * A strongly consistent read (GetItem, BatchGetItem, Query, Scan with ConsistentRead) first fetches the
 * latest versions from one other region (a majority with this one), so it sees the latest answered write
 * from any region; Query and Scan fetch the whole table's versions (O(items) per request: an emulation
 * cost, not DynamoDB's). Eventually consistent reads stay local.
 *
 * Item locks and a witness's tables are durable: each change is logged (`logModuleRecord`) and they are
 * part of the module's snapshot, so a restarted region keeps refusing a write that conflicts with a lock
 * it granted, and a restarted witness still holds every write it was sent.
 */
export class StrongConsistency {
  private readonly locks = new Map<string, ItemLock>();
  private readonly votes = new Map<string, PendingVote>();
  private readonly acknowledgements = new Map<number, () => void>();
  private readonly witnessTables = new Map<string, WitnessTable>();
  private nextId = 0;
  /** Whether any table here is strongly consistent: until one is, requests pass straight through. */
  private active = false;

  constructor(
    private readonly ctx: ModuleContext,
    private readonly endpoint: TransportEndpoint,
    private readonly applier: WriteApplier,
    private readonly timeoutMs: number,
  ) {
    for (const name of OPERATIONS) this.wrap(name);
  }

  /** Routes an operation through {@link handle}: one test on the hot path until a table here is strongly consistent. */
  private wrap(name: string): void {
    const entry = this.ctx.getOperation('DynamoDB_20120810', name) as OperationEntry | undefined;
    if (entry === undefined) return;
    const original = entry.handler as (input: Record<string, unknown>) => unknown;
    this.ctx.registerOperation({ ...entry, handler: (input: Record<string, unknown>) => (this.active ? this.handle(name, original, input) : original(input)) });
  }

  /** Marks that a table of this region is strongly consistent (from then on, requests are checked). */
  activate(): void {
    if (this.active) return;
    this.active = true;
    // The ttl() module may be installed after this one: its operation is wrapped once it exists.
    this.wrap('UpdateTimeToLive');
  }

  // ---------------------------------------------------------------- requests in this region

  private handle(operation: string, original: (input: Record<string, unknown>) => unknown, input: Record<string, unknown>): unknown {
    switch (operation) {
      case 'UpdateTimeToLive': {
        const enabling = (input.TimeToLiveSpecification as { Enabled?: unknown } | undefined)?.Enabled === true;
        if (enabling && typeof input.TableName === 'string' && this.strongState(this.ctx.tableNameOf(input.TableName)) !== undefined) throw new ValidationException(MSG_TTL_UNSUPPORTED);
        return original(input);
      }
      case 'TransactWriteItems':
      case 'TransactGetItems':
        if (this.transactionTables(input).some((name) => this.strongState(name) !== undefined)) throw new ValidationException(MSG_TRANSACTIONS_UNSUPPORTED);
        return original(input);
      case 'BatchWriteItem':
        return this.defer(this.batchWriteTargets(input), (targets) => this.strongWrite(targets, () => original(input)), original, input);
      case 'BatchGetItem':
        return this.defer(this.batchGetKeys(input), (keys) => this.strongRead(keys, () => original(input)), original, input);
    }
    const tableName = typeof input.TableName === 'string' ? this.ctx.tableNameOf(input.TableName) : '';
    const state = this.strongState(tableName);
    if (state === undefined) return original(input);
    const table = this.ctx.getTable(tableName)!;
    if (operation === 'Query' || operation === 'Scan') {
      // A Query of a global secondary index cannot be strongly consistent (core refuses it).
      if (input.ConsistentRead !== true || input.IndexName !== undefined) return original(input);
      this.ctx.deferAnswer(this.strongTableRead(table, state, () => original(input)));
      return undefined;
    }
    const key = (operation === 'PutItem' ? input.Item : input.Key) as Key | undefined;
    if (key === null || typeof key !== 'object') return original(input);
    if (operation === 'GetItem') {
      if (input.ConsistentRead !== true) return original(input);
      this.ctx.deferAnswer(this.strongRead([[table, state, keyOf(key as Item, table.keySchema)]], () => original(input)));
      return undefined;
    }
    this.ctx.deferAnswer(this.strongWrite([this.target(table, state, key)], () => original(input)));
    return undefined;
  }

  /** Runs `strong` on what `found` lists (deferring the answer), or the operation as it is when it lists nothing. */
  private defer<T>(found: readonly T[], strong: (found: readonly T[]) => Promise<unknown>, original: (input: Record<string, unknown>) => unknown, input: Record<string, unknown>): unknown {
    if (found.length === 0) return original(input);
    this.ctx.deferAnswer(strong(found));
    return undefined;
  }

  private strongState(tableName: string): GlobalTableState | undefined {
    const table = tableName === '' ? undefined : this.ctx.getTable(tableName);
    const state = table === undefined ? undefined : globalTableStateOf(table);
    return state?.consistency === 'STRONG' ? state : undefined;
  }

  private target(table: TableView, state: GlobalTableState, item: Key | Item): WriteTarget {
    const key = keyOf(item as Item, table.keySchema);
    const code = keyCodeOf(key, table.keySchema);
    return { table, state, key, code, lockKey: `${table.name}\n${code}` };
  }

  private transactionTables(input: Record<string, unknown>): string[] {
    const names: string[] = [];
    for (const entry of Array.isArray(input.TransactItems) ? (input.TransactItems as Array<Record<string, { TableName?: unknown } | undefined>>) : []) {
      for (const member of Object.values(entry ?? {})) if (typeof member?.TableName === 'string') names.push(this.ctx.tableNameOf(member.TableName));
    }
    return names;
  }

  /** The items a BatchWriteItem writes in strongly consistent tables (none when its shape is invalid: core refuses it). */
  private batchWriteTargets(input: Record<string, unknown>): WriteTarget[] {
    const targets: WriteTarget[] = [];
    for (const [name, requests] of Object.entries(recordOf(input.RequestItems))) {
      const tableName = this.ctx.tableNameOf(name);
      const state = this.strongState(tableName);
      if (state === undefined || !Array.isArray(requests)) continue;
      const table = this.ctx.getTable(tableName)!;
      for (const request of requests as Array<{ PutRequest?: { Item?: unknown }; DeleteRequest?: { Key?: unknown } } | null>) {
        const item = request?.PutRequest?.Item ?? request?.DeleteRequest?.Key;
        if (item !== null && typeof item === 'object') targets.push(this.target(table, state, item as Item));
      }
    }
    // Two requests for one item: core refuses the batch (ValidationException), before any vote.
    return new Set(targets.map((target) => target.lockKey)).size === targets.length ? targets : [];
  }

  /** The keys a BatchGetItem reads strongly consistently from strongly consistent tables. */
  private batchGetKeys(input: Record<string, unknown>): Array<[TableView, GlobalTableState, Key]> {
    const keys: Array<[TableView, GlobalTableState, Key]> = [];
    for (const [name, request] of Object.entries(recordOf(input.RequestItems))) {
      const tableName = this.ctx.tableNameOf(name);
      const state = this.strongState(tableName);
      const { ConsistentRead, Keys } = recordOf(request);
      if (state === undefined || ConsistentRead !== true || !Array.isArray(Keys)) continue;
      const table = this.ctx.getTable(tableName)!;
      for (const key of Keys as unknown[]) if (key !== null && typeof key === 'object') keys.push([table, state, keyOf(key as Item, table.keySchema)]);
    }
    return keys;
  }

  /**
   * Locks every target at a majority, runs the write, and answers once another region acknowledged each
   * item it changed; undoes it everywhere if none did in time.
   */
  private async strongWrite(targets: readonly WriteTarget[], run: () => unknown): Promise<unknown> {
    const now = this.ctx.clock.now();
    for (const target of targets) {
      const held = this.locks.get(target.lockKey);
      if (held !== undefined && held.expiresAt > now) throw new ReplicatedWriteConflictException(MSG_REPLICATED_WRITE_CONFLICT);
    }
    const ids = targets.map(() => `${this.ctx.region}#${++this.nextId}`);
    targets.forEach((target, i) => this.lock(target.lockKey, { owner: this.ctx.region, id: ids[i]!, expiresAt: now + this.timeoutMs }));
    const release = (which: readonly number[]) => {
      for (const i of which) {
        const target = targets[i]!;
        for (const peer of target.state.peersOf(this.ctx.region)) this.endpoint.send(peer, { kind: 'release', id: ids[i]!, tableName: target.table.name, key: target.key });
      }
    };
    const all = targets.map((_, i) => i);
    try {
      const votes = await Promise.allSettled(targets.map((target, i) => this.vote(target.state.peersOf(this.ctx.region), { kind: 'prepare', id: ids[i]!, tableName: target.table.name, key: target.key })));
      const refused = votes.find((vote): vote is PromiseRejectedResult => vote.status === 'rejected');
      if (refused !== undefined) {
        release(all);
        throw refused.reason;
      }
      votes.forEach((vote, i) => this.applyAnswer(targets[i]!.table.name, (vote as PromiseFulfilledResult<{ from: string; message: Answer }>).value, targets[i]!.key));
      const before = targets.map((target) => ({ seq: target.state.loggedSeqs.get(target.code), item: target.table.getItem(target.key) }));
      let output: unknown;
      try {
        output = run();
      } catch (error) {
        release(all);
        throw error;
      }
      // Items the write did not change (e.g. deleting an item that is not there) have nothing to replicate.
      const changed = all.filter((i) => targets[i]!.state.loggedSeqs.get(targets[i]!.code) !== before[i]!.seq);
      release(all.filter((i) => !changed.includes(i)));
      const versions = changed.map((i) => targets[i]!.state.versions.get(targets[i]!.code)!);
      if (!(await this.acknowledged(changed.map((i) => targets[i]!.state.loggedSeqs.get(targets[i]!.code)!)))) {
        changed.forEach((i, n) => {
          const written = versions[n]!;
          this.applier.annul(targets[i]!.table.name, targets[i]!.key, before[i]!.item, nextVersion(written, written.timestamp, written.region, written.sequence + 0.5));
        });
        throw new InternalServerError(MSG_NO_QUORUM);
      }
      return output;
    } finally {
      targets.forEach((target, i) => {
        if (this.locks.get(target.lockKey)?.id === ids[i]) this.unlock(target.lockKey);
      });
    }
  }

  /** Fetches the latest version of each key from another region, then runs the read. */
  private async strongRead(keys: ReadonlyArray<readonly [TableView, GlobalTableState, Key]>, run: () => unknown): Promise<unknown> {
    const answers = await Promise.all(keys.map(([table, state, key]) => this.vote(state.peersOf(this.ctx.region), { kind: 'fetch', id: `${this.ctx.region}#${++this.nextId}`, tableName: table.name, key })));
    answers.forEach((answer, i) => this.applyAnswer(keys[i]![0].name, answer, keys[i]![2]));
    return run();
  }

  /** Fetches every item's latest version of a table from another region, then runs the Query or Scan. */
  private async strongTableRead(table: TableView, state: GlobalTableState, run: () => unknown): Promise<unknown> {
    const answer = await this.vote(state.peersOf(this.ctx.region), { kind: 'fetchItems', id: `${this.ctx.region}#${++this.nextId}`, tableName: table.name });
    this.applyAnswer(table.name, answer);
    return run();
  }

  /** Applies what another region answered (about `key`, for one item) when newer here (last writer wins). */
  private applyAnswer(tableName: string, { from, message }: { from: string; message: Answer }, key?: Key): void {
    if (message.kind === 'fetchedItems') {
      for (const entry of message.entries) this.applier.applyLatest(from, { tableName, ...entry });
    } else if (message.version !== undefined && key !== undefined) {
      this.applier.applyLatest(from, { tableName, key, item: message.item, version: message.version });
    }
  }

  /** Asks `peers` for a vote; resolves with the first answer, rejects when none can come. */
  private vote(peers: readonly string[], request: Extract<StrongConsistencyMessage, { kind: 'prepare' | 'fetch' | 'fetchItems' }>): Promise<{ from: string; message: Answer }> {
    return new Promise((resolve, reject) => {
      const cancelTimer = this.ctx.clock.setTimer(this.timeoutMs, () => {
        const vote = this.votes.get(request.id);
        if (vote === undefined) return;
        this.votes.delete(request.id);
        // No majority in time: a partition (or conflicts and silence).
        vote.reject(vote.conflicts > 0 ? new ReplicatedWriteConflictException(MSG_REPLICATED_WRITE_CONFLICT) : new InternalServerError(MSG_NO_QUORUM));
      });
      this.votes.set(request.id, { waiting: peers.length, conflicts: 0, resolve, reject, cancelTimer });
      for (const peer of peers) this.endpoint.send(peer, request);
    });
  }

  /** Resolves true once a peer acknowledged every outbound-log entry of `seqs`, false when `timeoutMs` passes first. */
  private acknowledged(seqs: readonly number[]): Promise<boolean> {
    if (seqs.length === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      let waiting = seqs.length;
      const cancelTimer = this.ctx.clock.setTimer(this.timeoutMs, () => {
        for (const seq of seqs) this.acknowledgements.delete(seq);
        resolve(false);
      });
      for (const seq of seqs) {
        this.acknowledgements.set(seq, () => {
          if (--waiting > 0) return;
          cancelTimer();
          resolve(true);
        });
      }
    });
  }

  /** The outbound log's acknowledgement of `seq` by a peer. O(1). */
  onAcknowledged(seq: number): void {
    if (this.acknowledgements.size === 0) return;
    const resolve = this.acknowledgements.get(seq);
    if (resolve === undefined) return;
    this.acknowledgements.delete(seq);
    resolve();
  }

  private lock(lockKey: string, lock: ItemLock): void {
    this.locks.set(lockKey, lock);
    this.ctx.logModuleRecord('globalTables', { mrsc: 'lock', lockKey, ...lock } satisfies StrongConsistencyRecord);
  }

  private unlock(lockKey: string): void {
    this.locks.delete(lockKey);
    this.ctx.logModuleRecord('globalTables', { mrsc: 'unlock', lockKey } satisfies StrongConsistencyRecord);
  }

  // ---------------------------------------------------------------- votes for other regions

  /** Handles a strong-consistency message from another region. */
  receive(from: string, message: StrongConsistencyMessage): void {
    switch (message.kind) {
      case 'prepare':
      case 'fetch': {
        const latest = this.latestHere(message.tableName, message.key);
        if (latest === undefined) return;
        if (message.kind === 'prepare') {
          const lockKey = `${message.tableName}\n${latest.code}`;
          const now = this.ctx.clock.now();
          const held = this.locks.get(lockKey);
          if (held !== undefined && held.expiresAt > now && held.id !== message.id) {
            this.endpoint.send(from, { kind: 'conflict', id: message.id });
            return;
          }
          this.lock(lockKey, { owner: from, id: message.id, expiresAt: now + this.timeoutMs });
        }
        this.endpoint.send(from, { kind: message.kind === 'prepare' ? 'grant' : 'fetched', id: message.id, item: latest.item, version: latest.version });
        return;
      }
      case 'fetchItems': {
        const entries = this.entriesHere(message.tableName);
        if (entries !== undefined) this.endpoint.send(from, { kind: 'fetchedItems', id: message.id, entries });
        return;
      }
      case 'release': {
        const code = this.codeOf(message.tableName, message.key);
        const lockKey = `${message.tableName}\n${code}`;
        if (code !== undefined && this.locks.get(lockKey)?.id === message.id) this.unlock(lockKey);
        return;
      }
      case 'grant':
      case 'fetched':
      case 'fetchedItems': {
        const vote = this.votes.get(message.id);
        if (vote === undefined) return;
        this.votes.delete(message.id);
        vote.cancelTimer();
        vote.resolve({ from, message });
        return;
      }
      case 'conflict': {
        const vote = this.votes.get(message.id);
        if (vote === undefined) return;
        vote.conflicts++;
        if (--vote.waiting > 0) return;
        this.votes.delete(message.id);
        vote.cancelTimer();
        vote.reject(new ReplicatedWriteConflictException(MSG_REPLICATED_WRITE_CONFLICT));
      }
    }
  }

  /** A write from `from` arrived for an item: the lock its prepare took is released. */
  written(from: string, tableName: string, code: string): void {
    const lockKey = `${tableName}\n${code}`;
    if (this.locks.get(lockKey)?.owner === from) this.unlock(lockKey);
  }

  private latestHere(tableName: string, key: Key): { code: string; item?: Item | undefined; version?: ItemVersion | undefined } | undefined {
    const witness = this.witnessTables.get(tableName);
    if (witness !== undefined) {
      const code = keyCodeOf(key, witness.schema);
      const entry = witness.items.get(code);
      return { code, item: entry?.item, version: entry?.version };
    }
    const table = this.ctx.getTable(tableName);
    const state = table === undefined ? undefined : globalTableStateOf(table);
    if (table === undefined || state === undefined) return undefined;
    const code = keyCodeOf(key, table.keySchema);
    return { code, item: table.getItem(keyOf(key as Item, table.keySchema)), version: state.versions.get(code) };
  }

  /** Every item and remembered delete of a table here, with its version (undefined: no such table here). O(items). */
  private entriesHere(tableName: string): WitnessEntry[] | undefined {
    const witness = this.witnessTables.get(tableName);
    if (witness !== undefined) return [...witness.items.values()];
    const table = this.ctx.getTable(tableName);
    const state = table === undefined ? undefined : globalTableStateOf(table);
    if (table === undefined || state === undefined) return undefined;
    const entries: WitnessEntry[] = [];
    for (const [, item] of table.snapshot().storage.entries()) {
      const version = state.versions.get(keyCodeOf(item, table.keySchema));
      if (version !== undefined) entries.push({ key: keyOf(item, table.keySchema), item, version });
    }
    for (const [key, version] of state.liveTombstones()) entries.push({ key, version });
    return entries;
  }

  private codeOf(tableName: string, key: Key): string | undefined {
    const schema = this.witnessTables.get(tableName)?.schema ?? this.ctx.getTable(tableName)?.keySchema;
    return schema === undefined ? undefined : keyCodeOf(key, schema);
  }

  // ---------------------------------------------------------------- witness

  /** This region becomes the witness of a strongly consistent global table. */
  createWitness(tableName: string, keySchema: KeySchemaElements): void {
    if (this.witnessTables.has(tableName)) return;
    this.addWitnessTable(tableName, keySchema);
    this.ctx.logModuleRecord('globalTables', { mrsc: 'witness', tableName, keySchema } satisfies StrongConsistencyRecord);
  }

  private addWitnessTable(tableName: string, keySchema: KeySchemaElements): WitnessTable {
    const hash = keySchema.find((element) => element.KeyType === 'HASH')!;
    const range = keySchema.find((element) => element.KeyType === 'RANGE');
    // Key codes depend on the attribute's value, not its declared type: the type here is unused.
    const schema = { partitionKeys: [{ name: hash.AttributeName, type: 'S' }], sortKeys: range === undefined ? [] : [{ name: range.AttributeName, type: 'S' }] } as PrimaryKeySchema;
    const witness = { keySchema, schema, items: new Map<string, WitnessEntry>() };
    this.witnessTables.set(tableName, witness);
    this.activate();
    return witness;
  }

  /** A write sent to this region as a witness: kept if newest; false when this region is no witness of the table. */
  applyWitnessWrite(from: string, write: ReplicatedWrite): boolean {
    const witness = this.witnessTables.get(write.tableName);
    if (witness === undefined) return false;
    const code = keyCodeOf(write.key, witness.schema);
    const current = witness.items.get(code);
    if (current === undefined || compareVersions(write.version, current.version) > 0) {
      const entry: WitnessEntry = { key: write.key, item: write.item, version: write.version };
      witness.items.set(code, entry);
      this.ctx.logModuleRecord('globalTables', { mrsc: 'witnessWrite', tableName: write.tableName, code, entry } satisfies StrongConsistencyRecord);
    }
    this.written(from, write.tableName, code);
    return true;
  }

  /** Whether this region is the witness of `tableName`. */
  isWitnessOf(tableName: string): boolean {
    return this.witnessTables.has(tableName);
  }

  // ---------------------------------------------------------------- durable storage

  /** Item locks and witness tables as plain data, for a snapshot. O(locks + witness items). */
  snapshotState(): StrongConsistencySnapshot {
    return {
      locks: [...this.locks],
      witnesses: [...this.witnessTables].map(([name, witness]) => [name, witness.keySchema, [...witness.items]] as const),
    };
  }

  /** Item locks and witness tables back from a snapshot. */
  restoreState(snapshot: StrongConsistencySnapshot | undefined): void {
    for (const [lockKey, lock] of snapshot?.locks ?? []) this.locks.set(lockKey, lock);
    for (const [name, keySchema, items] of snapshot?.witnesses ?? []) {
      const witness = this.addWitnessTable(name, keySchema);
      for (const [code, entry] of items) witness.items.set(code, entry);
    }
  }

  /** Recovery: a logged change to item locks or witness tables, replayed. */
  replayRecord(record: StrongConsistencyRecord): void {
    switch (record.mrsc) {
      case 'lock':
        this.locks.set(record.lockKey, { owner: record.owner, id: record.id, expiresAt: record.expiresAt });
        return;
      case 'unlock':
        this.locks.delete(record.lockKey);
        return;
      case 'witness':
        if (!this.witnessTables.has(record.tableName)) this.addWitnessTable(record.tableName, record.keySchema);
        return;
      case 'witnessWrite':
        this.witnessTables.get(record.tableName)?.items.set(record.code, record.entry);
    }
  }
}

function recordOf(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
