import type { ReplicationMessage, Transport, TransportEndpoint } from './transport.js';

/** What travels on the channel: a replication message, addressed. */
interface ChannelEnvelope {
  readonly magnetoReplication: true;
  readonly from: string;
  readonly to: string;
  readonly message: ReplicationMessage;
}

/**
 * Replication between the regions of one origin's browser tabs, workers and frames (or a Node
 * process's threads) over a `BroadcastChannel` of the given name: every region posts on the channel and
 * keeps what is addressed to it. Messages are structured-cloned (binary attribute values included).
 *
 * @example
 * // In every tab, each with its own region:
 * const transport = new BroadcastChannelTransport({ name: 'magneto-replication' });
 * const db = new Database({ region: 'tab-' + crypto.randomUUID(), modules: [streams(), globalTables({ transport })] });
 */
export class BroadcastChannelTransport implements Transport {
  private readonly name: string;

  constructor(options: { readonly name: string }) {
    this.name = options.name;
  }

  attach(region: string, receive: (from: string, message: ReplicationMessage) => void): TransportEndpoint {
    const channel = new BroadcastChannel(this.name);
    channel.onmessage = (event: MessageEvent) => {
      const envelope = event.data as ChannelEnvelope | null;
      if (envelope !== null && typeof envelope === 'object' && envelope.magnetoReplication === true && envelope.to === region) receive(envelope.from, envelope.message);
    };
    // Node: the channel must not keep the process alive by itself.
    (channel as { unref?: () => void }).unref?.();
    return {
      send: (to, message) => channel.postMessage({ magnetoReplication: true, from: region, to, message } satisfies ChannelEnvelope),
      close: () => channel.close(),
    };
  }
}
