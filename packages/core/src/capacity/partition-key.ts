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
  // One member read at a time: a string key (the common case) reads no other.
  const S = (value as { S?: unknown }).S;
  if (typeof S === 'string') return S;
  const N = (value as { N?: unknown }).N;
  if (typeof N === 'string') return N;
  const B = (value as { B?: unknown }).B;
  return typeof B === 'string' ? B : undefined;
}

/** `name = :value` (or `:value = name`) in a key condition: the partition key's equality. */
const EQUALITY = /(#?[A-Za-z0-9_.-]+)\s*=\s*(#?[A-Za-z0-9_.:-]+)/g;

/**
 * The partition key value a Query asks for (its KeyConditionExpression's equality on `attribute`, or
 * the legacy KeyConditions' EQ), as partitionKeyOf gives it; undefined when the request does not name it
 * plainly (the operation then fails validation, or the key ceiling is not applied). O(expression).
 */
export function queryPartitionKeyOf(input: Readonly<Record<string, unknown>>, attribute: string): string | undefined {
  const expression = input.KeyConditionExpression;
  if (typeof expression === 'string') {
    const names = input.ExpressionAttributeNames as Record<string, unknown> | undefined;
    const values = input.ExpressionAttributeValues as Record<string, unknown> | undefined;
    const nameOf = (token: string) => (token.startsWith('#') ? names?.[token] : token);
    for (const [, left, right] of expression.matchAll(EQUALITY)) {
      const [name, value] = left!.startsWith(':') ? [right!, left!] : [left!, right!];
      if (value.startsWith(':') && nameOf(name) === attribute) return partitionKeyOf({ [attribute]: values?.[value] }, attribute);
    }
    return undefined;
  }
  const condition = (input.KeyConditions as Record<string, { ComparisonOperator?: unknown; AttributeValueList?: unknown[] }> | undefined)?.[attribute];
  if (condition?.ComparisonOperator !== 'EQ' || !Array.isArray(condition.AttributeValueList)) return undefined;
  return partitionKeyOf({ [attribute]: condition.AttributeValueList[0] }, attribute);
}
