import type { Item, Key } from '@magneto/core';
import type { ItemVersion } from './item-version.js';
import type { CapacitySettings } from './replica-capacity.js';

/**
 * One replicated item write: the item's whole new image, or none for a delete (a tombstone), with the
 * version last-writer-wins orders it by.
 */
export interface ReplicatedWrite {
  readonly tableName: string;
  readonly key: Key;
  /** The item after the write; undefined for a delete. */
  readonly item?: Item | undefined;
  readonly version: ItemVersion;
}

/** A replica-lifecycle message between the regions of one global table (see replicator.ts). */
export type ControlMessage =
  | { readonly type: 'createReplica'; readonly tableName: string; readonly definition: Record<string, unknown>; readonly replicas: ReplicaSetMessage }
  | { readonly type: 'joinReplica'; readonly tableName: string; readonly replicas: ReplicaSetMessage }
  | { readonly type: 'replicaCreated'; readonly tableName: string }
  | { readonly type: 'replicaFailed'; readonly tableName: string; readonly description: string }
  | { readonly type: 'deleteReplica'; readonly tableName: string }
  | { readonly type: 'replicaDeleted'; readonly tableName: string }
  | { readonly type: 'replicas'; readonly tableName: string; readonly replicas: ReplicaSetMessage }
  /** A synchronized setting changed in the sending region (see settings-sync.ts). */
  | {
      readonly type: 'settings';
      readonly tableName: string;
      readonly timeToLive?: { readonly Enabled: boolean; readonly AttributeName: string };
      readonly attributeDefinitions?: readonly unknown[];
      readonly createIndexes?: ReadonlyArray<{ readonly IndexName: string; readonly KeySchema: unknown; readonly Projection: unknown }>;
      readonly deleteIndexes?: readonly string[];
      /** The sending replica's billing mode and capacity (see replica-capacity.ts). */
      readonly capacity?: CapacitySettings;
    }
  /** Replica auto scaling: an update for the receiving replica to apply, or the sender's settings (see replica-auto-scaling.ts). */
  | { readonly type: 'autoScaling'; readonly tableName: string; readonly update?: Record<string, unknown>; readonly description?: Record<string, unknown> }
  /** To a multi-Region strong consistency witness: it keeps the table's writes (not a table) and votes. */
  | { readonly type: 'createWitness'; readonly tableName: string; readonly keySchema: ReadonlyArray<{ readonly AttributeName: string; readonly KeyType: string }> };

/** A global table's replica set as the regions exchange it: newest `epoch` wins. */
export interface ReplicaSetMessage {
  readonly epoch: ItemVersion;
  readonly globalTableVersion: string;
  /** MultiRegionConsistency STRONG (absent: EVENTUAL). */
  readonly consistency?: 'STRONG';
  /** Every replica, this region's too, with what DescribeTable shows of it. */
  readonly replicas: ReadonlyArray<{ readonly region: string; readonly status: string; readonly description?: string; readonly overrides?: Record<string, unknown>; readonly witness?: boolean }>;
}

/** What a channel carries: an item write or a control message, numbered for acknowledgement. */
export type ChannelPayload = { readonly kind: 'write'; readonly write: ReplicatedWrite } | { readonly kind: 'control'; readonly control: ControlMessage };

/**
 * One message from a region to another. `session` names the sender's channel incarnation (new after a
 * restart), so a late acknowledgement of an earlier incarnation's entry acknowledges nothing now. Transports may lose, duplicate or reorder them: entries are
 * retransmitted until acknowledged, and applying one twice or late changes nothing (last writer wins).
 */
export type ReplicationMessage =
  | { readonly kind: 'entries'; readonly session: string; readonly entries: ReadonlyArray<{ readonly seq: number; readonly payload: ChannelPayload }> }
  | { readonly kind: 'ack'; readonly session: string; readonly seqs: readonly number[] }
  | StrongConsistencyMessage;

/**
 * Multi-Region strong consistency's votes (not retransmitted: an unanswered request times out). A writer
 * asks the other regions to `prepare` an item (lock it for this write and tell their latest version of
 * it), a strongly consistent reader asks them to `fetch` it (or `fetchItems`, the whole table, for a Query
 * or Scan); they answer `grant` (with the item and its version), `conflict` (another region's write holds
 * the item), `fetched` or `fetchedItems`; `release` unlocks an item whose write did not happen.
 */
export type StrongConsistencyMessage =
  | { readonly kind: 'prepare'; readonly id: string; readonly tableName: string; readonly key: Key }
  | { readonly kind: 'fetch'; readonly id: string; readonly tableName: string; readonly key: Key }
  /** A strongly consistent Query or Scan: every item (and remembered delete) of the table, with its version. */
  | { readonly kind: 'fetchItems'; readonly id: string; readonly tableName: string }
  | { readonly kind: 'release'; readonly id: string; readonly tableName: string; readonly key: Key }
  | { readonly kind: 'grant'; readonly id: string; readonly item?: Item | undefined; readonly version?: ItemVersion | undefined }
  | { readonly kind: 'fetched'; readonly id: string; readonly item?: Item | undefined; readonly version?: ItemVersion | undefined }
  | { readonly kind: 'fetchedItems'; readonly id: string; readonly entries: ReadonlyArray<{ readonly key: Key; readonly item?: Item | undefined; readonly version: ItemVersion }> }
  | { readonly kind: 'conflict'; readonly id: string };

/** A region's attachment to a transport. */
export interface TransportEndpoint {
  /** Sends a message to another region; it may arrive late, twice, out of order, or not at all. */
  send(to: string, message: ReplicationMessage): void;
  /** Detaches the region: it sends and receives nothing more. */
  close(): void;
}

/**
 * How regions reach each other: in process ({@link InProcessNetwork}), over HTTP between servers, or
 * anything else that can carry a {@link ReplicationMessage} (MessagePort, BroadcastChannel, …).
 *
 * @example
 * const transport: Transport = {
 *   attach(region, receive) {
 *     port.onmessage = (event) => receive(event.data.from, event.data.message);
 *     return { send: (to, message) => port.postMessage({ from: region, to, message }), close: () => port.close() };
 *   },
 * };
 */
export interface Transport {
  /** Attaches a region: `receive` is called with each message sent to it, and the region it came from. */
  attach(region: string, receive: (from: string, message: ReplicationMessage) => void): TransportEndpoint;
}
