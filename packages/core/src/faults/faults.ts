import { MSG_TRANSACTION_CONFLICT, ProvisionedThroughputExceededException, TransactionCanceledException, type CancellationReason } from '../errors.js';
import type { AttributeValue } from '../model/attribute-value.js';
import type { DatabaseModule, OperationRequest } from '../modules/module.js';
import { InjectedException } from './injected-exception.js';
import { seededRandom } from './seeded-random.js';

/**
 * One fault rule: which requests it matches, when it fires among them, and what it does. Plain data except
 * `when`, so rules travel as JSON (`magneto serve --faults rules.json`, the server's control endpoint).
 */
export interface FaultRule {
  /** A name to find the rule by in `injected`. Default: `rule <n>`. */
  readonly name?: string;
  /** The operations it matches (e.g. `PutItem`); default every operation. */
  readonly operation?: string | readonly string[];
  /** The table it matches: a request naming it (TableName, RequestItems, TransactItems). */
  readonly table?: string;
  /** Matches a request with an item (Key, Item, Keys) holding these attribute values. */
  readonly key?: Readonly<Record<string, AttributeValue>>;
  /** Any other predicate over the request (in-process only). */
  readonly when?: (request: Pick<OperationRequest, 'service' | 'operation' | 'input'>) => boolean;
  /** Fires only on these matching calls, counted from 1 (e.g. `[1, 2]`: the first two). Default every one. */
  readonly nth?: number | readonly number[];
  /** Fires at most this many times. */
  readonly times?: number;
  /** Fires on a matching call with this probability, drawn from the module's seeded generator. */
  readonly probability?: number;

  /** Throws this DynamoDB exception (e.g. `ProvisionedThroughputExceededException`, `InternalServerError`). */
  readonly error?: string;
  /** The exception's message (default: DynamoDB's usual one). */
  readonly message?: string;
  /** For an exception not in the known list: its `__type` prefix and HTTP status. */
  readonly typePrefix?: string;
  readonly statusCode?: number;
  /** With `error`: the operation runs (and writes) first, then the error is answered: the answer was lost. */
  readonly afterWrite?: boolean;
  /**
   * BatchWriteItem / BatchGetItem: the last `unprocessed` requests are not processed and come back in
   * UnprocessedItems / UnprocessedKeys. `'all'` (or every request) throws ProvisionedThroughputExceededException,
   * as DynamoDB does when none can be processed.
   */
  readonly unprocessed?: number | 'all';
  /**
   * TransactWriteItems / TransactGetItems: cancelled (nothing done) with these reasons, in action order
   * (codes such as `ConditionalCheckFailed`, `TransactionConflict`, or whole reasons); the rest `None`.
   */
  readonly cancel?: ReadonlyArray<string | CancellationReason>;
  /** The answer waits this long on the database clock (advance a ManualClock to release it). */
  readonly latencyMs?: number;
}

/** A rule as added, with what it has done so far. */
export interface FaultHandle {
  readonly rule: FaultRule;
  readonly name: string;
  /** How many requests it matched (before `nth`, `times` and `probability`). */
  readonly matched: number;
  /** How many times it fired. */
  readonly fired: number;
  /** Takes the rule out. */
  remove(): void;
}

/** One fault that fired. */
export interface InjectedFault {
  readonly rule: string;
  readonly operation: string;
  readonly input: Readonly<Record<string, unknown>>;
  /** What it did: the exception's name, `unprocessed`, `cancel` or `latency`. */
  readonly fault: string;
  /** When, in ms of the database clock. */
  readonly at: number;
}

/** Options of {@link faults}. */
export interface FaultsOptions {
  /** Seeds the generator `probability` draws from: the same seed and requests give the same faults. Default 1. */
  readonly seed?: number;
  /** Rules to start with. */
  readonly rules?: readonly FaultRule[];
}

/** The faults module: add rules, read what fired. */
export interface FaultsModule extends DatabaseModule {
  /** Adds a rule; rules are tried in the order added, and the first that fires decides. */
  add(rule: FaultRule): FaultHandle;
  /** The rules in force. */
  readonly rules: readonly FaultHandle[];
  /** Every fault that fired, oldest first (the last 10,000). */
  readonly injected: readonly InjectedFault[];
  /** Removes every rule and forgets what fired. */
  clear(): void;
}

const INJECTED_KEPT = 10_000;

/**
 * Fault injection: makes chosen requests fail the way DynamoDB fails them, deterministically, so retry
 * and error handling can be tested. Rules match by operation, table, key or predicate and fire on the n-th
 * call or with a seeded probability; they throw any DynamoDB exception in its wire form, return partial
 * batches, cancel transactions with chosen reasons, delay answers on the clock, or lose the answer after
 * the write. Not DynamoDB's: a testing aid.
 *
 * @example
 * const chaos = faults({ seed: 7 });
 * const db = new Database({ modules: [chaos] });
 * chaos.add({ operation: 'PutItem', table: 'orders', nth: 1, error: 'ProvisionedThroughputExceededException' });
 * // The first PutItem on orders is throttled; the SDK's retry strategy retries it, and the second succeeds.
 */
