import type { Engine } from '../engine.js';
import { ValidationException } from '../errors.js';
import { checkShape, listOf, STRING, struct } from '../operations/validation/shapes.js';
import type { Tag } from '../tables/table-state.js';
import { taggedTable } from './resource-arn.js';
import { mergeTags, validateTagList } from './validate-tags.js';

export interface TagResourceInput {
  ResourceArn: string;
  Tags: Tag[];
}
export type TagResourceOutput = Record<string, never>;

const TAG_RESOURCE_SHAPE = struct('TagResourceInput', { ResourceArn: STRING, Tags: listOf(struct('Tag', { Key: STRING, Value: STRING })) });

/**
 * TagResource: adds tags to a table, replacing the value of a key it already has. Applied at once
 * (DynamoDB applies tags asynchronously, within seconds, since 2024). @internal
 */
export function tagResource(engine: Engine, input: TagResourceInput): TagResourceOutput {
  // 1. Shape, then the ARN and the tags' lengths and characters.
  checkShape(input as unknown as Record<string, unknown>, TAG_RESOURCE_SHAPE);
  const table = taggedTable(engine, input.ResourceArn);
  if (!Array.isArray(input.Tags) || input.Tags.length === 0) throw new ValidationException('Atleast one Tag needs to be provided as Input.');
  validateTagList(input.Tags, 'tags');
  // 2. Merge (50 at most) and store: the catalog entry, tags included, is logged after a catalog operation.
  table.tags = mergeTags(table.tags, input.Tags);
  return {};
}
