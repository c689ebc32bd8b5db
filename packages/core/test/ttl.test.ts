/**
 * The ttl() module: UpdateTimeToLive/DescribeTimeToLive (validation, statuses, the one-change-per-hour
 * rule, ARNs), expiry on the database clock (the sweep after the expiry, rewrites, the five-year rule,
 * non-Numbers), system deletes (indexes, change feed origin 'ttl', no capacity), the per-sweep cap, and
 * what happens without the module.
 */
import { describe, expect, it } from 'vitest';
import {
  Database,
  ManualClock,
  ResourceInUseException,
  ResourceNotFoundException,
  SerializationException,
  ValidationException,
  ttl,
  type ChangeRecord,
  type CreateTableInput,
  type DatabaseModule,
  type DescribeTimeToLiveOutput,
  type Item,
  type TtlOptions,
  type UpdateTimeToLiveOutput,
} from '../src/index.js';
import { primaryKeyCodeOf, withHash } from '../src/storage/storage-key.js';
import { writeItem } from '../src/tables/write-item.js';
import { attributes, keys } from './support/tables.js';

const START = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const DYNAMODB = 'DynamoDB_20120810' as const;

const SESSIONS: CreateTableInput = {
  TableName: 'sessions',
  KeySchema: keys('id'),
  AttributeDefinitions: attributes({ id: 'S', user: 'S' }),
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [{ IndexName: 'byUser', KeySchema: keys('user'), Projection: { ProjectionType: 'KEYS_ONLY' } }],
};

interface Setup {
  db: Database;
  clock: ManualClock;
  changes: ChangeRecord[];
}

/** A database with ttl(options) and a change-feed recorder, the sessions table, and (unless `enable` is false) TTL enabled and settled on `expiresAt`. */
async function setup(options: TtlOptions = {}, enable = true): Promise<Setup> {
  const clock = new ManualClock(START);
  const changes: ChangeRecord[] = [];
  const recorder: DatabaseModule = { name: 'recorder', install: (ctx) => void ctx.onChange((batch) => changes.push(...batch.records)) };
  const db = new Database({ clock, modules: [ttl(options), recorder] });
  await db.createTable(SESSIONS);
  if (enable) {
    await updateTtl(db, 'sessions', true, 'expiresAt');
    await clock.advance(MINUTE);
  }
  return { db, clock, changes };
}

function updateTtl(db: Database, table: string, enabled: boolean, attribute: string): Promise<UpdateTimeToLiveOutput> {
  return db.execute(DYNAMODB, 'UpdateTimeToLive', {
    TableName: table,
    TimeToLiveSpecification: { Enabled: enabled, AttributeName: attribute },
  }) as Promise<UpdateTimeToLiveOutput>;
}

function describeTtl(db: Database, table: string): Promise<DescribeTimeToLiveOutput> {
  return db.execute(DYNAMODB, 'DescribeTimeToLive', { TableName: table }) as Promise<DescribeTimeToLiveOutput>;
}

/** Epoch seconds, as a DynamoDB Number, `ms` after `clock`'s now. */
function inMs(clock: ManualClock, ms: number): { N: string } {
  return { N: String(Math.floor((clock.now() + ms) / 1000)) };
}

async function put(db: Database, id: string, extra: Item = {}): Promise<void> {
  await db.putItem({ TableName: 'sessions', Item: { id: { S: id }, user: { S: `u-${id}` }, ...extra } });
}

async function ids(db: Database): Promise<string[]> {
  const { Items = [] } = await db.scan({ TableName: 'sessions' });
  return Items.map((item) => (item.id as { S: string }).S).sort();
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: Error) => error,
  );
}

