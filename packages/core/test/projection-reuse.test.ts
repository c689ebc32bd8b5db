/**
 * A ProjectionExpression's resolution is shared by the requests that send it (frozen, reused while its
 * #names resolve to the same names), and so is what reads derive from it (the attributes decoded, the
 * projection's heads). These requests reuse one expression text where what it reads must differ: with
 * other #names, on another table or index (other key attributes for LastEvaluatedKey), beside a filter.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Database, type AttributeValue } from '../src/index.js';

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: string): AttributeValue => ({ N: n });
let db: Database;

beforeAll(async () => {
  db = new Database();
  await db.createTable({
    TableName: 'tbl',
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'g', AttributeType: 'S' },
      { AttributeName: 'gs', AttributeType: 'N' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byG',
        KeySchema: [
          { AttributeName: 'g', KeyType: 'HASH' },
          { AttributeName: 'gs', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  for (let i = 0; i < 3; i++) {
    await db.putItem({ TableName: 'tbl', Item: { pk: S('p'), sk: N(String(i)), g: S('x'), gs: N(String(10 + i)), a: S(`a${i}`), b: N(String(i)) } });
  }
});

describe('a shared ProjectionExpression', () => {
  it('returns the attributes its #names name in each request', async () => {
    for (const [name, expected] of [
      ['a', { a: S('a0') }],
      ['b', { b: N('0') }],
      ['a', { a: S('a0') }],
    ] as const) {
      const out = await db.query({
        TableName: 'tbl',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': S('p') },
        ProjectionExpression: '#x',
        ExpressionAttributeNames: { '#x': name },
        Limit: 1,
      });
      expect(out.Items).toEqual([expected]);
      expect(out.LastEvaluatedKey).toEqual({ pk: S('p'), sk: N('0') });
    }
  });

  it("reads each target's key attributes for LastEvaluatedKey, table and index alternating", async () => {
    for (const index of [undefined, 'byG', undefined, 'byG'] as const) {
      const out = await db.query({
        TableName: 'tbl',
        ...(index === undefined
          ? { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p') } }
          : { IndexName: index, KeyConditionExpression: 'g = :p', ExpressionAttributeValues: { ':p': S('x') } }),
        ProjectionExpression: 'a',
        Limit: 1,
      });
      expect(out.Items).toEqual([{ a: S('a0') }]);
      expect(out.LastEvaluatedKey).toEqual(index === undefined ? { pk: S('p'), sk: N('0') } : { pk: S('p'), sk: N('0'), g: S('x'), gs: N('10') });
    }
  });

  it('reads the attributes a filter beside it reads, then only its own again', async () => {
    const query = (filter: boolean) =>
      db.query({
        TableName: 'tbl',
        KeyConditionExpression: 'pk = :p',
        ProjectionExpression: 'a',
        ...(filter ? { FilterExpression: 'b >= :b', ExpressionAttributeValues: { ':p': S('p'), ':b': N('1') } } : { ExpressionAttributeValues: { ':p': S('p') } }),
      });
    expect((await query(false)).Items).toEqual([{ a: S('a0') }, { a: S('a1') }, { a: S('a2') }]);
    expect((await query(true)).Items).toEqual([{ a: S('a1') }, { a: S('a2') }]);
    expect((await query(false)).Items).toEqual([{ a: S('a0') }, { a: S('a1') }, { a: S('a2') }]);
    const scanned = await db.scan({ TableName: 'tbl', ProjectionExpression: 'a', FilterExpression: 'b < :b', ExpressionAttributeValues: { ':b': N('1') } });
    expect(scanned.Items).toEqual([{ a: S('a0') }]);
  });

  it('returns only its attributes from GetItem after a Query read more with it', async () => {
    const out = await db.getItem({ TableName: 'tbl', Key: { pk: S('p'), sk: N('2') }, ProjectionExpression: 'a' });
    expect(out.Item).toEqual({ a: S('a2') });
  });
});
