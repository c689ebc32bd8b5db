import { systemClock, type Clock } from '@magneto/core';
import type { ReplicationMessage, Transport, TransportEndpoint } from './transport.js';

/** Faults a link injects into the messages it carries, each a probability from 0 to 1. */
export interface LinkFaults {
  /** A message is lost. */
  drop?: number;
  /** A message arrives twice. */
  duplicate?: number;
  /** A message is held back by up to `reorderMs` more, so later ones may overtake it. */
  reorder?: number;
  /** How long a reordered message is held back at most, in ms (default: 10 × the link's latency, at least 10). */
  reorderMs?: number;
}

/**
 * The network path between two regions, both ways: its one-way latency on the clock, whether it is cut,
 * and the faults it injects. Messages that would arrive while the link is partitioned are lost.
 */
export class Link {
  /** One-way latency, in ms of the network's clock. */
  latencyMs: number;
  /** Faults injected into every message (none by default). */
  faults: LinkFaults = {};
  private cut = false;
  /** Messages carried, lost, duplicated so far (both ways). */
  readonly stats = { sent: 0, delivered: 0, dropped: 0, duplicated: 0 };

  /** @internal */
  constructor(
    readonly regions: readonly [string, string],
    latencyMs: number,
  ) {
    this.latencyMs = latencyMs;
  }

  /** Cuts the link: nothing crosses it until `heal()` (messages in flight are lost too). */
  partition(): void {
    this.cut = true;
  }

  /** Restores the link; retransmission then brings both sides up to date. */
  heal(): void {
    this.cut = false;
  }

  /** Whether the link is cut. */
  get partitioned(): boolean {
    return this.cut;
  }
}

/** Options of {@link InProcessNetwork}. */
export interface InProcessNetworkOptions {
  /** The clock latencies run on: the regions' clock (a ManualClock in tests). Default: the system clock. */
  clock?: Clock;
  /** One-way latency of every link unless set on the link, in ms. Default 0 (delivered on the next timer tick). */
  latencyMs?: number;
  /** Random numbers in [0, 1) for fault injection: give a seeded one so a failing run can be replayed. Default Math.random. */
  random?: () => number;
}

/**
 * Regions of one process linked by in-memory messages, delivered after each link's latency on the clock:
 * the default transport, and the one tests cut, heal and inject faults into.
 *
 * @example
 * const clock = new ManualClock();
 * const network = new InProcessNetwork({ clock, latencyMs: 50 });
 * const us = new Database({ region: 'us-east-1', clock, modules: [streams(), globalTables({ transport: network })] });
 * const eu = new Database({ region: 'eu-west-1', clock, modules: [streams(), globalTables({ transport: network })] });
 * network.link('us-east-1', 'eu-west-1').partition();
 */
export class InProcessNetwork implements Transport {
  private readonly clock: Clock;
  private readonly defaultLatencyMs: number;
  private readonly random: () => number;
  private readonly receivers = new Map<string, (from: string, message: ReplicationMessage) => void>();
  private readonly links = new Map<string, Link>();

  constructor(options: InProcessNetworkOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.defaultLatencyMs = options.latencyMs ?? 0;
    this.random = options.random ?? Math.random;
  }

  /** The link between two regions (the same object both ways, made on first use). */
  link(a: string, b: string): Link {
    const id = a < b ? `${a}\n${b}` : `${b}\n${a}`;
    let link = this.links.get(id);
    if (link === undefined) {
      link = new Link(a < b ? [a, b] : [b, a], this.defaultLatencyMs);
      this.links.set(id, link);
    }
    return link;
  }

  /** Every link made so far. */
  allLinks(): Link[] {
    return [...this.links.values()];
  }

  attach(region: string, receive: (from: string, message: ReplicationMessage) => void): TransportEndpoint {
    if (this.receivers.has(region)) throw new Error(`InProcessNetwork: region ${region} is already attached`);
    this.receivers.set(region, receive);
    let open = true;
    return {
      send: (to, message) => {
        if (open) this.carry(region, to, message);
      },
      close: () => {
        open = false;
        if (this.receivers.get(region) === receive) this.receivers.delete(region);
      },
    };
  }

  private carry(from: string, to: string, message: ReplicationMessage): void {
    const link = this.link(from, to);
    link.stats.sent++;
    const { drop = 0, duplicate = 0, reorder = 0 } = link.faults;
    if (link.partitioned || (drop > 0 && this.random() < drop)) {
      link.stats.dropped++;
      return;
    }
    const copies = duplicate > 0 && this.random() < duplicate ? 2 : 1;
    if (copies === 2) link.stats.duplicated++;
    for (let i = 0; i < copies; i++) {
      let delay = link.latencyMs;
      if (reorder > 0 && this.random() < reorder) delay += Math.floor(this.random() * (link.faults.reorderMs ?? Math.max(10, 10 * link.latencyMs)));
      this.clock.setTimer(delay, () => {
        // A message arriving over a cut link, or at a region gone, is lost.
        const receive = this.receivers.get(to);
        if (link.partitioned || receive === undefined) {
          link.stats.dropped++;
          return;
        }
        link.stats.delivered++;
        receive(from, message);
      });
    }
  }
}
