import type { ConsumedCapacity } from '../model/capacity.js';
import type { AdmissionHook, OperationRequest, ServiceName } from './module.js';

/** The operations that take ReturnConsumedCapacity (DynamoDB's item reads and writes). */
const CHARGED = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems']);

/** The request context hooks see: the request, and its consumed capacity once it has run. */
class RequestContext implements OperationRequest {
  /** Kept off the object's own properties: the request shows as `{ service, operation, input }`. */
  #consumedCapacity: readonly ConsumedCapacity[] | undefined;
  get consumedCapacity(): readonly ConsumedCapacity[] | undefined {
    return this.#consumedCapacity;
  }
  set consumedCapacity(capacity: readonly ConsumedCapacity[] | undefined) {
    this.#consumedCapacity = capacity;
  }
  constructor(
    readonly service: ServiceName,
    readonly operation: string,
    readonly input: Readonly<Record<string, unknown>>,
  ) {}
}

/**
 * @internal Runs an operation between admission hooks, giving them the request context
 * (OperationRequest): its consumed capacity is computed whether or not the caller asked for it — the
 * operation runs with ReturnConsumedCapacity INDEXES and the answer is shaped back to what the caller
 * asked (TOTAL: totals only; NONE or absent: none). Only databases with hooks pay this. A
 * TransactWriteItems with a ClientRequestToken runs as asked (the token's idempotency compares the
 * request as sent), so its context has capacity only when the caller asked for it.
 */
export function runWithHooks(
  hooks: readonly AdmissionHook[],
  service: ServiceName,
  operation: string,
  input: Record<string, unknown>,
  handler: (input: Record<string, unknown>) => unknown,
): unknown {
  let request = new RequestContext(service, operation, input);
  try {
    for (const hook of hooks) {
      const replaced = hook.beforeOperation?.(request);
      if (replaced !== undefined) {
        input = replaced;
        request = new RequestContext(service, operation, input);
      }
    }
    const asked = input.ReturnConsumedCapacity;
    const measure =
      service === 'DynamoDB_20120810' &&
      CHARGED.has(operation) &&
      (asked === undefined || asked === 'NONE' || asked === 'TOTAL') &&
      !(operation === 'TransactWriteItems' && input.ClientRequestToken !== undefined);
    let output = handler(measure ? { ...input, ReturnConsumedCapacity: 'INDEXES' } : input);
    if (CHARGED.has(operation) && output !== null && typeof output === 'object') {
      const capacity = (output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
      request.consumedCapacity = capacity === undefined ? (measure ? [] : undefined) : Array.isArray(capacity) ? capacity : [capacity];
      if (measure) output = shapedAsAsked(output as Record<string, unknown>, asked, capacity);
    }
    for (const hook of hooks) {
      const replaced = hook.afterOperation?.(request, output);
      if (replaced !== undefined) output = replaced;
    }
    return output;
  } catch (error) {
    for (const hook of hooks) hook.operationFailed?.(request, error);
    throw error;
  }
}

/** The answer with ConsumedCapacity as the caller asked for it (a copy: answers may be kept, e.g. idempotent replays). */
function shapedAsAsked(
  output: Record<string, unknown>,
  asked: unknown,
  capacity: ConsumedCapacity | ConsumedCapacity[] | undefined,
): Record<string, unknown> {
  const { ConsumedCapacity: _measured, ...rest } = output;
  if (asked !== 'TOTAL' || capacity === undefined) return rest;
  const total = (c: ConsumedCapacity): ConsumedCapacity => ({ TableName: c.TableName, CapacityUnits: c.CapacityUnits });
  return { ...rest, ConsumedCapacity: Array.isArray(capacity) ? capacity.map(total) : total(capacity) };
}
