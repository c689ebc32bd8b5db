import type { Clock } from '@magneto/core';
import type { ChannelPayload, ReplicationMessage, TransportEndpoint } from './transport.js';

/** One entry of the log: a payload for some peers, numbered; its payload is dropped once a newer entry replaces it. */
interface LogEntry {
  readonly seq: number;
  readonly peers: readonly string[];
  /** Undefined once superseded by a newer entry of the same slot for (at least) the same peers. */
  payload: ChannelPayload | undefined;
}

/** One peer's position in the log: everything below `ackedBelow` is acknowledged (or was not owed to it). */
interface PeerCursor {
  ackedBelow: number;
  /** Acknowledged entries at or above `ackedBelow`. */
  readonly acked: Set<number>;
  /** The current retransmission interval: doubles while the peer answers nothing (a partition), up to 32×. */
  backoffMs: number;
  cancelRetransmit: (() => void) | undefined;
}

/** How many entries one message carries at most. */
const MAX_ENTRIES_PER_MESSAGE = 1000;

/**
 * The reliable path from this region to its peers over an unreliable transport: every change is
 * appended once, whatever the number of peers it goes to; each peer has a cursor (what it acknowledged)
 * rather than a queue of its own. New entries go out in one pass on the next timer tick and are resent
 * to a peer every `retransmitMs` (with backoff) until it acknowledges them. A newer entry in the same
 * slot (the same item, or the same kind of control message) supersedes an unacknowledged older one, so
 * a peer cut off for a long time is owed at most one payload per item.
 *
 * Appending is O(1) with no timer per entry; the log forgets its prefix once every peer acknowledged it.
 */
export class OutboundLog {
  /** Entries from `firstSeq` on, in order: entries[i].seq === firstSeq + i. */
  private entries: LogEntry[] = [];
  private firstSeq = 1;
  /** Entries below this were sent to their peers at least once. */
  private flushedBelow = 1;
  private readonly cursors = new Map<string, PeerCursor>();
  /** Control-message slots (`peer\nslot`) → the seq of their latest entry. */
  private readonly controlSlots = new Map<string, number>();
  private cancelFlush: (() => void) | undefined;
  private closed = false;
  /** This incarnation of the log: a late acknowledgement of an earlier one's entries acknowledges nothing now. */
  private readonly session = Math.random().toString(36).slice(2);

  constructor(
    private readonly endpoint: TransportEndpoint,
    private readonly clock: Clock,
    private readonly retransmitMs: number,
    /** Called with each entry a peer acknowledges (multi-Region strong consistency waits for one). */
    private readonly onAcknowledged: (seq: number) => void,
  ) {}

  private get nextSeq(): number {
    return this.firstSeq + this.entries.length;
  }

  /**
   * Appends `payload` for `peers`; `latest` maps the payload's slot to its latest entry's seq, and the
   * entry there is superseded when it went to no peer this one does not. O(peers).
   */
  append(peers: readonly string[], payload: ChannelPayload, latest: Map<string, number>, slot: string): void {
    if (this.closed || peers.length === 0) return;
    const seq = this.nextSeq;
    const previous = latest.get(slot);
    if (previous !== undefined && previous >= this.firstSeq) {
      const entry = this.entries[previous - this.firstSeq];
      if (entry?.payload !== undefined && entry.peers.every((peer) => peers.includes(peer))) entry.payload = undefined;
    }
    latest.set(slot, seq);
    this.entries.push({ seq, peers, payload });
    this.cancelFlush ??= this.clock.setTimer(0, () => this.flush());
  }

  /** Appends a control message for one peer (a newer one in the same slot supersedes an unacknowledged older one). */
  appendControl(peer: string, slot: string, payload: ChannelPayload): void {
    this.append([peer], payload, this.controlSlots, `${peer}\n${slot}`);
  }

  /** Entries not yet acknowledged by their peers, over every peer. O(unacknowledged window). */
  get pendingCount(): number {
    let n = 0;
    for (const [peer, cursor] of this.cursors) this.forEachOwed(peer, cursor, cursor.ackedBelow, this.flushedBelow, () => n++);
    for (let seq = this.flushedBelow; seq < this.nextSeq; seq++) {
      const entry = this.entries[seq - this.firstSeq]!;
      if (entry.payload !== undefined) n += entry.peers.length;
    }
    return n;
  }

  /** Whether any payload owed to `peer` (sent or not) matches. O(unacknowledged window). */
  someOwed(peer: string, predicate: (payload: ChannelPayload) => boolean): boolean {
    const cursor = this.cursors.get(peer);
    const from = cursor === undefined ? this.flushedBelow : cursor.ackedBelow;
    for (let seq = from; seq < this.nextSeq; seq++) {
      const entry = this.entries[seq - this.firstSeq]!;
      if (entry.payload === undefined || !entry.peers.includes(peer) || cursor?.acked.has(seq) === true) continue;
      if (predicate(entry.payload)) return true;
    }
    return false;
  }

