/**
 * The partition key value of a Key or Item as it arrived (not validated yet: the operation validates it
 * afterwards), as a string that tells keys apart, or undefined when the request does not name one
 * plainly (the operation then fails validation, or the key ceiling is not applied). O(1).
 */
export function partitionKeyOf(key: unknown, attribute: string): string | undefined {
  if (key === null || typeof key !== 'object') return undefined;
  const value = (key as Record<string, unknown>)[attribute];
  if (value === null || typeof value !== 'object') return undefined;
  const { S, N, B } = value as { S?: unknown; N?: unknown; B?: unknown };
  if (typeof S === 'string') return `S${S}`;
  if (typeof N === 'string') return `N${N}`;
  if (typeof B === 'string') return `B${B}`;
  return undefined;
}
