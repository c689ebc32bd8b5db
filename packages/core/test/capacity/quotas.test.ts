/**
 * capacity(): the account's quotas at CreateTable and UpdateTable (per table and per GSI, on-demand
 * maximums and warm throughput, the account's total) and the limit on switching a table to on-demand,
 * with DynamoDB's LimitExceededException texts; a refused request changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { capacity, Database, LimitExceededException, ManualClock, type CapacityOptions, type CreateTableInput } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';

const HOUR = 3_600_000;
const REFER = 'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.';

function table(name: string, read: number, write: number, extra: Partial<CreateTableInput> = {}): CreateTableInput {
  return { TableName: name, KeySchema: keys('pk'), AttributeDefinitions: attributes(extra.GlobalSecondaryIndexes === undefined ? { pk: 'S' } : { pk: 'S', email: 'S' }), ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write }, ...extra };
}

function setup(options: CapacityOptions = {}) {
  const clock = new ManualClock(Date.UTC(2024, 0, 1, 10));
  return { clock, db: new Database({ clock, modules: [capacity(options)] }) };
}

async function limitExceeded(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => expect.fail('expected LimitExceededException'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LimitExceededException);
  return (error as Error).message;
}

describe('capacity() › quotas', () => {
  it('refuses a table provisioned past the per-table maximum, and creates nothing', async () => {
    const { db } = setup();
    expect(await limitExceeded(db.createTable(table('big', 40_001, 5)))).toBe(
      `The requested ReadCapacityUnits, 40001, is above the per table maximum for the account in us-east-1. Per table maximum: 40000. ${REFER}`,
    );
    expect((await db.listTables({})).TableNames).toEqual([]);
    await db.createTable(table('okay', 40_000, 5));
    expect(await limitExceeded(db.updateTable({ TableName: 'okay', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 40_001 } }))).toBe(
      `The requested WriteCapacityUnits, 40001, is above the per table maximum for the account in us-east-1. Per table maximum: 40000. ${REFER}`,
    );
    expect((await db.describeTable({ TableName: 'okay' })).Table.ProvisionedThroughput.WriteCapacityUnits).toBe(5);
  });

  it('refuses a GSI, an OnDemandThroughput maximum or a WarmThroughput past the per-table quota', async () => {
    const { db } = setup({ tableQuota: { readCapacityUnits: 1000, writeCapacityUnits: 1000 } });
    const gsi = (read: number) => ({ IndexName: 'byEmail', KeySchema: keys('email'), Projection: { ProjectionType: 'ALL' as const }, ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: 1 } });
    expect(await limitExceeded(db.createTable(table('ttt', 5, 5, { GlobalSecondaryIndexes: [gsi(1001)] })))).toBe(
      `The requested ReadCapacityUnits for index byEmail, 1001, is above the per index maximum for the account in us-east-1. Per index maximum: 1000. ${REFER}`,
    );
    expect(
      await limitExceeded(
        db.createTable({ TableName: 'ondemand', KeySchema: keys('pk'), AttributeDefinitions: attributes({ pk: 'S' }), BillingMode: 'PAY_PER_REQUEST', OnDemandThroughput: { MaxReadRequestUnits: 1001 } }),
      ),
    ).toBe('Subscriber limit exceeded: Requested MaxReadRequestUnits for OnDemandThroughput for table exceeds TableMaxReadCapacityUnits of the account in region us-east-1');
    await db.createTable({ TableName: 'ondemand', KeySchema: keys('pk'), AttributeDefinitions: attributes({ pk: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
    expect(await limitExceeded(db.updateTable({ TableName: 'ondemand', WarmThroughput: { WriteUnitsPerSecond: 1001 } }))).toBe(
      'Subscriber limit exceeded: Requested WriteUnitsPerSecond for WarmThroughput for table exceeds TableMaxWriteCapacityUnits of the account in region us-east-1',
    );
  });

  it("refuses a table that would take the account's provisioned total past its quota", async () => {
    const { db } = setup({ accountQuota: { readCapacityUnits: 100, writeCapacityUnits: 100 } });
    await db.createTable(table('aaa', 60, 10));
    expect(await limitExceeded(db.createTable(table('bbb', 50, 10)))).toBe(
      `This request would have caused the ReadCapacityUnits limit to be exceeded for the account in us-east-1. Current ReadCapacityUnits reserved by the account: 60. Limit: 100. Requested: 50. ${REFER}`,
    );
    await db.createTable(table('bbb', 40, 10));
    // Raising one table counts only the increase; lowering frees units.
    await limitExceeded(db.updateTable({ TableName: 'aaa', ProvisionedThroughput: { ReadCapacityUnits: 61, WriteCapacityUnits: 10 } }));
    await db.updateTable({ TableName: 'bbb', ProvisionedThroughput: { ReadCapacityUnits: 30, WriteCapacityUnits: 10 } });
    await db.updateTable({ TableName: 'aaa', ProvisionedThroughput: { ReadCapacityUnits: 70, WriteCapacityUnits: 10 } });
  });
});

describe('capacity() › switching to on-demand', () => {
  it('allows four switches from provisioned to on-demand in a rolling 24 hours; switching back is never limited', async () => {
    const { clock, db } = setup();
    await db.createTable(table('ttt', 5, 5));
    const toOnDemand = () => db.updateTable({ TableName: 'ttt', BillingMode: 'PAY_PER_REQUEST' });
    const toProvisioned = () => db.updateTable({ TableName: 'ttt', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } });
    for (let i = 0; i < 4; i++) {
      await toOnDemand();
      await clock.advance(HOUR);
      await toProvisioned();
    }
    expect(await limitExceeded(toOnDemand())).toBe(
      'Subscriber limit exceeded: Update to PayPerRequest mode are limited to 4 times in 1 day(s). Last update at Mon Jan 01 13:00:00 UTC 2024. Next update can be made at Tue Jan 02 10:00:00 UTC 2024',
    );
    expect((await db.describeTable({ TableName: 'ttt' })).Table.BillingModeSummary?.BillingMode ?? 'PROVISIONED').toBe('PROVISIONED');
    await clock.advance(20 * HOUR); // Jan 2, 10:00: the first switch is 24 hours old
    await toOnDemand();
  });
});
