import type { Engine } from '../engine.js';
import { describeTableState, type TableDescription } from '../tables/table-description.js';
import { validateDescribeTableInput } from './validation/validate-describe-table-input.js';

export interface DescribeTableInput {
  TableName: string;
}
export interface DescribeTableOutput {
  Table: TableDescription;
}

/** DescribeTable: the table's definition, status, settings, item count and size. @internal */
export function describeTable(engine: Engine, input: DescribeTableInput): DescribeTableOutput {
  validateDescribeTableInput(input as unknown as Record<string, unknown>);
  return { Table: describeTableState(engine, engine.describableTable(input.TableName)) };
}
