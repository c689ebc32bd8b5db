import type { AttributeValue, Key } from '../model/attribute-value.js';

/** DynamoDB's answer to one key named twice in a BatchGetItem table, or one item written twice in a BatchWriteItem. */
export const MSG_DUPLICATE_KEYS = 'Provided list of item keys contains duplicates';

/**
 * A text equal for two validated keys exactly when they have the same attributes with the same values
 * (numbers are normalized by validation, so `1` and `1.0` are one key), whatever their order.
 */
export function keyText(key: Key): string {
  const names = Object.keys(key);
  if (names.length > 1) names.sort();
  let text = '';
  for (const name of names) text += `${name.length}:${name}=${valueText(key[name]!)};`;
  return text;
}

function valueText(value: AttributeValue): string {
  if ('S' in value) return `S${value.S.length}:${value.S}`;
  if ('N' in value) return `N${value.N}`;
  if ('B' in value) return `B${bytesText(value.B)}`;
  return JSON.stringify(value, (_, v: unknown) => (v instanceof Uint8Array ? bytesText(v) : v));
}

function bytesText(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += `${bytes[i]!},`;
  return s;
}
