import type { Item } from '../model/attribute-value.js';
import { memberOf } from '../model/set-member.js';

/**
 * When an item expires, as DynamoDB's TTL reads it: its TTL attribute must be a top-level Number of
 * epoch seconds; anything else (a String, a Map, a missing attribute) never expires. A timestamp more
 * than five years in the past is ignored too (DynamoDB's guard against milliseconds or garbage being
 * read as seconds).
 */

/** Timestamps older than this, at the moment the sweeper looks at them, are ignored (5 × 365 days). */
export const IGNORED_AFTER_MS = 5 * 365 * 24 * 60 * 60 * 1000;

/** The item's expiry in milliseconds since the epoch, or undefined when its TTL attribute cannot expire it. */
export function expiryOf(item: Item | undefined, attributeName: string): number | undefined {
  if (item === undefined) return undefined;
  const value = memberOf(item, attributeName);
  if (value === undefined || !('N' in value)) return undefined;
  const ms = Number(value.N) * 1000;
  return Number.isFinite(ms) ? ms : undefined;
}

/** Whether an item expiring at `expiryMs` is due for deletion at `now`: in the past, but not more than five years. */
export function isDue(expiryMs: number, now: number): boolean {
  return expiryMs < now && expiryMs >= now - IGNORED_AFTER_MS;
}
