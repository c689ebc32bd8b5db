/**
 * In-process triggers through a real Database with the streams module: Lambda's DynamoDB event-source
 * mapping semantics (batching, windows, retries, bisect, partial batch responses, filters, starting
 * positions, parallelization, record age, failure records). Time moves only through ManualClock.
 */
import { describe, expect, it } from 'vitest';
import { Database, ManualClock, memoryStorage, type Item } from '@magneto/core';
import { streams } from '@magneto/streams';
import {
  InvalidParameterValueException,
  type DynamoDBStreamEvent,
  type LambdaStreamRecord,
  type Trigger,
  type TriggerFailureRecord,
  type TriggerHandler,
  type TriggerOptions,
} from '@magneto/streams';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

/**
 * Lets the trigger read and invoke before ManualClock moves: a trigger reads in a later macrotask (never
 * inside the writer's call), and `advance` moves time before that, so a retry scheduled late would fall after it.
 */
const tick = async () => {
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  await new Promise<void>((resolve) => setImmediate(resolve));
};

interface Harness {
  db: Database;
  clock: ManualClock;
  onChange(tableName: string, handler: TriggerHandler, options?: TriggerOptions): Trigger;
}

/** A database with the streams module; triggers come from its `onChange`, as applications use them. */
function harness(partitionSplitItems?: number): Harness {
  const clock = new ManualClock(T0);
  const module = streams();
  const db = new Database({
    clock,
    modules: [module],
    ...(partitionSplitItems === undefined ? {} : { storage: memoryStorage({ partitionSplitItems }) }),
  });
  return { db, clock, onChange: (t, h, o) => module.onChange(t, h, o) };
}

async function table(db: Database, TableName = 'orders', StreamViewType = 'NEW_AND_OLD_IMAGES'): Promise<void> {
  await db.createTable({
    TableName,
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType },
  } as Parameters<Database['createTable']>[0]);
}

function put(db: Database, id: string, extra: Item = {}, TableName = 'orders'): Promise<unknown> {
  return db.putItem({ TableName, Item: { id: { S: id }, ...extra } });
}

const ids = (records: readonly LambdaStreamRecord[]) => records.map((r) => r.dynamodb.Keys.id && (r.dynamodb.Keys.id as { S: string }).S);

/** Records each invocation's ids; `fail(event, call)` may throw or return a partial-failure response. */
function recorder(fail?: (event: DynamoDBStreamEvent, call: number) => unknown) {
  const calls: string[][] = [];
  const handler: TriggerHandler = async (event) => {
    calls.push(ids(event.Records) as string[]);
    return fail?.(event, calls.length) as undefined;
  };
  return { calls, handler };
}

