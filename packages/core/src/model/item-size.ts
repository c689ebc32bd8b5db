// PLACEHOLDER: filled in by the data-model work (see issue 2, item 2).
import type { Item } from './attribute-value.js';
/** The size of an item exactly as DynamoDB counts it, in bytes. */
export function itemSize(item: Item): number {
  return JSON.stringify(item).length;
}
