import type { ConsumedCapacity } from '../model/capacity.js';
import type { DatabaseModule, OperationRequest, ServiceName } from '../modules/module.js';

/** One request the database answered, as the request journal keeps it. */
export interface JournalEntry {
  readonly service: ServiceName;
  /** The operation's name, e.g. `PutItem`. */
  readonly operation: string;
  /** The request as the caller sent it. */
  readonly input: Readonly<Record<string, unknown>>;
  /** The request as it ran, when an admission hook rewrote it (a fault rule's partial batch runs only its first requests). */
  readonly ranInput?: Readonly<Record<string, unknown>>;
  /** The answer, when it succeeded. */
  readonly output?: unknown;
  /** The exception, when it failed (a DynamoDB exception: `name`, `message`). */
  readonly error?: Error;
  /** The capacity it consumed (INDEXES detail, one entry per table), whether or not it asked. */
  readonly consumedCapacity?: readonly ConsumedCapacity[] | undefined;
  /** When it ran, in ms of the database clock. */
  readonly at: number;
}

/** Options of {@link journal}. */
export interface JournalOptions {
  /** How many entries it keeps, the newest. Default 10,000. */
  readonly limit?: number;
}

/** The request journal module: every request the database answered, newest last. */
export interface RequestJournal extends DatabaseModule {
  /** The entries kept, oldest first. */
  readonly entries: readonly JournalEntry[];
  /** The entries of one operation (e.g. `PutItem`), oldest first. */
  of(operation: string): readonly JournalEntry[];
  /** Forgets every entry. */
  clear(): void;
}

/**
 * A request journal: every request with its input, its output or error, the capacity it consumed and the
 * clock time, bounded to the newest `limit`. What `@magneto/testing`'s matchers assert on
 * (`toHaveReceivedCommandWith`, …): the request as sent and the answer as the caller got it, whatever
 * other modules (`faults()`) did in between.
 *
 * @example
 * const requests = journal();
 * const db = new Database({ modules: [requests] });
 * await db.listTables({});
 * console.log(requests.entries[0]?.operation); // 'ListTables'
 */
export function journal(options: JournalOptions = {}): RequestJournal {
  const limit = options.limit ?? 10_000;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`journal(): limit must be a positive whole number, got ${limit}`);
  let entries: JournalEntry[] = [];
  let now = (): number => Date.now();
  const keep = (entry: JournalEntry): void => {
    entries.push(entry);
    // Trimmed in halves, not one at a time: amortized O(1) per request.
    if (entries.length >= 2 * limit) entries = entries.slice(entries.length - limit);
  };
  const newest = (): JournalEntry[] => (entries.length > limit ? entries.slice(entries.length - limit) : entries);
  return {
    name: 'journal',
    get entries() {
      return [...newest()];
    },
    of(operation) {
      return newest().filter((entry) => entry.operation === operation);
    },
    clear() {
      entries = [];
    },
    install(context) {
      now = () => context.clock.now();
      context.addAdmissionHook({
        // After every hook's afterOperation: the answer the caller got (a partial batch's UnprocessedItems included).
        operationAnswered(request, output) {
          keep({ ...inputsOf(request), output, consumedCapacity: request.consumedCapacity, at: now() });
        },
        operationFailed(request, error) {
          const failure = error instanceof Error ? error : new Error(String(error));
          keep({ ...inputsOf(request), error: failure, consumedCapacity: request.consumedCapacity, at: now() });
        },
      });
    },
  };
}

/** The request as sent, and as it ran when a hook rewrote it. */
function inputsOf(request: OperationRequest): Pick<JournalEntry, 'service' | 'operation' | 'input' | 'ranInput'> {
  const { service, operation } = request;
  if (request.receivedInput === undefined) return { service, operation, input: request.input };
  return { service, operation, input: request.receivedInput, ranInput: request.input };
}
