import type { ReplicationMessage, Transport, TransportEndpoint } from './transport.js';

/**
 * What {@link MessagePortTransport} needs of a port: a browser `MessagePort`, a Node `worker_threads`
 * MessagePort, or anything shaped like one.
 */
export interface MessagePortLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: Event) => void): void;
  removeEventListener(type: 'message', listener: (event: Event) => void): void;
  /** Browser ports deliver nothing until started (Node's start on their first listener). */
  start?(): void;
}

/** What travels on a port: a hello naming the sender's region, or a replication message from it. */
type PortEnvelope = { readonly magnetoReplication: 'hello'; readonly from: string } | { readonly magnetoReplication: 'message'; readonly from: string; readonly message: ReplicationMessage };

/**
 * Replication between regions in different threads or windows over `MessagePort`s (a `MessageChannel`
 * per pair of regions: `worker_threads` in Node, workers, iframes and windows in browsers). Each port
 * leads to one other region; the regions introduce themselves when they attach, so a port's region need
 * not be known in advance. Messages are structured-cloned (binary attribute values included).
 *
 * @example
 * const { port1, port2 } = new MessageChannel();
 * worker.postMessage({ port: port2 }, [port2]); // the worker's region: new MessagePortTransport({ ports: [port2] })
 * const db = new Database({ region: 'us-east-1', modules: [streams(), globalTables({ transport: new MessagePortTransport({ ports: [port1] }) })] });
 */
export class MessagePortTransport implements Transport {
  private readonly ports: readonly MessagePortLike[];
  private readonly portOf = new Map<string, MessagePortLike>();

  constructor(options: { readonly ports: readonly MessagePortLike[] }) {
    this.ports = options.ports;
  }

  attach(region: string, receive: (from: string, message: ReplicationMessage) => void): TransportEndpoint {
    const listeners = this.ports.map((port) => {
      const listener = (event: Event): void => {
        const envelope = (event as MessageEvent).data as PortEnvelope | null;
        if (envelope === null || typeof envelope !== 'object' || typeof envelope.from !== 'string') return;
        const known = this.portOf.has(envelope.from);
        this.portOf.set(envelope.from, port);
        // Answer a region met for the first time, so it learns this one even if it attached later.
        if (!known) port.postMessage({ magnetoReplication: 'hello', from: region } satisfies PortEnvelope);
        if (envelope.magnetoReplication === 'message') receive(envelope.from, envelope.message);
      };
      port.addEventListener('message', listener);
      port.start?.();
      port.postMessage({ magnetoReplication: 'hello', from: region } satisfies PortEnvelope);
      return { port, listener };
    });
    return {
      // A region not met yet: lost, as on any network; the outbound log sends it again later.
      send: (to, message) => this.portOf.get(to)?.postMessage({ magnetoReplication: 'message', from: region, message } satisfies PortEnvelope),
      close: () => {
        for (const { port, listener } of listeners) port.removeEventListener('message', listener);
      },
    };
  }
}
