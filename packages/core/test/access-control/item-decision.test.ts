/**
 * Single item requests decide from their partition key value alone when the statements that can apply
 * read only it and the principal's own keys (ItemDecision): each such policy must decide GetItem and
 * PutItem exactly as the general path decides the same item inside a transaction, denial wording included.
 */
import { describe, expect, it } from 'vitest';
import { accessControl, Database, type PolicyDocument, type PolicyStatement } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';
import { policy, tableArn, user } from './support.js';

const ORDERS = tableArn('orders');
const actions = ['dynamodb:GetItem', 'dynamodb:PutItem'];
const allow = (Condition?: PolicyStatement['Condition'], Resource = ORDERS): PolicyStatement => (Condition === undefined ? { Effect: 'Allow', Action: actions, Resource } : { Effect: 'Allow', Action: actions, Resource, Condition });
const deny = (Condition?: PolicyStatement['Condition']): PolicyStatement => (Condition === undefined ? { Effect: 'Deny', Action: actions, Resource: ORDERS } : { Effect: 'Deny', Action: actions, Resource: ORDERS, Condition });

/** Policies of the forms ItemDecision resolves: LeadingKeys under each qualifier, variables, principal keys, Null. */
const POLICIES: Record<string, PolicyDocument> = {
  'no condition': policy(allow()),
  'ForAllValues:StringEquals ${aws:username}': policy(allow({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:username}'] } })),
  'ForAnyValue:StringLike prefix': policy(allow({ 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['alice*', 'team-${aws:PrincipalTag/team}-*'] } })),
  'StringEquals (no qualifier)': policy(allow({ StringEquals: { 'dynamodb:LeadingKeys': 'alice' } })),
  'StringNotEquals': policy(allow({ StringNotEquals: { 'dynamodb:LeadingKeys': ['bob', 'carol'] } })),
  'StringEqualsIfExists on FirstPartitionKeyValues': policy(allow({ StringEqualsIfExists: { 'dynamodb:FirstPartitionKeyValues': 'alice' } })),
  'Null LeadingKeys false': policy(allow({ Null: { 'dynamodb:LeadingKeys': 'false' } })),
  'deny by LeadingKeys': policy(allow(), deny({ 'ForAnyValue:StringEquals': { 'dynamodb:LeadingKeys': ['bob'] } })),
  'principal tag gates the allow': policy(allow({ StringEquals: { 'aws:PrincipalTag/team': 'red', 'dynamodb:LeadingKeys': '${aws:username}' } }), allow({ StringEquals: { 'aws:PrincipalTag/team': 'blue' } })),
  'two LeadingKeys conditions': policy(allow({ StringLike: { 'dynamodb:LeadingKeys': 'a*' }, StringNotLike: { 'dynamodb:LeadingKeys': '*e' } })),
  'wildcard resource, deny on another table': policy(allow(undefined, 'arn:aws:dynamodb:*:*:table/*'), { Effect: 'Deny', Action: 'dynamodb:*', Resource: tableArn('invoices') }),
};

const KEYS = ['alice', 'bob', 'alicia', 'team-red-1', 'ae', undefined];

async function outcome(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'allowed',
    (error: Error) => `${error.name}: ${error.message}`,
  );
}

describe('item requests decided from the partition key value', () => {
  for (const [name, document] of Object.entries(POLICIES)) {
    it(`${name}: GetItem and PutItem decide as inside a transaction`, async () => {
      const db = new Database({ modules: [accessControl({ principals: { alice: user('alice', [document], { team: 'red' }) } })] });
      await db.createTable({ TableName: 'orders', KeySchema: keys('pk', 'sk'), AttributeDefinitions: attributes({ pk: 'S', sk: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
      const alice = db.as('alice');
      for (const pk of KEYS) {
        const key = pk === undefined ? { sk: { S: '1' } } : { pk: { S: pk }, sk: { S: '1' } };
        const single = await outcome(alice.getItem({ TableName: 'orders', Key: key }));
        const inTransaction = await outcome(alice.transactGetItems({ TransactItems: [{ Get: { TableName: 'orders', Key: key } }] }));
        if (single.startsWith('AccessDenied') || inTransaction.startsWith('AccessDenied')) expect(single, `GetItem ${pk}`).toBe(inTransaction);
        const put = await outcome(alice.putItem({ TableName: 'orders', Item: key }));
        const putInTransaction = await outcome(alice.transactWriteItems({ TransactItems: [{ Put: { TableName: 'orders', Item: key } }] }));
        if (put.startsWith('AccessDenied') || putInTransaction.startsWith('AccessDenied')) expect(put, `PutItem ${pk}`).toBe(putInTransaction);
      }
    });
  }

  it('each tenant reads only its own partition, and the denial names the item action', async () => {
    const db = new Database({ modules: [accessControl({ principals: { alice: user('alice', [POLICIES['ForAllValues:StringEquals ${aws:username}']!]) } })] });
    await db.createTable({ TableName: 'orders', KeySchema: keys('pk', 'sk'), AttributeDefinitions: attributes({ pk: 'S', sk: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
    expect(await outcome(db.as('alice').getItem({ TableName: 'orders', Key: { pk: { S: 'alice' }, sk: { S: '1' } } }))).toBe('allowed');
    expect(await outcome(db.as('alice').getItem({ TableName: 'orders', Key: { pk: { S: 'bob' }, sk: { S: '1' } } }))).toBe(
      `AccessDeniedException: User: arn:aws:iam::000000000000:user/alice is not authorized to perform: dynamodb:GetItem on resource: ${ORDERS} because no identity-based policy allows the dynamodb:GetItem action`,
    );
  });
});
