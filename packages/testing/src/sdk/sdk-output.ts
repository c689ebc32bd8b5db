/**
 * A database answer as the AWS SDK deserializes DynamoDB's: a fresh copy the caller may change (the
 * database's items are frozen and shared), with the SDK's `$metadata`. Binary stays Uint8Array and dates
 * stay Date, as the SDK decodes them from the wire's base64 and epoch seconds.
 */
export function sdkOutput(output: unknown, requestId: string): Record<string, unknown> {
  const shaped: Record<string, unknown> = {
    $metadata: { httpStatusCode: 200, requestId, extendedRequestId: undefined, cfId: undefined },
  };
  if (output === null || typeof output !== 'object') return shaped;
  const record = output as Record<string, unknown>;
  for (const name in record) {
    const value = record[name];
    if (value !== undefined) shaped[name] = copyOf(value);
  }
  return shaped;
}

/** A deep copy of plain JSON-like data, Uint8Array and Date. Recursion: answers are at most 32 levels deep. */
function copyOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = copyOf(value[i]);
    return copy;
  }
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (value instanceof Date) return new Date(value.getTime());
  const copy: Record<string, unknown> = {};
  const record = value as Record<string, unknown>;
  for (const name in record) {
    const member = record[name];
    if (member !== undefined) copy[name] = copyOf(member);
  }
  return copy;
}
