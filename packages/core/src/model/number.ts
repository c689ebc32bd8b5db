// PLACEHOLDER: filled in by the data-model work (see issue 2, item 2).
/** Validates a DynamoDB Number and returns its normalized text (`001.500` → `1.5`, `1e2` → `100`). */
export function normalizeNumber(text: string): string {
  return text;
}
/** Compares two normalized Numbers by value: negative, zero or positive. */
export function compareNumbers(a: string, b: string): number {
  return Number(a) - Number(b);
}
/** A string whose JS order (`<`) is the numeric order of the normalized Number. */
export function encodeSortableNumber(normalized: string): string {
  return normalized;
}
/** DynamoDB's internal byte serialization of a Number (what its partition hash is computed over). */
export function encodeNumberBytes(normalized: string): Uint8Array {
  return new TextEncoder().encode(normalized);
}
