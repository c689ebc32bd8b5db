import { beginConstraints } from '../operations/validation/constraints.js';
import { BOOLEAN, STRING, checkShape, struct } from '../operations/validation/shapes.js';

const SPECIFICATION_SHAPE = struct('TimeToLiveSpecification', { Enabled: BOOLEAN, AttributeName: STRING });
const UPDATE_SHAPE = struct('UpdateTimeToLiveInput', { TableName: STRING, TimeToLiveSpecification: SPECIFICATION_SHAPE });
const DESCRIBE_SHAPE = struct('DescribeTimeToLiveInput', { TableName: STRING });

/**
 * UpdateTimeToLive's request checks, before the table is looked up: JSON types (SerializationException),
 * then the member constraints reported together (tableName: not null, name pattern and 3..255 or a
 * table ARN; timeToLiveSpecification not null; its enabled not null; its attributeName not null and
 * 1..255 characters).
 */
export function validateUpdateTimeToLiveInput(input: Record<string, unknown>): void {
  checkShape(input, UPDATE_SHAPE);
  const c = beginConstraints();
  if (c.notNull('tableName', input.TableName)) c.tableName('tableName', input.TableName, true);
  const specification = input.TimeToLiveSpecification as Record<string, unknown> | null | undefined;
  if (c.notNull('timeToLiveSpecification', specification)) {
    const name = 'timeToLiveSpecification.attributeName';
    if (c.notNull(name, specification!.AttributeName)) c.length(name, specification!.AttributeName, 1, 255);
    c.notNull('timeToLiveSpecification.enabled', specification!.Enabled);
  }
  c.finish();
}

/** DescribeTimeToLive's request checks: TableName's type, then not null and a table name or ARN. */
export function validateDescribeTimeToLiveInput(input: Record<string, unknown>): void {
  checkShape(input, DESCRIBE_SHAPE);
  const c = beginConstraints();
  if (c.notNull('tableName', input.TableName)) c.tableName('tableName', input.TableName, true);
  c.finish();
}
