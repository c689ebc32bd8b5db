/**
 * The request context admission hooks see (OperationRequest): the request's consumed capacity,
 * whether or not the caller asked for it, while the answer keeps the shape the caller asked for.
 */
import { describe, expect, it } from 'vitest';
import { Database, type ConsumedCapacity, type DatabaseModule } from '../src/index.js';
import { attributes, keys } from './support/tables.js';

function recording(): { module: DatabaseModule; seen: Array<[string, readonly ConsumedCapacity[] | undefined, string | undefined]> } {
  const seen: Array<[string, readonly ConsumedCapacity[] | undefined, string | undefined]> = [];
  const module: DatabaseModule = {
    name: 'recorder',
    install(context) {
      context.addAdmissionHook({ afterOperation: (request) => void seen.push([request.operation, request.consumedCapacity, request.caller?.principal]) });
    },
  };
  return { module, seen };
}

describe('OperationRequest.consumedCapacity', () => {
  it('is computed for hooks whether or not the caller asked; the answer is shaped as asked', async () => {
    const { module, seen } = recording();
    const db = new Database({ modules: [module] });
    await db.createTable({ TableName: 'tbl', KeySchema: keys('id'), AttributeDefinitions: attributes({ id: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
    const put = await db.putItem({ TableName: 'tbl', Item: { id: { S: 'a' } } });
    const get = await db.getItem({ TableName: 'tbl', Key: { id: { S: 'a' } }, ReturnConsumedCapacity: 'TOTAL' });
    const none = await db.getItem({ TableName: 'tbl', Key: { id: { S: 'a' } }, ReturnConsumedCapacity: 'NONE' });
    const batch = await db.batchGetItem({ RequestItems: { tbl: { Keys: [{ id: { S: 'a' } }] } } });
    expect(put).toEqual({});
    expect(get).toEqual({ Item: { id: { S: 'a' } }, ConsumedCapacity: { TableName: 'tbl', CapacityUnits: 0.5 } });
    expect(none).toEqual({ Item: { id: { S: 'a' } } });
    expect(batch).toEqual({ Responses: { tbl: [{ id: { S: 'a' } }] }, UnprocessedKeys: {} });
    expect(seen).toEqual([
      ['CreateTable', undefined, undefined],
      ['PutItem', [{ TableName: 'tbl', CapacityUnits: 1, Table: { CapacityUnits: 1 } }], undefined],
      ['GetItem', [{ TableName: 'tbl', CapacityUnits: 0.5, Table: { CapacityUnits: 0.5 } }], undefined],
      ['GetItem', [{ TableName: 'tbl', CapacityUnits: 0.5, Table: { CapacityUnits: 0.5 } }], undefined],
      ['BatchGetItem', [{ TableName: 'tbl', CapacityUnits: 0.5, Table: { CapacityUnits: 0.5 } }], undefined],
    ]);
  });
});
