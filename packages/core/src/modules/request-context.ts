import type { ConsumedCapacity } from '../model/capacity.js';
import { setMember } from '../model/set-member.js';
import type { AdmissionHook, OperationRequest, RequestCaller, ServiceName } from './module.js';

/** The operations that take ReturnConsumedCapacity (DynamoDB's item reads and writes). */
const CHARGED = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems']);

/**
 * The operations measured by running them with ReturnConsumedCapacity INDEXES and shaping the answer back:
 * capacity()'s batch wrappers admit a batch item by item only when its request asks for INDEXES, and
 * charge it from the answer's ConsumedCapacity.
 */
const MEASURED_BY_REQUEST = new Set(['BatchGetItem', 'BatchWriteItem']);

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
    readonly caller: RequestCaller | undefined,
  ) {}
}

/**
 * @internal Runs an operation between admission hooks, giving them the request context
 * (OperationRequest): its consumed capacity is measured whether or not the caller asked for it — while
 * the operation runs, `engine.capacitySink` collects its INDEXES detail, and the answer keeps
 * ConsumedCapacity exactly as the caller asked (neither request nor answer is copied). BatchGetItem and
 * BatchWriteItem instead run with ReturnConsumedCapacity INDEXES and their answer is shaped back to what
 * the caller asked (TOTAL: totals only; NONE or absent: none). Only databases with hooks pay this. A
 * TransactWriteItems with a ClientRequestToken is measured only as the caller asked (its answer may be a
 * replay of an earlier one), so its context has capacity only when the caller asked for it.
 */
export function runWithHooks<E>(
  engine: { capacitySink: ConsumedCapacity[] | undefined; invoke(entry: E, input: Record<string, unknown>): unknown },
  hooks: readonly AdmissionHook[],
  service: ServiceName,
  operation: string,
  input: Record<string, unknown>,
  entry: E,
  caller?: RequestCaller,
): unknown {
  let request = new RequestContext(service, operation, input, caller);
  try {
    for (const hook of hooks) {
      const replaced = hook.beforeOperation?.(request);
      if (replaced !== undefined) {
        input = replaced;
        request = new RequestContext(service, operation, input, caller);
      }
    }
    const asked = input.ReturnConsumedCapacity;
    const charged = service === 'DynamoDB_20120810' && CHARGED.has(operation);
    const measure =
      charged &&
      readsCapacity(hooks) &&
      (asked === undefined || asked === 'NONE' || asked === 'TOTAL') &&
      !(operation === 'TransactWriteItems' && input.ClientRequestToken !== undefined);
    const byRequest = measure && MEASURED_BY_REQUEST.has(operation);
    // The sink belongs to this request alone: one running around it (a request made from a change
    // listener) gets its own back afterwards.
    const outer = engine.capacitySink;
    const sink: ConsumedCapacity[] | undefined = measure && !byRequest ? [] : undefined;
    engine.capacitySink = sink;
    let output: unknown;
    try {
      output = engine.invoke(entry, byRequest ? measuredInput(input) : input);
    } finally {
      engine.capacitySink = outer;
    }
    if (sink !== undefined) {
      request.consumedCapacity = sink;
    } else if (charged && output !== null && typeof output === 'object') {
      const capacity = (output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
      request.consumedCapacity = capacity === undefined ? (byRequest ? [] : undefined) : Array.isArray(capacity) ? capacity : [capacity];
      if (byRequest) output = shapedAsAsked(output as Record<string, unknown>, asked, capacity);
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

/** Whether any hook reads the consumed capacity (AdmissionHook.readsConsumedCapacity). */
function readsCapacity(hooks: readonly AdmissionHook[]): boolean {
  for (const hook of hooks) if (hook.readsConsumedCapacity !== false) return true;
  return false;
}

/** The answer with ConsumedCapacity as the caller asked for it (a copy: answers may be kept, e.g. idempotent replays). */
function shapedAsAsked(
  output: Record<string, unknown>,
  asked: unknown,
  capacity: ConsumedCapacity | ConsumedCapacity[] | undefined,
): Record<string, unknown> {
  const shaped: Record<string, unknown> = {};
  for (const key in output) if (key !== 'ConsumedCapacity') setMember(shaped, key, output[key]);
  if (asked !== 'TOTAL' || capacity === undefined) return shaped;
  const total = (c: ConsumedCapacity): ConsumedCapacity => ({ TableName: c.TableName, CapacityUnits: c.CapacityUnits });
  shaped.ConsumedCapacity = Array.isArray(capacity) ? capacity.map(total) : total(capacity);
  return shaped;
}

/**
 * The request asking for INDEXES detail, as a copy (the caller's object is not changed). Copied member by
 * member: a spread with an overriding member measured ~3× the cost of a whole GetItem, as the operation's
 * validation then meets objects of changing shapes.
 */
function measuredInput(input: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in input) setMember(copy, key, input[key]);
  copy.ReturnConsumedCapacity = 'INDEXES';
  return copy;
}
