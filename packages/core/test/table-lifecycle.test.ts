/** Table status transitions on the database clock, and what DescribeTable shows during them. */
import { describe, expect, it } from 'vitest';
import { Database, ManualClock, ResourceInUseException } from '../src/index.js';

const START = Date.UTC(2025, 0, 1);

async function provisionedTable(clock: ManualClock): Promise<Database> {
  const db = new Database({ clock, tableTransitionMs: 5000 });
  await db.createTable({
    TableName: 'orders',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
  });
  await clock.advance(5000);
  return db;
}

describe('UpdateTable › provisioned throughput while UPDATING', () => {
  it('shows the old units with the increase stamped, then the new units once ACTIVE', async () => {
    const clock = new ManualClock(START);
    const db = await provisionedTable(clock);
    const { TableDescription } = await db.updateTable({
      TableName: 'orders',
      ProvisionedThroughput: { ReadCapacityUnits: 15, WriteCapacityUnits: 15 },
    });
    expect(TableDescription.TableStatus).toBe('UPDATING');
    expect(TableDescription.ProvisionedThroughput).toEqual({
      LastIncreaseDateTime: new Date(START + 5000),
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: 5,
      WriteCapacityUnits: 5,
    });
    await expect(
      db.updateTable({ TableName: 'orders', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
    ).rejects.toThrow(new ResourceInUseException('Attempt to change a resource which is still in use: Table is being updated: orders'));

    await clock.advance(5000);
    const { Table } = await db.describeTable({ TableName: 'orders' });
    expect(Table.TableStatus).toBe('ACTIVE');
    expect(Table.ProvisionedThroughput).toEqual({
      LastIncreaseDateTime: new Date(START + 10000),
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: 15,
      WriteCapacityUnits: 15,
    });
  });

  it('counts a decrease only once it is done', async () => {
    const clock = new ManualClock(START);
    const db = await provisionedTable(clock);
    const { TableDescription } = await db.updateTable({
      TableName: 'orders',
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    });
    expect(TableDescription.ProvisionedThroughput).toMatchObject({
      LastDecreaseDateTime: new Date(START + 5000),
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: 5,
    });
    await clock.advance(5000);
    const { Table } = await db.describeTable({ TableName: 'orders' });
    expect(Table.ProvisionedThroughput).toMatchObject({ NumberOfDecreasesToday: 1, ReadCapacityUnits: 1, WriteCapacityUnits: 1 });
  });
});

describe('DeleteTable › while DELETING', () => {
  it('keeps the table describable until the transition ends, then it is gone', async () => {
    const clock = new ManualClock(START);
    const db = await provisionedTable(clock);
    const { TableDescription } = await db.deleteTable({ TableName: 'orders' });
    expect(TableDescription.TableStatus).toBe('DELETING');
    expect((await db.describeTable({ TableName: 'orders' })).Table.TableStatus).toBe('DELETING');
    await expect(db.getItem({ TableName: 'orders', Key: { id: { S: 'x' } } })).rejects.toThrow('Requested resource not found');
    await clock.advance(5000);
    await expect(db.describeTable({ TableName: 'orders' })).rejects.toThrow('Requested resource not found: Table: orders not found');
    expect((await db.listTables()).TableNames).toEqual([]);
  });
});
