import type { CreateTableInput, Item } from '@magneto/core';
import type { SeedSource } from './seed-from.js';

/** A table to create: a CreateTable input, or a `defineTable` schema (its `createTableInput()`). */
export type TableDefinitionLike = CreateTableInput | { createTableInput(): CreateTableInput };

/**
 * What a test database holds before the first test (`magneto.config.json`, `.js`, `.mjs` or `.cjs` in the
 * project root, or the `MAGNETO_CONFIG` file): the shape `@shelf/jest-dynamodb` and `jest-dynalite` users know
 * (whose own config files are read too when there is no `magneto.config.*`: see `loadConfig`).
 *
 * @example
 * // magneto.config.json
 * { "tables": [{ "TableName": "orders", "KeySchema": [...], "AttributeDefinitions": [...], "BillingMode": "PAY_PER_REQUEST" }],
 *   "items": { "orders": [{ "id": "o1", "total": 12 }] } }
 */
export interface MagnetoTestConfig {
  /** Tables to create. */
  readonly tables?: readonly TableDefinitionLike[];
  /**
   * Items to put, by table: DynamoDB JSON (`{ "id": { "S": "o1" } }`) or plain values (marshalled as the
   * Table API and the DocumentClient do: numbers to N, Sets to SS/NS/BS, Uint8Array to B).
   */
  readonly items?: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  /**
   * Exports and JSON fixtures to load after `items` (see `seed`): a path, `{ from, tableName }`, or a list
   * of them. Relative paths are read from the working directory.
   */
  readonly seed?: string | SeedSource | ReadonlyArray<string | SeedSource>;
  /**
   * The port `magneto serve` listens on in global setup. Default: free ports, one server per test worker
   * (each worker's endpoint set in its setup file). A fixed port means one server for every worker.
   */
  readonly port?: number;
  /**
   * Global setup: whether each test starts from the seeded tables (a rollback to them before each test,
   * in the `@magneto/testing/jest` / `/vitest` setup files), as jest-dynalite recreates its tables for each
   * test. Default true with a server per worker; with a fixed `port` (one server shared by workers running
   * at once) never.
   */
  readonly resetBetweenTests?: boolean;
}

/** The file names a config is looked up by, in order. */
export const CONFIG_FILES = ['magneto.config.json', 'magneto.config.js', 'magneto.config.mjs', 'magneto.config.cjs'] as const;

/** The table's CreateTable input. */
export function createTableInputOf(table: TableDefinitionLike): CreateTableInput {
  return 'createTableInput' in table && typeof table.createTableInput === 'function' ? table.createTableInput() : (table as CreateTableInput);
}

const TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);

/** Whether an item is already DynamoDB JSON: every attribute an object with exactly one type member. */
export function isAttributeValueItem(item: Record<string, unknown>): item is Item {
  return Object.values(item).every((value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const keys = Object.keys(value);
    return keys.length === 1 && TYPES.has(keys[0]!);
  });
}
