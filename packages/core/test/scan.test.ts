/**
 * Scan through the public Database API: storage (hash) order, paging, Limit, filters, Select, parallel
 * segments (disjoint and covering), secondary indexes, and DynamoDB's messages (dynalite test/scan.js,
 * verified against DynamoDB; Select's AWS-verified).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { Database, ValidationException, type AttributeValue, type Item, type ScanInput } from '../src/index.js';
import { attributes, freshDatabase, keys } from './support/tables.js';

let db: Database;
const S = (s: string): AttributeValue => ({ S: s });
const N = (n: string): AttributeValue => ({ N: n });

async function rejects(input: Partial<ScanInput> & Record<string, unknown>, message: string): Promise<void> {
  const error = await db.scan(input as ScanInput).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, message).toBeInstanceOf(ValidationException);
  expect((error as Error).message).toBe(message);
}

async function scanAll(input: ScanInput): Promise<{ items: Item[]; pages: number; scanned: number }> {
  const items: Item[] = [];
  let pages = 0;
  let scanned = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await db.scan({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) });
    items.push(...(page.Items ?? []));
    scanned += page.ScannedCount;
    pages++;
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return { items, pages, scanned };
}

const idOf = (item: Item): string => `${(item.pk as { S: string }).S}/${(item.sk as { N: string }).N}`;

beforeEach(async () => {
  db = await freshDatabase({
    TableName: 'things',
    KeySchema: keys('pk', 'sk'),
    AttributeDefinitions: attributes({ pk: 'S', sk: 'N', g: 'S' }),
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: keys('g'), Projection: { ProjectionType: 'KEYS_ONLY' } }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  for (let p = 0; p < 40; p++) {
    for (let s = 0; s < 3; s++) {
      await db.putItem({ TableName: 'things', Item: { pk: S(`p${p}`), sk: N(String(s)), n: N(String(p * 3 + s)), ...(s === 0 ? { g: S(`g${p % 5}`) } : {}) } });
    }
  }
});

describe('Scan: results', () => {
  it('returns every item once, in storage order, across small pages', async () => {
    const all = await db.scan({ TableName: 'things' });
    expect(all.Count).toBe(120);
    expect(all.LastEvaluatedKey).toBeUndefined();
    const paged = await scanAll({ TableName: 'things', Limit: 7 });
    expect(paged.items.map(idOf)).toEqual(all.Items!.map(idOf));
    expect(paged.pages).toBe(Math.ceil(120 / 7) + (120 % 7 === 0 ? 1 : 0));
    // Items of one partition key are contiguous and in sort key order.
    const seen = all.Items!.map(idOf);
    for (let p = 0; p < 40; p++) {
      const at = seen.indexOf(`p${p}/0`);
      expect(seen.slice(at, at + 3)).toEqual([`p${p}/0`, `p${p}/1`, `p${p}/2`]);
    }
  });

  it('divides the table into disjoint, covering segments', async () => {
    const all = (await db.scan({ TableName: 'things' })).Items!.map(idOf);
    for (const total of [1, 2, 3, 7, 64, 1000]) {
      const got: string[] = [];
      for (let segment = 0; segment < total; segment++) {
        got.push(...(await scanAll({ TableName: 'things', Segment: segment, TotalSegments: total, Limit: 5 })).items.map(idOf));
      }
      // Segments in order concatenate to the full Scan's order.
      expect(got, `TotalSegments ${total}`).toEqual(all);
    }
  });

  it('filters after reading: Count, ScannedCount, legacy ScanFilter, Select COUNT', async () => {
    const expr = await db.scan({ TableName: 'things', FilterExpression: 'n < :n', ExpressionAttributeValues: { ':n': N('10') } });
    expect(expr.Count).toBe(10);
    expect(expr.ScannedCount).toBe(120);
    const legacy = await db.scan({ TableName: 'things', ScanFilter: { n: { ComparisonOperator: 'LT', AttributeValueList: [N('10')] } }, Select: 'COUNT' });
    expect(legacy).toEqual({ Count: 10, ScannedCount: 120 });
    const projected = await db.scan({ TableName: 'things', FilterExpression: 'n = :n', ExpressionAttributeValues: { ':n': N('4') }, ProjectionExpression: 'n' });
    expect(projected.Items).toEqual([{ n: N('4') }]);
  });

  it('scans a sparse KEYS_ONLY GSI, with the table and index keys in LastEvaluatedKey', async () => {
    const all = await db.scan({ TableName: 'things', IndexName: 'byG', ReturnConsumedCapacity: 'INDEXES' });
    expect(all.Count).toBe(40);
    for (const item of all.Items!) expect(Object.keys(item).sort()).toEqual(['g', 'pk', 'sk']);
    expect(all.ConsumedCapacity).toMatchObject({ TableName: 'things', Table: { CapacityUnits: 0 }, GlobalSecondaryIndexes: { byG: { CapacityUnits: 0.5 } } });
    const page = await db.scan({ TableName: 'things', IndexName: 'byG', Limit: 3 });
    expect(Object.keys(page.LastEvaluatedKey!).sort()).toEqual(['g', 'pk', 'sk']);
    expect((await scanAll({ TableName: 'things', IndexName: 'byG', Limit: 3 })).items).toEqual(all.Items);
    await rejects(
      { TableName: 'things', IndexName: 'byG', Select: 'ALL_ATTRIBUTES' },
      'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byG because its projection type is not ALL',
    );
    await rejects({ TableName: 'things', IndexName: 'byG', ConsistentRead: true }, 'Consistent reads are not supported on global secondary indexes');
  });
});

describe('Scan: validation', () => {
  it('reports member constraints', async () => {
    await rejects(
      { TableName: 'abc;', Segment: -1, TotalSegments: 1_000_001, Limit: 0 },
      '4 validation errors detected: ' +
        "Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000; " +
        "Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
        "Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0; " +
        "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it('checks Segment and TotalSegments', async () => {
    await rejects({ TableName: 'things', Segment: 1 }, 'The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
    await rejects({ TableName: 'things', TotalSegments: 2 }, 'The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
    await rejects({ TableName: 'things', Segment: 2, TotalSegments: 2 }, 'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 2 is not less than TotalSegments: 2');
  });

  it('checks the ExclusiveStartKey', async () => {
    await rejects({ TableName: 'things', ExclusiveStartKey: { pk: S('p1') } }, "Exclusive Start Key must have same size as table's key schema");
    await rejects({ TableName: 'things', ExclusiveStartKey: { pk: S('p1'), sk: S('1') } }, 'The provided starting key is invalid: The provided key element does not match the schema');
    await rejects({ TableName: 'things', ExclusiveStartKey: { pk: {} as never } }, 'The provided starting key is invalid: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
    const other = await db.scan({ TableName: 'things', Segment: 1, TotalSegments: 2, Limit: 1 });
    await rejects(
      { TableName: 'things', Segment: 0, TotalSegments: 2, ExclusiveStartKey: other.LastEvaluatedKey! },
      'The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: 0',
    );
  });

  it('applies Select rules and key path rules', async () => {
    await rejects({ TableName: 'things', Select: 'SPECIFIC_ATTRIBUTES' }, 'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES');
    await rejects({ TableName: 'things', Select: 'ALL_PROJECTED_ATTRIBUTES' }, 'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
    await rejects({ TableName: 'things', Select: 'COUNT', AttributesToGet: ['n'] }, 'Cannot specify the AttributesToGet when choosing to get only the Count');
    await rejects(
      { TableName: 'things', FilterExpression: 'attribute_exists(#a.b.c)', ExpressionAttributeNames: { '#a': 'pk' } },
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk",
    );
    await rejects({ TableName: 'things', ProjectionExpression: 'g[0]' }, "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: g");
  });
});
