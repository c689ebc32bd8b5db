import type { Engine } from '../engine.js';
import { checkShape, STRING, struct } from '../operations/validation/shapes.js';
import type { Tag } from '../tables/table-state.js';
import { taggedTable } from './resource-arn.js';

export interface ListTagsOfResourceInput {
  ResourceArn: string;
  NextToken?: string;
}
export interface ListTagsOfResourceOutput {
  Tags: Tag[];
  NextToken?: string;
}

const LIST_TAGS_SHAPE = struct('ListTagsOfResourceInput', { ResourceArn: STRING, NextToken: STRING });

/**
 * ListTagsOfResource: a table's tags, in the order they were added. A resource has at most 50 tags,
 * which one page holds, so no NextToken is answered (a NextToken sent is accepted and ignored). @internal
 */
export function listTagsOfResource(engine: Engine, input: ListTagsOfResourceInput): ListTagsOfResourceOutput {
  checkShape(input as unknown as Record<string, unknown>, LIST_TAGS_SHAPE);
  const table = taggedTable(engine, input.ResourceArn);
  return { Tags: table.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })) };
}
