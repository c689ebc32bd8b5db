import { INVALID, ValidationException } from '../errors.js';
import type { ConditionNode, ProjectionNode } from '../expressions/ast.js';
import { conditionHeads, projectionHeads } from './expression-paths.js';
import type { ReadTarget } from './read-target.js';
import type { Select } from './validation/read-request.js';

/* What a Select asks of an index read: refused on a GSI without ALL, fetched from the table on an LSI. */

/** Select ALL_ATTRIBUTES on a GSI needs a projection of ALL (AWS-verified message). */
export function checkGlobalSelect(target: ReadTarget, select: Select | undefined): void {
  const index = target.index;
  if (select === 'ALL_ATTRIBUTES' && index !== undefined && index.kind === 'GSI' && index.projectedAttributes !== undefined) {
    throw new ValidationException(`${INVALID}Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`);
  }
}

/**
 * Whether reading an LSI must fetch each item from the table: Select ALL_ATTRIBUTES, or a projection or
 * filter naming attributes the index does not hold. A GSI never fetches (what it lacks is just absent).
 */
export function fetchesFromTable(
  target: ReadTarget,
  select: Select,
  projection: ProjectionNode | undefined,
  filter: ConditionNode | undefined,
): boolean {
  const index = target.index;
  if (index === undefined || index.kind !== 'LSI') return false;
  const projected = index.projectedAttributes;
  if (projected === undefined) return false;
  if (select === 'ALL_ATTRIBUTES') return true;
  if (select === 'SPECIFIC_ATTRIBUTES' && projection !== undefined) {
    for (const name of projectionHeads(projection)) if (!projected.has(name)) return true;
  }
  if (filter !== undefined) for (const name of conditionHeads(filter)) if (!projected.has(name)) return true;
  return false;
}
