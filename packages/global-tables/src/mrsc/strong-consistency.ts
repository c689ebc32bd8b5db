import { InternalServerError, ValidationException, type Item, type Key, type ModuleContext, type OperationEntry, type PrimaryKeySchema, type TableView } from '@magneto/core';
import { globalTableStateOf, type GlobalTableState } from '../global-table-state.js';
import { compareVersions, keyCodeOf, keyOf, type ItemVersion } from '../item-version.js';
import type { ReplicatedWrite, StrongConsistencyMessage, TransportEndpoint } from '../transport.js';
import { ReplicatedWriteConflictException, MSG_REPLICATED_WRITE_CONFLICT, MSG_TRANSACTIONS_UNSUPPORTED, MSG_NO_QUORUM, MSG_TTL_UNSUPPORTED } from './mrsc-errors.js';

/** An item locked for one region's write in progress, until its write arrives, it is released, or it expires. */
interface ItemLock {
  readonly owner: string;
  readonly id: string;
  readonly expiresAt: number;
}

/** What a region answered a prepare or fetch with: its latest version of the item. */
interface Latest {
  readonly from: string;
  readonly item?: Item | undefined;
  readonly version?: ItemVersion | undefined;
}

/** A vote this region waits for. */
interface PendingVote {
  waiting: number;
  conflicts: number;
  readonly resolve: (latest: Latest) => void;
  readonly reject: (error: Error) => void;
  readonly cancelTimer: () => void;
}

/** What a witness keeps of one table: its key schema and every item's latest write. */
interface WitnessTable {
  readonly schema: PrimaryKeySchema;
  readonly items: Map<string, { readonly item?: Item | undefined; readonly version: ItemVersion }>;
}

/** The operations a strongly consistent global table changes or reads through a majority of its regions. */
const WRITES = ['PutItem', 'UpdateItem', 'DeleteItem'] as const;
const TRANSACTIONS = ['TransactWriteItems', 'TransactGetItems'] as const;

/** How the replicator lets strong consistency apply a write it was sent (last writer wins, as MREC). */
export interface WriteApplier {
  applyWrite(from: string, write: ReplicatedWrite): boolean;
}