describe('triggers: delivery and batching', () => {
  it('delivers Lambda records (eventSourceARN, epoch-second times, base64 binary) in batches of batchSize', async () => {
    const { db, onChange } = harness();
    await table(db);
    for (let i = 0; i < 250; i++) void put(db, `o${String(i).padStart(3, '0')}`, { bin: { B: new Uint8Array([1, 2, 255]) } });
    const { calls, handler } = recorder();
    let first: LambdaStreamRecord | undefined;
    const trigger = onChange('orders', (event) => {
      first ??= event.Records[0];
      return handler(event);
    }, { startingPosition: 'TRIM_HORIZON' });
    await trigger.drained();
    expect(calls.map((c) => c.length)).toEqual([100, 100, 50]);
    expect(calls.flat()).toEqual(Array.from({ length: 250 }, (_, i) => `o${String(i).padStart(3, '0')}`));
    const arn = ((await db.describeTable({ TableName: 'orders' })).Table as unknown as { LatestStreamArn: string }).LatestStreamArn;
    expect(first).toMatchObject({
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: arn,
      dynamodb: {
        ApproximateCreationDateTime: T0 / 1000,
        Keys: { id: { S: 'o000' } },
        NewImage: { id: { S: 'o000' }, bin: { B: 'AQL/' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(trigger.stats).toMatchObject({ delivered: 250, failed: 0, retries: 0, invocations: 3 });
    trigger.stop();
  });

  it('waits maximumBatchingWindowMs on the database clock, unless the batch fills', async () => {
    const { db, clock, onChange } = harness();
    await table(db);
    const { calls, handler } = recorder();
    const trigger = onChange('orders', handler, { batchSize: 5, maximumBatchingWindowMs: 1000 });
    await put(db, 'a');
    await put(db, 'b');
    await tick();
    await clock.advance(999);
    expect(calls).toEqual([]);
    await put(db, 'c');
    await tick();
    await clock.advance(1);
    expect(calls).toEqual([['a', 'b', 'c']]);
    for (const id of ['d', 'e', 'f', 'g', 'h']) void put(db, id);
    await trigger.drained();
    expect(calls).toEqual([['a', 'b', 'c'], ['d', 'e', 'f', 'g', 'h']]);
    trigger.stop();
  });

  it('LATEST sees only what is written after onChange; TRIM_HORIZON sees everything retained', async () => {
    const { db, onChange } = harness();
    await table(db);
    await put(db, 'before');
    const latest = recorder();
    const horizon = recorder();
    const a = onChange('orders', latest.handler); // LATEST is the default
    const b = onChange('orders', horizon.handler, { startingPosition: 'TRIM_HORIZON' });
    await put(db, 'after');
    await Promise.all([a.drained(), b.drained()]);
    expect(latest.calls.flat()).toEqual(['after']);
    expect(horizon.calls.flat()).toEqual(['before', 'after']);
    a.stop();
    b.stop();
  });

  it('a handler that never resolves blocks neither writes nor other triggers', async () => {
    const { db, onChange } = harness();
    await table(db);
    let invoked = 0;
    const stuck = onChange('orders', () => {
      invoked++;
      return new Promise<void>(() => {});
    });
    const other = recorder();
    const fine = onChange('orders', other.handler);
    for (let i = 0; i < 20; i++) await expect(put(db, `k${i}`)).resolves.toBeDefined();
    await fine.drained();
    expect(other.calls.flat()).toHaveLength(20);
    expect(invoked).toBe(1); // in order per shard: the stuck batch holds its shard for that trigger only
    stuck.stop();
    await expect(stuck.drained()).resolves.toBeUndefined();
    fine.stop();
  });

  it('a backlog larger than what a trigger buffers is read on as the handler catches up, in order', async () => {
    const { db, onChange } = harness();
    await table(db);
    const seen: string[] = [];
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const trigger = onChange('orders', async (event) => {
      await gate;
      seen.push(...(ids(event.Records) as string[]));
    }, { batchSize: 1 });
    const written = Array.from({ length: 2500 }, (_, i) => `o${String(i).padStart(4, '0')}`);
    for (const id of written) await put(db, id);
    await tick();
    release?.();
    await trigger.drained();
    expect(seen).toEqual(written);
    trigger.stop();
  });

  it('the handler runs after the writer has resumed, never inside its call', async () => {
    const { db, onChange } = harness();
    await table(db);
    let ran = false;
    const trigger = onChange('orders', () => {
      ran = true;
    });
    await put(db, 'a');
    expect(ran).toBe(false); // the writer continues before any handler work
    await trigger.drained();
    expect(ran).toBe(true);
    trigger.stop();
  });

  it('a throwing handler never fails the write, and never surfaces as an unhandled rejection', async () => {
    const { db, clock, onChange } = harness();
    await table(db);
    const trigger = onChange('orders', () => {
      throw new Error('sync boom');
    }, { retryAttempts: 1 });
    await expect(put(db, 'x')).resolves.toBeDefined();
    await tick();
    await clock.advance(1000);
    await trigger.drained();
    expect(trigger.stats).toMatchObject({ failed: 1, retries: 1, invocations: 2 });
    expect((trigger.stats.lastError as Error).message).toBe('sync boom');
    trigger.stop();
  });

  it('stop() ends delivery and unsubscribes', async () => {
    const { db, onChange } = harness();
    await table(db);
    const { calls, handler } = recorder();
    const trigger = onChange('orders', handler);
    await put(db, 'a');
    await trigger.drained();
    trigger.stop();
    await put(db, 'b');
    await tick();
    expect(calls.flat()).toEqual(['a']);
    expect(trigger.stopped).toBe(true);
  });
});

describe('triggers: failures', () => {
  it('retries a failed batch from its checkpoint with backoff on the clock, then succeeds', async () => {
    const { db, clock, onChange } = harness();
    await table(db);
    const { calls, handler } = recorder((_e, call) => {
      if (call <= 2) throw new Error(`attempt ${call}`);
    });
    const trigger = onChange('orders', handler);
    void put(db, 'a');
    void put(db, 'b');
    await tick();
    expect(calls).toEqual([['a', 'b']]);
    await put(db, 'c'); // arrives while the batch waits to be retried: it waits behind it
    await clock.advance(100);
    expect(calls).toEqual([['a', 'b'], ['a', 'b']]);
    await clock.advance(200);
    await trigger.drained();
    expect(calls).toEqual([['a', 'b'], ['a', 'b'], ['a', 'b'], ['c']]);
    expect(trigger.stats).toMatchObject({ delivered: 3, retries: 2, failed: 0, invocations: 4 });
    trigger.stop();
  });

  it('retries exhausted: onFailure gets Lambda\'s record for the batch and processing continues', async () => {
    const { db, clock, failures, trigger, calls } = await failing({ retryAttempts: 2 }, (ids) => ids.includes('bad'));
    void put(db, 'ok1');
    void put(db, 'bad');
    await tick();
    await put(db, 'ok2');
    await clock.advance(10_000);
    await trigger.drained();
    expect(calls).toEqual([['ok1', 'bad'], ['ok1', 'bad'], ['ok1', 'bad'], ['ok2']]);
    expect(failures).toHaveLength(1);
    const [failure, records] = failures[0] as [TriggerFailureRecord, LambdaStreamRecord[]];
    const arn = ((await db.describeTable({ TableName: 'orders' })).Table as unknown as { LatestStreamArn: string }).LatestStreamArn;
    expect(ids(records)).toEqual(['ok1', 'bad']);
    expect(failure).toEqual({
      requestContext: {
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        functionArn: expect.stringMatching(/^arn:aws:lambda:us-east-1:\d{12}:function:orders-trigger$/),
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.stringMatching(/^2026-01-15T12:00:\d\d\.\d{3}Z$/),
      DDBStreamBatchInfo: {
        shardId: expect.stringMatching(/^shardId-/),
        startSequenceNumber: records[0]!.dynamodb.SequenceNumber,
        endSequenceNumber: records[1]!.dynamodb.SequenceNumber,
        approximateArrivalOfFirstRecord: '2026-01-15T12:00:00Z',
        approximateArrivalOfLastRecord: '2026-01-15T12:00:00Z',
        batchSize: 2,
        streamArn: arn,
      },
    });
    expect(trigger.stats).toMatchObject({ delivered: 1, failed: 2, retries: 2 });
    trigger.stop();
  });

  it('bisectBatchOnFunctionError isolates a poison record without using up retries', async () => {
    const { db, clock, failures, trigger, calls } = await failing({ retryAttempts: 0, bisectBatchOnFunctionError: true }, (ids) =>
      ids.includes('k5'),
    );
    for (let i = 0; i < 8; i++) void put(db, `k${i}`);
    await tick();
    await clock.advance(1000);
    await trigger.drained();
    expect(calls).toEqual([
      ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'],
      ['k0', 'k1', 'k2', 'k3'],
      ['k4', 'k5', 'k6', 'k7'],
      ['k4', 'k5'],
      ['k4'],
      ['k5'],
      ['k6', 'k7'],
    ]);
    expect(failures).toHaveLength(1);
    const [failure, records] = failures[0] as [TriggerFailureRecord, LambdaStreamRecord[]];
    expect(ids(records)).toEqual(['k5']);
    expect(failure.DDBStreamBatchInfo.batchSize).toBe(1);
    expect(failure.DDBStreamBatchInfo.startSequenceNumber).toBe(failure.DDBStreamBatchInfo.endSequenceNumber);
    expect(trigger.stats).toMatchObject({ delivered: 7, failed: 1, retries: 0 });
    trigger.stop();
  });

  it('batchItemFailures checkpoints before the earliest failed record; the retry starts there', async () => {
    const { db, clock, onChange } = harness();
    await table(db);
    const { calls, handler } = recorder((event, call) =>
      call === 1 ? { batchItemFailures: [{ itemIdentifier: event.Records[3]!.dynamodb.SequenceNumber }, { itemIdentifier: event.Records[2]!.dynamodb.SequenceNumber }] } : undefined,
    );
    const trigger = onChange('orders', handler);
    for (const id of ['a', 'b', 'c', 'd', 'e']) void put(db, id);
    await tick();
    await clock.advance(100);
    await trigger.drained();
    expect(calls).toEqual([['a', 'b', 'c', 'd', 'e'], ['c', 'd', 'e']]);
    expect(trigger.stats).toMatchObject({ delivered: 5, retries: 1, failed: 0 });
    trigger.stop();
  });

  it('batchItemFailures naming no record of the batch fails the whole batch; an empty list is success', async () => {
    const { db, clock, onChange } = harness();
    await table(db);
    const { calls, handler } = recorder((_e, call) =>
      call === 1 ? { batchItemFailures: [{ itemIdentifier: 'nope' }] } : { batchItemFailures: [] },
    );
    const trigger = onChange('orders', handler);
    void put(db, 'a');
    void put(db, 'b');
    await tick();
    await clock.advance(100);
    await trigger.drained();
    expect(calls).toEqual([['a', 'b'], ['a', 'b']]);
    trigger.stop();
  });

  it('with ReportBatchItemFailures and retries exhausted, only the records from the failed one go to onFailure', async () => {
    const { db, clock, onChange } = harness();
    await table(db);
    const failures: [TriggerFailureRecord, readonly LambdaStreamRecord[]][] = [];
    const trigger = onChange('orders', (event) => ({ batchItemFailures: event.Records.filter((r) => (r.dynamodb.Keys.id as { S: string }).S !== 'a').slice(0, 1).map((r) => ({ itemIdentifier: r.dynamodb.SequenceNumber })) }), {
      retryAttempts: 0,
      onFailure: (f, r) => void failures.push([f, r]),
    });
    for (const id of ['a', 'b', 'c']) void put(db, id);
    await tick();
    await clock.advance(100);
    await trigger.drained();
    expect(failures.map(([, r]) => ids(r))).toEqual([['b', 'c']]);
    expect(failures[0]![0].responseContext.functionError).toBeUndefined();
    trigger.stop();
  });

  it('an onFailure callback that throws or rejects is recorded, not raised', async () => {
    const { db, clock, onChange } = harness();
    await table(db);
    let attempt = 0;
    const trigger = onChange('orders', () => {
      throw new Error('handler');
    }, {
      retryAttempts: 0,
      onFailure: () => {
        attempt++;
        if (attempt === 1) throw new Error('sync destination');
        return Promise.reject(new Error('async destination'));
      },
    });
    await put(db, 'a');
    await tick();
    await put(db, 'b');
    await tick();
    await clock.advance(1000);
    await trigger.drained();
    await tick();
    expect(attempt).toBe(2);
    expect((trigger.stats.lastError as Error).message).toBe('async destination');
    expect(trigger.stats.failed).toBe(2);
    trigger.stop();
  });

  it('maximumRecordAgeSeconds discards records too old to deliver (RecordAgeExceeded)', async () => {
    const { db, clock, failures, trigger, calls } = await failing({ maximumRecordAgeSeconds: 60 }, () => true);
    await put(db, 'old');
    await tick();
    await clock.advance(120_000);
    await trigger.drained();
    expect(failures).toHaveLength(1);
    expect(failures[0]![0].requestContext.condition).toBe('RecordAgeExceeded');
    expect(calls.length).toBeGreaterThan(3); // retried (retryAttempts -1) until the age ran out
    expect(trigger.stats.failed).toBe(1);
    trigger.stop();
  });

  it('retryAttempts -1 retries until the record leaves the stream\'s 24 h retention', async () => {
    const { db, clock, failures, trigger } = await failing({}, () => true);
    await put(db, 'forever');
    await tick();
    await clock.advance(23 * 3600_000);
    expect(failures).toHaveLength(0);
    await clock.advance(3600_000 + 60_000); // retries back off to one a minute
    await trigger.drained();
    expect(failures.map(([f]) => f.requestContext.condition)).toEqual(['RecordAgeExceeded']);
    trigger.stop();
  }, 30_000);
});

/** A trigger whose handler throws when `poison(ids)`; collects calls and failure records. */
async function failing(options: TriggerOptions, poison: (ids: string[]) => boolean) {
  const { db, clock, onChange } = harness();
  await table(db);
  const failures: [TriggerFailureRecord, readonly LambdaStreamRecord[]][] = [];
  const calls: string[][] = [];
  const trigger = onChange('orders', (event) => {
    const batch = ids(event.Records) as string[];
    calls.push(batch);
    if (poison(batch)) throw new Error('poison');
  }, { ...options, onFailure: (f, r) => void failures.push([f, r]) });
  return {
    db,
    clock,
    trigger,
    calls,
    failures,
    get onFailure() {
      return failures.length;
    },
  };
}

describe('triggers: filters', () => {
  it('delivers only records matching some filter; the others are checkpointed', async () => {
    const { db, clock, onChange } = harness();
    await table(db);
    const { calls, handler } = recorder();
    const trigger = onChange('orders', handler, {
      startingPosition: 'TRIM_HORIZON',
      filterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { status: { S: ['active'] } } } }) },
          { Pattern: JSON.stringify({ dynamodb: { NewImage: { sku: { S: [{ prefix: 'VIP-' }] } } } }) },
          { Pattern: JSON.stringify({ eventName: ['REMOVE'], dynamodb: { OldImage: { note: { S: [{ 'equals-ignore-case': 'KEEP' }] } } } }) },
        ],
      },
    });
    await put(db, 'a', { status: { S: 'active' } }); // filter 1
    await put(db, 'b', { status: { S: 'inactive' } });
    await put(db, 'c', { sku: { S: 'VIP-1' } }); // filter 2
    await put(db, 'a', { status: { S: 'active' }, n: { N: '1' } }); // MODIFY: not an INSERT, no sku
    await put(db, 'd', { note: { S: 'keep' } });
    await db.deleteItem({ TableName: 'orders', Key: { id: { S: 'd' } } }); // filter 3
    await db.deleteItem({ TableName: 'orders', Key: { id: { S: 'b' } } });
    await clock.advance(0);
    await trigger.drained();
    expect(calls.flat()).toEqual(['a', 'c', 'd']);
    expect(trigger.stats).toMatchObject({ delivered: 3, filtered: 4 });
    trigger.stop();
  });
});

