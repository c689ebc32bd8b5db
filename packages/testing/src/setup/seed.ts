import type { Database } from '@magneto/core';
import { createTableInputOf, isAttributeValueItem, type MagnetoTestConfig } from './config.js';
import { marshalled } from './marshalled.js';
import { seed, type SeedSource } from './seed-from.js';

/** Creates the config's tables, puts its items, then seeds from its `seed` sources, through the database's own operations. */
export async function seedDatabase(db: Database, config: MagnetoTestConfig): Promise<void> {
  for (const table of config.tables ?? []) {
    const input = createTableInputOf(table);
    await db.createTable(input).catch((error: unknown) => rethrow(error, `creating table ${String(input.TableName)}`));
  }
  for (const [tableName, items] of Object.entries(config.items ?? {})) {
    for (const [i, item] of items.entries()) {
      await db.putItem({ TableName: tableName, Item: isAttributeValueItem(item) ? item : marshalled(item) }).catch((error: unknown) => rethrow(error, `putting item ${i} of ${tableName}`));
    }
  }
  const sources: ReadonlyArray<string | SeedSource> = config.seed === undefined ? [] : typeof config.seed === 'string' || !Array.isArray(config.seed) ? [config.seed as string | SeedSource] : config.seed;
  for (const source of sources) await seed(db, source);
}

/** A seeding failure says which table or item it came from: "Requested resource not found" alone does not. */
function rethrow(error: unknown, doing: string): never {
  if (error instanceof Error) error.message = `Seeding the test database, ${doing}: ${error.message}`;
  throw error;
}
