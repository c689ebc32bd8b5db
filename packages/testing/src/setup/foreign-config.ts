import type { CreateTableInput } from '@magneto/core';
import type { MagnetoTestConfig } from './config.js';

/** The config files of the tools the preset replaces, tried after `magneto.config.*`, in order. */
export const FOREIGN_CONFIG_FILES = ['jest-dynalite-config.js', 'jest-dynalite-config.cjs', 'jest-dynamodb-config.js', 'jest-dynamodb-config.cjs'] as const;

type Tables<T> = readonly T[] | (() => readonly T[] | Promise<readonly T[]>);
/** A jest-dynalite table: a CreateTable input with the items to put in it (plain values). */
type DynaliteTable = CreateTableInput & { readonly data?: readonly Record<string, unknown>[] };

/** A foreign config file's contents as Magneto's test config, by the tool whose file it is. */
export async function fromForeignConfig(file: string, loaded: unknown): Promise<MagnetoTestConfig> {
  return /jest-dynalite-config\.c?js$/.test(file) ? fromJestDynalite(loaded as { tables?: Tables<DynaliteTable> }) : fromJestDynamodb(loaded as JestDynamodbConfig);
}

/**
 * jest-dynalite's `jest-dynalite-config.js`: `tables` (or a function giving them), each with its `data`;
 * `basePort` is not needed (each worker's endpoint is in MOCK_DYNAMODB_ENDPOINT). jest-dynalite recreates
 * the tables for every test, so every test starts from the seeded tables here too.
 */
async function fromJestDynalite(loaded: { tables?: Tables<DynaliteTable> }): Promise<MagnetoTestConfig> {
  const items: Record<string, readonly Record<string, unknown>[]> = {};
  const tables = (await tablesOf(loaded.tables)).map(({ data, ...table }) => {
    if (data !== undefined) items[table.TableName] = data;
    return table;
  });
  return { tables, items };
}

type JestDynamodbConfig = { tables?: Tables<CreateTableInput>; port?: number } | (() => Promise<{ tables?: Tables<CreateTableInput>; port?: number }>);

/**
 * @shelf/jest-dynamodb's `jest-dynamodb-config.js` (an object, or a function giving one): its `tables`, and
 * one server for the whole run on its `port` (default 8000, which its users' code often names), shared by
 * every worker and not reset between tests, as its DynamoDB Local was.
 */
async function fromJestDynamodb(loaded: JestDynamodbConfig): Promise<MagnetoTestConfig> {
  const config = typeof loaded === 'function' ? await loaded() : loaded;
  return { tables: await tablesOf(config.tables), port: config.port ?? 8000, resetBetweenTests: false };
}

async function tablesOf<T>(tables: Tables<T> | undefined): Promise<readonly T[]> {
  return typeof tables === 'function' ? await tables() : (tables ?? []);
}
