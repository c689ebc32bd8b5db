/**
 * Model-based test of ttl(): random writes (TTL attributes in the past, the future, more than five years
 * ago, not Numbers, absent), deletes, TTL toggles and clock jumps, against a plain reference: a Map of
 * items and the rule "an item goes at the first sweep tick after its expiry, unless that tick is more
 * than five years after it". After each step the table (and its GSI) must hold exactly the expected
 * items, the storage invariants must hold, and UpdateTimeToLive must succeed or fail as the model says.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database, ManualClock, ttl, type AttributeValue, type Item } from '../src/index.js';
import { checkTableInvariants } from './support/invariants.js';
import { attributes, keys } from './support/tables.js';

const START = Date.UTC(2024, 0, 1);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;
const FIVE_YEARS = 5 * YEAR;
const INTERVAL = MINUTE;
const DYNAMODB = 'DynamoDB_20120810' as const;

/** A TTL attribute to write: seconds relative to now, a String, or none. */
type TtlValue = { kind: 'in'; seconds: number } | { kind: 'string' } | { kind: 'none' };

type Action =
  | { op: 'put'; id: string; ttl: TtlValue }
  | { op: 'setTtl'; id: string; ttl: TtlValue }
  | { op: 'delete'; id: string }
  | { op: 'toggle' }
  | { op: 'advance'; ms: number };

const id = fc.constantFrom('a', 'b', 'c', 'd', 'e');
const ttlValue: fc.Arbitrary<TtlValue> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -3 * 3600, max: 3 * 3600 }).map((seconds) => ({ kind: 'in' as const, seconds })) },
  { weight: 1, arbitrary: fc.integer({ min: -6 * 365 * 86400, max: -4 * 365 * 86400 }).map((seconds) => ({ kind: 'in' as const, seconds })) },
  // Right at the five-year edge: indexed when written, more than five years old by the next sweep, or not.
  { weight: 1, arbitrary: fc.integer({ min: -FIVE_YEARS / 1000 - 120, max: -FIVE_YEARS / 1000 + 120 }).map((seconds) => ({ kind: 'in' as const, seconds })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'string' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
);
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('put' as const), id, ttl: ttlValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('setTtl' as const), id, ttl: ttlValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), id }) },
  { weight: 1, arbitrary: fc.constant({ op: 'toggle' as const }) },
  {
    weight: 4,
    arbitrary: fc
      .oneof(
        // Short steps see one sweep at a time (and the cap at work); long ones cross hours and years.
        { weight: 3, arbitrary: fc.constantFrom(SECOND, 30 * SECOND, 59 * SECOND, MINUTE) },
        { weight: 2, arbitrary: fc.constantFrom(7 * MINUTE, HOUR, DAY, 2 * YEAR, 6 * YEAR) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 * HOUR }) },
      )
      .map((ms) => ({ op: 'advance' as const, ms })),
  },
);

/** The reference: items by id (their TTL in epoch seconds, if a Number), the TTL setting, and time. */
class Model {
  readonly items = new Map<string, { ttl: number | undefined }>();
  enabled = true;
  changedAt = START;
  now = START;

  private tickAfter(t: number): number {
    return START + (Math.floor((t - START) / INTERVAL) + 1) * INTERVAL;
  }

  constructor(private readonly cap: number) {}

  /**
   * Runs the sweeps of the ticks in (now, now + ms]: at tick T the items with T - 5 years <= expiry < T
   * are due, and the first `cap` of them in (expiry, key) order go. Only ticks where something can be
   * due are visited, so jumps of years stay cheap.
   */
  advance(ms: number): void {
    const target = this.now + ms;
    let tick = this.tickAfter(this.now);
    while (this.enabled) {
      const pending = [...this.items].filter(([, { ttl }]) => ttl !== undefined && ttl * 1000 >= tick - FIVE_YEARS);
      if (pending.length === 0) break;
      const earliest = Math.min(...pending.map(([, { ttl }]) => ttl! * 1000));
      tick = Math.max(tick, this.tickAfter(earliest));
      if (tick > target) break;
      const due = pending
        .filter(([, { ttl }]) => ttl! * 1000 < tick && ttl! * 1000 >= tick - FIVE_YEARS)
        .sort(([a, x], [b, y]) => x.ttl! - y.ttl! || (a < b ? -1 : a > b ? 1 : 0));
      for (const [key] of due.slice(0, this.cap)) this.items.delete(key);
      tick += INTERVAL;
    }
    this.now = target;
  }
}