export function faults(options: FaultsOptions = {}): FaultsModule {
  const random = seededRandom(options.seed ?? 1);
  const handles: RuleState[] = [];
  const injected: InjectedFault[] = [];
  /** Unprocessed requests of a partial batch, by the input the batch ran with. */
  const unprocessedOf = new WeakMap<object, Record<string, unknown>>();
  /** Exceptions to answer after the operation ran, by the input it ran with. */
  const afterWriteOf = new WeakMap<object, InjectedException>();
  let counter = 0;
  let now = (): number => Date.now();

  const record = (state: RuleState, request: Pick<OperationRequest, 'operation' | 'input'>, fault: string): void => {
    injected.push({ rule: state.name, operation: request.operation, input: request.input, fault, at: now() });
    if (injected.length > INJECTED_KEPT) injected.splice(0, injected.length - INJECTED_KEPT);
  };

  /** The first rule of `kind` that fires for this request. */
  const firing = (request: Pick<OperationRequest, 'service' | 'operation' | 'input'>, latency: boolean): RuleState | undefined => {
    for (const state of handles) {
      if ((state.rule.latencyMs !== undefined) !== latency || !matches(state.rule, request)) continue;
      state.matched++;
      if (!fires(state, random)) continue;
      state.fired++;
      return state;
    }
    return undefined;
  };

  const module: FaultsModule = {
    name: 'faults',
    add(rule) {
      validateRule(rule);
      const state: RuleState = {
        rule,
        name: rule.name ?? `rule ${++counter}`,
        matched: 0,
        fired: 0,
        remove: () => {
          const index = handles.indexOf(state);
          if (index >= 0) handles.splice(index, 1);
        },
      };
      handles.push(state);
      return state;
    },
    get rules() {
      return [...handles];
    },
    get injected() {
      return [...injected];
    },
    clear() {
      handles.length = 0;
      injected.length = 0;
    },
    install(context) {
      now = () => context.clock.now();
      context.addRequestDelay((request) => {
        const state = firing(request, true);
        if (state === undefined) return 0;
        record(state, request, 'latency');
        return state.rule.latencyMs!;
      });
      context.addAdmissionHook({
        beforeOperation(request) {
          const state = firing(request, false);
          if (state === undefined) return undefined;
          const rule = state.rule;
          if (rule.error !== undefined) {
            const exception = new InjectedException(rule.error, rule.message, wireOf(rule));
            record(state, request, rule.error);
            if (rule.afterWrite !== true) throw exception;
            // The request runs as sent (no copy: the journal shows no rewritten input); its answer is then
            // replaced by the exception, found by the input it ran with and forgotten once it ran.
            afterWriteOf.set(request.input, exception);
            return undefined;
          }
          if (rule.cancel !== undefined) {
            record(state, request, 'cancel');
            throw new TransactionCanceledException(cancellationReasons(rule.cancel, request.input));
          }
          record(state, request, 'unprocessed');
          const [processed, unprocessed] = splitBatch(request.operation, request.input, rule.unprocessed!);
          unprocessedOf.set(processed, unprocessed);
          return processed;
        },
        afterOperation(request, output) {
          const exception = afterWriteOf.get(request.input);
          if (exception !== undefined) {
            afterWriteOf.delete(request.input);
            throw exception;
          }
          const unprocessed = unprocessedOf.get(request.input);
          if (unprocessed === undefined) return undefined;
          const member = request.operation === 'BatchGetItem' ? 'UnprocessedKeys' : 'UnprocessedItems';
          return { ...(output as Record<string, unknown>), [member]: unprocessed };
        },
        operationFailed(request) {
          // The operation itself failed (its error is the answer): the same input sent again is a new request.
          afterWriteOf.delete(request.input);
        },
      });
      for (const rule of options.rules ?? []) module.add(rule);
    },
  };
  return module;
}

interface RuleState extends FaultHandle {
  matched: number;
  fired: number;
}

/** Every member a rule may have: a misspelled one (`opration`) would otherwise widen the rule to every request. */
const RULE_MEMBERS: ReadonlySet<string> = new Set<keyof FaultRule>(['name', 'operation', 'table', 'key', 'when', 'nth', 'times', 'probability', 'error', 'message', 'typePrefix', 'statusCode', 'afterWrite', 'unprocessed', 'cancel', 'latencyMs']);

function validateRule(rule: FaultRule): void {
  const unknown = Object.keys(rule).filter((member) => !RULE_MEMBERS.has(member));
  if (unknown.length > 0) throw new TypeError(`faults(): a rule has no member ${unknown.join(', ')}; its members are ${[...RULE_MEMBERS].join(', ')}`);
  const kinds = [rule.error, rule.unprocessed, rule.cancel, rule.latencyMs].filter((kind) => kind !== undefined).length;
  if (kinds !== 1) throw new TypeError('faults(): a rule does exactly one of error, unprocessed, cancel or latencyMs');
  if (rule.error !== undefined) new InjectedException(rule.error, rule.message, wireOf(rule));
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) throw new RangeError('faults(): probability must be between 0 and 1');
}

