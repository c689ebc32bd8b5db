import type { ModuleContext } from '@magneto/core';
import { describeGlobalTableState, legacyGlobalTable, type GlobalTableDescription } from './global-table-description.js';

/** DescribeGlobalTable's request. */
export interface DescribeGlobalTableInput {
  GlobalTableName: string;
}

/** DescribeGlobalTable's response. */
export interface DescribeGlobalTableOutput {
  GlobalTableDescription: GlobalTableDescription;
}

/** DescribeGlobalTable (version 2017.11.29): the global table's replication group and status. */
export function describeGlobalTable(ctx: ModuleContext, input: DescribeGlobalTableInput): DescribeGlobalTableOutput {
  const { table, state } = legacyGlobalTable(ctx, input.GlobalTableName);
  return { GlobalTableDescription: describeGlobalTableState(ctx, table, state) };
}
