import { beginConstraints, type ModuleContext } from '@magneto/core';
import { globalTableStateOf } from '../global-table-state.js';

/** ListGlobalTables' request. */
export interface ListGlobalTablesInput {
  ExclusiveStartGlobalTableName?: string;
  Limit?: number;
  RegionName?: string;
}

/** ListGlobalTables' response. */
export interface ListGlobalTablesOutput {
  GlobalTables: Array<{ GlobalTableName: string; ReplicationGroup: Array<{ RegionName: string }> }>;
  LastEvaluatedGlobalTableName?: string;
}

/** ListGlobalTables (version 2017.11.29): this region's global tables, by name, optionally only those with a replica in RegionName. */
export function listGlobalTables(ctx: ModuleContext, input: ListGlobalTablesInput): ListGlobalTablesOutput {
  const c = beginConstraints();
  c.min('limit', input.Limit, 1);
  if (input.ExclusiveStartGlobalTableName !== undefined) c.tableName('exclusiveStartGlobalTableName', input.ExclusiveStartGlobalTableName);
  c.finish();
  const limit = input.Limit ?? 100;
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = ctx.execute('DynamoDB_20120810', 'ListTables', start === undefined ? {} : { ExclusiveStartTableName: start }) as { TableNames: string[]; LastEvaluatedTableName?: string };
    names.push(...page.TableNames);
    start = page.LastEvaluatedTableName;
  } while (start !== undefined);
  const tables: ListGlobalTablesOutput['GlobalTables'] = [];
  for (const name of names) {
    if (input.ExclusiveStartGlobalTableName !== undefined && name <= input.ExclusiveStartGlobalTableName) continue;
    const state = globalTableStateOf(ctx.getTable(name)!);
    if (state === undefined || state.globalTableVersion !== '2017.11.29') continue;
    if (input.RegionName !== undefined && !state.replicas.has(input.RegionName)) continue;
    tables.push({ GlobalTableName: name, ReplicationGroup: [...state.replicas.keys()].map((RegionName) => ({ RegionName })) });
  }
  const output: ListGlobalTablesOutput = { GlobalTables: tables.slice(0, limit) };
  if (tables.length > limit) output.LastEvaluatedGlobalTableName = tables[limit - 1]!.GlobalTableName;
  return output;
}
