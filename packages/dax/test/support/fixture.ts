import { Database, ManualClock, type Item } from '@magneto/core';
import { dax, type DaxDatabase, type DaxOptions } from '@magneto/dax';

/** A fresh Database on a ManualClock with two tables, and an accelerator in front of it. */
export async function freshAccelerator(options: DaxOptions = {}): Promise<{ db: Database; cached: DaxDatabase; clock: ManualClock }> {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const db = new Database({ clock });
  await db.createTable({
    TableName: 'users',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  await db.createTable({
    TableName: 'docs',
    KeySchema: [
      { AttributeName: 'doc', KeyType: 'HASH' },
      { AttributeName: 'rev', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'doc', AttributeType: 'S' },
      { AttributeName: 'rev', AttributeType: 'N' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  return { db, cached: dax(db, options), clock };
}

/** A users item. */
export function user(id: string, name: string, extra: Item = {}): Item {
  return { id: { S: id }, name: { S: name }, ...extra };
}

/** A users key. */
export function userKey(id: string): Item {
  return { id: { S: id } };
}

export const MINUTE = 60_000;
/** DAX's default TTL of both caches. */
export const FIVE_MINUTES = 5 * MINUTE;