  /** Handles `peer`'s acknowledgement message; false when it belongs to another session. */
  acknowledge(peer: string, message: Extract<ReplicationMessage, { kind: 'ack' }>): boolean {
    if (message.session !== this.session) return false;
    const cursor = this.cursors.get(peer);
    if (cursor === undefined) return true;
    cursor.backoffMs = this.retransmitMs;
    for (const seq of message.seqs) {
      if (seq >= cursor.ackedBelow) cursor.acked.add(seq);
      this.onAcknowledged(seq);
    }
    while (cursor.ackedBelow < this.flushedBelow) {
      const seq = cursor.ackedBelow;
      const entry = this.entries[seq - this.firstSeq]!;
      const done = cursor.acked.delete(seq) || entry.payload === undefined || !entry.peers.includes(peer);
      if (!done) break;
      cursor.ackedBelow++;
    }
    if (cursor.ackedBelow === this.flushedBelow) this.stopRetransmitting(cursor);
    this.forgetAcknowledged();
    return true;
  }

  /** Stops sending to `peer`: it left the global table. */
  forget(peer: string): void {
    const cursor = this.cursors.get(peer);
    if (cursor === undefined) return;
    this.stopRetransmitting(cursor);
    this.cursors.delete(peer);
    this.forgetAcknowledged();
  }

  /** Stops sending: the region closes. */
  close(): void {
    this.closed = true;
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    for (const cursor of this.cursors.values()) this.stopRetransmitting(cursor);
    this.cursors.clear();
    this.entries = [];
    this.firstSeq = this.flushedBelow;
  }

  /** Sends every new entry to its peers, in one pass over them. */
  private flush(): void {
    this.cancelFlush = undefined;
    const batches = new Map<string, Array<{ seq: number; payload: ChannelPayload }>>();
    for (let seq = this.flushedBelow; seq < this.nextSeq; seq++) {
      const entry = this.entries[seq - this.firstSeq]!;
      if (entry.payload === undefined) continue;
      for (const peer of entry.peers) {
        let batch = batches.get(peer);
        if (batch === undefined) {
          batch = [];
          batches.set(peer, batch);
          // A peer seen for the first time owes nothing before this entry.
          if (!this.cursors.has(peer)) this.cursors.set(peer, { ackedBelow: seq, acked: new Set(), backoffMs: this.retransmitMs, cancelRetransmit: undefined });
        }
        batch.push({ seq, payload: entry.payload });
        if (batch.length === MAX_ENTRIES_PER_MESSAGE) {
          this.endpoint.send(peer, { kind: 'entries', session: this.session, entries: batch });
          batches.set(peer, (batch = []));
        }
      }
    }
    this.flushedBelow = this.nextSeq;
    for (const [peer, batch] of batches) {
      if (batch.length > 0) this.endpoint.send(peer, { kind: 'entries', session: this.session, entries: batch });
      const cursor = this.cursors.get(peer)!;
      cursor.cancelRetransmit ??= this.clock.setTimer(cursor.backoffMs, () => this.retransmit(peer, cursor));
    }
    this.forgetAcknowledged();
  }

  /** Resends what `peer` has not acknowledged, and backs off while it answers nothing. */
  private retransmit(peer: string, cursor: PeerCursor): void {
    cursor.cancelRetransmit = undefined;
    cursor.backoffMs = Math.min(cursor.backoffMs * 2, this.retransmitMs * 32);
    let batch: Array<{ seq: number; payload: ChannelPayload }> = [];
    this.forEachOwed(peer, cursor, cursor.ackedBelow, this.flushedBelow, (seq, payload) => {
      batch.push({ seq, payload });
      if (batch.length === MAX_ENTRIES_PER_MESSAGE) {
        this.endpoint.send(peer, { kind: 'entries', session: this.session, entries: batch });
        batch = [];
      }
    });
    if (batch.length > 0) this.endpoint.send(peer, { kind: 'entries', session: this.session, entries: batch });
    if (cursor.ackedBelow < this.flushedBelow) cursor.cancelRetransmit = this.clock.setTimer(cursor.backoffMs, () => this.retransmit(peer, cursor));
  }

  private forEachOwed(peer: string, cursor: PeerCursor, from: number, to: number, visit: (seq: number, payload: ChannelPayload) => void): void {
    for (let seq = from; seq < to; seq++) {
      const entry = this.entries[seq - this.firstSeq]!;
      if (entry.payload !== undefined && !cursor.acked.has(seq) && entry.peers.includes(peer)) visit(seq, entry.payload);
    }
  }

  /** Drops the prefix every peer acknowledged (in chunks, so it stays amortised O(1) per entry). */
  private forgetAcknowledged(): void {
    let below = this.flushedBelow;
    for (const cursor of this.cursors.values()) below = Math.min(below, cursor.ackedBelow);
    const drop = below - this.firstSeq;
    if (drop > 1024 && drop * 2 > this.entries.length) {
      this.entries = this.entries.slice(drop);
      this.firstSeq = below;
    }
  }

  private stopRetransmitting(cursor: PeerCursor): void {
    cursor.cancelRetransmit?.();
    cursor.cancelRetransmit = undefined;
  }
}
