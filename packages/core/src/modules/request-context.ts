import type { ConsumedCapacity } from '../model/capacity.js';
import { setMember } from '../model/set-member.js';
import type { AdmissionHook, OperationRequest, RequestCaller, ServiceName } from './module.js';

/** The operations that take ReturnConsumedCapacity (DynamoDB's item reads and writes, PartiQL's included). */
const CHARGED = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
]);

/** The capacity one secondary index consumed. */
export interface IndexUnits {
  readonly name: string;
  readonly kind: 'GSI' | 'LSI';
  readonly units: number;
}

/** Where a measured request's operation puts its consumed capacity (Engine.capacitySink): one table's share at a time. */
export interface CapacitySink {
  /** Adds one table's share: the units of the table itself and of each secondary index (never changed afterwards). */
  add(tableName: string, tableUnits: number, indexUnits: readonly IndexUnits[] | undefined): void;
  /** Adds one table's share as built (INDEXES detail): reads a write operation made carry ReadCapacityUnits. */
  addEntry(entry: ConsumedCapacity): void;
}

/**
 * DynamoDB's ConsumedCapacity with INDEXES detail for one table: the total, the table's own share and, for
 * each secondary index written or read, its own.
 */
export function indexesCapacity(tableName: string, tableUnits: number, indexUnits: readonly IndexUnits[] | undefined): ConsumedCapacity {
  let total = tableUnits;
  if (indexUnits !== undefined) for (const entry of indexUnits) total += entry.units;
  const out: ConsumedCapacity = { TableName: tableName, CapacityUnits: total, Table: { CapacityUnits: tableUnits } };
  if (indexUnits !== undefined) {
    for (const entry of indexUnits) {
      const field = entry.kind === 'GSI' ? 'GlobalSecondaryIndexes' : 'LocalSecondaryIndexes';
      setMember((out[field] ??= {}), entry.name, { CapacityUnits: entry.units });
    }
  }
  return out;
}

/**
 * The request context hooks see: the request, and its consumed capacity once it has run. It is its own
 * capacity sink while it runs, keeping the first table's share as the operation reported it (three
 * numbers and a name): ConsumedCapacity is built only when a hook reads `consumedCapacity`, and a hook
 * reading `tableCapacityUnits` builds nothing.
 */
class RequestContext implements OperationRequest, CapacitySink {
  /** ConsumedCapacity as built or set; kept off the object's own properties: the request shows as `{ service, operation, input }`. */
  #consumedCapacity: ConsumedCapacity[] | undefined;
  /** The first table's share as reported and not built yet (undefined name: none waiting). */
  #firstTable: string | undefined;
  #firstUnits = 0;
  #firstIndexes: readonly IndexUnits[] | undefined;

