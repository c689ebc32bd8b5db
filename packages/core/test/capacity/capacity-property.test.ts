/**
 * capacity(): a property — whatever the sequence of requests and clock steps, no table, GSI or
 * partition key consumes more than its bucket allows: over any interval of the clock, what was consumed
 * is at most the bucket's capacity, plus its refill over the interval, plus one request (a request is
 * admitted while tokens are left and charged what it consumed, which may overdraw by that much).
 * Set MAGNETO_STRESS=1 for many more runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capacity, Database, DynamoDBError, ManualClock, type ConsumedCapacity } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';

const RUNS = process.env.MAGNETO_STRESS === '1' ? 300 : 25;

type Step =
  | { kind: 'put'; key: number; bytes: number; email: boolean }
  | { kind: 'get'; key: number; consistent: boolean }
  | { kind: 'batch'; keys: number[] }
  | { kind: 'transact'; key: number }
  | { kind: 'advance'; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key: fc.integer({ min: 0, max: 3 }), bytes: fc.integer({ min: 0, max: 6000 }), email: fc.boolean() }),
  fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 3 }), consistent: fc.boolean() }),
  fc.record({ kind: fc.constant('batch' as const), keys: fc.uniqueArray(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('transact' as const), key: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 1500 }) }),
);

/** One charge as the caller saw it: when, to which resource, how many units. */
interface Charge {
  readonly at: number;
  readonly resource: string;
  readonly units: number;
  /** The most one admission can overdraw by: the request's units, or one item's for a batch (admitted item by item). */
  readonly overdraw: number;
}

/** Checks every interval [charges[i].at, charges[j].at] of one resource against its bucket. */
function checkBucket(charges: readonly Charge[], resource: string, rate: number, capacityUnits: number): void {
  const mine = charges.filter((c) => c.resource === resource);
  const slack = Math.max(0, ...mine.map((c) => c.overdraw));
  for (let i = 0; i < mine.length; i++) {
    let sum = 0;
    for (let j = i; j < mine.length; j++) {
      sum += mine[j]!.units;
      const allowed = capacityUnits + (rate * (mine[j]!.at - mine[i]!.at)) / 1000 + slack;
      if (sum > allowed + 1e-9) expect.fail(`${resource} consumed ${sum} units in [${mine[i]!.at}, ${mine[j]!.at}], more than the ${allowed} its bucket allows`);
    }
  }
}

describe('capacity() › property', () => {
  it('no sequence of requests consumes more than the table, GSI and partition-key buckets allow', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 3 }), fc.array(step, { maxLength: 60 }), async (wcu, burstSeconds, steps) => {
        const clock = new ManualClock(Date.UTC(2024, 0, 1));
        const db = new Database({ clock, modules: [capacity({ burstSeconds })] });
        await db.createTable({
          TableName: 'things',
          KeySchema: keys('pk'),
          AttributeDefinitions: attributes({ pk: 'S', email: 'S' }),
          ProvisionedThroughput: { ReadCapacityUnits: wcu, WriteCapacityUnits: wcu },
          GlobalSecondaryIndexes: [{ IndexName: 'byEmail', KeySchema: keys('email'), Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: Math.max(1, wcu >> 1) } }],
        });
        const charges: Charge[] = [];
        const record = (write: boolean, consumed: ConsumedCapacity | ConsumedCapacity[] | undefined, batch = false) => {
          for (const c of consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed]) {
            const units = c.Table!.CapacityUnits;
            charges.push({ at: clock.now(), resource: `table-${write ? 'w' : 'r'}`, units, overdraw: batch ? 1 : units });
            const gsi = c.GlobalSecondaryIndexes?.byEmail?.CapacityUnits;
            if (gsi !== undefined) charges.push({ at: clock.now(), resource: `gsi-${write ? 'w' : 'r'}`, units: gsi, overdraw: gsi });
          }
        };
        const attempt = async (run: () => Promise<void>) => {
          try {
            await run();
          } catch (e) {
            if (!(e instanceof DynamoDBError) || !/Throughput|Throttling|TransactionCanceled/.test(e.name)) throw e;
          }
        };
        for (const s of steps) {
          if (s.kind === 'advance') await clock.advance(s.ms);
          else if (s.kind === 'put') {
            const item = { pk: { S: `k${s.key}` }, data: { S: 'x'.repeat(s.bytes) }, ...(s.email ? { email: { S: `e${s.key}` } } : {}) };
            await attempt(async () => record(true, (await db.putItem({ TableName: 'things', Item: item, ReturnConsumedCapacity: 'INDEXES' })).ConsumedCapacity));
          } else if (s.kind === 'get') {
            await attempt(async () =>
              record(false, (await db.getItem({ TableName: 'things', Key: { pk: { S: `k${s.key}` } }, ConsistentRead: s.consistent, ReturnConsumedCapacity: 'INDEXES' })).ConsumedCapacity),
            );
          } else if (s.kind === 'batch') {
            await attempt(async () =>
              record(true, (await db.batchWriteItem({ RequestItems: { things: s.keys.map((k) => ({ PutRequest: { Item: { pk: { S: `b${k}` } } } })) }, ReturnConsumedCapacity: 'INDEXES' })).ConsumedCapacity, true),
            );
          } else {
            await attempt(async () =>
              record(true, (await db.transactWriteItems({ TransactItems: [{ Put: { TableName: 'things', Item: { pk: { S: `k${s.key}` } } } }], ReturnConsumedCapacity: 'INDEXES' })).ConsumedCapacity),
            );
          }
        }
        checkBucket(charges, 'table-w', wcu, wcu * Math.max(1, burstSeconds));
        checkBucket(charges, 'table-r', wcu, wcu * Math.max(1, burstSeconds));
        checkBucket(charges, 'gsi-w', Math.max(1, wcu >> 1), Math.max(1, wcu >> 1) * Math.max(1, burstSeconds));
      }),
      { numRuns: RUNS },
    );
  });
});
