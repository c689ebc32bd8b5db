import { memberOf, setMember } from '../model/set-member.js';
import type { ConsumedCapacity } from '../operations/consumed-capacity.js';


/** Several statements' ConsumedCapacity as one entry per table, in the order tables first appear, units summed. */
export function mergeCapacity(entries: readonly (ConsumedCapacity | undefined)[]): ConsumedCapacity[] {
  const byTable = new Map<string, ConsumedCapacity>();
  for (const entry of entries) {
    if (entry?.TableName === undefined) continue;
    const merged = byTable.get(entry.TableName);
    if (merged === undefined) {
      byTable.set(entry.TableName, structuredClone(entry));
      continue;
    }
    merged.CapacityUnits += entry.CapacityUnits;
    if (entry.Table !== undefined) merged.Table = { CapacityUnits: (merged.Table?.CapacityUnits ?? 0) + entry.Table.CapacityUnits };
    for (const field of ['GlobalSecondaryIndexes', 'LocalSecondaryIndexes'] as const) {
      const add = entry[field];
      if (add === undefined) continue;
      const into = (merged[field] ??= {});
      for (const [name, units] of Object.entries(add)) setMember(into, name, { CapacityUnits: (memberOf(into, name)?.CapacityUnits ?? 0) + units.CapacityUnits });
    }
  }
  return [...byTable.values()];
}
