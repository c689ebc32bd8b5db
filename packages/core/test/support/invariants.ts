import type { Database } from '../../src/index.js';
import { describeTable } from '../../src/operations/describe-table.js';
import { checkInvariants } from '../../src/tables/check-invariants.js';
import type { TableState } from '../../src/tables/table-state.js';

/** The live state of a table of `db` (tests only: modules and applications see the public API). */
export function tableStateOf(db: Database, tableName: string): TableState {
  const table = db.engine.tables.get(tableName);
  if (table === undefined) throw new Error(`no table ${tableName}`);
  return table;
}

/**
 * Runs checkInvariants on every table of `db` (or the ones named), against what DescribeTable reports
 * for it: the model-based tests call it after every step.
 */
export function checkTableInvariants(db: Database, ...tableNames: string[]): void {
  for (const name of tableNames.length > 0 ? tableNames : [...db.engine.tables.keys()]) {
    checkInvariants(tableStateOf(db, name), describeTable(db.engine, { TableName: name }).Table);
  }
}