function wireOf(rule: FaultRule): { typePrefix?: string; statusCode?: number } {
  const wire: { typePrefix?: string; statusCode?: number } = {};
  if (rule.typePrefix !== undefined) wire.typePrefix = rule.typePrefix;
  if (rule.statusCode !== undefined) wire.statusCode = rule.statusCode;
  return wire;
}

function matches(rule: FaultRule, request: Pick<OperationRequest, 'service' | 'operation' | 'input'>): boolean {
  const operation = rule.operation;
  if (operation !== undefined && (typeof operation === 'string' ? operation !== request.operation : !operation.includes(request.operation))) return false;
  if (rule.unprocessed !== undefined && request.operation !== 'BatchWriteItem' && request.operation !== 'BatchGetItem') return false;
  if (rule.cancel !== undefined && request.operation !== 'TransactWriteItems' && request.operation !== 'TransactGetItems') return false;
  if (rule.table !== undefined && !tablesOf(request.input).includes(rule.table)) return false;
  if (rule.key !== undefined && !itemsOf(request.input).some((item) => holds(item, rule.key!))) return false;
  return rule.when === undefined || rule.when(request);
}

function fires(state: RuleState, random: () => number): boolean {
  const { nth, times, probability } = state.rule;
  if (nth !== undefined && !(typeof nth === 'number' ? [nth] : nth).includes(state.matched)) return false;
  if (times !== undefined && state.fired >= times) return false;
  return probability === undefined || random() < probability;
}

/** The tables a request names, whatever its operation. */
function tablesOf(input: Readonly<Record<string, unknown>>): string[] {
  if (typeof input.TableName === 'string') return [input.TableName];
  if (input.RequestItems !== null && typeof input.RequestItems === 'object') return Object.keys(input.RequestItems);
  if (!Array.isArray(input.TransactItems)) return [];
  return input.TransactItems.flatMap((action: Record<string, { TableName?: unknown }>) =>
    Object.values(action ?? {}).flatMap((detail) => (typeof detail?.TableName === 'string' ? [detail.TableName] : [])),
  );
}

/** Every Key, Item and Keys entry in a request, however deep (batches, transactions). */
function itemsOf(node: unknown, found: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> {
  if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return found;
  if (Array.isArray(node)) {
    for (const element of node) itemsOf(element, found);
    return found;
  }
  for (const [name, value] of Object.entries(node)) {
    if ((name === 'Key' || name === 'Item') && value !== null && typeof value === 'object') found.push(value as Record<string, unknown>);
    else if (name === 'Keys' && Array.isArray(value)) found.push(...(value as Array<Record<string, unknown>>));
    else itemsOf(value, found);
  }
  return found;
}

function holds(item: Record<string, unknown>, attributes: Readonly<Record<string, AttributeValue>>): boolean {
  for (const [name, value] of Object.entries(attributes)) if (JSON.stringify(item[name]) !== JSON.stringify(value)) return false;
  return true;
}

function cancellationReasons(reasons: ReadonlyArray<string | CancellationReason>, input: Readonly<Record<string, unknown>>): CancellationReason[] {
  const count = Array.isArray(input.TransactItems) ? input.TransactItems.length : reasons.length;
  return Array.from({ length: Math.max(count, reasons.length) }, (_, i) => {
    const reason = reasons[i] ?? 'None';
    if (typeof reason !== 'string') return reason;
    if (reason === 'ConditionalCheckFailed') return { Code: reason, Message: 'The conditional request failed' };
    if (reason === 'TransactionConflict') return { Code: reason, Message: MSG_TRANSACTION_CONFLICT };
    return { Code: reason };
  });
}

/**
 * A batch split in two: the input to run (every request but the last `count`) and the unprocessed rest,
 * shaped as UnprocessedItems / UnprocessedKeys. None processed: ProvisionedThroughputExceededException.
 */
function splitBatch(operation: string, input: Readonly<Record<string, unknown>>, count: number | 'all'): [Record<string, unknown>, Record<string, unknown>] {
  const requestItems = (input.RequestItems ?? {}) as Record<string, unknown>;
  const gets = operation === 'BatchGetItem';
  const entries = Object.entries(requestItems).flatMap(([table, value]) => {
    const list = gets ? ((value as { Keys?: unknown[] }).Keys ?? []) : ((value as unknown[]) ?? []);
    return list.map((request) => ({ table, request }));
  });
  const unprocessedCount = count === 'all' ? entries.length : Math.min(count, entries.length);
  if (unprocessedCount >= entries.length) {
    throw new ProvisionedThroughputExceededException(
      'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
    );
  }
  const group = (part: typeof entries): Record<string, unknown> => {
    const grouped: Record<string, unknown> = {};
    for (const { table, request } of part) {
      if (gets) {
        const existing = grouped[table] as { Keys: unknown[] } | undefined;
        if (existing === undefined) grouped[table] = { ...(requestItems[table] as object), Keys: [request] };
        else existing.Keys.push(request);
      } else ((grouped[table] ??= []) as unknown[]).push(request);
    }
    return grouped;
  };
  const split = entries.length - unprocessedCount;
  return [{ ...input, RequestItems: group(entries.slice(0, split)) }, group(entries.slice(split))];
}
