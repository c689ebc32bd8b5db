/**
 * Reads that need only some attributes decode only those (operations/read-attributes.ts): every such read
 * answers exactly as the same read of whole items. The oracle is the same database with a module's
 * visibility filter that hides nothing (a visibility filter reads whole items, so it turns partial decoding off).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database, type AttributeValue, type CreateTableInput, type DatabaseModule, type Item } from '../src/index.js';

const TABLE: CreateTableInput = {
  TableName: 'tbl',
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
    { AttributeName: 'a', AttributeType: 'S' },
  ],
  LocalSecondaryIndexes: [
    {
      IndexName: 'byA',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'a', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['b'] },
    },
  ],
  BillingMode: 'PAY_PER_REQUEST',
};

const seeEverything: DatabaseModule = {
  name: 'see-everything',
  install(context) {
    context.addVisibilityFilter({ forTable: () => () => true });
  },
};

const scalar: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.constantFrom('x', 'yy', 'a long string value', 'z'.repeat(5000)).map((S) => ({ S })),
  fc.integer({ min: -5, max: 20_000 }).map((n) => ({ N: String(n) })),
  fc.boolean().map((BOOL) => ({ BOOL })),
);
const value: fc.Arbitrary<AttributeValue> = fc.oneof(
  scalar,
  fc.record({ x: scalar, y: scalar }, { requiredKeys: ['x'] }).map((M) => ({ M }) as AttributeValue),
  fc.array(scalar, { maxLength: 3 }).map((L) => ({ L })),
);
const itemArb = fc.record(
  {
    pk: fc.constantFrom('p0', 'p1').map((S) => ({ S })),
    sk: fc.integer({ min: 0, max: 9 }).map((n) => ({ N: String(n) })),
    a: fc.constantFrom('a1', 'a2', 'a3').map((S) => ({ S })),
    b: value,
    c: value,
    d: value,
  },
  { requiredKeys: ['pk', 'sk'] },
) as fc.Arbitrary<Item>;

const projection = fc.option(fc.uniqueArray(fc.constantFrom('sk', 'a', 'b', 'c.x', 'd[0]', 'd', 'pk'), { minLength: 1, maxLength: 3 }).map((p) => p.join(', ')), { nil: undefined });
const filter = fc.option(fc.constantFrom('attribute_exists(c)', 'c.x = :v', 'size(d) > :n', 'b = :v OR attribute_not_exists(d)'), { nil: undefined });
const readArb = fc.record({
  kind: fc.constantFrom('Query', 'Scan'),
  index: fc.boolean(),
  projection,
  filter,
  count: fc.boolean(),
  limit: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
  forward: fc.boolean(),
});

type Read = typeof readArb extends fc.Arbitrary<infer R> ? R : never;

function request(read: Read): Record<string, unknown> {
  const values: Record<string, AttributeValue> = {};
  const input: Record<string, unknown> = { TableName: 'tbl', ReturnConsumedCapacity: 'INDEXES' };
  if (read.index) input.IndexName = 'byA';
  if (read.kind === 'Query') {
    input.KeyConditionExpression = 'pk = :p';
    values[':p'] = { S: 'p0' };
    input.ScanIndexForward = read.forward;
  }
  if (read.filter !== undefined) {
    input.FilterExpression = read.filter;
    if (read.filter.includes(':v')) values[':v'] = { S: 'x' };
    if (read.filter.includes(':n')) values[':n'] = { N: '1' };
  }
  if (read.count) input.Select = 'COUNT';
  else if (read.projection !== undefined) input.ProjectionExpression = read.projection;
  if (read.limit !== undefined) input.Limit = read.limit;
  if (Object.keys(values).length > 0) input.ExpressionAttributeValues = values;
  return input;
}

async function both(items: Item[]): Promise<[Database, Database]> {
  const dbs: [Database, Database] = [new Database(), new Database({ modules: [seeEverything] })];
  for (const db of dbs) {
    await db.createTable(TABLE);
    for (const item of items) await db.putItem({ TableName: 'tbl', Item: item });
  }
  return dbs;
}

/** The whole answer, or the error's name and message. */
async function answer(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return await run();
  } catch (error) {
    return { error: (error as Error).name, message: (error as Error).message };
  }
}

describe('reads needing only some attributes', () => {
  it('Query and Scan (projection, filter, Select COUNT, Limit, an LSI fetching from the table) answer as reads of whole items', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(itemArb, { maxLength: 25 }), fc.array(readArb, { minLength: 1, maxLength: 6 }), async (items, reads) => {
        const [lazy, whole] = await both(items);
        for (const read of reads) {
          const input = request(read);
          const call = (db: Database) => () => (read.kind === 'Query' ? db.query(input as never) : db.scan(input as never));
          let page = await answer(call(lazy));
          expect(page).toEqual(await answer(call(whole)));
          // The next page too, from the LastEvaluatedKey (built from a partially decoded item).
          const last = (page as { LastEvaluatedKey?: unknown }).LastEvaluatedKey;
          if (last !== undefined) {
            input.ExclusiveStartKey = last;
            page = await answer(call(lazy));
            expect(page).toEqual(await answer(call(whole)));
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('GetItem, BatchGetItem and TransactGetItems with a projection answer as reads of whole items', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(itemArb, { maxLength: 6 }), projection, async (items, projected) => {
        const keys = [0, 1, 2, 3, 4].map((n) => ({ pk: { S: n % 2 === 0 ? 'p0' : 'p1' }, sk: { N: String(n) } }));
        // Items under the first keys read (the last key reads an absent item), each with a 5 KB attribute
        // no projection names: capacity is charged for the whole item, not the attributes decoded.
        const stored = items.map((item, n) => ({ ...item, ...keys[n % 4]!, e: { S: 'z'.repeat(5000) } }));
        const p = projected === undefined ? {} : { ProjectionExpression: projected };
        const reads: Array<(db: Database) => Promise<unknown>> = [
          (db) => Promise.all(keys.map((Key) => db.getItem({ TableName: 'tbl', Key, ...p, ReturnConsumedCapacity: 'TOTAL' }))),
          (db) => db.batchGetItem({ RequestItems: { tbl: { Keys: keys, ...p } }, ReturnConsumedCapacity: 'TOTAL' }),
          (db) => db.transactGetItems({ TransactItems: keys.map((Key) => ({ Get: { TableName: 'tbl', Key, ...p } })), ReturnConsumedCapacity: 'TOTAL' }),
        ];
        for (const read of reads) {
          // Fresh tables for each operation, read three times: an item read a third time in a row is
          // decoded whole and kept by the decoded-item cache.
          const [lazy, whole] = await both(stored);
          for (let i = 0; i < 3; i++) expect(await answer(() => read(lazy))).toEqual(await answer(() => read(whole)));
        }
      }),
      { numRuns: 40 },
    );
  });
});