describe('triggers: shards and parallelization', () => {
  it('keeps each partition key in order under parallelizationFactor, with batches running concurrently', async () => {
    const { db, onChange } = harness();
    await table(db);
    const seen = new Map<string, number[]>();
    let running = 0;
    let maxRunning = 0;
    const trigger = onChange('orders', async (event) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 1));
      for (const r of event.Records) {
        const key = (r.dynamodb.Keys.id as { S: string }).S;
        const list = seen.get(key) ?? [];
        list.push(Number((r.dynamodb.NewImage!.v as { N: string }).N));
        seen.set(key, list);
      }
      running--;
    }, { parallelizationFactor: 4, batchSize: 3, startingPosition: 'TRIM_HORIZON' });
    for (let v = 0; v < 10; v++) for (let k = 0; k < 12; k++) void put(db, `key${k}`, { v: { N: String(v) } });
    await trigger.drained();
    expect(seen.size).toBe(12);
    for (const list of seen.values()) expect(list).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(maxRunning).toBeGreaterThan(1);
    expect(trigger.stats.delivered).toBe(120);
    trigger.stop();
  });

  it('reads a parent shard to its end before its children when partitions split', async () => {
    const { db, onChange } = harness(8);
    await table(db);
    const seen: string[] = [];
    const trigger = onChange('orders', (event) => {
      for (const r of event.Records) seen.push(`${(r.dynamodb.Keys.id as { S: string }).S}:${(r.dynamodb.NewImage!.v as { N: string }).N}`);
    }, { startingPosition: 'TRIM_HORIZON', batchSize: 7 });
    for (let round = 0; round < 3; round++) for (let k = 0; k < 40; k++) await put(db, `k${k}`, { v: { N: String(round) } });
    await trigger.drained();
    const { StreamDescription } = (await db.execute('DynamoDBStreams_20120810', 'DescribeStream', { StreamArn: trigger.streamArn })) as {
      StreamDescription: { Shards: { ParentShardId?: string }[] };
    };
    expect(StreamDescription.Shards.filter((s) => s.ParentShardId !== undefined).length).toBeGreaterThan(1); // it did split
    expect(seen).toHaveLength(120);
    // Every key's versions arrive in write order even though its records span parent and child shards.
    for (let k = 0; k < 40; k++) expect(seen.filter((s) => s.startsWith(`k${k}:`))).toEqual([`k${k}:0`, `k${k}:1`, `k${k}:2`]);
    trigger.stop();
  });
});

