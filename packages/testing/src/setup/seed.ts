import type { Database } from '@magneto/core';
import { createTableInputOf, isAttributeValueItem, type MagnetoTestConfig } from './config.js';
import { marshalled } from './marshalled.js';
import { seed, type SeedSource } from './seed-from.js';

/** Creates the config's tables, puts its items, then seeds from its `seed` sources, through the database's own operations. */
export async function seedDatabase(db: Database, config: MagnetoTestConfig): Promise<void> {
  for (const table of config.tables ?? []) await db.createTable(createTableInputOf(table));
  for (const [tableName, items] of Object.entries(config.items ?? {})) {
    for (const item of items) await db.putItem({ TableName: tableName, Item: isAttributeValueItem(item) ? item : marshalled(item) });
  }
  const sources: ReadonlyArray<string | SeedSource> = config.seed === undefined ? [] : typeof config.seed === 'string' || !Array.isArray(config.seed) ? [config.seed as string | SeedSource] : config.seed;
  for (const source of sources) await seed(db, source);
}