  get consumedCapacity(): readonly ConsumedCapacity[] | undefined {
    const first = this.#firstTable;
    if (first !== undefined) {
      this.#firstTable = undefined;
      this.#consumedCapacity = [indexesCapacity(first, this.#firstUnits, this.#firstIndexes)];
    }
    return this.#consumedCapacity;
  }
  set consumedCapacity(capacity: readonly ConsumedCapacity[] | undefined) {
    this.#firstTable = undefined;
    this.#consumedCapacity = capacity as ConsumedCapacity[] | undefined;
  }
  get tableCapacityUnits(): number | undefined {
    if (this.#firstTable !== undefined && this.#firstIndexes === undefined) return this.#firstUnits;
    const capacity = this.consumedCapacity;
    if (capacity?.length !== 1) return undefined;
    const entry = capacity[0]!;
    // Without INDEXES detail (a replayed transaction's TOTAL) the table's own share is unknown.
    return entry.Table !== undefined && entry.GlobalSecondaryIndexes === undefined && entry.LocalSecondaryIndexes === undefined ? entry.CapacityUnits : undefined;
  }
  /** The operation ran measured: a request that consumed nothing has no entries, not unknown capacity. */
  measured(): void {
    if (this.#firstTable === undefined && this.#consumedCapacity === undefined) this.#consumedCapacity = [];
  }
  add(tableName: string, tableUnits: number, indexUnits: readonly IndexUnits[] | undefined): void {
    if (this.#consumedCapacity === undefined && this.#firstTable === undefined) {
      this.#firstTable = tableName;
      this.#firstUnits = tableUnits;
      this.#firstIndexes = indexUnits !== undefined && indexUnits.length === 0 ? undefined : indexUnits;
      return;
    }
    // A second table (batches, transactions): the first is built, and this one after it.
    this.addEntry(indexesCapacity(tableName, tableUnits, indexUnits));
  }
  addEntry(entry: ConsumedCapacity): void {
    const built = this.consumedCapacity;
    if (built === undefined) this.#consumedCapacity = [entry];
    else (built as ConsumedCapacity[]).push(entry);
  }
  constructor(
    readonly service: ServiceName,
    readonly operation: string,
    readonly input: Readonly<Record<string, unknown>>,
    readonly caller: RequestCaller | undefined,
    readonly receivedInput?: Readonly<Record<string, unknown>>,
    readonly enclosingOperation?: string,
  ) {}
}

/**
 * @internal Runs an operation between admission hooks, giving them the request context
 * (OperationRequest): its consumed capacity is measured whether or not the caller asked for it — while
 * the operation runs, its context is `engine.capacitySink`, collecting its INDEXES detail (one entry per table); the
 * answer keeps ConsumedCapacity exactly as the caller asked (neither request nor answer is copied). A
 * caller asking for INDEXES is measured by the answer itself. Only databases with a hook reading it pay this.
 * A PartiQL statement run as its operation (`enclosingOperation`, AdmissionHook.seesStatements) adds what
 * it consumed to the PartiQL request it runs in, when that request is measured too.
 */
export function runWithHooks<E>(
  engine: { capacitySink: CapacitySink | undefined; readonly hooksReadCapacity: boolean; invoke(entry: E, input: Record<string, unknown>): unknown },
  hooks: readonly AdmissionHook[],
  service: ServiceName,
  operation: string,
  input: Record<string, unknown>,
  entry: E,
  caller?: RequestCaller,
  enclosingOperation?: string,
): unknown {
  let request = new RequestContext(service, operation, input, caller, undefined, enclosingOperation);
  let answer: unknown;
  try {
    for (let i = 0; i < hooks.length; i++) {
      const replaced = hooks[i]!.beforeOperation?.(request);
      if (replaced !== undefined) {
        request = new RequestContext(service, operation, replaced, caller, request.receivedInput ?? input, enclosingOperation);
        input = replaced;
      }
    }
    // Measured only for hooks that read it: a database whose hooks all only veto pays nothing here.
    const charged = engine.hooksReadCapacity && service === 'DynamoDB_20120810' && CHARGED.has(operation);
    const enclosing = enclosingOperation === undefined ? undefined : engine.capacitySink;
    let output: unknown;
    if (charged && measuredBySink(input)) {
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
      request.measured();
    } else {
      output = engine.invoke(entry, input);
      if (charged && output !== null && typeof output === 'object') {
        const capacity = (output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
        if (capacity !== undefined) request.consumedCapacity = Array.isArray(capacity) ? capacity : [capacity];
      }
    }
    // A statement's capacity is also its PartiQL request's.
    if (enclosing !== undefined) for (const entry of request.consumedCapacity ?? []) enclosing.addEntry(entry);
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

/** Whether a charged request that hooks read the capacity of is measured through the sink: the caller did not ask for INDEXES (the answer has it then). */
function measuredBySink(input: Record<string, unknown>): boolean {
  const asked = input.ReturnConsumedCapacity;
  return asked === undefined || asked === 'NONE' || asked === 'TOTAL';
}
