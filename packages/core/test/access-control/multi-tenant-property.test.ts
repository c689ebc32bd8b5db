/**
 * The multi-tenant guarantee as a property: tenants share one table whose partition key is the tenant,
 * under AWS's documented policy (`dynamodb:LeadingKeys` = `${aws:username}`, and for PartiQL a Deny of
 * `dynamodb:FullTableScan`, as the Developer Guide advises). Random requests of every kind (single items,
 * batches, transactions, queries, scans, PartiQL statements, batches and transactions) by random tenants
 * run against a database with access control and a twin without it: a request is denied exactly when
 * it names another tenant's partition (or scans), a denied one changes nothing, and an allowed one
 * answers exactly what the twin answers. MAGNETO_STRESS=1 runs more.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accessControl, Database, type AttributeValue } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';
import { policy, tableArn, user } from './support.js';

const TENANTS = ['alice', 'bob', 'carol'] as const;
type Tenant = (typeof TENANTS)[number];
const RUNS = process.env.MAGNETO_STRESS === '1' ? 300 : 40;

const TENANT_POLICY = policy(
  {
    Effect: 'Allow',
    Action: [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:PartiQLSelect',
      'dynamodb:PartiQLInsert',
      'dynamodb:PartiQLUpdate',
      'dynamodb:PartiQLDelete',
    ],
    Resource: tableArn('notes'),
    Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:username}'] } },
  },
  // A SELECT that reads every partition names none: ForAllValues holds for it, so it is denied outright.
  { Effect: 'Deny', Action: 'dynamodb:PartiQLSelect', Resource: tableArn('notes'), Condition: { Bool: { 'dynamodb:FullTableScan': 'true' } } },
);

const key = (tenant: Tenant, id: number): Record<string, AttributeValue> => ({ tenant: { S: tenant }, id: { S: String(id) } });
const item = (tenant: Tenant, id: number, n: number): Record<string, AttributeValue> => ({ ...key(tenant, id), n: { N: String(n) } });

/** A request: its operation, its input, and the tenants whose partitions it names. */
interface Request {
  readonly operation: string;
  readonly input: Record<string, unknown>;
  readonly touches: readonly Tenant[];
}

const tenant = fc.constantFrom(...TENANTS);
const id = fc.integer({ min: 0, max: 3 });
const n = fc.integer({ min: 0, max: 9 });
const target = fc.record({ tenant, id, n });

/** A PartiQL statement on one item of one tenant (key literal or as parameters, at random). */
interface ItemStatement {
  readonly tenant: Tenant;
  readonly id: number;
  readonly statement: { readonly Statement: string; readonly Parameters?: AttributeValue[] };
}
const S = (text: string): AttributeValue => ({ S: text });
/** A statement whose text names the key as `(tenant, id)`: literals, or `?` with the values as parameters. */
const itemStatement = (t: { tenant: Tenant; id: number }, literal: boolean, text: (tenant: string, id: string) => string): ItemStatement =>
  literal
    ? { tenant: t.tenant, id: t.id, statement: { Statement: text(`'${t.tenant}'`, `'${t.id}'`) } }
    : { tenant: t.tenant, id: t.id, statement: { Statement: text('?', '?'), Parameters: [S(t.tenant), S(String(t.id))] } };
const selectItem = fc.tuple(target, fc.boolean()).map(([t, literal]) => itemStatement(t, literal, (tn, i) => `SELECT * FROM "notes" WHERE tenant = ${tn} AND id = ${i}`));
const writeItem = fc.tuple(target, fc.boolean()).map(([t, literal]) =>
  itemStatement(t, literal, (tn, i) =>
    t.n % 3 === 0
      ? `DELETE FROM "notes" WHERE tenant = ${tn} AND id = ${i}`
      : t.n % 3 === 1
        ? `UPDATE "notes" SET n = ${t.n} WHERE tenant = ${tn} AND id = ${i}`
        : `INSERT INTO "notes" VALUE {'tenant': ${tn}, 'id': ${i}, 'n': ${t.n}}`,
  ),
);
/** Up to three statements on distinct items (as BatchExecuteStatement and ExecuteTransaction require). */
const itemStatements = (statement: fc.Arbitrary<ItemStatement>): fc.Arbitrary<ItemStatement[]> => fc.uniqueArray(statement, { minLength: 1, maxLength: 3, selector: (s) => `${s.tenant}/${s.id}` });

const partiqlRequest: fc.Arbitrary<Request> = fc.oneof(
  fc.oneof(selectItem, writeItem).map((s) => ({ operation: 'ExecuteStatement', input: { ...s.statement }, touches: [s.tenant] })),
  tenant.map((t) => ({ operation: 'ExecuteStatement', input: { Statement: `SELECT * FROM "notes" WHERE tenant = ?`, Parameters: [S(t)] }, touches: [t] })),
  fc.uniqueArray(tenant, { minLength: 1, maxLength: 2 }).map((ts) => ({ operation: 'ExecuteStatement', input: { Statement: `SELECT * FROM "notes" WHERE tenant IN [${ts.map((t) => `'${t}'`).join(', ')}]` }, touches: ts })),
  // Every partition: a full table scan, whoever asks.
  fc.constantFrom(`SELECT * FROM "notes"`, `SELECT * FROM "notes" WHERE n = 1`, `SELECT * FROM "notes" WHERE tenant = 'alice' OR n = 1`).map((Statement) => ({ operation: 'ExecuteStatement', input: { Statement }, touches: [...TENANTS] })),
  itemStatements(selectItem).map((ss) => ({ operation: 'BatchExecuteStatement', input: { Statements: ss.map((s) => s.statement) }, touches: ss.map((s) => s.tenant) })),
  itemStatements(writeItem).map((ss) => ({ operation: 'BatchExecuteStatement', input: { Statements: ss.map((s) => s.statement) }, touches: ss.map((s) => s.tenant) })),
  itemStatements(writeItem).map((ss) => ({ operation: 'ExecuteTransaction', input: { TransactStatements: ss.map((s) => s.statement) }, touches: ss.map((s) => s.tenant) })),
);

