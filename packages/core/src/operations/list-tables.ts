import type { Engine } from '../engine.js';
import { validateListTablesInput } from './validation/validate-list-tables-input.js';

export interface ListTablesInput {
  ExclusiveStartTableName?: string;
  Limit?: number;
}
export interface ListTablesOutput {
  TableNames: string[];
  LastEvaluatedTableName?: string;
}

/**
 * ListTables: table names in ascending order, at most `Limit` (default and maximum 100) per page;
 * a full page names its last table in LastEvaluatedTableName.
 *
 * @internal
 */
export function listTables(engine: Engine, input: ListTablesInput): ListTablesOutput {
  validateListTablesInput(input as Record<string, unknown>);
  const limit = input.Limit ?? 100;
  const start = input.ExclusiveStartTableName;
  const names = [...engine.tables.keys()].filter((name) => start === undefined || name > start).sort();
  const page = names.slice(0, limit);
  const output: ListTablesOutput = { TableNames: page };
  // DynamoDB does not look ahead: a full page carries LastEvaluatedTableName even when nothing follows it.
  if (page.length > 0 && page.length === limit) output.LastEvaluatedTableName = page[page.length - 1]!;
  return output;
}
