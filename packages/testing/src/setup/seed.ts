import { encodeValue, type AttributeValue, type Database, type Item } from '@magneto/core';
import { createTableInputOf, isAttributeValueItem, type MagnetoTestConfig } from './config.js';

/** Creates the config's tables and puts its items, through the database's own operations. */
export async function seedDatabase(db: Database, config: MagnetoTestConfig): Promise<void> {
  for (const table of config.tables ?? []) await db.createTable(createTableInputOf(table));
  for (const [tableName, items] of Object.entries(config.items ?? {})) {
    for (const item of items) await db.putItem({ TableName: tableName, Item: isAttributeValueItem(item) ? item : marshalled(item) });
  }
}

/** A plain item as AttributeValues, as the Table API (and the DocumentClient) write it. */
function marshalled(item: Record<string, unknown>): Item {
  const encoded: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(item)) {
    const attribute = encodeValue(value);
    if (attribute !== undefined) encoded[name] = attribute;
  }
  return encoded;
}
