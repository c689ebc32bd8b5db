import { Database, ManualClock, ttl, type Item } from '@magneto/core';
import { backup } from '@magneto/backup';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/**
 * A reference model by observation: after every step the test scans the table and records what it holds
 * at that instant (steps happen at whole seconds, and every event of a second — TTL sweeps included —
 * happens before the step's own write, which the scan follows). Restoring to any step's second must give
 * exactly the recorded items, and the restored GSI must index exactly those of them with an index key.
 */

const T0 = Date.UTC(2026, 0, 1);
const KEYS = ['a', 'b', 'c', 'd', 'e'];
const RUNS = process.env.MAGNETO_STRESS === '1' ? 200 : 25;

type Step =
  | { kind: 'put'; key: string; value: number; indexed: boolean; expiresIn?: number | undefined }
  | { kind: 'update'; key: string; value: number }
  | { kind: 'delete'; key: string }
  | { kind: 'transact'; put: string; del: string; value: number };

const key = fc.constantFrom(...KEYS);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key, value: fc.nat(1000), indexed: fc.boolean(), expiresIn: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }) }, { requiredKeys: ['kind', 'key', 'value', 'indexed'] }),
  fc.record({ kind: fc.constant('update' as const), key, value: fc.nat(1000) }),
  fc.record({ kind: fc.constant('delete' as const), key }),
  fc.record({ kind: fc.constant('transact' as const), put: key, del: key, value: fc.nat(1000) }).filter((s) => s.put !== s.del),
);
const history = fc.array(fc.record({ step, advanceSeconds: fc.integer({ min: 1, max: 8 }) }), { minLength: 1, maxLength: 40 });

function itemOf(s: { key: string; value: number; indexed?: boolean; expiresIn?: number | undefined }, now: number): Item {
  const item: Item = { pk: { S: s.key }, v: { N: String(s.value) } };
  if (s.indexed !== false) item.g = { S: `g${s.value % 3}` };
  if (s.expiresIn !== undefined) item.expires = { N: String(Math.floor(now / 1000) + s.expiresIn) };
  return item;
}

async function apply(db: Database, s: Step, now: number): Promise<void> {
  const TableName = 'live';
  if (s.kind === 'put') await db.putItem({ TableName, Item: itemOf(s, now) });
  else if (s.kind === 'update') {
    await db.updateItem({ TableName, Key: { pk: { S: s.key } }, UpdateExpression: 'SET v = :v, g = :g', ExpressionAttributeValues: { ':v': { N: String(s.value) }, ':g': { S: `g${s.value % 3}` } } });
  } else if (s.kind === 'delete') await db.deleteItem({ TableName, Key: { pk: { S: s.key } } });
  else {
    await db.transactWriteItems({
      TransactItems: [{ Put: { TableName, Item: itemOf({ key: s.put, value: s.value }, now) } }, { Delete: { TableName, Key: { pk: { S: s.del } } } }],
    });
  }
}

const pkOf = (item: Item): string => (item.pk as { S: string }).S;
const byKey = (items: readonly Item[]): Item[] => [...items].sort((x, y) => (pkOf(x) < pkOf(y) ? -1 : 1));

describe('RestoreTableToPointInTime › property', () => {
  it('restoring to any second of a random write history gives exactly the table at that second, its GSI included', async () => {
    await fc.assert(
      fc.asyncProperty(history, fc.integer({ min: 1, max: 20 }), fc.nat(), async (steps, intervalSeconds, pick) => {
        const clock = new ManualClock(T0);
        const db = new Database({ clock, modules: [backup({ checkpointIntervalMs: intervalSeconds * 1000, latestRestorableDelayMs: 0 }), ttl({ sweepIntervalMs: 3000 })] });
        await db.createTable({
          TableName: 'live',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        });
        await db.execute('DynamoDB_20120810', 'UpdateTimeToLive', { TableName: 'live', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } });
        await db.execute('DynamoDB_20120810', 'UpdateContinuousBackups', { TableName: 'live', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
        const recorded: Array<{ at: number; items: Item[] }> = [{ at: clock.now(), items: [] }];
        for (const { step: s, advanceSeconds } of steps) {
          await clock.advance(advanceSeconds * 1000);
          await apply(db, s, clock.now());
          recorded.push({ at: clock.now(), items: byKey((await db.scan({ TableName: 'live' })).Items ?? []) });
        }
        const chosen = recorded[pick % recorded.length]!;
        await db.execute('DynamoDB_20120810', 'RestoreTableToPointInTime', { SourceTableName: 'live', TargetTableName: 'restored', RestoreDateTime: new Date(chosen.at) });
        expect(byKey((await db.scan({ TableName: 'restored' })).Items ?? [])).toEqual(chosen.items);
        const indexed = byKey((await db.scan({ TableName: 'restored', IndexName: 'byG' })).Items ?? []);
        expect(indexed).toEqual(chosen.items.filter((item) => item.g !== undefined));
      }),
      { numRuns: RUNS, verbose: true },
    );
  });
});
