import type { Item, Key } from '../model/attribute-value.js';
import type { AdmissionHook, ModuleContext, OperationRequest } from '../modules/module.js';
import { primaryKeyCodeOf, primaryKeyIdentity } from '../storage/storage-key.js';
import type { TableState } from '../tables/table-state.js';
import { expiryOf, isDue } from './expiry.js';
import { memberOf } from '../model/set-member.js';

/** A table whose expired items are hidden: its state and TTL attribute. */
export interface HiddenTable {
  readonly table: TableState;
  readonly attributeName: string;
}

const DYNAMODB = 'DynamoDB_20120810';

/**
 * `ttl({ hideExpired: true })`: removes expired-but-not-yet-deleted items from the answers of GetItem,
 * BatchGetItem, TransactGetItems, Query and Scan, after the operation ran (an `afterOperation` hook, so
 * the read paths stay untouched and nothing runs unless the option is on). Whether an item is expired
 * is decided on the stored item, so projections that leave the TTL attribute (or the key) out still
 * work: Query and Scan answers without whole items are read again, unprojected, to tell which to drop;
 * the read runs synchronously, so both passes see the same items. Hidden Query/Scan items count as
 * filtered out: Count drops, ScannedCount and LastEvaluatedKey stay.
 */
export function hideExpiredHook(context: ModuleContext, hiddenTable: (nameOrArn: string) => HiddenTable | undefined): AdmissionHook {
  const expired = (check: HiddenTable, item: Item | undefined, now: number): boolean => {
    const expiryMs = expiryOf(item, check.attributeName);
    return expiryMs !== undefined && isDue(expiryMs, now);
  };
  const storedExpired = (check: HiddenTable, key: Key, now: number): boolean =>
    expired(check, check.table.storage.get(primaryKeyCodeOf(key, check.table.keySchema)), now);

  return {
    afterOperation(request: OperationRequest, output: unknown): void {
      if (request.service !== DYNAMODB) return;
      const input = request.input as Record<string, unknown>;
      switch (request.operation) {
        case 'GetItem': {
          const out = output as { Item?: Item };
          if (out.Item === undefined) return;
          const check = hiddenTable(input.TableName as string);
          if (check !== undefined && storedExpired(check, input.Key as Key, context.clock.now())) delete out.Item;
          return;
        }
        case 'TransactGetItems': {
          const responses = (output as { Responses?: Array<{ Item?: Item }> }).Responses;
          if (responses === undefined) return;
          const actions = input.TransactItems as Array<{ Get: { TableName: string; Key: Key } }>;
          const now = context.clock.now();
          for (let i = 0; i < responses.length; i++) {
            const response = responses[i]!;
            const get = actions[i]!.Get;
            if (response.Item === undefined) continue;
            const check = hiddenTable(get.TableName);
            if (check !== undefined && storedExpired(check, get.Key, now)) delete response.Item;
          }
          return;
        }
        case 'BatchGetItem':
          hideInBatchGet(context, hiddenTable, storedExpired, input, output as { Responses: Record<string, Item[]> });
          return;
        case 'Query':
        case 'Scan':
          hideInRead(context, hiddenTable, expired, request.operation, input, output as { Items?: Item[]; Count: number });
          return;
      }
    },
  };
}