const request: fc.Arbitrary<Request> = fc.oneof(
  partiqlRequest,
  target.map((t) => ({ operation: 'GetItem', input: { TableName: 'notes', Key: key(t.tenant, t.id) }, touches: [t.tenant] })),
  target.map((t) => ({ operation: 'PutItem', input: { TableName: 'notes', Item: item(t.tenant, t.id, t.n), ReturnValues: 'ALL_OLD' }, touches: [t.tenant] })),
  target.map((t) => ({
    operation: 'UpdateItem',
    input: { TableName: 'notes', Key: key(t.tenant, t.id), UpdateExpression: 'ADD n :n', ExpressionAttributeValues: { ':n': { N: String(t.n) } }, ReturnValues: 'ALL_NEW' },
    touches: [t.tenant],
  })),
  target.map((t) => ({ operation: 'DeleteItem', input: { TableName: 'notes', Key: key(t.tenant, t.id), ReturnValues: 'ALL_OLD' }, touches: [t.tenant] })),
  tenant.map((t) => ({ operation: 'Query', input: { TableName: 'notes', KeyConditionExpression: 'tenant = :t', ExpressionAttributeValues: { ':t': { S: t } } }, touches: [t] })),
  fc.constant({ operation: 'Scan', input: { TableName: 'notes' }, touches: [...TENANTS] }),
  fc.uniqueArray(target, { minLength: 1, maxLength: 4, selector: (t) => `${t.tenant}/${t.id}` }).map((ts) => ({
    operation: 'BatchGetItem',
    input: { RequestItems: { notes: { Keys: ts.map((t) => key(t.tenant, t.id)) } } },
    touches: ts.map((t) => t.tenant),
  })),
  fc.uniqueArray(target, { minLength: 1, maxLength: 4, selector: (t) => `${t.tenant}/${t.id}` }).map((ts) => ({
    operation: 'BatchWriteItem',
    input: { RequestItems: { notes: ts.map((t) => (t.n % 2 === 0 ? { PutRequest: { Item: item(t.tenant, t.id, t.n) } } : { DeleteRequest: { Key: key(t.tenant, t.id) } })) } },
    touches: ts.map((t) => t.tenant),
  })),
  fc.uniqueArray(target, { minLength: 1, maxLength: 3, selector: (t) => `${t.tenant}/${t.id}` }).map((ts) => ({
    operation: 'TransactWriteItems',
    input: {
      TransactItems: ts.map((t) =>
        t.n % 3 === 0
          ? { ConditionCheck: { TableName: 'notes', Key: key(t.tenant, t.id), ConditionExpression: 'attribute_not_exists(gone)' } }
          : t.n % 3 === 1
            ? { Put: { TableName: 'notes', Item: item(t.tenant, t.id, t.n) } }
            : { Update: { TableName: 'notes', Key: key(t.tenant, t.id), UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: String(t.n) } } } },
      ),
    },
    touches: ts.map((t) => t.tenant),
  })),
  fc.uniqueArray(target, { minLength: 1, maxLength: 3, selector: (t) => `${t.tenant}/${t.id}` }).map((ts) => ({
    operation: 'TransactGetItems',
    input: { TransactItems: ts.map((t) => ({ Get: { TableName: 'notes', Key: key(t.tenant, t.id) } })) },
    touches: ts.map((t) => t.tenant),
  })),
);

async function twin(modules: boolean): Promise<Database> {
  const principals = Object.fromEntries(TENANTS.map((t) => [t, user(t, [TENANT_POLICY])]));
  const db = new Database(modules ? { modules: [accessControl({ principals })] } : {});
  await db.createTable({ TableName: 'notes', KeySchema: keys('tenant', 'id'), AttributeDefinitions: attributes({ tenant: 'S', id: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
  for (const t of TENANTS) for (let i = 0; i < 2; i++) await db.putItem({ TableName: 'notes', Item: item(t, i, i) });
  return db;
}

const outcome = (promise: Promise<unknown>): Promise<unknown> => promise.then((output) => ({ output }), (error: Error) => ({ error: error.name, message: error.message }));

describe('multi-tenant isolation by dynamodb:LeadingKeys', () => {
  it('no request reads or changes another tenant’s items; allowed requests behave as without access control', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(tenant, request), { minLength: 1, maxLength: 12 }), async (steps) => {
        const guarded = await twin(true);
        const reference = await twin(false);
        for (const [caller, { operation, input, touches }] of steps) {
          const got = (await outcome(guarded.as(caller).execute('DynamoDB_20120810', operation, input))) as { error?: string };
          const foreign = operation === 'Scan' || touches.some((t) => t !== caller);
          if (foreign) expect(got.error).toBe('AccessDeniedException');
          else expect(got).toEqual(await outcome(reference.execute('DynamoDB_20120810', operation, input)));
          // Whatever was allowed or denied, both databases hold the same items.
          expect((await guarded.scan({ TableName: 'notes' })).Items).toEqual((await reference.scan({ TableName: 'notes' })).Items);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