describe('triggers: iterators', () => {
  it('resumes after its last record when an idle trigger\'s iterator has expired (15 min)', async () => {
    const { db, clock, onChange } = harness();
    await table(db);
    const { calls, handler } = recorder();
    const trigger = onChange('orders', handler);
    await put(db, 'a');
    await trigger.drained();
    await clock.advance(20 * 60_000);
    await put(db, 'b');
    await put(db, 'c');
    await trigger.drained();
    expect(calls.flat()).toEqual(['a', 'b', 'c']);
    expect(trigger.stats.lastError).toBeUndefined();
    trigger.stop();
  });

  it('LATEST with nothing read yet loses nothing, and replays nothing older, when its iterator expires', async () => {
    const { db, clock, onChange } = harness();
    await table(db);
    for (let i = 0; i < 1500; i++) await put(db, `old${i}`); // more than one GetRecords page
    await clock.advance(5_000);
    const { calls, handler } = recorder();
    const trigger = onChange('orders', handler);
    await clock.advance(20 * 60_000);
    await put(db, 'new');
    await trigger.drained();
    expect(calls.flat()).toEqual(['new']);
    expect(trigger.stats.lastError).toBeUndefined();
    trigger.stop();
  });

  it('a trigger stuck past the stream\'s retention carries on from the oldest record left', async () => {
    const { db, clock, onChange } = harness();
    await table(db);
    let failing = true;
    const { calls, handler } = recorder(() => {
      if (failing) throw new Error('down');
    });
    const failures: string[] = [];
    const trigger = onChange('orders', handler, { startingPosition: 'TRIM_HORIZON', onFailure: (f) => void failures.push(f.requestContext.condition) });
    await put(db, 'early');
    await tick();
    await clock.advance(25 * 3600_000);
    expect(failures).toEqual(['RecordAgeExceeded']);
    failing = false;
    await put(db, 'late');
    await trigger.drained();
    expect(calls.flat().filter((id) => id === 'late')).toEqual(['late']);
    expect(trigger.stats).toMatchObject({ failed: 1, delivered: 1 });
    trigger.stop();
  }, 30_000);
});

