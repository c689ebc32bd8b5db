import type { Engine } from '../engine.js';
import { ValidationException } from '../errors.js';
import { beginConstraints } from '../operations/validation/constraints.js';
import { checkShape, listOf, STRING, struct } from '../operations/validation/shapes.js';
import { taggedTable } from './resource-arn.js';
import { isReservedTagKey, MSG_RESERVED_TAG_KEY } from './validate-tags.js';

export interface UntagResourceInput {
  ResourceArn: string;
  TagKeys: string[];
}
export type UntagResourceOutput = Record<string, never>;

const UNTAG_RESOURCE_SHAPE = struct('UntagResourceInput', { ResourceArn: STRING, TagKeys: listOf(STRING) });

/** UntagResource: removes tags from a table by key; a key the table does not have is no error. @internal */
export function untagResource(engine: Engine, input: UntagResourceInput): UntagResourceOutput {
  checkShape(input as unknown as Record<string, unknown>, UNTAG_RESOURCE_SHAPE);
  const table = taggedTable(engine, input.ResourceArn);
  const keys = input.TagKeys;
  if (!Array.isArray(keys) || keys.length === 0) throw new ValidationException('Atleast one Tag Key needs to be provided as Input.');
  const c = beginConstraints();
  for (let i = 0; i < keys.length; i++) if (c.notNull(`tagKeys.${i + 1}.member`, keys[i])) c.length(`tagKeys.${i + 1}.member`, keys[i], 1, 128);
  c.finish();
  if (keys.some(isReservedTagKey)) throw new ValidationException(MSG_RESERVED_TAG_KEY);
  const removed = new Set(keys);
  table.tags = table.tags.filter((tag) => !removed.has(tag.Key));
  return {};
}
