/**
 * Property: whatever the options and however the handler fails (throws, partial batch failures), with
 * unlimited retries every change is handled, and each item's changes are handled in write order — across
 * partition splits and under parallelization. Writes go through the real AWS SDK client.
 */
import { DynamoDBClient, PutItemCommand, DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRequestHandler, Database, ManualClock, memoryStorage } from '@magneto/core';
import { streams, type DynamoDBStreamEvent, type TriggerResponse } from '@magneto/streams';

type Behaviour = { kind: 'ok' } | { kind: 'throw' } | { kind: 'partial'; at: number };

const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Behaviour>({ kind: 'ok' }) },
  fc.constant<Behaviour>({ kind: 'throw' }),
  fc.nat({ max: 10 }).map<Behaviour>((at) => ({ kind: 'partial', at })),
);

// `pause`: let the trigger read before the next write (so it wakes between writes, and splits find it mid-stream).
const write = fc.record({ key: fc.nat({ max: 7 }), remove: fc.boolean(), pause: fc.boolean() });

describe('triggers: at-least-once, in order per item (property)', () => {
  it('delivers every change, each item in order, under random failures and options', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(write, { minLength: 1, maxLength: 60 }),
        fc.array(behaviour, { maxLength: 30 }),
        fc.record({
          batchSize: fc.integer({ min: 1, max: 6 }),
          parallelizationFactor: fc.integer({ min: 1, max: 4 }),
          bisectBatchOnFunctionError: fc.boolean(),
          maximumBatchingWindowMs: fc.constantFrom(0, 500),
          startingPosition: fc.constantFrom('TRIM_HORIZON' as const, 'LATEST' as const),
        }),
        async (writes, behaviours, options) => {
          const clock = new ManualClock(Date.UTC(2026, 0, 15));
          const module = streams();
          const db = new Database({ clock, modules: [module], storage: memoryStorage({ partitionSplitItems: 3 }) });
          const client = new DynamoDBClient({
            region: 'us-east-1',
            credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
            requestHandler: createRequestHandler(db),
          });
          await db.createTable({
            TableName: 'items',
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
            StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
          } as Parameters<Database['createTable']>[0]);
          const expected = new Map<string, string[]>(); // key → its changes, in write order
          const handled = new Map<string, string[]>(); // key → changes handled successfully, in order
          const script = [...behaviours];
          const trigger = module.onChange(
            'items',
            (event: DynamoDBStreamEvent): TriggerResponse | undefined => {
              const next = script.shift() ?? { kind: 'ok' };
              if (next.kind === 'throw') throw new Error('injected');
              const upTo = next.kind === 'partial' ? Math.min(next.at, event.Records.length) : event.Records.length;
              for (const r of event.Records.slice(0, upTo)) {
                const key = (r.dynamodb.Keys.id as { S: string }).S;
                // A removal is named after the value it removed, so every change of a key is distinct.
                const change = r.eventName === 'REMOVE' ? `D${(r.dynamodb.OldImage!.v as { N: string }).N}` : (r.dynamodb.NewImage!.v as { N: string }).N;
                handled.set(key, [...(handled.get(key) ?? []), change]);
              }
              const failed = event.Records[upTo];
              return failed === undefined ? undefined : { batchItemFailures: [{ itemIdentifier: failed.dynamodb.SequenceNumber }] };
            },
            options,
          );
          const present = new Set<string>();
          for (const [i, w] of writes.entries()) {
            const id = `k${w.key}`;
            if (w.remove && present.has(id)) {
              await client.send(new DeleteItemCommand({ TableName: 'items', Key: { id: { S: id } } }));
              present.delete(id);
              const before = expected.get(id) ?? [];
              expected.set(id, [...before, `D${before[before.length - 1]}`]);
            } else {
              await client.send(new PutItemCommand({ TableName: 'items', Item: { id: { S: id }, v: { N: String(i) } } }));
              present.add(id);
              expected.set(id, [...(expected.get(id) ?? []), String(i)]);
            }
            if (w.pause) {
              await new Promise<void>((resolve) => setTimeout(resolve, 0));
              await new Promise<void>((resolve) => setImmediate(resolve));
            }
          }
          let drained = false;
          void trigger.drained().then(() => (drained = true));
          for (let i = 0; i < 1000 && !drained; i++) await clock.advance(60_000);
          trigger.stop();
          expect(drained).toBe(true);
          expect(trigger.stats.failed).toBe(0);
          // At-least-once and in order: duplicates only re-handle a suffix already handled (never skip ahead).
          for (const [key, changes] of expected) {
            const seen = handled.get(key) ?? [];
            const firsts = seen.filter((c, i) => seen.indexOf(c) === i);
            expect(firsts, key).toEqual(changes);
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 60_000);
});
