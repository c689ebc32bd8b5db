import type { Engine } from '../engine.js';
import { ResourceNotFoundException, ValidationException } from '../errors.js';
import { beginConstraints, isArnLike } from '../operations/validation/constraints.js';
import type { TableState } from '../tables/table-state.js';

/** ResourceArn's length limits (API reference: 1 to 1283). */
const MAX_ARN_LENGTH = 1283;

/**
 * The table a tagging request's `ResourceArn` names. A value that is not an ARN is refused as
 * DynamoDB refuses it ("Invalid TableArn"); a well-formed ARN naming no table of this database
 * (another region, account, or a missing table) is ResourceNotFoundException, worded as DynamoDB
 * words it (its "ResourcArn" typo included, as dynalite recorded it).
 */
export function taggedTable(engine: Engine, resourceArn: unknown): TableState {
  const c = beginConstraints();
  if (c.notNull('resourceArn', resourceArn)) c.length('resourceArn', resourceArn, 1, MAX_ARN_LENGTH);
  c.finish();
  const arn = resourceArn as string;
  if (!isArnLike(arn) || !arn.includes(':table/')) throw new ValidationException(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  const table = engine.tables.get(engine.tableNameOf(arn));
  if (table === undefined || table.arn !== arn) throw new ResourceNotFoundException(`Requested resource not found: ResourcArn: ${arn} not found`);
  return table;
}

/** The tables a tagging request names (OperationEntry.tablesOf): its ResourceArn. */
export function resourceArnTables(input: Readonly<Record<string, unknown>>): readonly string[] | undefined {
  return typeof input.ResourceArn === 'string' ? [input.ResourceArn] : undefined;
}
