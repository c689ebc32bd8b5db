// PLACEHOLDER: the evaluation work fills this in (issue 3).
import type { Item } from '../model/attribute-value.js';
import type { ProjectionNode } from './ast.js';

/** The parts of an item a resolved projection names, in the nested shape DynamoDB returns. */
export function projectItem(item: Item, _projection: ProjectionNode): Item {
  return item;
}
