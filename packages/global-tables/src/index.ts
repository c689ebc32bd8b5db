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
export type { Transport, TransportEndpoint, ReplicationMessage, ReplicatedWrite, ControlMessage, ChannelPayload, ReplicaSetMessage, StrongConsistencyMessage } from './transport.js';
export { ReplicatedWriteConflictException } from './mrsc/mrsc-errors.js';
export type { ItemVersion } from './item-version.js';
export type { LatencySummary } from './latency-stats.js';
export type { ReplicationError } from './replicator.js';
export type { ReplicaStatus, GlobalTableVersion } from './global-table-state.js';
export { GlobalTableNotFoundException, GlobalTableAlreadyExistsException, ReplicaAlreadyExistsException, ReplicaNotFoundException, TableNotFoundException } from './v2017/errors.js';
export type { CreateGlobalTableInput, CreateGlobalTableOutput } from './v2017/create-global-table.js';
export type { UpdateGlobalTableInput, UpdateGlobalTableOutput } from './v2017/update-global-table.js';
export type { DescribeGlobalTableInput, DescribeGlobalTableOutput } from './v2017/describe-global-table.js';
export type { ListGlobalTablesInput, ListGlobalTablesOutput } from './v2017/list-global-tables.js';
export type { DescribeGlobalTableSettingsInput, UpdateGlobalTableSettingsInput, GlobalTableSettingsOutput } from './v2017/global-table-settings.js';
export type { GlobalTableDescription } from './v2017/global-table-description.js';
export { HttpTransport, REPLICATION_PATH, SIGNATURE_HEADER, ReplicationAuthenticationError, type HttpTransportOptions } from './http-transport.js';
export { MessagePortTransport, type MessagePortLike } from './message-port-transport.js';
export { BroadcastChannelTransport } from './broadcast-channel-transport.js';
