/**
 * Table definitions shared by the tests: compact builders for key schemas and attribute definitions
 * (usable with both the Database API and the AWS SDK), and a fresh Database holding one table.
 */
import { Database, type AttributeDefinition, type CreateTableInput, type DatabaseOptions, type KeySchemaElement, type ScalarAttributeType } from '../../src/index.js';

/** A key schema: `hash` as the HASH attribute and, when given, `range` as the RANGE attribute. */
export function keys(hash: string, range?: string): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: hash, KeyType: 'HASH' }];
  if (range !== undefined) schema.push({ AttributeName: range, KeyType: 'RANGE' });
  return schema;
}

/** Attribute definitions in the order written: `attributes({ pk: 'S', sk: 'N' })`. */
export function attributes(types: Record<string, ScalarAttributeType>): AttributeDefinition[] {
  return Object.entries(types).map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

/** A new Database (with `options`) in which `table` has been created. */
export async function freshDatabase(table: CreateTableInput, options: DatabaseOptions = {}): Promise<Database> {
  const db = new Database(options);
  await db.createTable(table);
  return db;
}
