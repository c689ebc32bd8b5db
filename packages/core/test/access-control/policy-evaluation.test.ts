/**
 * IAM's evaluation through `db.as(principal)`: explicit deny over allow, resource-based policies with
 * and without identity policies, cross-account principals, Action/NotAction/Resource wildcards,
 * condition operators, policy variables, ABAC by tags and the wording of each denial.
 */
import { describe, expect, it } from 'vitest';
import { accessControl, Database, type AccessControlOptions, type PolicyStatement } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';
import { denied, policy, tableArn, user, userArn } from './support.js';

const ORDERS = tableArn('orders');

async function database(options: AccessControlOptions): Promise<Database> {
  const db = new Database({ modules: [accessControl(options)] });
  for (const name of ['orders', 'invoices']) {
    await db.createTable({ TableName: name, KeySchema: keys('pk', 'sk'), AttributeDefinitions: attributes({ pk: 'S', sk: 'S', g: 'S' }), BillingMode: 'PAY_PER_REQUEST', GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: keys('g'), Projection: { ProjectionType: 'ALL' } }] });
  }
  await db.tagResource({ ResourceArn: ORDERS, Tags: [{ Key: 'team', Value: 'sales' }] });
  await db.putItem({ TableName: 'orders', Item: { pk: { S: 'alice' }, sk: { S: '1' }, g: { S: 'x' }, secret: { S: 's' }, amount: { N: '5' } } });
  return db;
}

const get = { TableName: 'orders', Key: { pk: { S: 'alice' }, sk: { S: '1' } } };
const allow = (Action: string | string[], Resource: string | string[] = '*', extra: Partial<PolicyStatement> = {}): PolicyStatement => ({ Effect: 'Allow', Action, Resource, ...extra });
const deny = (Action: string | string[], Resource: string | string[] = '*', extra: Partial<PolicyStatement> = {}): PolicyStatement => ({ Effect: 'Deny', Action, Resource, ...extra });

async function reason(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'allowed',
    (error: Error) => `${error.name}: ${error.message}`,
  );
}