/**
 * Multi-Region strong consistency (MultiRegionConsistency: STRONG) over three regions (three replicas, or
 * two and a witness). A write takes a majority before it runs: it locks the item in this region and asks
 * the others to `prepare` it; the first region that grants it (with its latest version of the item, which
 * is applied here first, so the write's condition sees the latest item whichever region wrote it) makes a
 * majority, and the write runs. It is then acknowledged only once another region has applied it (the
 * outbound log's acknowledgement), so every acknowledged write is held by a majority. Two regions writing
 * one item at once: each region locks it for the first write it hears of, so at most one write gets a
 * majority; a write that every other region refused fails with ReplicatedWriteConflictException (and
 * changes nothing). A region cut off from both others cannot write (the request fails once `timeoutMs`
 * passes without a vote). A strongly consistent GetItem fetches the item's latest version from one other
 * region first (a majority with this one), so it sees the latest acknowledged write from any region.
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
    for (const name of [...WRITES, 'GetItem', ...TRANSACTIONS]) this.wrap(name);
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
    if (operation === 'UpdateTimeToLive') {
      const enabling = (input.TimeToLiveSpecification as { Enabled?: unknown } | undefined)?.Enabled === true;
      if (enabling && typeof input.TableName === 'string' && this.strongState(this.ctx.tableNameOf(input.TableName)) !== undefined) throw new ValidationException(MSG_TTL_UNSUPPORTED);
      return original(input);
    }
    if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
      if (this.transactionTables(input).some((name) => this.strongState(name) !== undefined)) throw new ValidationException(MSG_TRANSACTIONS_UNSUPPORTED);
      return original(input);
    }
    const tableName = typeof input.TableName === 'string' ? this.ctx.tableNameOf(input.TableName) : '';
    const state = this.strongState(tableName);
    if (state === undefined) return original(input);
    const table = this.ctx.getTable(tableName)!;
    const key = (operation === 'PutItem' ? input.Item : input.Key) as Key | undefined;
    if (key === null || typeof key !== 'object') return original(input);
    if (operation === 'GetItem') {
      if (input.ConsistentRead !== true) return original(input);
      this.ctx.deferAnswer(this.strongRead(table, key, () => original(input)));
      return undefined;
    }
    this.ctx.deferAnswer(this.strongWrite(table, state, keyOf(key as Item, table.keySchema), () => original(input)));
    return undefined;
  }

  private strongState(tableName: string): GlobalTableState | undefined {
    const table = tableName === '' ? undefined : this.ctx.getTable(tableName);
    const state = table === undefined ? undefined : globalTableStateOf(table);
    return state?.consistency === 'STRONG' ? state : undefined;
  }

  private transactionTables(input: Record<string, unknown>): string[] {
    const names: string[] = [];
    for (const entry of Array.isArray(input.TransactItems) ? (input.TransactItems as Array<Record<string, { TableName?: unknown } | undefined>>) : []) {
      for (const member of Object.values(entry ?? {})) if (typeof member?.TableName === 'string') names.push(this.ctx.tableNameOf(member.TableName));
    }
    return names;
  }

  private async strongWrite(table: TableView, state: GlobalTableState, key: Key, run: () => unknown): Promise<unknown> {
    const code = keyCodeOf(key, table.keySchema);
    const lockKey = `${table.name}\n${code}`;
    const now = this.ctx.clock.now();
    const held = this.locks.get(lockKey);
    if (held !== undefined && held.expiresAt > now) throw new ReplicatedWriteConflictException(MSG_REPLICATED_WRITE_CONFLICT);
    const id = `${this.ctx.region}#${++this.nextId}`;
    this.locks.set(lockKey, { owner: this.ctx.region, id, expiresAt: now + this.timeoutMs });
    const peers = state.peersOf(this.ctx.region);
    try {
      const latest = await this.vote(peers, { kind: 'prepare', id, tableName: table.name, key });
      this.applyLatest(table.name, key, latest);
      const before = state.loggedSeqs.get(code);
      let output: unknown;
      try {
        output = run();
      } catch (error) {
        this.release(peers, id, table.name, key);
        throw error;
      }
      const seq = state.loggedSeqs.get(code);
      if (seq === before || seq === undefined) {
        // Nothing changed (e.g. deleting an item that is not there): nothing to replicate.
        this.release(peers, id, table.name, key);
        return output;
      }
      await this.acknowledged(seq);
      return output;
    } finally {
      if (this.locks.get(lockKey)?.id === id) this.locks.delete(lockKey);
    }
  }

  private async strongRead(table: TableView, key: Key, run: () => unknown): Promise<unknown> {
    const state = globalTableStateOf(table)!;
    const id = `${this.ctx.region}#${++this.nextId}`;
    const latest = await this.vote(state.peersOf(this.ctx.region), { kind: 'fetch', id, tableName: table.name, key: keyOf(key as Item, table.keySchema) });
    this.applyLatest(table.name, key, latest);
    return run();
  }

  /** Applies another region's latest version of an item here when it is newer (last writer wins). */
  private applyLatest(tableName: string, key: Key, latest: Latest): void {
    if (latest.version !== undefined) this.applier.applyWrite(latest.from, { tableName, key, item: latest.item, version: latest.version });
  }

  /** Asks `peers` for a vote; resolves with the first grant, rejects when none can come. */
  private vote(peers: readonly string[], request: Extract<StrongConsistencyMessage, { kind: 'prepare' | 'fetch' }>): Promise<Latest> {
    return new Promise<Latest>((resolve, reject) => {
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

  /** Resolves once a peer acknowledged the outbound-log entry `seq` (a majority holds the write). */
  private acknowledged(seq: number): Promise<void> {
    return new Promise<void>((resolve) => this.acknowledgements.set(seq, resolve));
  }

  /** The outbound log's acknowledgement of `seq` by a peer. O(1). */
  onAcknowledged(seq: number): void {
    if (this.acknowledgements.size === 0) return;
    const resolve = this.acknowledgements.get(seq);
    if (resolve === undefined) return;
    this.acknowledgements.delete(seq);
    resolve();
  }

  private release(peers: readonly string[], id: string, tableName: string, key: Key): void {
    for (const peer of peers) this.endpoint.send(peer, { kind: 'release', id, tableName, key });
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
          this.locks.set(lockKey, { owner: from, id: message.id, expiresAt: now + this.timeoutMs });
        }
        this.endpoint.send(from, { kind: message.kind === 'prepare' ? 'grant' : 'fetched', id: message.id, item: latest.item, version: latest.version });
        return;
      }
      case 'release': {
        const code = this.codeOf(message.tableName, message.key);
        const lockKey = `${message.tableName}\n${code}`;
        if (code !== undefined && this.locks.get(lockKey)?.id === message.id) this.locks.delete(lockKey);
        return;
      }
      case 'grant':
      case 'fetched': {
        const vote = this.votes.get(message.id);
        if (vote === undefined) return;
        this.votes.delete(message.id);
        vote.cancelTimer();
        vote.resolve({ from, item: message.item, version: message.version });
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
    if (this.locks.get(lockKey)?.owner === from) this.locks.delete(lockKey);
  }

  private latestHere(tableName: string, key: Key): (Latest & { code: string }) | undefined {
    const witness = this.witnessTables.get(tableName);
    if (witness !== undefined) {
      const code = keyCodeOf(key, witness.schema);
      const entry = witness.items.get(code);
      return { from: this.ctx.region, code, item: entry?.item, version: entry?.version };
    }
    const table = this.ctx.getTable(tableName);
    const state = table === undefined ? undefined : globalTableStateOf(table);
    if (table === undefined || state === undefined) return undefined;
    const code = keyCodeOf(key, table.keySchema);
    const item = table.getItem(keyOf(key as Item, table.keySchema));
    return { from: this.ctx.region, code, item, version: state.versions.get(code) };
  }

  private codeOf(tableName: string, key: Key): string | undefined {
    const schema = this.witnessTables.get(tableName)?.schema ?? this.ctx.getTable(tableName)?.keySchema;
    return schema === undefined ? undefined : keyCodeOf(key, schema);
  }

  // ---------------------------------------------------------------- witness

  /** This region becomes the witness of a strongly consistent global table. */
  createWitness(tableName: string, keySchema: ReadonlyArray<{ readonly AttributeName: string; readonly KeyType: string }>): void {
    if (this.witnessTables.has(tableName)) return;
    const hash = keySchema.find((element) => element.KeyType === 'HASH')!;
    const range = keySchema.find((element) => element.KeyType === 'RANGE');
    // Key codes depend on the attribute's value, not its declared type: the type here is unused.
    const schema = { partitionKey: { name: hash.AttributeName, type: 'S' }, ...(range === undefined ? {} : { sortKey: { name: range.AttributeName, type: 'S' } }) } as PrimaryKeySchema;
    this.witnessTables.set(tableName, { schema, items: new Map() });
    this.activate();
  }

  /** A write sent to this region as a witness: kept if newest; false when this region is no witness of the table. */
  applyWitnessWrite(from: string, write: ReplicatedWrite): boolean {
    const witness = this.witnessTables.get(write.tableName);
    if (witness === undefined) return false;
    const code = keyCodeOf(write.key, witness.schema);
    const current = witness.items.get(code);
    if (current === undefined || compareVersions(write.version, current.version) > 0) witness.items.set(code, { item: write.item, version: write.version });
    this.written(from, write.tableName, code);
    return true;
  }

  /** Whether this region is the witness of `tableName`. */
  isWitnessOf(tableName: string): boolean {
    return this.witnessTables.has(tableName);
  }
}
