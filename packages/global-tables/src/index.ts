/**
 * @magneto/global-tables — DynamoDB global tables between Magneto databases.
 *
 * @example
 * import { Database, ManualClock } from '@magneto/core';
 * import { streams } from '@magneto/streams';
 * import { globalTables, InProcessNetwork } from '@magneto/global-tables';
 * const network = new InProcessNetwork({ clock: new ManualClock() });
 * const db = new Database({ region: 'eu-west-1', modules: [streams(), globalTables({ transport: network })] });
 */
export { globalTables, type GlobalTablesModule, type GlobalTablesOptions } from './global-tables-module.js';
export { InProcessNetwork, Link, type InProcessNetworkOptions, type LinkFaults } from './in-process-network.js';
export type { Transport, TransportEndpoint, ReplicationMessage, ReplicatedWrite, ControlMessage, ChannelPayload, ReplicaSetMessage } from './transport.js';
export type { ItemVersion } from './item-version.js';
export type { LatencySummary } from './latency-stats.js';
export type { ReplicationError } from './replicator.js';
export type { ReplicaStatus, GlobalTableVersion } from './global-table-state.js';
