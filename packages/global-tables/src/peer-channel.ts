import type { Clock } from '@magneto/core';
import type { ChannelPayload, ReplicationMessage, TransportEndpoint } from './transport.js';

interface Pending {
  readonly seq: number;
  readonly payload: ChannelPayload;
  /** When it was last sent (clock ms), or undefined if it has not been sent yet. */
  sentAt: number | undefined;
}

/** How many entries one message carries at most. */
const MAX_ENTRIES_PER_MESSAGE = 1000;

/**
 * The reliable, compacting path from this region to one peer over an unreliable transport. Entries go
 * out in batches on the next timer tick and are resent every `retransmitMs` until the peer acknowledges
 * them. A newer entry for the same slot (the same item, or the same kind of control message) replaces
 * an unacknowledged older one, so a peer cut off for a long time is owed at most one entry per item.
 */
export class PeerChannel {
  private readonly pending = new Map<string, Pending>();
  private readonly slotOfSeq = new Map<number, string>();
  private nextSeq = 1;
  private cancelFlush: (() => void) | undefined;
  private cancelRetransmit: (() => void) | undefined;
  private readonly session = Math.random().toString(36).slice(2);
  /** The current retransmission interval: doubles while the peer answers nothing (a partition), up to 32×. */
  private backoffMs: number;

  constructor(
    readonly peer: string,
    private readonly endpoint: TransportEndpoint,
    private readonly clock: Clock,
    private readonly retransmitMs: number,
  ) {
    this.backoffMs = retransmitMs;
  }

  /** How many entries wait for the peer's acknowledgement. */
  get size(): number {
    return this.pending.size;
  }

  /** Queues `payload` under `slot` (replacing an unacknowledged entry there) and schedules a send. O(1). */
  enqueue(slot: string, payload: ChannelPayload): void {
    const previous = this.pending.get(slot);
    if (previous !== undefined) {
      this.slotOfSeq.delete(previous.seq);
      // Delete first: the map keeps insertion order, and the newer entry belongs at the end.
      this.pending.delete(slot);
    }
    const seq = this.nextSeq++;
    this.pending.set(slot, { seq, payload, sentAt: undefined });
    this.slotOfSeq.set(seq, slot);
    this.cancelFlush ??= this.clock.setTimer(0, () => {
      this.cancelFlush = undefined;
      this.send((entry) => entry.sentAt === undefined);
    });
  }

  /** Whether any unacknowledged entry matches. O(entries). */
  some(predicate: (payload: ChannelPayload) => boolean): boolean {
    for (const entry of this.pending.values()) if (predicate(entry.payload)) return true;
    return false;
  }

  /** Handles the peer's acknowledgement message; false when it belongs to another session. */
  acknowledge(message: Extract<ReplicationMessage, { kind: 'ack' }>): boolean {
    if (message.session !== this.session) return false;
    this.backoffMs = this.retransmitMs;
    for (const seq of message.seqs) {
      const slot = this.slotOfSeq.get(seq);
      if (slot === undefined) continue;
      this.slotOfSeq.delete(seq);
      this.pending.delete(slot);
    }
    if (this.pending.size === 0) this.stopRetransmitting();
    return true;
  }

  /** Stops sending: the peer left the global table, or the region closes. */
  close(): void {
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    this.stopRetransmitting();
    this.pending.clear();
    this.slotOfSeq.clear();
  }

  private send(select: (entry: Pending) => boolean): void {
    const now = this.clock.now();
    let batch: Array<{ seq: number; payload: ChannelPayload }> = [];
    for (const entry of this.pending.values()) {
      if (!select(entry)) continue;
      entry.sentAt = now;
      batch.push({ seq: entry.seq, payload: entry.payload });
      if (batch.length === MAX_ENTRIES_PER_MESSAGE) {
        this.endpoint.send(this.peer, { kind: 'entries', session: this.session, entries: batch });
        batch = [];
      }
    }
    if (batch.length > 0) this.endpoint.send(this.peer, { kind: 'entries', session: this.session, entries: batch });
    if (this.pending.size > 0) this.cancelRetransmit ??= this.clock.setTimer(this.backoffMs, () => this.retransmit());
  }

  private retransmit(): void {
    this.cancelRetransmit = undefined;
    const due = this.clock.now() - this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.retransmitMs * 32);
    this.send((entry) => entry.sentAt !== undefined && entry.sentAt <= due);
  }

  private stopRetransmitting(): void {
    this.cancelRetransmit?.();
    this.cancelRetransmit = undefined;
  }
}