describe('triggers: stream lifecycle', () => {
  it('finishes the records of a deleted table and then stays idle', async () => {
    const { db, onChange } = harness();
    await table(db);
    const { calls, handler } = recorder();
    const trigger = onChange('orders', handler);
    await put(db, 'a');
    await put(db, 'b');
    await db.deleteTable({ TableName: 'orders' });
    await trigger.drained();
    expect(calls.flat()).toEqual(['a', 'b']);
    expect(trigger.stats.lastError).toBeUndefined();
    trigger.stop();
  });

  it('stays on its stream when the table\'s stream is disabled and re-enabled (a new stream ARN)', async () => {
    const { db, onChange } = harness();
    await table(db);
    const { calls, handler } = recorder();
    const trigger = onChange('orders', handler);
    await put(db, 'a');
    await db.updateTable({ TableName: 'orders', StreamSpecification: { StreamEnabled: false } } as Parameters<Database['updateTable']>[0]);
    await put(db, 'unstreamed');
    await db.updateTable({
      TableName: 'orders',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    } as Parameters<Database['updateTable']>[0]);
    await put(db, 'on-the-new-stream');
    await trigger.drained();
    expect(calls.flat()).toEqual(['a']);
    const latest = ((await db.describeTable({ TableName: 'orders' })).Table as unknown as { LatestStreamArn: string }).LatestStreamArn;
    expect(latest).not.toBe(trigger.streamArn);
    trigger.stop();
  });
});

