import type { AttributeValue, Item } from './attribute-value.js';
import { memberOf } from './set-member.js';

/**
 * Whether two validated AttributeValues hold the same data, as DynamoDB compares them: numbers by
 * normalized text (both are normalized), binary by bytes, sets regardless of order.
 */
export function equalValues(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a) return 'S' in b && a.S === b.S;
  if ('N' in a) return 'N' in b && a.N === b.N;
  if ('B' in a) return 'B' in b && equalBytes(a.B, b.B);
  if ('BOOL' in a) return 'BOOL' in b && a.BOOL === b.BOOL;
  if ('NULL' in a) return 'NULL' in b;
  if ('M' in a) return 'M' in b && equalItems(a.M, b.M);
  if ('L' in a) {
    if (!('L' in b) || a.L.length !== b.L.length) return false;
    for (let i = 0; i < a.L.length; i++) if (!equalValues(a.L[i]!, b.L[i]!)) return false;
    return true;
  }
  if ('SS' in a) return 'SS' in b && equalStringSets(a.SS, b.SS);
  if ('NS' in a) return 'NS' in b && equalStringSets(a.NS, b.NS);
  return 'BS' in b && equalBinarySets(a.BS, b.BS);
}

/** Whether two items have the same attributes with equal values. */
export function equalItems(a: Readonly<Item>, b: Readonly<Item>): boolean {
  let count = 0;
  for (const name in a) {
    const other = memberOf(b, name);
    if (other === undefined || !equalValues(a[name]!, other)) return false;
    count++;
  }
  for (const _ in b) count--;
  return count === 0;
}

/** Whether two byte strings hold the same bytes. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// Set members are unique (validated), so equal sizes plus containment means equal sets.
function equalStringSets(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const members = new Set(b);
  return a.every((m) => members.has(m));
}

function equalBinarySets(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  return a.length === b.length && a.every((m) => b.some((o) => equalBytes(m, o)));
}
