/**
 * Access control remembers the table a request names (the last one, while ModuleContext.tablesVersion
 * holds): a table replaced under the same name — deleted and re-created, or put back by a savepoint
 * rollback, which fires no table events — must be decided by the table the name holds now (its key schema
 * says which attribute `dynamodb:LeadingKeys` reads).
 */
import { describe, expect, it } from 'vitest';
import { accessControl, Database, type CreateTableInput } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';
import { denied, policy, tableArn, user } from './support.js';

const NOTES = tableArn('notes');
const onlyOwnPartition = policy({
  Effect: 'Allow',
  Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
  Resource: NOTES,
  Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:username}'] } },
});
const notesKeyedBy = (attribute: string): CreateTableInput => ({
  TableName: 'notes',
  KeySchema: keys(attribute),
  AttributeDefinitions: attributes({ [attribute]: 'S' }),
  BillingMode: 'PAY_PER_REQUEST',
});

async function setup(): Promise<Database> {
  const db = new Database({ modules: [accessControl({ principals: { alice: user('alice', [onlyOwnPartition]) } })] });
  await db.createTable(notesKeyedBy('owner'));
  return db;
}

/** What GetItem as alice answers for `key`: 'allowed' or the denial message. */
async function getAs(db: Database, key: Record<string, { S: string }>): Promise<string> {
  return db
    .as('alice')
    .getItem({ TableName: 'notes', Key: key })
    .then(
      () => 'allowed',
      (error: Error) => error.message,
    );
}

describe('access control › the table a request names', () => {
  it('is the re-created table once a table is deleted and created again with another partition key', async () => {
    const db = await setup();
    expect(await getAs(db, { owner: { S: 'bob' } })).toBe(denied('alice', 'GetItem', NOTES));
    await db.deleteTable({ TableName: 'notes' });
    await db.createTable(notesKeyedBy('tenant'));
    expect(await getAs(db, { tenant: { S: 'alice' } })).toBe('allowed');
    expect(await getAs(db, { tenant: { S: 'bob' } })).toBe(denied('alice', 'GetItem', NOTES));
  });

  it('is the table a savepoint rollback put back (no table event tells modules)', async () => {
    const db = await setup();
    const saved = db.savepoint();
    await db.deleteTable({ TableName: 'notes' });
    await db.createTable(notesKeyedBy('tenant'));
    expect(await getAs(db, { tenant: { S: 'bob' } })).toBe(denied('alice', 'GetItem', NOTES));
    db.rollback(saved);
    expect(await getAs(db, { owner: { S: 'alice' } })).toBe('allowed');
    expect(await getAs(db, { owner: { S: 'bob' } })).toBe(denied('alice', 'GetItem', NOTES));
  });
});
