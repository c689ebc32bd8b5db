/**
 * Admission hooks measure a request's consumed capacity without changing the request or the answer:
 * each request's capacity is its own (a module's request made while it runs is not charged to it), and
 * every charged operation reports its INDEXES detail to hooks whatever the caller asked for.
 */
import { describe, expect, it } from 'vitest';
import { Database, type ConsumedCapacity, type DatabaseModule } from '../src/index.js';
import { attributes, keys } from './support/tables.js';

type Seen = Array<[string, readonly ConsumedCapacity[] | undefined]>;

/** Records what hooks see; on every change to `tbl`, reads `other` through the module's own execute. */
function recording(): { module: DatabaseModule; seen: Seen } {
  const seen: Seen = [];
  const module: DatabaseModule = {
    name: 'recorder',
    install(context) {
      context.addAdmissionHook({ afterOperation: (request) => void seen.push([request.operation, request.consumedCapacity]) });
      context.onChange((batch) => {
        if (batch.records.some((record) => record.tableName === 'tbl')) {
          context.execute('DynamoDB_20120810', 'GetItem', { TableName: 'other', Key: { id: { S: 'x' } }, ReturnConsumedCapacity: 'INDEXES' });
        }
      });
    },
  };
  return { module, seen };
}

describe('consumed capacity measured for admission hooks', () => {
  it("keeps a module's own request out of the request that ran it, and leaves the caller's request and answer alone", async () => {
    const { module, seen } = recording();
    const db = new Database({ modules: [module] });
    for (const name of ['tbl', 'other']) {
      await db.createTable({ TableName: name, KeySchema: keys('id'), AttributeDefinitions: attributes({ id: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
    }
    await db.putItem({ TableName: 'other', Item: { id: { S: 'x' }, pad: { S: 'p'.repeat(5000) } } });
    seen.length = 0;
    const request = { TableName: 'tbl', Item: { id: { S: 'a' } }, ReturnConsumedCapacity: 'TOTAL' as const };
    const put = await db.putItem(request);
    expect(put).toEqual({ ConsumedCapacity: { TableName: 'tbl', CapacityUnits: 1 } });
    expect(request).toEqual({ TableName: 'tbl', Item: { id: { S: 'a' } }, ReturnConsumedCapacity: 'TOTAL' });
    expect(seen).toEqual([['PutItem', [{ TableName: 'tbl', CapacityUnits: 1, Table: { CapacityUnits: 1 } }]]]);
  });

  it('gives hooks the INDEXES detail of queries, deletes and transactions the caller did not ask about', async () => {
    const { module, seen } = recording();
    const db = new Database({ modules: [module] });
    await db.createTable({
      TableName: 'idx',
      KeySchema: keys('id'),
      AttributeDefinitions: attributes({ id: 'S', g: 'S' }),
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: keys('g'), Projection: { ProjectionType: 'ALL' } }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    await db.putItem({ TableName: 'idx', Item: { id: { S: 'a' }, g: { S: 'g' } } });
    seen.length = 0;
    const query = await db.query({ TableName: 'idx', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'g' } } });
    const transact = await db.transactGetItems({ TransactItems: [{ Get: { TableName: 'idx', Key: { id: { S: 'a' } } } }] });
    const deleted = await db.deleteItem({ TableName: 'idx', Key: { id: { S: 'a' } } });
    expect(query).toEqual({ Items: [{ id: { S: 'a' }, g: { S: 'g' } }], Count: 1, ScannedCount: 1 });
    expect(transact).toEqual({ Responses: [{ Item: { id: { S: 'a' }, g: { S: 'g' } } }] });
    expect(deleted).toEqual({});
    expect(seen).toEqual([
      ['Query', [{ TableName: 'idx', CapacityUnits: 0.5, Table: { CapacityUnits: 0 }, GlobalSecondaryIndexes: { byG: { CapacityUnits: 0.5 } } }]],
      ['TransactGetItems', [{ TableName: 'idx', CapacityUnits: 2, Table: { CapacityUnits: 2 } }]],
      ['DeleteItem', [{ TableName: 'idx', CapacityUnits: 2, Table: { CapacityUnits: 1 }, GlobalSecondaryIndexes: { byG: { CapacityUnits: 1 } } }]],
    ]);
  });

  it("gives hooks a PartiQL request's capacity, and hooks that see statements each statement's as its operation's", async () => {
    const { module, seen } = recording();
    const statements: Seen = [];
    const statementHook: DatabaseModule = {
      name: 'statements',
      install: (context) =>
        context.addAdmissionHook({
          seesStatements: true,
          afterOperation: (request) => void (request.enclosingOperation !== undefined && statements.push([`${request.enclosingOperation}/${request.operation}`, request.consumedCapacity])),
        }),
    };
    const db = new Database({ modules: [module, statementHook] });
    await db.createTable({ TableName: 'plain', KeySchema: keys('id'), AttributeDefinitions: attributes({ id: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
    seen.length = 0;
    await db.executeStatement({ Statement: "INSERT INTO plain VALUE {'id': 'a'}" });
    await db.batchExecuteStatement({ Statements: [{ Statement: "SELECT * FROM plain WHERE id = 'a'" }, { Statement: "SELECT * FROM plain WHERE id = 'b'", ConsistentRead: true }] });
    await db.executeTransaction({ TransactStatements: [{ Statement: "DELETE FROM plain WHERE id = 'a'" }] });
    const table = (units: number): ConsumedCapacity[] => [{ TableName: 'plain', CapacityUnits: units, Table: { CapacityUnits: units } }];
    expect(seen).toEqual([
      ['ExecuteStatement', table(1)],
      ['BatchExecuteStatement', [...table(0.5), ...table(1)]],
      ['ExecuteTransaction', table(2)],
    ]);
    expect(statements).toEqual([
      ['ExecuteStatement/PutItem', table(1)],
      ['BatchExecuteStatement/GetItem', table(0.5)],
      ['BatchExecuteStatement/GetItem', table(1)],
      ['ExecuteTransaction/TransactWriteItems', table(2)],
    ]);
  });

  it('gives tableCapacityUnits as a number for a request on one table touching no index, and undefined otherwise', async () => {
    const seen: Array<[string, number | undefined, readonly ConsumedCapacity[] | undefined]> = [];
    const module: DatabaseModule = {
      name: 'units',
      // tableCapacityUnits is read before consumedCapacity: the number must not depend on the entries being built.
      install: (context) => context.addAdmissionHook({ afterOperation: (request) => void seen.push([request.operation, request.tableCapacityUnits, request.consumedCapacity]) }),
    };
    const db = new Database({ modules: [module] });
    await db.createTable({ TableName: 'plain', KeySchema: keys('id'), AttributeDefinitions: attributes({ id: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
    await db.createTable({
      TableName: 'idx',
      KeySchema: keys('id'),
      AttributeDefinitions: attributes({ id: 'S', g: 'S' }),
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: keys('g'), Projection: { ProjectionType: 'ALL' } }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    seen.length = 0;
    await db.putItem({ TableName: 'plain', Item: { id: { S: 'a' }, pad: { S: 'p'.repeat(1500) } } });
    await db.getItem({ TableName: 'plain', Key: { id: { S: 'a' } }, ConsistentRead: true, ReturnConsumedCapacity: 'INDEXES' });
    await db.putItem({ TableName: 'idx', Item: { id: { S: 'a' } } });
    await db.putItem({ TableName: 'idx', Item: { id: { S: 'b' }, g: { S: 'g' } } });
    await db.batchGetItem({ RequestItems: { plain: { Keys: [{ id: { S: 'a' } }] }, idx: { Keys: [{ id: { S: 'a' } }] } } });
    await expect(db.getItem({ TableName: 'plain', Key: { nope: { S: 'a' } } })).rejects.toThrow();
    await db.listTables({});
    expect(seen).toEqual([
      ['PutItem', 2, [{ TableName: 'plain', CapacityUnits: 2, Table: { CapacityUnits: 2 } }]],
      ['GetItem', 1, [{ TableName: 'plain', CapacityUnits: 1, Table: { CapacityUnits: 1 } }]],
      // A write to a table with a GSI that the item does not enter touches no index.
      ['PutItem', 1, [{ TableName: 'idx', CapacityUnits: 1, Table: { CapacityUnits: 1 } }]],
      ['PutItem', undefined, [{ TableName: 'idx', CapacityUnits: 2, Table: { CapacityUnits: 1 }, GlobalSecondaryIndexes: { byG: { CapacityUnits: 1 } } }]],
      ['BatchGetItem', undefined, [{ TableName: 'plain', CapacityUnits: 0.5, Table: { CapacityUnits: 0.5 } }, { TableName: 'idx', CapacityUnits: 0.5, Table: { CapacityUnits: 0.5 } }]],
      ['ListTables', undefined, undefined],
    ]);
  });
});
