import { INVALID, ValidationException } from '../errors.js';
import { beginConstraints, definePattern } from '../operations/validation/constraints.js';
import type { Tag } from '../tables/table-state.js';

/** DynamoDB's tag limits (Developer Guide, "Tagging restrictions in DynamoDB"). */
export const MAX_TAGS_PER_RESOURCE = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;

/**
 * The characters a tag key or value may hold: letters, white space and numbers, plus `+ - = . _ : /`.
 * The message is Coral's pattern constraint; the guide documents the set but not DynamoDB's wording.
 */
const TAG_PATTERN = definePattern('[\\p{L}\\p{Z}\\p{N}_.:/=+\\-]*', (s) => /^[\p{L}\p{Z}\p{N}_.:/=+\-]*$/u.test(s));

/** Keys starting with `aws:` (any case) belong to AWS: users may neither set nor remove them. */
export function isReservedTagKey(key: string): boolean {
  return key.length >= 4 && key.slice(0, 4).toLowerCase() === 'aws:';
}

export const MSG_RESERVED_TAG_KEY = `${INVALID}Tag keys starting with 'aws:' are reserved for system use`;
export const MSG_TOO_MANY_TAGS = `${INVALID}Too many tags: a resource can have at most ${MAX_TAGS_PER_RESOURCE} tags`;

/**
 * Checks the tags of a TagResource or CreateTable request (shape already checked), in Coral's order:
 * lengths and characters of every key and value (`tags.N.member.key`), then the reserved prefix.
 * Throws ValidationException; nothing has changed yet.
 */
export function validateTagList(tags: readonly Tag[], member: string): void {
  const c = beginConstraints();
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i]!;
    const at = `${member}.${i + 1}.member`;
    if (c.notNull(`${at}.key`, tag.Key)) {
      c.length(`${at}.key`, tag.Key, 1, MAX_KEY_LENGTH);
      c.pattern(`${at}.key`, tag.Key, TAG_PATTERN);
    }
    if (c.notNull(`${at}.value`, tag.Value)) {
      c.maxLength(`${at}.value`, tag.Value, MAX_VALUE_LENGTH);
      c.pattern(`${at}.value`, tag.Value, TAG_PATTERN);
    }
  }
  c.finish();
  for (const tag of tags) if (isReservedTagKey(tag.Key)) throw new ValidationException(MSG_RESERVED_TAG_KEY);
}

/**
 * The tags a resource has after `added` (a later tag of the same key replaces the earlier value, as
 * DynamoDB does); ValidationException when that is more than 50.
 */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = new Map<string, string>();
  for (const tag of current) merged.set(tag.Key, tag.Value);
  for (const tag of added) merged.set(tag.Key, tag.Value);
  if (merged.size > MAX_TAGS_PER_RESOURCE) throw new ValidationException(MSG_TOO_MANY_TAGS);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

/** CreateTable's `Tags`: checked as TagResource checks them (lengths, characters, `aws:`, 50 at most), duplicates merged. */
export function tagsOfNewTable(tags: readonly Tag[] | undefined): Tag[] {
  if (tags === undefined || tags === null) return [];
  validateTagList(tags, 'tags');
  return mergeTags([], tags);
}
