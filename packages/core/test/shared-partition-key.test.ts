/**
 * A Query page's items all hold the partition key its condition names, so when it is an S they share one
 * frozen copy of it (operations/read-page.ts, item-codec.ts sharingDecoder) instead of a fresh one each;
 * a Scan's consecutive items of one item collection share theirs (collectionsDecoder). Nothing of that
 * may show: every item a Query or Scan returns equals the same item read with GetItem, deeply frozen,
 * whatever the key's text (Latin-1, UTF-8, long, of equal length), the item's shape, the index (GSI, LSI),
 * the segment or the decoded-item cache (which keeps an item from its third read in a row).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database, type AttributeValue, type CreateTableInput, type Item } from '../src/index.js';

const TABLE: CreateTableInput = {
  TableName: 'tbl',
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
    { AttributeName: 'g', AttributeType: 'S' },
    { AttributeName: 'n', AttributeType: 'N' },
    { AttributeName: 'a', AttributeType: 'S' },
  ],
  GlobalSecondaryIndexes: [
    { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
    { IndexName: 'byN', KeySchema: [{ AttributeName: 'n', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
  ],
  LocalSecondaryIndexes: [
    { IndexName: 'byA', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'a', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
  ],
  BillingMode: 'PAY_PER_REQUEST',
};

// Short Latin-1 texts (read inline and shared), one with a character above U+00FF (stored as UTF-8) and
// one too long to be read inline: the latter two are decoded afresh, equal all the same.
const keyText = fc.constantFrom('p0', 'p1', 'p2', 'ü', '日本', 'x'.repeat(70));
const scalar: fc.Arbitrary<AttributeValue> = fc.oneof(
  keyText.map((S) => ({ S })),
  fc.integer({ min: -5, max: 20_000 }).map((n) => ({ N: String(n) })),
  fc.boolean().map((BOOL) => ({ BOOL })),
  fc.constant({ B: new Uint8Array([1, 2]) }),
);
// A map may hold attributes named as the keys, with other values: only the top-level key is shared.
const value: fc.Arbitrary<AttributeValue> = fc.oneof(scalar, fc.record({ pk: scalar, g: scalar }, { requiredKeys: [] }).map((M) => ({ M }) as AttributeValue));
const itemArb = fc.record(
  {
    pk: keyText.map((S) => ({ S })),
    sk: fc.integer({ min: 0, max: 6 }).map((n) => ({ N: String(n) })),
    g: keyText.map((S) => ({ S })),
    n: fc.constantFrom('1', '2').map((N) => ({ N })),
    a: keyText.map((S) => ({ S })),
    b: value,
    c: value,
  },
  { requiredKeys: ['pk', 'sk'] },
) as fc.Arbitrary<Item>;

const readArb = fc.record({
  index: fc.constantFrom(undefined, 'byG', 'byN', 'byA'),
  key: keyText,
  number: fc.constantFrom('1', '2'),
  forward: fc.boolean(),
  limit: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
});

/** Throws unless `value` and everything in it is frozen (a binary value's bytes excepted: they cannot be). */
function expectDeeplyFrozen(value: unknown): void {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return;
  expect(Object.isFrozen(value)).toBe(true);
  for (const member of Object.values(value)) expectDeeplyFrozen(member);
}

describe('Query and Scan sharing the partition key among a page\'s items', () => {
  it('returns items equal to GetItem\'s, deeply frozen, for a table, GSIs and an LSI, read again and again', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(itemArb, { maxLength: 20 }), fc.array(readArb, { minLength: 1, maxLength: 5 }), async (items, reads) => {
        const db = new Database();
        await db.createTable(TABLE);
        for (const item of items) await db.putItem({ TableName: 'tbl', Item: item });
        for (const read of reads) {
          const partitionName = read.index === 'byG' ? 'g' : read.index === 'byN' ? 'n' : 'pk';
          const partitionValue: AttributeValue = read.index === 'byN' ? { N: read.number } : { S: read.key };
          const input = {
            TableName: 'tbl',
            ...(read.index === undefined ? {} : { IndexName: read.index }),
            KeyConditionExpression: '#p = :p',
            ExpressionAttributeNames: { '#p': partitionName },
            ExpressionAttributeValues: { ':p': partitionValue },
            ScanIndexForward: read.forward,
            ...(read.limit === undefined ? {} : { Limit: read.limit }),
          };
          // Three times: the decoded-item cache keeps an item from its third read in a row.
          for (let time = 0; time < 3; time++) {
            const page = await db.query(input);
            for (const item of page.Items ?? []) {
              expectDeeplyFrozen(item);
              // Never the request's own (mutable) value.
              expect(item[partitionName]).not.toBe(partitionValue);
              expect(item[partitionName]).toEqual(partitionValue);
              const got = await db.getItem({ TableName: 'tbl', Key: { pk: item.pk!, sk: item.sk! } });
              expect(item).toEqual(got.Item);
            }
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it('Scan returns items equal to GetItem\'s, deeply frozen, for a table, GSIs and an LSI, by segment and page', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(itemArb, { maxLength: 25 }),
        fc.constantFrom(undefined, 'byG', 'byN', 'byA'),
        fc.integer({ min: 1, max: 3 }),
        fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
        async (items, index, segments, limit) => {
          const db = new Database();
          await db.createTable(TABLE);
          for (const item of items) await db.putItem({ TableName: 'tbl', Item: item });
          for (let time = 0; time < 3; time++) {
            for (let segment = 0; segment < segments; segment++) {
              let start: Record<string, AttributeValue> | undefined;
              do {
                const page = await db.scan({
                  TableName: 'tbl',
                  ...(index === undefined ? {} : { IndexName: index }),
                  Segment: segment,
                  TotalSegments: segments,
                  ...(limit === undefined ? {} : { Limit: limit }),
                  ...(start === undefined ? {} : { ExclusiveStartKey: start }),
                });
                for (const item of page.Items ?? []) {
                  expectDeeplyFrozen(item);
                  const got = await db.getItem({ TableName: 'tbl', Key: { pk: item.pk!, sk: item.sk! } });
                  expect(item).toEqual(got.Item);
                }
                start = page.LastEvaluatedKey;
              } while (start !== undefined);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
