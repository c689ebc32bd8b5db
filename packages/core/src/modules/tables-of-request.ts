import type { OperationEntry } from './module.js';

/** `entry`'s tables of `input` (names or ARNs): its `tablesOf`, else the request's `TableName`; undefined when the input cannot tell. */
export function tablesOfRequest(entry: OperationEntry, input: unknown): readonly string[] | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  const request = input as Readonly<Record<string, unknown>>;
  if (entry.tablesOf !== undefined) return entry.tablesOf(request);
  return typeof request.TableName === 'string' ? [request.TableName] : undefined;
}