describe('policy evaluation', () => {
  it('an explicit Deny wins over any Allow, and says so', async () => {
    const db = await database({ principals: { alice: user('alice', [policy(allow('dynamodb:*'), deny('dynamodb:GetItem', ORDERS))]) } });
    expect(await reason(db.as('alice').getItem(get))).toBe(`AccessDeniedException: ${denied('alice', 'GetItem', ORDERS, 'with an explicit deny in an identity-based policy')}`);
    expect(await reason(db.as('alice').getItem({ ...get, TableName: 'invoices' }))).toBe('allowed');
  });

  it('Action and Resource wildcards (* and ?), case-insensitive actions, and NotAction', async () => {
    const db = await database({
      principals: {
        reader: user('reader', [policy(allow('DynamoDB:Get*', 'arn:aws:dynamodb:*:*:table/ord?rs'))]),
        notDeleter: user('notDeleter', [policy(allow('*'), { Effect: 'Deny', NotAction: ['dynamodb:Get*', 'dynamodb:Query'], Resource: '*' })]),
      },
    });
    expect(await reason(db.as('reader').getItem(get))).toBe('allowed');
    expect(await reason(db.as('reader').getItem({ ...get, TableName: 'invoices' }))).toContain('because no identity-based policy allows the dynamodb:GetItem action');
    expect(await reason(db.as('notDeleter').getItem(get))).toBe('allowed');
    expect(await reason(db.as('notDeleter').deleteItem(get))).toBe(`AccessDeniedException: ${denied('notDeleter', 'DeleteItem', ORDERS, 'with an explicit deny in an identity-based policy')}`);
  });

  it('a Query on an index is authorized on the index ARN', async () => {
    const db = await database({ principals: { alice: user('alice', [policy(allow('dynamodb:Query', ORDERS))]) } });
    const query = { TableName: 'orders', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'x' } } };
    expect(await reason(db.as('alice').query(query))).toBe(`AccessDeniedException: ${denied('alice', 'Query', `${ORDERS}/index/byG`)}`);
    expect(await reason(db.as('alice').query({ TableName: 'orders', KeyConditionExpression: 'pk = :g', ExpressionAttributeValues: { ':g': { S: 'x' } } }))).toBe('allowed');
  });

  describe('resource-based policies', () => {
    const grant = (principal: string, Action: string, Effect: 'Allow' | 'Deny' = 'Allow') =>
      JSON.stringify(policy({ Effect, Principal: { AWS: principal }, Action, Resource: ORDERS }));

    it('allow a principal of the account no identity policy allows; a Deny there is named as resource-based', async () => {
      const db = await database({ principals: { bob: user('bob', []), carol: user('carol', [policy(allow('dynamodb:*'))]) } });
      expect(await reason(db.as('bob').getItem(get))).toBe(`AccessDeniedException: ${denied('bob', 'GetItem', ORDERS)}`);
      const { RevisionId } = (await db.execute('DynamoDB_20120810', 'PutResourcePolicy', { ResourceArn: ORDERS, Policy: grant(userArn('bob'), 'dynamodb:GetItem') })) as { RevisionId: string };
      expect(await reason(db.as('bob').getItem(get))).toBe('allowed');
      await db.execute('DynamoDB_20120810', 'PutResourcePolicy', { ResourceArn: ORDERS, Policy: grant('*', 'dynamodb:GetItem', 'Deny'), ExpectedRevisionId: RevisionId });
      expect(await reason(db.as('carol').getItem(get))).toBe(`AccessDeniedException: ${denied('carol', 'GetItem', ORDERS, 'with an explicit deny in a resource-based policy')}`);
      await db.execute('DynamoDB_20120810', 'DeleteResourcePolicy', { ResourceArn: ORDERS });
      expect(await reason(db.as('carol').getItem(get))).toBe('allowed');
    });

    it('a principal of another account needs both its identity policy and the resource policy', async () => {
      const other = 'arn:aws:iam::111122223333:user/dave';
      const db = await database({ principals: { dave: user('dave', [policy(allow('dynamodb:GetItem'))], undefined, other) } });
      const message = (tail: string) => `AccessDeniedException: User: ${other} is not authorized to perform: dynamodb:GetItem on resource: ${ORDERS} ${tail}`;
      expect(await reason(db.as('dave').getItem(get))).toBe(message('because no resource-based policy allows the dynamodb:GetItem action'));
      await db.execute('DynamoDB_20120810', 'PutResourcePolicy', { ResourceArn: ORDERS, Policy: grant('111122223333', 'dynamodb:GetItem') });
      expect(await reason(db.as('dave').getItem(get))).toBe('allowed');
    });

    it('ExpectedRevisionId must match; GetResourcePolicy answers the policy and its revision', async () => {
      const db = await database({ principals: {} });
      const put = (ExpectedRevisionId?: string) => db.execute('DynamoDB_20120810', 'PutResourcePolicy', { ResourceArn: ORDERS, Policy: grant('*', 'dynamodb:GetItem'), ...(ExpectedRevisionId === undefined ? {} : { ExpectedRevisionId }) });
      const { RevisionId } = (await put()) as { RevisionId: string };
      expect(await db.execute('DynamoDB_20120810', 'GetResourcePolicy', { ResourceArn: ORDERS })).toEqual({ Policy: grant('*', 'dynamodb:GetItem'), RevisionId });
      expect(await reason(put('1'))).toBe(
        `PolicyNotFoundException: Resource-based policy not found for the provided ResourceArn: Requested update for policy with revision id 1, but the policy associated to target table orders has revision id ${RevisionId}.`,
      );
      expect(await reason(db.execute('DynamoDB_20120810', 'PutResourcePolicy', { ResourceArn: ORDERS, Policy: '{"Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"*"}]}' }))).toBe(
        'ValidationException: Invalid policy document: A resource-based policy statement must have a Principal',
      );
      await db.execute('DynamoDB_20120810', 'DeleteResourcePolicy', { ResourceArn: ORDERS });
      expect(await reason(db.execute('DynamoDB_20120810', 'GetResourcePolicy', { ResourceArn: ORDERS }))).toBe(`PolicyNotFoundException: Resource-based policy not found for the provided ResourceArn: ${ORDERS}`);
    });
  });

  describe('conditions', () => {
    it('policy variables and ABAC: aws:PrincipalTag against aws:ResourceTag, aws:RequestTag and aws:TagKeys', async () => {
      const db = await database({
        principals: {
          seller: user('seller', [policy(allow('dynamodb:GetItem', '*', { Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } }))], { team: 'sales' }),
          tagger: user('tagger', [
            policy(allow('dynamodb:TagResource', '*', { Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'owner'] }, StringEqualsIfExists: { 'aws:RequestTag/owner': '${aws:username}' } } })),
          ]),
        },
      });
      expect(await reason(db.as('seller').getItem(get))).toBe('allowed');
      expect(await reason(db.as('seller').getItem({ ...get, TableName: 'invoices' }))).toContain('because no identity-based policy allows');
      await db.tagResource({ ResourceArn: ORDERS, Tags: [{ Key: 'team', Value: 'support' }] });
      expect(await reason(db.as('seller').getItem(get))).toContain('because no identity-based policy allows');
      expect(await reason(db.as('tagger').tagResource({ ResourceArn: ORDERS, Tags: [{ Key: 'owner', Value: 'tagger' }, { Key: 'env', Value: 'x' }] }))).toBe('allowed');
      expect(await reason(db.as('tagger').tagResource({ ResourceArn: ORDERS, Tags: [{ Key: 'owner', Value: 'someone' }] }))).toContain('is not authorized');
      expect(await reason(db.as('tagger').tagResource({ ResourceArn: ORDERS, Tags: [{ Key: 'team', Value: 'x' }] }))).toContain('is not authorized');
    });

    it('String, Numeric, Date, Bool, Null and IfExists operators, negated operators on missing keys', async () => {
      const when = (Condition: NonNullable<PolicyStatement['Condition']>) => user('u', [policy(allow('dynamodb:GetItem', '*', { Condition }))]);
      const cases: Array<[NonNullable<PolicyStatement['Condition']>, boolean]> = [
        [{ StringLike: { 'aws:username': 'u*' } }, true],
        [{ StringNotLike: { 'aws:username': 'u*' } }, false],
        [{ StringEqualsIgnoreCase: { 'aws:PrincipalArn': userArn('U').toUpperCase() } }, true],
        [{ StringNotEquals: { 'aws:SourceIp': '1.2.3.4' } }, true],
        [{ StringEquals: { 'aws:SourceIp': '1.2.3.4' } }, false],
        [{ StringEqualsIfExists: { 'aws:SourceIp': '1.2.3.4' } }, true],
        [{ Null: { 'aws:SourceIp': 'true', 'aws:username': 'false' } }, true],
        [{ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, true],
        [{ DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, false],
        [{ NumericGreaterThanEquals: { 'aws:EpochTime': '1577836800' } }, true],
        [{ Bool: { 'aws:SecureTransport': 'true' } }, false],
        [{ StringEquals: { 'dynamodb:Select': 'ALL_ATTRIBUTES' } }, true],
        [{ 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': ['nothing'] } }, false],
        [{ 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': ['pk'] } }, true],
      ];
      for (const [condition, allowed] of cases) {
        const db = await database({ principals: { u: when(condition) } });
        expect([condition, await reason(db.as('u').getItem(get))]).toEqual([condition, allowed ? 'allowed' : `AccessDeniedException: ${denied('u', 'GetItem', ORDERS)}`]);
      }
    });
  });

  it('global condition keys a principal carries: aws:MultiFactorAuthPresent, aws:PrincipalOrgID (absent when not given)', async () => {
    const statements = policy(allow('dynamodb:GetItem', ORDERS, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }));
    const db = await database({
      principals: {
        alice: { ...user('alice', [statements]), conditionKeys: { 'aws:MultiFactorAuthPresent': 'true', 'aws:PrincipalOrgID': 'o-abc123' } },
        bob: { ...user('bob', [statements]), conditionKeys: { 'aws:PrincipalOrgID': 'o-abc123' } },
        carol: user('carol', [policy(deny('dynamodb:GetItem', ORDERS, { Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }), allow('dynamodb:GetItem'))]),
      },
    });
    expect(await reason(db.as('alice').getItem(get))).toBe('allowed');
    expect(await reason(db.as('bob').getItem(get))).toBe(`AccessDeniedException: ${denied('bob', 'GetItem', ORDERS)}`);
    expect(await reason(db.as('carol').getItem(get))).toBe(`AccessDeniedException: ${denied('carol', 'GetItem', ORDERS, 'with an explicit deny in an identity-based policy')}`);
  });

  describe('fine-grained access', () => {
    const attributesPolicy = policy(
      allow(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:PutItem'], ORDERS, {
        Condition: {
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'amount'] },
          StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES', 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] },
        },
      }),
    );

    it('dynamodb:Attributes and Select: projections of allowed attributes only', async () => {
      const db = await database({ principals: { clerk: user('clerk', [attributesPolicy]) } });
      const clerk = db.as('clerk');
      expect(await clerk.getItem({ ...get, ProjectionExpression: 'amount, #k', ExpressionAttributeNames: { '#k': 'sk' } })).toEqual({ Item: { amount: { N: '5' }, sk: { S: '1' } } });
      expect(await reason(clerk.getItem({ ...get, ProjectionExpression: 'amount, secret' }))).toBe(`AccessDeniedException: ${denied('clerk', 'GetItem', ORDERS)}`);
      expect(await reason(clerk.getItem({ ...get, ProjectionExpression: '#s', ExpressionAttributeNames: { '#s': 'secret' } }))).toContain('is not authorized');
      expect(await reason(clerk.getItem(get))).toContain('is not authorized');
      expect(await reason(clerk.query({ TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'alice' } }, Select: 'ALL_ATTRIBUTES' }))).toContain('is not authorized');
      expect(await reason(clerk.query({ TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'alice' } }, ProjectionExpression: 'amount' }))).toBe('allowed');
    });

    it('dynamodb:Attributes and ReturnValues: updates and puts of allowed attributes only', async () => {
      const db = await database({ principals: { clerk: user('clerk', [attributesPolicy]) } });
      const clerk = db.as('clerk');
      const update = { ...get, UpdateExpression: 'SET amount = amount + :one', ExpressionAttributeValues: { ':one': { N: '1' } } };
      expect(await clerk.updateItem({ ...update, ReturnValues: 'UPDATED_NEW' })).toEqual({ Attributes: { amount: { N: '6' } } });
      expect(await reason(clerk.updateItem({ ...update, ReturnValues: 'ALL_NEW' }))).toContain('is not authorized');
      expect(await reason(clerk.updateItem({ ...update, UpdateExpression: 'SET secret = :one' }))).toContain('is not authorized');
      expect(await reason(clerk.updateItem({ ...update, ConditionExpression: 'attribute_exists(secret)' }))).toContain('is not authorized');
      expect(await reason(clerk.putItem({ TableName: 'orders', Item: { pk: { S: 'b' }, sk: { S: '1' }, secret: { S: 'x' } } }))).toContain('is not authorized');
      expect(await reason(clerk.putItem({ TableName: 'orders', Item: { pk: { S: 'b' }, sk: { S: '1' }, amount: { N: '1' } } }))).toBe('allowed');
      expect((await db.getItem(get)).Item?.secret).toEqual({ S: 's' });
    });

    it('a transaction with one denied action does nothing; each action is authorized with dynamodb:EnclosingOperation', async () => {
      const db = await database({
        principals: {
          writer: user('writer', [policy(allow(['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'], ORDERS, { Condition: { StringEquals: { 'dynamodb:EnclosingOperation': 'TransactWriteItems' } } }))]),
        },
      });
      const put = { Put: { TableName: 'orders', Item: { pk: { S: 'n' }, sk: { S: '1' } } } };
      const check = { ConditionCheck: { TableName: 'orders', Key: get.Key, ConditionExpression: 'attribute_exists(pk)' } };
      expect(await reason(db.as('writer').transactWriteItems({ TransactItems: [put, { Put: { ...put.Put, TableName: 'invoices' } }] }))).toBe(
        `AccessDeniedException: ${denied('writer', 'PutItem', tableArn('invoices'))}`,
      );
      expect(await db.scan({ TableName: 'orders' })).toMatchObject({ Count: 1 });
      expect(await reason(db.as('writer').putItem(put.Put))).toContain('is not authorized');
      expect(await reason(db.as('writer').transactWriteItems({ TransactItems: [put, check] }))).toBe('allowed');
      expect(await db.scan({ TableName: 'orders' })).toMatchObject({ Count: 2 });
    });
  });

  it('db.as(name) and the principal ARN name the same principal; requests without a caller are not checked', async () => {
    const db = await database({ principals: { alice: user('alice', []) } });
    expect(await reason(db.as(userArn('alice')).getItem(get))).toBe(`AccessDeniedException: ${denied('alice', 'GetItem', ORDERS)}`);
    expect(await reason(db.as('nobody-known').getItem(get))).toBe('UnrecognizedClientException: The security token included in the request is invalid.');
    expect(await reason(db.getItem(get))).toBe('allowed');
  });
});