function attributeOf(value: TtlValue, now: number): AttributeValue | undefined {
  if (value.kind === 'none') return undefined;
  const seconds = Math.floor(now / 1000) + (value.kind === 'in' ? value.seconds : 0);
  return value.kind === 'string' ? { S: String(seconds) } : { N: String(seconds) };
}

describe('ttl model', () => {
  it('matches the reference after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 30 }), fc.constantFrom(1, 2, 10_000), async (actions, cap) => {
        const clock = new ManualClock(START);
        const db = new Database({ clock, modules: [ttl({ sweepIntervalMs: INTERVAL, transitionMs: 0, maxDeletesPerSweep: cap })] });
        await db.createTable({
          TableName: 'tbl',
          KeySchema: keys('id'),
          AttributeDefinitions: attributes({ id: 'S', g: 'S' }),
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: keys('g'), Projection: { ProjectionType: 'ALL' } }],
        });
        await db.execute(DYNAMODB, 'UpdateTimeToLive', { TableName: 'tbl', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } });
        const model = new Model(cap);

        for (const step of actions) {
          switch (step.op) {
            case 'put': {
              const exp = attributeOf(step.ttl, clock.now());
              const item: Item = { id: { S: step.id }, g: { S: 'all' }, ...(exp === undefined ? {} : { exp }) };
              await db.putItem({ TableName: 'tbl', Item: item });
              model.items.set(step.id, { ttl: exp !== undefined && 'N' in exp ? Number(exp.N) : undefined });
              break;
            }
            case 'setTtl': {
              const exp = attributeOf(step.ttl, clock.now());
              await db.updateItem(
                exp === undefined
                  ? { TableName: 'tbl', Key: { id: { S: step.id } }, UpdateExpression: 'SET g = :g REMOVE exp', ExpressionAttributeValues: { ':g': { S: 'all' } } }
                  : { TableName: 'tbl', Key: { id: { S: step.id } }, UpdateExpression: 'SET g = :g, exp = :e', ExpressionAttributeValues: { ':g': { S: 'all' }, ':e': exp } },
              );
              model.items.set(step.id, { ttl: exp !== undefined && 'N' in exp ? Number(exp.N) : undefined });
              break;
            }
            case 'delete':
              await db.deleteItem({ TableName: 'tbl', Key: { id: { S: step.id } } });
              model.items.delete(step.id);
              break;
            case 'toggle': {
              const enable = !model.enabled;
              const result = db.execute(DYNAMODB, 'UpdateTimeToLive', { TableName: 'tbl', TimeToLiveSpecification: { Enabled: enable, AttributeName: 'exp' } });
              if (clock.now() - model.changedAt < HOUR) {
                await expect(result).rejects.toThrow('Time to live has been modified multiple times within a fixed interval');
              } else {
                await result;
                model.enabled = enable;
                model.changedAt = clock.now();
              }
              break;
            }
            case 'advance':
              await clock.advance(step.ms);
              model.advance(step.ms);
              break;
          }

          const { Items = [] } = await db.scan({ TableName: 'tbl' });
          const actual = new Map(Items.map((item) => [(item.id as { S: string }).S, item.exp !== undefined && 'N' in item.exp ? Number(item.exp.N) : undefined]));
          expect(new Map([...model.items].map(([key, { ttl }]) => [key, ttl]))).toEqual(actual);
          expect((await db.scan({ TableName: 'tbl', IndexName: 'byG' })).Count).toBe(model.items.size);
          checkTableInvariants(db, 'tbl');
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
