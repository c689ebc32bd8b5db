import type { ConsumedCapacity } from '../model/capacity.js';
import type { AdmissionHook, OperationRequest, RequestCaller, ServiceName } from './module.js';

/** The operations that take ReturnConsumedCapacity (DynamoDB's item reads and writes). */
const CHARGED = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems']);

/** Where a measured request's operation puts its consumed capacity (Engine.capacitySink): one INDEXES entry per table. */
export interface CapacitySink {
  add(entry: ConsumedCapacity): void;
}

/**
 * The request context hooks see: the request, and its consumed capacity once it has run. It is its own
 * capacity sink while it runs, so measuring allocates nothing beyond the entries (an array of exactly
 * them: a single-table request's is one element).
 */
class RequestContext implements OperationRequest, CapacitySink {
  /** Kept off the object's own properties: the request shows as `{ service, operation, input }`. */
  #consumedCapacity: ConsumedCapacity[] | undefined;
  get consumedCapacity(): readonly ConsumedCapacity[] | undefined {
    return this.#consumedCapacity;
  }
  set consumedCapacity(capacity: readonly ConsumedCapacity[] | undefined) {
    this.#consumedCapacity = capacity as ConsumedCapacity[] | undefined;
  }
  add(entry: ConsumedCapacity): void {
    if (this.#consumedCapacity === undefined) this.#consumedCapacity = [entry];
    else this.#consumedCapacity.push(entry);
  }
  constructor(
    readonly service: ServiceName,
    readonly operation: string,
    readonly input: Readonly<Record<string, unknown>>,
    readonly caller: RequestCaller | undefined,
    readonly receivedInput?: Readonly<Record<string, unknown>>,
  ) {}
}

/**
 * @internal Runs an operation between admission hooks, giving them the request context
 * (OperationRequest): its consumed capacity is measured whether or not the caller asked for it — while
 * the operation runs, its context is `engine.capacitySink`, collecting its INDEXES detail (one entry per table); the
 * answer keeps ConsumedCapacity exactly as the caller asked (neither request nor answer is copied). A
 * caller asking for INDEXES is measured by the answer itself. Only databases with a hook reading it pay this. A
 * TransactWriteItems with a ClientRequestToken is measured only as the caller asked (its answer may be a
 * replay of an earlier one), so its context has capacity only when the caller asked for it.
 */
export function runWithHooks<E>(
  engine: { capacitySink: CapacitySink | undefined; readonly hooksReadCapacity: boolean; invoke(entry: E, input: Record<string, unknown>): unknown },
  hooks: readonly AdmissionHook[],
  service: ServiceName,
  operation: string,
  input: Record<string, unknown>,
  entry: E,
  caller?: RequestCaller,
): unknown {
  let request = new RequestContext(service, operation, input, caller);
  let answer: unknown;
  try {
    for (let i = 0; i < hooks.length; i++) {
      const replaced = hooks[i]!.beforeOperation?.(request);
      if (replaced !== undefined) {
        request = new RequestContext(service, operation, replaced, caller, request.receivedInput ?? input);
        input = replaced;
      }
    }
    // Measured only for hooks that read it: a database whose hooks all only veto pays nothing here.
    const charged = engine.hooksReadCapacity && service === 'DynamoDB_20120810' && CHARGED.has(operation);
    let output: unknown;
    if (charged && measuredBySink(operation, input)) {
      // The sink belongs to this request alone: one running around it (a request made from a change
      // listener) gets its own back afterwards.
      const outer = engine.capacitySink;
      engine.capacitySink = request;
      try {
        output = engine.invoke(entry, input);
      } catch (error) {
        // A failed request has no consumed capacity (OperationRequest.consumedCapacity), whatever it added.
        request.consumedCapacity = undefined;
        throw error;
      } finally {
        engine.capacitySink = outer;
      }
      // Measured: a request that consumed nothing has no entries, not unknown capacity.
      if (request.consumedCapacity === undefined) request.consumedCapacity = [];
    } else {
      output = engine.invoke(entry, input);
      if (charged && output !== null && typeof output === 'object') {
        const capacity = (output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
        if (capacity !== undefined) request.consumedCapacity = Array.isArray(capacity) ? capacity : [capacity];
      }
    }
    for (let i = 0; i < hooks.length; i++) {
      const replaced = hooks[i]!.afterOperation?.(request, output);
      if (replaced !== undefined) output = replaced;
    }
    answer = output;
  } catch (error) {
    for (const hook of hooks) hook.operationFailed?.(request, error);
    throw error;
  }
  for (const hook of hooks) hook.operationAnswered?.(request, answer);
  return answer;
}

/**
 * Whether a charged request that hooks read the capacity of is measured through the sink: the caller did
 * not ask for INDEXES (the answer has it then), and it is not a TransactWriteItems with a ClientRequestToken.
 */
function measuredBySink(operation: string, input: Record<string, unknown>): boolean {
  const asked = input.ReturnConsumedCapacity;
  if (asked !== undefined && asked !== 'NONE' && asked !== 'TOTAL') return false;
  return operation !== 'TransactWriteItems' || input.ClientRequestToken === undefined;
}