function hideInBatchGet(
  context: ModuleContext,
  hiddenTable: (nameOrArn: string) => HiddenTable | undefined,
  storedExpired: (check: HiddenTable, key: Key, now: number) => boolean,
  input: Record<string, unknown>,
  output: { Responses: Record<string, Item[]> },
): void {
  const requests = input.RequestItems as Record<string, { Keys: Key[] } & Record<string, unknown>>;
  const now = context.clock.now();
  for (const tableName in output.Responses) {
    const items = output.Responses[tableName]!;
    if (items.length === 0) continue;
    const check = hiddenTable(tableName);
    const request = requests[tableName];
    if (check === undefined || request === undefined) continue;
    const schema = check.table.keySchema;
    const hidden = new Set<string>();
    const kept: Key[] = [];
    for (const key of request.Keys) {
      if (storedExpired(check, key, now)) hidden.add(primaryKeyIdentity(primaryKeyCodeOf(key, schema)));
      else kept.push(key);
    }
    if (hidden.size === 0) continue;
    const keyed = items.every(
      (item) => item[schema.partitionKey.name] !== undefined && (schema.sortKey === undefined || item[schema.sortKey.name] !== undefined),
    );
    if (keyed) {
      output.Responses[tableName] = items.filter((item) => !hidden.has(primaryKeyIdentity(primaryKeyCodeOf(item, schema))));
    } else if (kept.length === 0) {
      output.Responses[tableName] = [];
    } else {
      // The projection leaves the key out: read the kept keys again, with the same projection.
      const again = context.execute(DYNAMODB, 'BatchGetItem', { RequestItems: { [tableName]: { ...request, Keys: kept } } }) as {
        Responses: Record<string, Item[]>;
      };
      output.Responses[tableName] = again.Responses[tableName] ?? [];
    }
  }
}

/** The `#name` placeholders an expression uses. */
function placeholdersOf(expression: unknown, into: Set<string>): void {
  if (typeof expression !== 'string') return;
  for (const match of expression.matchAll(/#[A-Za-z0-9_]+/g)) into.add(match[0]);
}

function hideInRead(
  context: ModuleContext,
  hiddenTable: (nameOrArn: string) => HiddenTable | undefined,
  expired: (check: HiddenTable, item: Item | undefined, now: number) => boolean,
  operation: 'Query' | 'Scan',
  input: Record<string, unknown>,
  output: { Items?: Item[]; Count: number },
): void {
  if (output.Count === 0) return;
  const check = hiddenTable(input.TableName as string);
  if (check === undefined) return;
  const now = context.clock.now();
  const table = check.table;
  const whole =
    output.Items !== undefined &&
    input.ProjectionExpression === undefined &&
    input.AttributesToGet === undefined &&
    (input.Select === undefined || input.Select === 'ALL_ATTRIBUTES' || input.Select === 'ALL_PROJECTED_ATTRIBUTES');
  let items: readonly Item[];
  if (whole) {
    items = output.Items!;
  } else {
    // Read the same page again without the projection (and without COUNT): same items, same order.
    const { Select, ProjectionExpression, AttributesToGet, ReturnConsumedCapacity, ExpressionAttributeNames, ...again } = input;
    if (Select === 'ALL_ATTRIBUTES' || Select === 'ALL_PROJECTED_ATTRIBUTES') again.Select = Select;
    if (ExpressionAttributeNames !== undefined && ExpressionAttributeNames !== null) {
      const used = new Set<string>();
      placeholdersOf(input.KeyConditionExpression, used);
      placeholdersOf(input.FilterExpression, used);
      const names: Record<string, string> = {};
      let any = false;
      for (const [placeholder, name] of Object.entries(ExpressionAttributeNames as Record<string, string>)) {
        if (!used.has(placeholder)) continue;
        names[placeholder] = name;
        any = true;
      }
      if (any) again.ExpressionAttributeNames = names;
    }
    items = (context.execute(DYNAMODB, operation, again) as { Items: Item[] }).Items;
  }
  const hidden: boolean[] = new Array<boolean>(items.length);
  let count = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    // An index entry may not hold the TTL attribute: the table's item decides.
    const decided = memberOf(item, check.attributeName) !== undefined || input.IndexName === undefined ? item : table.storage.get(primaryKeyCodeOf(item, table.keySchema));
    hidden[i] = expired(check, decided, now);
    if (hidden[i]) count++;
  }
  if (count === 0) return;
  output.Count -= count;
  if (output.Items !== undefined) output.Items = output.Items.filter((_, i) => !hidden[i]);
}
