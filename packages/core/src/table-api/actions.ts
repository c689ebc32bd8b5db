import type { KeyValue } from '../model/compare-keys.js';
import { TUPLE_TERMINATOR, encodeTupleComponent } from '../model/tuple-key.js';
import { setMember } from '../model/set-member.js';
/*
 * Transactions and batches across tables. A table makes the actions (`users.putAction(item)`,
 * `orders.getAction(key)`, …); these functions send them together on the actions' backend.
 */
import type { AttributeValue, Item, Key } from '../model/attribute-value.js';
import { normalizeNumber } from '../model/number.js';
import type { KeysAndAttributes } from '../operations/batch-get-item.js';
import type { WriteRequest } from '../operations/batch-write-item.js';
import type { TransactWriteItem } from '../operations/transact-write-items.js';
import type { TableOperations } from './operation-port.js';

/** A write for `transactWrite` (any action) or `batchWrite` (puts and deletes without a condition). */
export class WriteAction {
  /** @internal */
  constructor(
    readonly operations: TableOperations,
    readonly tableName: string,
    /** The action as a TransactWriteItems member. */
    readonly transactItem: TransactWriteItem,
    /** The action as a BatchWriteItem request; undefined when it cannot be batched (conditions, updates, checks). */
    readonly writeRequest: WriteRequest | undefined,
  ) {}
}

/** A read for `transactGet` or `batchGet`, whose result reads as `R`. */
export class GetAction<R> {
  declare readonly _result: R;
  /** @internal */
  constructor(
    readonly operations: TableOperations,
    readonly tableName: string,
    readonly key: Key,
    /** The table's key attribute names (to match BatchGetItem's unordered responses). */
    readonly keyNames: readonly string[],
    readonly projection: readonly string[] | undefined,
    readonly consistent: boolean,
    /** @internal */
    readonly decode: (item: Item) => R,
  ) {}
}

/** The results of reads, in request order. */
export type GetResults<A extends readonly GetAction<unknown>[]> = { -readonly [I in keyof A]: A[I]['_result'] | undefined };

function backendOf(actions: readonly { operations: TableOperations }[]): TableOperations {
  const operations = actions[0]?.operations;
  if (operations === undefined) throw new TypeError('No actions given');
  if (actions.some((action) => action.operations !== operations)) throw new TypeError('Every action must come from tables on the same backend');
  return operations;
}

/** Options of `transactWrite`. */
export interface TransactWriteOptions {
  /** Makes the transaction idempotent (DynamoDB's ClientRequestToken). */
  clientRequestToken?: string;
}

/**
 * Runs up to 100 writes (puts, updates, deletes, condition checks; one or more tables) all together or
 * not at all. A failure rejects with TransactionCanceledException and its CancellationReasons.
 *
 * @example
 * const order = { org: 'acme', id: 'o2', status: 'OPEN' as const, total: 80, user: 'ada' };
 * await transactWrite([
 *   orders.putAction(order, { condition: (c) => c.notExists('id') }),
 *   await users.updateAction({ id: order.user }, (u) => { u.orders += 1 }),
 * ]);
 */
export async function transactWrite(actions: readonly WriteAction[], options: TransactWriteOptions = {}): Promise<void> {
  const operations = backendOf(actions);
  await operations.transactWriteItems({
    TransactItems: actions.map((action) => action.transactItem),
    ...(options.clientRequestToken !== undefined ? { ClientRequestToken: options.clientRequestToken } : {}),
  });
}

/**
 * Reads up to 100 items (one or more tables) as one consistent snapshot; results in request order,
 * typed per action, `undefined` where no item has the key.
 *
 * @example
 * const [user, order] = await transactGet([users.getAction({ id: 'u1' }), orders.getAction({ org: 'acme', id: 'o1' })]);
 */
export async function transactGet<const A extends readonly GetAction<unknown>[]>(actions: A): Promise<GetResults<A>> {
  const operations = backendOf(actions);
  const output = await operations.transactGetItems({
    TransactItems: actions.map((action) => ({
      Get: {
        TableName: action.tableName,
        Key: action.key,
        ...projectionMembers(action.projection),
      },
    })),
  });
  const responses = output.Responses ?? [];
  return actions.map((action, i) => {
    const item = responses[i]?.Item;
    return item === undefined ? undefined : action.decode(item);
  }) as GetResults<A>;
}

function projectionMembers(projection: readonly string[] | undefined): { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } {
  if (projection === undefined) return {};
  const names: Record<string, string> = {};
  const placeholders = projection.map((name, i) => {
    names[`#p${i}`] = name;
    return `#p${i}`;
  });
  return { ProjectionExpression: placeholders.join(', '), ExpressionAttributeNames: names };
}

/** How many times a batch re-sends unprocessed keys or items before giving up. */
const BATCH_ATTEMPTS = 8;
const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;

