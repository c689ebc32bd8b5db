/**
 * Model-based test of transactions among other writers: random interleavings of TransactWriteItems
 * transfers between accounts (conditioned on `balance >= :amount`, so some are cancelled), BatchWriteItem
 * puts of unrelated audit items, single UpdateItem deposits, and TransactGetItems and Scan readers, run
 * against a Database and a plain model. After every step the balances and their sum equal the model's;
 * a cancelled transfer changes no item and publishes nothing; a committed one is exactly one change batch.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database, ManualClock, TransactionCanceledException, type ChangeBatch, type DatabaseModule } from '../src/index.js';
import { checkTableInvariants } from './support/invariants.js';
import { attributes, keys } from './support/tables.js';

const ACCOUNTS = ['a0', 'a1', 'a2', 'a3'];

type Step =
  | { kind: 'transfer'; from: number; to: number; amount: number }
  | { kind: 'audit'; count: number }
  | { kind: 'deposit'; to: number; amount: number }
  | { kind: 'transactGet' }
  | { kind: 'scan' };

const account = fc.integer({ min: 0, max: ACCOUNTS.length - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('transfer' as const), from: account, to: account, amount: fc.integer({ min: 1, max: 80 }) }).filter((s) => s.from !== s.to) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('audit' as const), count: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deposit' as const), to: account, amount: fc.integer({ min: 1, max: 50 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'transactGet' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'scan' as const }) },
);

/** A module recording every change batch. */
function recorder(batches: ChangeBatch[]): DatabaseModule {
  return { name: 'recorder', install: (context) => void context.onChange((batch) => batches.push(batch)) };
}

const key = (i: number) => ({ id: { S: ACCOUNTS[i]! } });

async function setup(initial: number[]): Promise<{ db: Database; batches: ChangeBatch[] }> {
  const batches: ChangeBatch[] = [];
  const db = new Database({ clock: new ManualClock(Date.UTC(2024, 0, 1)), modules: [recorder(batches)] });
  for (const TableName of ['accounts', 'audit']) {
    await db.createTable({ TableName, KeySchema: keys('id'), AttributeDefinitions: attributes({ id: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
  }
  for (let i = 0; i < ACCOUNTS.length; i++) await db.putItem({ TableName: 'accounts', Item: { ...key(i), balance: { N: String(initial[i]!) } } });
  batches.length = 0;
  return { db, batches };
}

/** Every account's balance, by a Scan. */
async function scanBalances(db: Database): Promise<Map<string, number>> {
  const { Items } = await db.scan({ TableName: 'accounts', ConsistentRead: true });
  return new Map((Items ?? []).map((item) => [(item.id as { S: string }).S, Number((item.balance as { N: string }).N)]));
}

async function run(initial: number[], steps: Step[]): Promise<void> {
  const { db, batches } = await setup(initial);
  const model = [...initial];
  let modelSum = initial.reduce((a, b) => a + b, 0);
  let audits = 0;
  for (const s of steps) {
    const before = batches.length;
    switch (s.kind) {
      case 'transfer': {
        const request = db.transactWriteItems({
          TransactItems: [
            {
              Update: {
                TableName: 'accounts',
                Key: key(s.from),
                UpdateExpression: 'SET balance = balance - :amount',
                ConditionExpression: 'balance >= :amount',
                ExpressionAttributeValues: { ':amount': { N: String(s.amount) } },
              },
            },
            {
              Update: {
                TableName: 'accounts',
                Key: key(s.to),
                UpdateExpression: 'SET balance = balance + :amount',
                ExpressionAttributeValues: { ':amount': { N: String(s.amount) } },
              },
            },
          ],
        });
        if (model[s.from]! >= s.amount) {
          await request;
          model[s.from]! -= s.amount;
          model[s.to]! += s.amount;
          expect(batches.length).toBe(before + 1);
          const records = batches[before]!.records;
          expect(records.map((r) => [r.eventName, r.keys])).toEqual([
            ['MODIFY', key(s.from)],
            ['MODIFY', key(s.to)],
          ]);
          expect(records.map((r) => r.newImage!.balance)).toEqual([{ N: String(model[s.from]) }, { N: String(model[s.to]) }]);
        } else {
          const error = await request.then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(TransactionCanceledException);
          expect((error as TransactionCanceledException).CancellationReasons.map((r) => r.Code)).toEqual(['ConditionalCheckFailed', 'None']);
          expect(batches.length).toBe(before);
        }
        break;
      }
      case 'audit': {
        const requests = Array.from({ length: s.count }, (_, i) => ({ PutRequest: { Item: { id: { S: `audit-${audits}-${i}` }, note: { S: 'x' } } } }));
        audits++;
        const out = await db.batchWriteItem({ RequestItems: { audit: requests } });
        expect(out.UnprocessedItems).toEqual({});
        expect(batches.length).toBe(before + s.count);
        expect(batches.slice(before).every((b) => b.records.length === 1 && b.records[0]!.tableName === 'audit')).toBe(true);
        break;
      }
      case 'deposit': {
        await db.updateItem({
          TableName: 'accounts',
          Key: key(s.to),
          UpdateExpression: 'ADD balance :amount',
          ExpressionAttributeValues: { ':amount': { N: String(s.amount) } },
        });
        model[s.to]! += s.amount;
        modelSum += s.amount;
        expect(batches.length).toBe(before + 1);
        break;
      }
      case 'transactGet': {
        const { Responses } = await db.transactGetItems({ TransactItems: ACCOUNTS.map((_, i) => ({ Get: { TableName: 'accounts', Key: key(i) } })) });
        expect(Responses!.map((r) => Number((r.Item!.balance as { N: string }).N))).toEqual(model);
        expect(batches.length).toBe(before);
        break;
      }
      case 'scan': {
        const balances = await scanBalances(db);
        expect([...balances.values()].reduce((a, b) => a + b, 0)).toBe(modelSum);
        expect(batches.length).toBe(before);
        break;
      }
    }
    checkTableInvariants(db);
    // after every step: each balance, and the sum (transfers conserve it, deposits add to it)
    const balances = await scanBalances(db);
    expect(ACCOUNTS.map((id) => balances.get(id))).toEqual(model);
    expect(model.reduce((a, b) => a + b, 0)).toBe(modelSum);
    expect(model.every((b) => b >= 0)).toBe(true);
  }
  const { Count } = await db.scan({ TableName: 'audit', Select: 'COUNT' });
  expect(Count).toBe(steps.filter((s) => s.kind === 'audit').reduce((n, s) => n + (s as { count: number }).count, 0));
}

describe('transactions among other writers (model-based)', () => {
  it('keeps balances, their sum and the change feed equal to the model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }), fc.array(step, { maxLength: 40 }), run),
      { numRuns: 150 },
    );
  });

  it('cancels some transfers in a fixed run', async () => {
    await run([10, 0, 0, 0], [
      { kind: 'transfer', from: 1, to: 0, amount: 5 },
      { kind: 'transfer', from: 0, to: 1, amount: 10 },
      { kind: 'deposit', to: 2, amount: 3 },
      { kind: 'audit', count: 2 },
      { kind: 'transfer', from: 0, to: 3, amount: 1 },
      { kind: 'transactGet' },
      { kind: 'scan' },
    ]);
  });
});
