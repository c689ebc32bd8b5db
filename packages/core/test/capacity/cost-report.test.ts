/**
 * capacity(): the cost report per table class for a period of the clock, from the measured request
 * units or provisioned capacity and the table's storage, with the default price table or the caller's.
 */
import { describe, expect, it } from 'vitest';
import { capacity, Database, DEFAULT_PRICES, ManualClock, type PriceTable } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';

const START = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

async function setup(billing: { ProvisionedThroughput: { ReadCapacityUnits: number; WriteCapacityUnits: number } } | { BillingMode: 'PAY_PER_REQUEST' }) {
  const clock = new ManualClock(START);
  const cap = capacity();
  const db = new Database({ clock, modules: [cap] });
  await db.createTable({ TableName: 'orders', KeySchema: keys('pk'), AttributeDefinitions: attributes({ pk: 'S' }), ...billing });
  return { clock, cap, db };
}

describe('capacity() › cost report', () => {
  it('prices an on-demand table by its request units and storage in both classes, and names the cheaper', async () => {
    const { clock, cap, db } = await setup({ BillingMode: 'PAY_PER_REQUEST' });
    for (let i = 0; i < 1000; i++) await db.putItem({ TableName: 'orders', Item: { pk: { S: `k${i}` } } });
    for (let i = 0; i < 2000; i++) await db.getItem({ TableName: 'orders', Key: { pk: { S: `k${i % 1000}` } } });
    await clock.advance(HOUR);
    const report = cap.costReport('orders', { from: START, to: START + HOUR });
    expect(report).toMatchObject({ billingMode: 'PAY_PER_REQUEST', tableClass: 'STANDARD', readRequestUnits: 1000, writeRequestUnits: 1000, readCapacityUnitHours: 0 });
    expect(report.costs.STANDARD.writes).toBeCloseTo((1000 / 1e6) * DEFAULT_PRICES.STANDARD.writeRequestUnitsPerMillion, 6);
    expect(report.costs.STANDARD_INFREQUENT_ACCESS.reads).toBeCloseTo((1000 / 1e6) * DEFAULT_PRICES.STANDARD_INFREQUENT_ACCESS.readRequestUnitsPerMillion, 6);
    expect(report.cheaperClass).toBe('STANDARD');
    expect(report.reason).toContain('outweighs its cheaper storage');
  });

  it('prices a provisioned table by capacity-unit hours, and takes the caller\'s price table', async () => {
    const { clock, cap, db } = await setup({ ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 } });
    await db.putItem({ TableName: 'orders', Item: { pk: { S: 'a' }, blob: { S: 'x'.repeat(100_000) } } });
    await clock.advance(24 * HOUR);
    const report = cap.costReport('orders', { from: START, to: START + 24 * HOUR });
    expect(report).toMatchObject({ billingMode: 'PROVISIONED', readCapacityUnitHours: 240, writeCapacityUnitHours: 120 });
    expect(report.costs.STANDARD.reads).toBeCloseTo(240 * DEFAULT_PRICES.STANDARD.readCapacityUnitHour, 6);
    // A storage price that dwarfs throughput makes the infrequent-access class the cheaper.
    const prices: PriceTable = { STANDARD: { ...DEFAULT_PRICES.STANDARD, storageGbMonth: 1e9 }, STANDARD_INFREQUENT_ACCESS: { ...DEFAULT_PRICES.STANDARD_INFREQUENT_ACCESS, storageGbMonth: 1e8 } };
    const custom = cap.costReport('orders', { from: START, to: START + 24 * HOUR, prices });
    expect(custom.cheaperClass).toBe('STANDARD_INFREQUENT_ACCESS');
    expect(custom.reason).toMatch(/^Storage is \d+% of the STANDARD cost/);
  });
});
