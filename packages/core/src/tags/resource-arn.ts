import type { Engine } from '../engine.js';
import { ResourceNotFoundException, ValidationException } from '../errors.js';
import { beginConstraints, isArnLike } from '../operations/validation/constraints.js';
import type { TableState } from '../tables/table-state.js';

/** ResourceArn's length limits (API reference: 1 to 1283). */
const MAX_ARN_LENGTH = 1283;
/** A table ARN ends in `:table/` and a table name (3 characters at least, no `/`: an index's ARN is not one). */
const TABLE_ARN_END = /:table\/[^/]{3,}$/;

/**
 * The table a tagging request's `ResourceArn` names. A value that is not a table's ARN (an index's, a
 * name too short) is refused as DynamoDB refuses it ("Invalid TableArn", as dynalite recorded it); a well-formed ARN naming no table of this database
 * (another region, account, or a missing table) is ResourceNotFoundException, worded as DynamoDB
 * words it (its "ResourcArn" typo included, as dynalite recorded it).
 */
export function taggedTable(engine: Engine, resourceArn: unknown): TableState {
  const c = beginConstraints();
  if (c.notNull('resourceArn', resourceArn)) c.length('resourceArn', resourceArn, 1, MAX_ARN_LENGTH);
  c.finish();
  const arn = resourceArn as string;
  if (!isArnLike(arn) || !TABLE_ARN_END.test(arn)) throw new ValidationException(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  const table = engine.tables.get(engine.tableNameOf(arn));
  if (table === undefined || table.arn !== arn) throw new ResourceNotFoundException(`Requested resource not found: ResourcArn: ${arn} not found`);
  return table;
}

/** The tables a tagging request names (OperationEntry.tablesOf): its ResourceArn. */
export function resourceArnTables(input: Readonly<Record<string, unknown>>): readonly string[] | undefined {
  return typeof input.ResourceArn === 'string' ? [input.ResourceArn] : undefined;
}