const pause = (attempt: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.min(1000, 10 * 2 ** attempt)));

/**
 * A key's identity text: DynamoDB answers BatchGetItem in no order, so results are matched by key. Core's
 * tuple-key encoding escapes what separates the components, so no two keys share a text.
 */
function keyText(tableName: string, keyNames: readonly string[], item: Item): string {
  let out = tableName + TUPLE_TERMINATOR;
  for (const name of keyNames) {
    const value: AttributeValue | undefined = item[name];
    if (value === undefined) return `${out}?`;
    out += encodeTupleComponent('N' in value ? { N: normalizeNumber(value.N) } : (value as KeyValue));
  }
  return out;
}

/**
 * Reads items by key from one or more tables with BatchGetItem: 100 keys per request, unprocessed keys
 * re-sent with backoff, duplicate keys read once; results in request order, `undefined` where absent.
 * (Eventually consistent unless an action asks for `consistent`.)
 *
 * @example
 * const [ada, bob] = await batchGet([users.getAction({ id: 'ada' }), users.getAction({ id: 'bob' })]);
 */
export async function batchGet<const A extends readonly GetAction<unknown>[]>(actions: A): Promise<GetResults<A>> {
  if (actions.length === 0) return [] as unknown as GetResults<A>;
  const operations = backendOf(actions);
  const found = new Map<string, Item>();
  const wanted = new Map<string, GetAction<unknown>>();
  for (const action of actions) wanted.set(keyText(action.tableName, action.keyNames, action.key), action);
  const pending = [...wanted.values()];
  for (let start = 0; start < pending.length; start += BATCH_GET_LIMIT) {
    let request: Record<string, KeysAndAttributes> = {};
    for (const action of pending.slice(start, start + BATCH_GET_LIMIT)) {
      const table = (request[action.tableName] ??= {
        Keys: [],
        ...(action.consistent ? { ConsistentRead: true } : {}),
        // The key attributes are always read, to match the unordered responses back to their requests.
        ...projectionMembers(action.projection && [...new Set([...action.keyNames, ...action.projection])]),
      });
      table.Keys.push(action.key);
    }
    for (let attempt = 0; Object.keys(request).length > 0; attempt++) {
      if (attempt === BATCH_ATTEMPTS) throw new Error(`BatchGetItem left keys unprocessed after ${BATCH_ATTEMPTS} attempts`);
      if (attempt > 0) await pause(attempt);
      const output = await operations.batchGetItem({ RequestItems: request });
      for (const [tableName, items] of Object.entries(output.Responses ?? {})) {
        const keyNames = actions.find((action) => action.tableName === tableName)!.keyNames;
        for (const item of items) found.set(keyText(tableName, keyNames, item), item);
      }
      request = output.UnprocessedKeys ?? {};
    }
  }
  return actions.map((action) => {
    const item = found.get(keyText(action.tableName, action.keyNames, action.key));
    if (item === undefined) return undefined;
    if (action.projection === undefined) return action.decode(item);
    // Hand back only what was asked for (the key attributes were added to match the responses).
    const projected: Item = {};
    for (const name of action.projection) if (Object.hasOwn(item, name)) setMember(projected, name, item[name]!);
    return action.decode(projected);
  }) as GetResults<A>;
}

/**
 * Puts and deletes items in one or more tables with BatchWriteItem: 25 per request, unprocessed items
 * re-sent with backoff. Not atomic (use `transactWrite` for that), and without conditions.
 *
 * @example
 * const newUsers = [
 *   { id: 'grace', name: 'Grace', visits: 0, tags: new Set(['navy']), orders: 0, version: 1 },
 *   { id: 'alan', name: 'Alan', visits: 0, tags: new Set(['logic']), orders: 0, version: 1 },
 * ];
 * await batchWrite([...newUsers.map((u) => users.putAction(u)), orders.deleteAction({ org: 'acme', id: 'o1' })]);
 */
export async function batchWrite(actions: readonly WriteAction[]): Promise<void> {
  if (actions.length === 0) return;
  const operations = backendOf(actions);
  for (let start = 0; start < actions.length; start += BATCH_WRITE_LIMIT) {
    let request: Record<string, WriteRequest[]> = {};
    for (const action of actions.slice(start, start + BATCH_WRITE_LIMIT)) {
      if (action.writeRequest === undefined) throw new TypeError('batchWrite takes puts and deletes without conditions only: use transactWrite');
      (request[action.tableName] ??= []).push(action.writeRequest);
    }
    for (let attempt = 0; Object.keys(request).length > 0; attempt++) {
      if (attempt === BATCH_ATTEMPTS) throw new Error(`BatchWriteItem left items unprocessed after ${BATCH_ATTEMPTS} attempts`);
      if (attempt > 0) await pause(attempt);
      const output = await operations.batchWriteItem({ RequestItems: request });
      request = output.UnprocessedItems ?? {};
    }
  }
}
