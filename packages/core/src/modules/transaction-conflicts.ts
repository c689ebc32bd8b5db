import { TransactionConflictException } from '../errors.js';
import type { Key } from '../model/attribute-value.js';
import { keyAttributesOf } from '../model/key-schema.js';
import { primaryKeyCodeOf, primaryKeyIdentity } from '../storage/storage-key.js';
import type { TableView } from '../tables/table-view.js';
import type { DatabaseModule, ModuleContext, TransactionHook, TransactionItem } from './module.js';

/** The single-item writes a held item refuses, and where their key is. */
const SINGLE_WRITES: Readonly<Record<string, 'Item' | 'Key'>> = { PutItem: 'Item', UpdateItem: 'Key', DeleteItem: 'Key' };

/**
 * @internal Transaction conflict simulation (DatabaseOptions.transactionConflictWindowMs, which installs
 * it): a committed TransactWriteItems holds its items for `windowMs` of the clock, as if it were still
 * ongoing. A TransactWriteItems or TransactGetItems touching a held item is cancelled (a transaction
 * hook); a PutItem, UpdateItem or DeleteItem on one fails with TransactionConflictException (an
 * admission hook: a request whose table or key cannot be read passes through, for the operation's own
 * validation). Nothing is scheduled: expired holds are dropped as they are met.
 */
export function transactionConflicts(windowMs: number): DatabaseModule {
  /** Held items (`tableName \0 primary key identity`), each until when (database clock), oldest first. */
  const held = new Map<string, number>();
  let context: ModuleContext | undefined;

  const identityOf = (table: TableView, key: Key): string => `${table.name}\u0000${primaryKeyIdentity(primaryKeyCodeOf(key, table.keySchema))}`;
  const isHeld = (identity: string): boolean => {
    if (held.size === 0) return false;
    const until = held.get(identity);
    if (until === undefined) return false;
    if (context!.clock.now() < until) return true;
    held.delete(identity);
    return false;
  };
  const hold = (items: readonly TransactionItem[]): void => {
    const now = context!.clock.now();
    for (const [identity, until] of held) {
      if (until > now) break;
      held.delete(identity);
    }
    const until = now + windowMs;
    for (const item of items) {
      const identity = identityOf(item.table, item.key);
      // Re-inserted so the map stays ordered by expiry.
      held.delete(identity);
      held.set(identity, until);
    }
  };
  /** The held item a single-item write names, if it can be read (else the operation's validation speaks). */
  const assertNotHeld = (tableName: unknown, keyOrItem: unknown): void => {
    if (held.size === 0 || typeof tableName !== 'string' || keyOrItem === null || typeof keyOrItem !== 'object') return;
    const table = context!.getTable(context!.tableNameOf(tableName));
    if (table === undefined) return;
    const schema = table.keySchema;
    const values = keyOrItem as Key;
    if (keyAttributesOf(schema).some((attribute) => values[attribute.name] === undefined)) return;
    let identity: string;
    try {
      identity = identityOf(table, values);
    } catch {
      return;
    }
    if (isHeld(identity)) throw new TransactionConflictException();
  };

  return {
    name: 'transaction-conflicts',
    install(installed) {
      context = installed;
      const hook: TransactionHook & { readonly heldCount: number } = {
        /** How many items committed transactions hold now (tests: expired holds are dropped as they are met). */
        get heldCount() {
          return held.size;
        },
        conflicts(_operation, items) {
          if (held.size === 0) return undefined;
          const positions: number[] = [];
          for (let i = 0; i < items.length; i++) if (isHeld(identityOf(items[i]!.table, items[i]!.key))) positions.push(i);
          return positions.length === 0 ? undefined : positions;
        },
        committed: hold,
      };
      installed.addTransactionHook(hook);
      installed.addAdmissionHook({
        beforeOperation(request) {
          const member = SINGLE_WRITES[request.operation];
          if (member === undefined || request.service !== 'DynamoDB_20120810') return;
          assertNotHeld(request.input.TableName, request.input[member]);
        },
      });
    },
  };
}