describe('triggers: options', () => {
  it('refuses invalid options with Lambda\'s errors', async () => {
    const { db, onChange } = harness();
    await table(db);
    const bad = (options: TriggerOptions) => () => onChange('orders', () => {}, options);
    expect(bad({ batchSize: 0 })).toThrow(
      "1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    expect(bad({ batchSize: 10_001 })).toThrow(InvalidParameterValueException);
    expect(bad({ maximumBatchingWindowMs: 300_001 })).toThrow(/maximumBatchingWindowMs/);
    expect(bad({ retryAttempts: -2 })).toThrow(/retryAttempts/);
    expect(bad({ maximumRecordAgeSeconds: 59 })).toThrow(/-1 or have value greater than or equal to 60/);
    expect(bad({ maximumRecordAgeSeconds: 604_801 })).toThrow(/maximumRecordAgeSeconds/);
    expect(bad({ parallelizationFactor: 11 })).toThrow(/parallelizationFactor/);
    expect(bad({ startingPosition: 'AT_TIMESTAMP' as never })).toThrow(/TRIM_HORIZON and LATEST/);
    expect(bad({ filterCriteria: { Filters: [{ Pattern: '{"a":' }] } })).toThrow(/Invalid filter pattern definition/);
    expect(bad({ filterCriteria: { Filters: [{ Pattern: '{"a":"x"}' }] } })).toThrow(/Invalid filter pattern definition/);
    expect(bad({ filterCriteria: { Filters: [{ Pattern: '{"a":[{"numeric":["<",1,">",0]}]}' }] } })).toThrow(/Invalid filter/);
    expect(bad({ batchSize: 1.5 })).toThrow(/integer/);
  });

  it('refuses a table without a stream, and a table that does not exist', async () => {
    const { db, onChange } = harness();
    await db.createTable({
      TableName: 'plain',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    expect(() => onChange('plain', () => {})).toThrow(/has no stream/);
    expect(() => onChange('missing', () => {})).toThrow(expect.objectContaining({ name: 'ResourceNotFoundException' }));
  });
});