describe('UpdateTimeToLive / DescribeTimeToLive', () => {
  it('enables: echoes the specification, ENABLING then ENABLED after 30 s of the clock', async () => {
    const { db, clock } = await setup({}, false);
    expect(await describeTtl(db, 'sessions')).toEqual({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
    expect(await updateTtl(db, 'sessions', true, 'expiresAt')).toEqual({
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
    });
    expect(await describeTtl(db, 'sessions')).toEqual({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLING', AttributeName: 'expiresAt' } });
    await clock.advance(29_999);
    expect((await describeTtl(db, 'sessions')).TimeToLiveDescription.TimeToLiveStatus).toBe('ENABLING');
    await clock.advance(1);
    expect(await describeTtl(db, 'sessions')).toEqual({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' } });
  });

  it('disables (after the hour): DISABLING with the attribute, then DISABLED without it', async () => {
    const { db, clock } = await setup();
    await clock.advance(HOUR);
    expect(await updateTtl(db, 'sessions', false, 'expiresAt')).toEqual({
      TimeToLiveSpecification: { Enabled: false, AttributeName: 'expiresAt' },
    });
    expect(await describeTtl(db, 'sessions')).toEqual({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLING', AttributeName: 'expiresAt' } });
    await clock.advance(30_000);
    expect(await describeTtl(db, 'sessions')).toEqual({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
  });

  it('transitionMs sets how long ENABLING and DISABLING last (0: at once)', async () => {
    const { db } = await setup({ transitionMs: 0 }, false);
    await updateTtl(db, 'sessions', true, 'ttl');
    expect((await describeTtl(db, 'sessions')).TimeToLiveDescription.TimeToLiveStatus).toBe('ENABLED');
  });

  it('is not idempotent: already enabled, already disabled, a different attribute', async () => {
    const { db, clock } = await setup();
    await clock.advance(2 * HOUR);
    const enabledAgain = await rejection(updateTtl(db, 'sessions', true, 'expiresAt'));
    expect(enabledAgain).toBeInstanceOf(ValidationException);
    expect(enabledAgain.message).toBe('TimeToLive is already enabled');
    expect((await rejection(updateTtl(db, 'sessions', true, 'other'))).message).toBe(
      'TimeToLive is active on a different AttributeName: current AttributeName is expiresAt',
    );
    expect((await rejection(updateTtl(db, 'sessions', false, 'other'))).message).toBe(
      'TimeToLive is active on a different AttributeName: current AttributeName is expiresAt',
    );
    const fresh = await setup({}, false);
    expect((await rejection(updateTtl(fresh.db, 'sessions', false, 'expiresAt'))).message).toBe('TimeToLive is already disabled');
  });

  it('allows one change per hour of the database clock; content errors come first', async () => {
    const { db, clock } = await setup({}, false);
    await updateTtl(db, 'sessions', true, 'expiresAt');
    await clock.advance(10 * MINUTE);
    const tooSoon = await rejection(updateTtl(db, 'sessions', false, 'expiresAt'));
    expect(tooSoon).toBeInstanceOf(ValidationException);
    expect(tooSoon.message).toBe('Time to live has been modified multiple times within a fixed interval');
    expect((await rejection(updateTtl(db, 'sessions', true, 'expiresAt'))).message).toBe('TimeToLive is already enabled');
    await clock.advance(HOUR - 10 * MINUTE - 1);
    expect((await rejection(updateTtl(db, 'sessions', false, 'expiresAt'))).message).toBe(
      'Time to live has been modified multiple times within a fixed interval',
    );
    await clock.advance(1);
    await updateTtl(db, 'sessions', false, 'expiresAt');
    // The disable starts a new interval: re-enabling (on any attribute) must wait another hour.
    await clock.advance(MINUTE);
    expect((await rejection(updateTtl(db, 'sessions', true, 'other'))).message).toBe(
      'Time to live has been modified multiple times within a fixed interval',
    );
    await clock.advance(HOUR);
    await updateTtl(db, 'sessions', true, 'other');
    await clock.advance(MINUTE);
    expect(await describeTtl(db, 'sessions')).toEqual({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'other' } });
  });

  it('validates the request: types, constraints reported together, then the table', async () => {
    const { db } = await setup({}, false);
    const run = (input: Record<string, unknown>) => rejection(db.execute(DYNAMODB, 'UpdateTimeToLive', input));
    const notNull = (path: string) => `Value null at '${path}' failed to satisfy constraint: Member must not be null`;
    expect((await run({ TableName: 'sessions' })).message).toBe(`1 validation error detected: ${notNull('timeToLiveSpecification')}`);
    expect((await run({ TimeToLiveSpecification: {} })).message).toBe(
      `3 validation errors detected: ${notNull('tableName')}; ${notNull('timeToLiveSpecification.attributeName')}; ${notNull('timeToLiveSpecification.enabled')}`,
    );
    const long = 'a'.repeat(256);
    expect((await run({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: long } })).message).toBe(
      `1 validation error detected: Value '${long}' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255`,
    );
    expect((await run({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: '' } })).message).toBe(
      "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect((await run({ TableName: 'x!', TimeToLiveSpecification: { Enabled: true, AttributeName: 'a' } })).message).toBe(
      "2 validation errors detected: Value 'x!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
        "Value 'x!' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
    );
    const wrongType = await run({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: 'yes', AttributeName: 'a' } });
    expect(wrongType).toBeInstanceOf(SerializationException);
    expect(wrongType.message).toBe('Unexpected token received from parser');
    const missing = await run({ TableName: 'nope', TimeToLiveSpecification: { Enabled: true, AttributeName: 'a' } });
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.message).toBe('Requested resource not found: Table: nope not found');
    const describeMissing = await rejection(describeTtl(db, 'nope'));
    expect(describeMissing).toBeInstanceOf(ResourceNotFoundException);
    expect((await rejection(db.execute(DYNAMODB, 'DescribeTimeToLive', {}))).message).toBe(`1 validation error detected: ${notNull('tableName')}`);
  });

  it('refuses a table being created or deleted (ResourceInUseException); describes it', async () => {
    const clock = new ManualClock(START);
    const db = new Database({ clock, tableTransitionMs: 1000, modules: [ttl()] });
    await db.createTable(SESSIONS);
    const creating = await rejection(updateTtl(db, 'sessions', true, 'expiresAt'));
    expect(creating).toBeInstanceOf(ResourceInUseException);
    expect(creating.message).toBe('Attempt to change a resource which is still in use: Table is being created: sessions');
    expect(await describeTtl(db, 'sessions')).toEqual({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
    await clock.advance(1000);
    await db.deleteTable({ TableName: 'sessions' });
    expect((await rejection(updateTtl(db, 'sessions', true, 'expiresAt'))).message).toBe(
      'Attempt to change a resource which is still in use: Table is being deleted: sessions',
    );
  });

  it('accepts the table ARN wherever it takes a name', async () => {
    const { db, clock } = await setup({}, false);
    const { Table } = await db.describeTable({ TableName: 'sessions' });
    await updateTtl(db, Table!.TableArn!, true, 'expiresAt');
    await clock.advance(MINUTE);
    expect(await describeTtl(db, Table!.TableArn!)).toEqual({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' } });
    const otherAccount = Table!.TableArn!.replace('000000000000', '111111111111');
    expect(await rejection(describeTtl(db, otherAccount))).toBeInstanceOf(ResourceNotFoundException);
  });

  it('without the module, both operations fail naming ttl()', async () => {
    const db = new Database();
    await db.createTable(SESSIONS);
    const error = await rejection(updateTtl(db, 'sessions', true, 'expiresAt'));
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toBe(
      "UpdateTimeToLive needs the ttl module, which this database does not have: create it with new Database({ modules: [ttl()] }) (import { ttl } from '@magneto/core')",
    );
    expect((await rejection(describeTtl(db, 'sessions'))).message).toMatch(/^DescribeTimeToLive needs the ttl module/);
  });

  it('refuses bad options', () => {
    expect(() => ttl({ sweepIntervalMs: 0 })).toThrow(RangeError);
    expect(() => ttl({ maxDeletesPerSweep: -1 })).toThrow(RangeError);
    expect(() => ttl({ transitionMs: Number.NaN })).toThrow(RangeError);
  });
});

describe('expiry', () => {
  it('an item expiring in 2 hours is there at +1 h 59 min and gone after the sweep following +2 h', async () => {
    const { db, clock } = await setup();
    await put(db, 's1', { expiresAt: inMs(clock, 2 * HOUR) });
    await clock.advance(HOUR + 59 * MINUTE);
    expect(await ids(db)).toEqual(['s1']);
    await clock.advance(MINUTE);
    // Exactly at its expiry it is not in the past yet.
    expect(await ids(db)).toEqual(['s1']);
    await clock.advance(MINUTE);
    expect(await ids(db)).toEqual([]);
    expect((await db.getItem({ TableName: 'sessions', Key: { id: { S: 's1' } } })).Item).toBeUndefined();
  });

  it('expired items stay readable and updatable until the sweep', async () => {
    const { db, clock } = await setup({ sweepIntervalMs: HOUR });
    await put(db, 's1', { expiresAt: inMs(clock, MINUTE) });
    await clock.advance(10 * MINUTE);
    expect((await db.getItem({ TableName: 'sessions', Key: { id: { S: 's1' } } })).Item).toBeDefined();
    await db.updateItem({ TableName: 'sessions', Key: { id: { S: 's1' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } });
    await clock.advance(HOUR);
    expect(await ids(db)).toEqual([]);
  });

  it('rewriting the TTL attribute extends the life', async () => {
    const { db, clock } = await setup();
    await put(db, 's1', { expiresAt: inMs(clock, 2 * HOUR) });
    await clock.advance(HOUR + 30 * MINUTE);
    await db.updateItem({
      TableName: 'sessions',
      Key: { id: { S: 's1' } },
      UpdateExpression: 'SET expiresAt = :t',
      ExpressionAttributeValues: { ':t': inMs(clock, 2 * HOUR) },
    });
    await clock.advance(HOUR);
    expect(await ids(db)).toEqual(['s1']);
    await clock.advance(HOUR + MINUTE);
    expect(await ids(db)).toEqual([]);
  });

  it('removing the TTL attribute or making it a String keeps the item for good', async () => {
    const { db, clock } = await setup();
    await put(db, 'removed', { expiresAt: inMs(clock, HOUR) });
    await put(db, 'string', { expiresAt: inMs(clock, HOUR) });
    await db.updateItem({ TableName: 'sessions', Key: { id: { S: 'removed' } }, UpdateExpression: 'REMOVE expiresAt' });
    await db.updateItem({
      TableName: 'sessions',
      Key: { id: { S: 'string' } },
      UpdateExpression: 'SET expiresAt = :s',
      ExpressionAttributeValues: { ':s': { S: String(Math.floor(START / 1000)) } },
    });
    await clock.advance(DAY);
    expect(await ids(db)).toEqual(['removed', 'string']);
  });

  it('ignores non-Numbers, nested attributes and other attributes', async () => {
    const { db, clock } = await setup();
    const past = inMs(clock, -HOUR);
    await put(db, 'string', { expiresAt: { S: past.N } });
    await put(db, 'list', { expiresAt: { L: [past] } });
    await put(db, 'map', { data: { M: { expiresAt: past } } });
    await put(db, 'set', { expiresAt: { NS: [past.N] } });
    await put(db, 'other', { ttl: past });
    await put(db, 'number', { expiresAt: past });
    await clock.advance(2 * MINUTE);
    expect(await ids(db)).toEqual(['list', 'map', 'other', 'set', 'string']);
  });

  it('the five-year rule: timestamps more than five years in the past are never deleted', async () => {
    const { db, clock } = await setup();
    const fiveYears = 5 * 365 * DAY;
    await put(db, 'ancient', { expiresAt: inMs(clock, -fiveYears - DAY) });
    await put(db, 'old', { expiresAt: inMs(clock, -fiveYears + DAY) });
    await put(db, 'millis', { expiresAt: { N: String(clock.now()) } }); // milliseconds: far in the future as seconds
    await clock.advance(2 * MINUTE);
    expect(await ids(db)).toEqual(['ancient', 'millis']);
  });

  it('the five-year rule applies when the sweeper looks: an expiry that crossed the line since the write is left alone', async () => {
    const { db, clock } = await setup();
    const fiveYears = 5 * 365 * DAY;
    // Written 4 years 364 days 23 h 59 min 30 s after it expired; the next sweep (30 s later still) finds it too old.
    await put(db, 'crossed', { expiresAt: inMs(clock, -fiveYears + 30_000) });
    await put(db, 'inside', { expiresAt: inMs(clock, -fiveYears + 2 * MINUTE) });
    await clock.advance(MINUTE);
    expect(await ids(db)).toEqual(['crossed']);
    await clock.advance(DAY);
    expect(await ids(db)).toEqual(['crossed']);
  });

  it('one long jump still runs every sweep in order', async () => {
    const { db, clock } = await setup();
    await put(db, 's1', { expiresAt: inMs(clock, HOUR) });
    await put(db, 's2', { expiresAt: inMs(clock, 10 * 365 * DAY) });
    // ManualClock fires the sweeps in order: s1 goes at +1 h 1 min, well within five years of its expiry.
    await clock.advance(6 * 365 * DAY);
    expect(await ids(db)).toEqual(['s2']);
  });

  it('enabling TTL on a table with items backfills: their expiries count', async () => {
    const { db, clock } = await setup({}, false);
    await put(db, 'past', { expiresAt: inMs(clock, -DAY) });
    await put(db, 'future', { expiresAt: inMs(clock, DAY) });
    await put(db, 'none');
    await updateTtl(db, 'sessions', true, 'expiresAt');
    // Nothing is deleted while ENABLING.
    await clock.advance(29_000);
    expect(await ids(db)).toEqual(['future', 'none', 'past']);
    await clock.advance(2 * MINUTE);
    expect(await ids(db)).toEqual(['future', 'none']);
    await clock.advance(DAY);
    expect(await ids(db)).toEqual(['none']);
  });

  it('disabling TTL stops deletions at once and drops the index entries', async () => {
    const { db, clock } = await setup();
    await put(db, 's1', { expiresAt: inMs(clock, 2 * HOUR) });
    await clock.advance(HOUR);
    await updateTtl(db, 'sessions', false, 'expiresAt');
    await clock.advance(DAY);
    expect(await ids(db)).toEqual(['s1']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a dropped table takes its entries along; a re-created one has no TTL', async () => {
    const { db, clock } = await setup();
    await put(db, 's1', { expiresAt: inMs(clock, HOUR) });
    await db.deleteTable({ TableName: 'sessions' });
    await db.createTable(SESSIONS);
    await put(db, 's2', { expiresAt: inMs(clock, -MINUTE) });
    expect(await describeTtl(db, 'sessions')).toEqual({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
    await clock.advance(DAY);
    expect(await ids(db)).toEqual(['s2']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('listens to the change feed only while some table has TTL: writes elsewhere build no change records', async () => {
    const clock = new ManualClock(START);
    const db = new Database({ clock, modules: [ttl({ transitionMs: 0 })] });
    await db.createTable(SESSIONS);
    expect(db.engine.hasChangeListeners).toBe(false);
    await updateTtl(db, 'sessions', true, 'expiresAt');
    expect(db.engine.hasChangeListeners).toBe(true);
    await clock.advance(HOUR);
    await updateTtl(db, 'sessions', false, 'expiresAt');
    expect(db.engine.hasChangeListeners).toBe(false);
  });

  it('a dropped table without pending expiries is forgotten at the next TTL call: the change feed goes quiet', async () => {
    const { db } = await setup();
    expect(db.engine.hasChangeListeners).toBe(true);
    await db.deleteTable({ TableName: 'sessions' });
    await rejection(describeTtl(db, 'sessions'));
    // The recorder module still listens; the ttl module's listener is gone.
    const clock = new ManualClock(START);
    const alone = new Database({ clock, modules: [ttl({ transitionMs: 0 })] });
    await alone.createTable(SESSIONS);
    await updateTtl(alone, 'sessions', true, 'expiresAt');
    await alone.deleteTable({ TableName: 'sessions' });
    expect(alone.engine.hasChangeListeners).toBe(true);
    await alone.createTable(SESSIONS);
    expect((await describeTtl(alone, 'sessions')).TimeToLiveDescription.TimeToLiveStatus).toBe('DISABLED');
    expect(alone.engine.hasChangeListeners).toBe(false);
  });

  it('leaves no timer behind while nothing can expire', async () => {
    const { db, clock } = await setup();
    expect(clock.pendingTimers).toBe(0);
    await put(db, 's1', { expiresAt: inMs(clock, HOUR) });
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(2 * HOUR);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('system deletes', () => {
  it('remove GSI entries, publish REMOVE with origin ttl and the old image, consume nothing', async () => {
    const { db, clock, changes } = await setup();
    await put(db, 's1', { expiresAt: inMs(clock, HOUR) });
    await put(db, 's2', { expiresAt: inMs(clock, 3 * HOUR) });
    const before = changes.length;
    await clock.advance(HOUR + MINUTE);
    const { Items } = await db.query({
      TableName: 'sessions',
      IndexName: 'byUser',
      KeyConditionExpression: '#u = :u',
      ExpressionAttributeNames: { '#u': 'user' },
      ExpressionAttributeValues: { ':u': { S: 'u-s1' } },
    });
    expect(Items).toEqual([]);
    expect((await db.scan({ TableName: 'sessions', IndexName: 'byUser' })).Count).toBe(1);
    const removals = changes.slice(before);
    expect(removals).toHaveLength(1);
    expect(removals[0]).toMatchObject({
      tableName: 'sessions',
      eventName: 'REMOVE',
      origin: 'ttl',
      keys: { id: { S: 's1' } },
      oldImage: { id: { S: 's1' }, user: { S: 'u-s1' }, expiresAt: { N: String((START + MINUTE + HOUR) / 1000) } },
      timestamp: START + MINUTE + HOUR + MINUTE,
    });
    expect(removals[0]!.newImage).toBeUndefined();
    // User deletes keep origin 'user'.
    await db.deleteItem({ TableName: 'sessions', Key: { id: { S: 's2' } } });
    expect(changes.at(-1)).toMatchObject({ eventName: 'REMOVE', origin: 'user' });
    db.engine.tables.get('sessions')!.storage.checkInvariants();
  });

  it('run no admission hooks (no capacity is consumed)', async () => {
    const clock = new ManualClock(START);
    const seen: string[] = [];
    const audit: DatabaseModule = { name: 'audit', install: (ctx) => ctx.addAdmissionHook({ beforeOperation: (r) => void seen.push(r.operation) }) };
    const db = new Database({ clock, modules: [ttl({ transitionMs: 0 }), audit] });
    await db.createTable(SESSIONS);
    await updateTtl(db, 'sessions', true, 'expiresAt');
    await put(db, 's1', { expiresAt: inMs(clock, MINUTE) });
    seen.length = 0;
    await clock.advance(HOUR);
    expect(await ids(db)).toEqual([]);
    expect(seen).toEqual(['Scan']);
  });

  it('delete at most maxDeletesPerSweep per sweep, the rest in the following sweeps, in expiry order', async () => {
    const { db, clock } = await setup({ maxDeletesPerSweep: 3 });
    for (let i = 0; i < 8; i++) await put(db, `s${i}`, { expiresAt: inMs(clock, HOUR - i * 1000) });
    await clock.advance(HOUR - MINUTE);
    expect(await ids(db)).toHaveLength(8);
    await clock.advance(MINUTE);
    expect(await ids(db)).toEqual(['s0', 's1', 's2', 's3', 's4']);
    await clock.advance(MINUTE);
    expect(await ids(db)).toEqual(['s0', 's1']);
    await clock.advance(MINUTE);
    expect(await ids(db)).toEqual([]);
  });

  it('re-check the current item before deleting: a change the feed did not carry is honoured', async () => {
    const { db, clock, changes } = await setup();
    await put(db, 's1', { expiresAt: inMs(clock, HOUR) });
    // Rewrite the stored item behind the change feed's back (as a recovery or a bug might).
    const table = db.engine.tables.get('sessions')!;
    const item: Item = { id: { S: 's1' }, user: { S: 'u-s1' }, expiresAt: inMs(clock, 10 * HOUR) };
    writeItem(table, primaryKeyCodeOf(item, table.keySchema), item, (code) => withHash(code, item, table.keySchema));
    const before = changes.length;
    await clock.advance(2 * HOUR);
    expect(await ids(db)).toEqual(['s1']);
    expect(changes.length).toBe(before);
  });

  it('re-check the current item: a rewrite between indexing and sweeping is honoured', async () => {
    // Two tables share the index; rewriting on one must never delete from the other.
    const { db, clock } = await setup();
    await db.createTable({ TableName: 'other', KeySchema: keys('id'), AttributeDefinitions: attributes({ id: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
    await updateTtl(db, 'other', true, 'expiresAt');
    await clock.advance(MINUTE);
    await put(db, 'a', { expiresAt: inMs(clock, HOUR) });
    await db.putItem({ TableName: 'other', Item: { id: { S: 'a' }, expiresAt: inMs(clock, HOUR) } });
    await db.putItem({ TableName: 'other', Item: { id: { S: 'a' }, expiresAt: inMs(clock, 3 * HOUR) } });
    await clock.advance(HOUR + MINUTE);
    expect(await ids(db)).toEqual([]);
    expect((await db.scan({ TableName: 'other' })).Count).toBe(1);
    await clock.advance(2 * HOUR);
    expect((await db.scan({ TableName: 'other' })).Count).toBe(0);
  });
});
