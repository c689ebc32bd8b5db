import type { ModuleContext, VisibilityFilter } from '../modules/module.js';
import { expiryOf, isDue } from './expiry.js';
import type { Watched } from './sweeper.js';

/**
 * `ttl({ hideExpired: true })`: hides expired-but-not-yet-deleted items from GetItem, BatchGetItem,
 * TransactGetItems, Query and Scan through core's visibility filter, so each read decides on the stored
 * table item (whatever the projection, and for index reads the table's item behind the entry) as it
 * reads it. Hidden Query/Scan items count as filtered out: Count drops, ScannedCount and
 * LastEvaluatedKey stay. Tables whose TTL is not ENABLED pay nothing.
 */
export function hideExpiredFilter(context: ModuleContext, hiddenTable: (tableName: string) => Watched | undefined): VisibilityFilter {
  return {
    forTable(table) {
      const check = hiddenTable(table.name);
      if (check === undefined || check.table !== table) return undefined;
      const attributeName = check.attributeName;
      const now = context.clock.now();
      return (item) => {
        const expiryMs = expiryOf(item, attributeName);
        return expiryMs === undefined || !isDue(expiryMs, now);
      };
    },
  };
}
