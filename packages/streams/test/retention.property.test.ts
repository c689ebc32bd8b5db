/**
 * Retention trimming under random writes, clock moves and partition splits: whenever a reader looks at a
 * stream, it holds exactly the records committed within the retention period, and no shard that closed
 * before it; a disabled stream's shards go when it does. (A stream skips a trim that has nothing to drop; this checks the skip never skips too much.)
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Database, ManualClock, memoryStorage } from '@magneto/core';
import { streams } from '@magneto/streams';

const RETENTION_MS = 10 * 60_000;

const step = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key: fc.nat({ max: 40 }) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 2 * RETENTION_MS }) }),
  fc.record({ kind: fc.constant('read' as const) }),
  fc.record({ kind: fc.constant('disable' as const) }),
);

describe('retention (property)', () => {
  it('a stream read at any time holds exactly the records within retention, across splits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 80 }), async (steps) => {
        const clock = new ManualClock(Date.UTC(2026, 0, 15));
        const module = streams({ retentionMs: RETENTION_MS });
        const db = new Database({ clock, modules: [module], storage: memoryStorage({ partitionSplitItems: 4 }) });
        await db.createTable({
          TableName: 'items',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
        } as Parameters<Database['createTable']>[0]);
        const arn = module.store!.list()[0]!.arn;
        const written: { id: string; at: number }[] = []; // the reference: every record, with its commit time
        let version = 0;
        let enabled = true;
        const check = () => {
          const now = clock.now();
          const cutoff = now - RETENTION_MS;
          const expected = written.filter((w) => w.at > cutoff).map((w) => `${w.id}@${w.at}`);
          const stream = module.store!.stream(arn);
          if (stream === undefined) {
            // Disabled for longer than retention: gone, and so is every record it held.
            expect(enabled).toBe(false);
            expect(expected).toEqual([]);
            return;
          }
          const held: string[] = [];
          for (const shard of stream.shards) {
            if (shard.closedAt !== undefined) expect(shard.closedAt).toBeGreaterThan(cutoff);
            for (let i = shard.records.head; i < shard.records.end; i++) {
              const change = shard.records.changeAt(i);
              held.push(`${(change.keys.id as { S: string }).S}@${change.timestamp}`);
            }
          }
          expect(held.sort()).toEqual(expected.sort());
        };
        for (const s of steps) {
          if (s.kind === 'put') {
            const id = `k${s.key}`;
            await db.putItem({ TableName: 'items', Item: { id: { S: id }, v: { N: String(version++) } } });
            if (enabled) written.push({ id, at: clock.now() });
          } else if (s.kind === 'advance') {
            await clock.advance(s.ms);
          } else if (s.kind === 'disable') {
            if (!enabled) continue;
            enabled = false;
            await db.updateTable({ TableName: 'items', StreamSpecification: { StreamEnabled: false } } as Parameters<Database['updateTable']>[0]);
          } else {
            check();
          }
        }
        check();
      }),
      { numRuns: 60 },
    );
  });
});
