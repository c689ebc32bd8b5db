/**
 * Expressions as application code uses them: create-only puts, optimistic locking with a version
 * attribute, counters, set and list updates, and projections — with DynamoDB's results and errors.
 *
 * Run it with `pnpm example expressions`.
 */
import { ConditionalCheckFailedException, Database } from '@magneto/core';

const db = new Database();
await db.createTable({
  TableName: 'accounts',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  BillingMode: 'PAY_PER_REQUEST',
});

// Create-only: the second put with the same key fails its condition.
const createAccount = () =>
  db.putItem({
    TableName: 'accounts',
    Item: { id: { S: 'acc-1' }, owner: { S: 'ada' }, balance: { N: '100' }, version: { N: '1' } },
    ConditionExpression: 'attribute_not_exists(id)',
  });
await createAccount();
try {
  await createAccount();
} catch (error) {
  if (error instanceof ConditionalCheckFailedException) console.log('create-only:', error.message);
}

// Optimistic locking: withdraw only if the balance covers it and nobody changed the item meanwhile.
const withdraw = (amount: string, expectedVersion: string) =>
  db.updateItem({
    TableName: 'accounts',
    Key: { id: { S: 'acc-1' } },
    UpdateExpression: 'SET balance = balance - :amount, version = version + :one',
    ConditionExpression: 'balance >= :amount AND version = :expected',
    ExpressionAttributeValues: { ':amount': { N: amount }, ':one': { N: '1' }, ':expected': { N: expectedVersion } },
    ReturnValues: 'UPDATED_NEW',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  });
console.log('withdraw 30:', (await withdraw('30', '1')).Attributes);
try {
  await withdraw('10', '1'); // stale version
} catch (error) {
  if (error instanceof ConditionalCheckFailedException) console.log('stale write refused; current item:', error.Item);
}

// Counters and collections: if_not_exists, ADD on numbers and sets, list_append, DELETE from a set.
await db.updateItem({
  TableName: 'accounts',
  Key: { id: { S: 'acc-1' } },
  UpdateExpression: 'SET logins = if_not_exists(logins, :zero) + :one, history = list_append(if_not_exists(history, :empty), :event) ADD tags :tags',
  ExpressionAttributeValues: {
    ':zero': { N: '0' },
    ':one': { N: '1' },
    ':empty': { L: [] },
    ':event': { L: [{ S: 'login' }] },
    ':tags': { SS: ['vip', 'beta'] },
  },
});
await db.updateItem({
  TableName: 'accounts',
  Key: { id: { S: 'acc-1' } },
  UpdateExpression: 'DELETE tags :beta',
  ExpressionAttributeValues: { ':beta': { SS: ['beta'] } },
});

// Projection: only what is asked for, in the nested shape DynamoDB returns.
const { Item } = await db.getItem({
  TableName: 'accounts',
  Key: { id: { S: 'acc-1' } },
  ProjectionExpression: 'balance, logins, tags, history[0]',
});
console.log('projected:', JSON.stringify(Item));
