import { ValidationException } from '../errors.js';
import type { PathNode, ProjectionNode } from './ast.js';

/**
 * The legacy AttributesToGet (GetItem, Query, Scan, BatchGetItem) as a projection of top-level
 * attributes. A repeated name is rejected ("Duplicate value in attribute name: a": dynalite
 * validations/getItem.js, DynamoDB Local InputConverter.getAttributeNames). Its length (1 to 255 names)
 * is a member constraint (the request validator).
 */
export function translateAttributesToGet(input: Readonly<Record<string, unknown>>): ProjectionNode | undefined {
  const names = input.AttributesToGet as readonly string[] | null | undefined;
  if (names === undefined || names === null) return undefined;
  const seen = new Set<string>();
  const paths: PathNode[] = [];
  for (const name of names) {
    if (seen.has(name)) throw new ValidationException(`One or more parameter values were invalid: Duplicate value in attribute name: ${name}`);
    seen.add(name);
    paths.push({ kind: 'path', elements: [{ kind: 'name', name }] });
  }
  return paths.length === 0 ? undefined : { kind: 'projection', paths };
}
