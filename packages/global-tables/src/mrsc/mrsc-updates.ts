import { ValidationException, type ModuleContext } from '@magneto/core';
import { globalTableStateOf } from '../global-table-state.js';
import { timeToLiveOf } from '../settings-sync.js';
import { MSG_MRSC_LSI, MSG_MRSC_MODE_FIXED, MSG_MRSC_NEEDS_REPLICAS, MSG_MRSC_NOT_EMPTY, MSG_MRSC_REGIONS, MSG_TTL_UNSUPPORTED, MSG_WITNESS_NEEDS_STRONG } from './mrsc-errors.js';

/** What an UpdateTable asking for multi-Region strong consistency creates besides its replicas. */
export interface StrongConsistencyRequest {
  /** The witness region (GlobalTableWitnessUpdates Create), if any. */
  readonly witness: string | undefined;
}

/**
 * Checks UpdateTable's MultiRegionConsistency and GlobalTableWitnessUpdates together with its
 * ReplicaUpdates, before anything changes: STRONG only when the table becomes a global table, empty, of
 * exactly three regions (replicas and at most one witness), without TTL or local secondary indexes.
 * Returns what to create, or undefined for an eventually consistent (MREC) request.
 */
export function checkStrongConsistencyRequest(ctx: ModuleContext, input: Record<string, unknown>): StrongConsistencyRequest | undefined {
  const consistency = input.MultiRegionConsistency;
  const witnessUpdates = input.GlobalTableWitnessUpdates;
  if (consistency === undefined && witnessUpdates === undefined) return undefined;
  if (consistency !== undefined && consistency !== 'STRONG' && consistency !== 'EVENTUAL') {
    throw new ValidationException(`1 validation error detected: Value '${String(consistency)}' at 'multiRegionConsistency' failed to satisfy constraint: Member must satisfy enum value set: [EVENTUAL, STRONG]`);
  }
  const witnesses = parseWitnessUpdates(witnessUpdates);
  if (consistency !== 'STRONG') {
    if (witnesses.length > 0) throw new ValidationException(MSG_WITNESS_NEEDS_STRONG);
    return undefined;
  }
  const tableName = typeof input.TableName === 'string' ? ctx.tableNameOf(input.TableName) : '';
  const table = ctx.getTable(tableName);
  // An unknown table: UpdateTable itself answers ResourceNotFoundException.
  if (table === undefined) return undefined;
  const creates = Array.isArray(input.ReplicaUpdates) ? (input.ReplicaUpdates as Array<{ Create?: unknown } | null>).filter((update) => update?.Create != null).length : 0;
  if (globalTableStateOf(table) !== undefined) throw new ValidationException(MSG_MRSC_MODE_FIXED);
  if (creates === 0) throw new ValidationException(MSG_MRSC_NEEDS_REPLICAS);
  if (witnesses.length > 1 || 1 + creates + witnesses.length !== 3) throw new ValidationException(MSG_MRSC_REGIONS);
  if (table.itemCount > 0) throw new ValidationException(MSG_MRSC_NOT_EMPTY);
  if (table.indexes.some((index) => index.kind === 'LSI')) throw new ValidationException(MSG_MRSC_LSI);
  const status = timeToLiveOf(ctx, tableName)?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') throw new ValidationException(MSG_TTL_UNSUPPORTED);
  return { witness: witnesses[0] };
}

function parseWitnessUpdates(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ValidationException("1 validation error detected: Value null at 'globalTableWitnessUpdates' failed to satisfy constraint: Member must not be null");
  return value.map((update: { Create?: { RegionName?: unknown }; Delete?: unknown } | null, i) => {
    const region = update?.Create?.RegionName;
    if (typeof region !== 'string' || region.length === 0) {
      throw new ValidationException(`1 validation error detected: Value null at 'globalTableWitnessUpdates.${i + 1}.member.create.regionName' failed to satisfy constraint: Member must not be null`);
    }
    return region;
  });
}
