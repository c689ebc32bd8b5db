/**
 * capacity(): on-demand tables — the initial 4,000 WRU / 12,000 RRU (or WarmThroughput), twice the
 * previous peak at once and more only 30 minutes later, OnDemandThroughput's maximum, and a table
 * switched from provisioned starting from its provisioned level.
 */
import { describe, expect, it } from 'vitest';
import { capacity, Database, DynamoDBError, ManualClock, ThrottlingException, type CreateTableInput } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';

const START = Date.UTC(2024, 0, 1);
/** An item of just under 4 KB: 4 write units. */
const PAYLOAD = { data: { S: 'x'.repeat(4000) } };

async function setup(extra: Partial<CreateTableInput> = {}) {
  const clock = new ManualClock(START);
  const db = new Database({ clock, modules: [capacity()] });
  await db.createTable({ TableName: 'events', KeySchema: keys('pk'), AttributeDefinitions: attributes({ pk: 'S' }), BillingMode: 'PAY_PER_REQUEST', ...extra } as CreateTableInput);
  return { clock, db };
}

let next = 0;
/** Writes `units` write units (in 4-unit items on distinct keys) at the clock's now; returns how many units were throttled. */
async function writeUnits(db: Database, units: number): Promise<{ throttled: number; error?: DynamoDBError }> {
  let throttled = 0;
  let error: DynamoDBError | undefined;
  for (let done = 0; done < units; done += 4) {
    try {
      await db.putItem({ TableName: 'events', Item: { pk: { S: `k${next++}` }, ...PAYLOAD } });
    } catch (e) {
      if (!(e instanceof DynamoDBError)) throw e;
      error = e;
      throttled += 4;
    }
  }
  return error === undefined ? { throttled } : { throttled, error };
}

describe('capacity() › on-demand tables', () => {
  it('a new table serves 4,000 write units a second at once, then throttles within the second', async () => {
    const { clock, db } = await setup();
    expect((await writeUnits(db, 4000)).throttled).toBe(0);
    const over = await writeUnits(db, 8);
    expect(over.throttled).toBe(8);
    // On-demand: ThrottlingException, whatever the limit (provisioned tables answer ProvisionedThroughputExceededException).
    expect(over.error).toBeInstanceOf(ThrottlingException);
    expect((over.error as ThrottlingException).throttlingReasons![0]!.reason).toBe('TableWriteKeyRangeThroughputExceeded');
    expect(over.error!.message).toBe('Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly.');
    await clock.advance(1000);
    expect((await writeUnits(db, 4000)).throttled).toBe(0);
  });

  it('a spike past twice the previous peak is throttled, and allowed 30 minutes after the peak', async () => {
    const { clock, db } = await setup();
    await writeUnits(db, 4000); // the peak: 4,000 WRU in one second
    await clock.advance(60_000);
    expect((await writeUnits(db, 6000)).throttled).toBe(2000); // still limited to the initial 4,000
    await clock.advance(30 * 60_000);
    expect((await writeUnits(db, 6000)).throttled).toBe(0); // 2 × the 4,000 peak, 30 minutes on
  });

  it('WarmThroughput sets what a new table serves at once, and DescribeTable shows it', async () => {
    const { db } = await setup({ WarmThroughput: { ReadUnitsPerSecond: 15_000, WriteUnitsPerSecond: 6000 } } as Partial<CreateTableInput>);
    const described = await db.describeTable({ TableName: 'events' });
    expect(described.Table.WarmThroughput).toEqual({ ReadUnitsPerSecond: 15_000, WriteUnitsPerSecond: 6000, Status: 'ACTIVE' });
    expect((await writeUnits(db, 6000)).throttled).toBe(0);
    expect((await writeUnits(db, 4)).throttled).toBe(4);
  });

  it('DescribeTable shows the on-demand defaults as WarmThroughput, and OnDemandThroughput once set', async () => {
    const { clock, db } = await setup();
    expect((await db.describeTable({ TableName: 'events' })).Table.WarmThroughput).toEqual({ ReadUnitsPerSecond: 12_000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' });
    expect((await db.describeTable({ TableName: 'events' })).Table.OnDemandThroughput).toBeUndefined();
    await db.updateTable({ TableName: 'events', OnDemandThroughput: { MaxWriteRequestUnits: 100 } } as never);
    await clock.advance(1000);
    expect((await db.describeTable({ TableName: 'events' })).Table.OnDemandThroughput).toEqual({ MaxReadRequestUnits: -1, MaxWriteRequestUnits: 100 });
    const over = await writeUnits(db, 104);
    expect(over.throttled).toBe(4);
    expect(over.error?.name).toBe('ThrottlingException');
  });

  it('refuses a malformed OnDemandThroughput and changes nothing', async () => {
    const { db } = await setup();
    await expect(db.updateTable({ TableName: 'events', OnDemandThroughput: { MaxWriteRequestUnits: 0 } } as never)).rejects.toThrow(/MaxWriteRequestUnits/);
    expect((await db.describeTable({ TableName: 'events' })).Table.OnDemandThroughput).toBeUndefined();
  });

  it('a table switched from provisioned starts from its provisioned level', async () => {
    const clock = new ManualClock(START);
    const db = new Database({ clock, modules: [capacity()] });
    await db.createTable({ TableName: 'events', KeySchema: keys('pk'), AttributeDefinitions: attributes({ pk: 'S' }), ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 8000 } });
    await db.updateTable({ TableName: 'events', BillingMode: 'PAY_PER_REQUEST' });
    await clock.advance(1000);
    expect((await writeUnits(db, 8000)).throttled).toBe(0);
    expect((await writeUnits(db, 4)).throttled).toBe(4);
  });
});
