/**
 * The partition key value of a Key or Item as it arrived (not validated yet: the operation validates it
 * afterwards), as a string that tells the table's keys apart — the value itself: a table's partition key
 * has one type, so no type tag is needed, and the request's own string is used as is (no copy, its hash
 * computed once). Undefined when the request does not name one plainly (the operation then fails
 * validation, or the key ceiling is not applied). O(1).
 */
export function partitionKeyOf(key: unknown, attribute: string): string | undefined {
  if (key === null || typeof key !== 'object') return undefined;
  const value = (key as Record<string, unknown>)[attribute];
  if (value === null || typeof value !== 'object') return undefined;
  const { S, N, B } = value as { S?: unknown; N?: unknown; B?: unknown };
  if (typeof S === 'string') return S;
  if (typeof N === 'string') return N;
  if (typeof B === 'string') return B;
  return undefined;
}
