import type { Database, ServiceName } from '@magneto/core';
import { DaxAccelerator, type DaxRequest, type DaxResponse } from './accelerator.js';
import { resolveDaxOptions, type DaxOptions } from './options.js';
import { REQUEST_METRICS, type DaxStats } from './stats.js';

/**
 * A Database behind a DAX-style accelerator: the same object type, with GetItem, BatchGetItem, Query and
 * Scan answered from the caches and the writes written through; every other method (tables, streams,
 * TTL, `execute` of other services) is the Database's own. `createRequestHandler(accelerated)` and
 * `startServer({ database: accelerated })` serve it to SDK clients.
 */
export type DaxDatabase = Database & {
  /** DAX's CloudWatch metrics for this accelerator (see DaxStats). */
  stats(): DaxStats;
  /** The Database behind the accelerator: reads and writes on it go around the caches. */
  readonly target: Database;
};

const DYNAMODB: ServiceName = 'DynamoDB_20120810';

/** The Database methods the accelerator handles, by operation. */
const ACCELERATED_METHODS = {
  getItem: 'GetItem',
  batchGetItem: 'BatchGetItem',
  query: 'Query',
  scan: 'Scan',
  putItem: 'PutItem',
  updateItem: 'UpdateItem',
  deleteItem: 'DeleteItem',
  batchWriteItem: 'BatchWriteItem',
  transactWriteItems: 'TransactWriteItems',
  transactGetItems: 'TransactGetItems',
} as const;

/** `dax(db)`: see `dax`. */
export function daxDatabase(db: Database, options: DaxOptions = {}): DaxDatabase {
  const accelerator = new DaxAccelerator(
    {
      async keyAttributeNames(tableName) {
        const { Table } = await db.describeTable({ TableName: tableName });
        return (Table?.KeySchema ?? []).map((element) => element.AttributeName);
      },
      transactGetItems: (input) => db.transactGetItems(input as never) as Promise<DaxResponse>,
    },
    resolveDaxOptions(options, db.clock),
  );
  const run = (operation: string, input: unknown): Promise<DaxResponse> => {
    const plan = accelerator.plan(operation, (input ?? {}) as DaxRequest);
    if (plan.kind === 'hit') return Promise.resolve(plan.output);
    return (db.execute(DYNAMODB, operation, plan.input) as Promise<DaxResponse>).then(
      (output) => plan.complete(output),
      (error: unknown) => {
        plan.fail();
        throw error;
      },
    );
  };
  const own: Record<string, unknown> = {
    stats: () => accelerator.stats(),
    target: db,
    execute: (service: ServiceName, operation: string, input: Record<string, unknown>) =>
      service === DYNAMODB && Object.hasOwn(REQUEST_METRICS, operation) ? run(operation, input) : db.execute(service, operation, input),
  };
  for (const [method, operation] of Object.entries(ACCELERATED_METHODS)) own[method] = (input: unknown) => run(operation, input);
  // A Proxy rather than a wrapper class: it is a Database to every API that takes one (createRequestHandler,
  // startServer), and whatever the Database gains later passes through untouched. Its methods run on the
  // Database itself, bound once each (the server asks hasOperation of every request).
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(db, {
    get(target, property) {
      if (typeof property === 'string' && Object.hasOwn(own, property)) return own[property];
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      let method = bound.get(property);
      if (method === undefined) bound.set(property, (method = (value as (...args: unknown[]) => unknown).bind(target)));
      return method;
    },
  }) as DaxDatabase;
}
