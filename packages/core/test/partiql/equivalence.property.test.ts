/**
 * Property: a PartiQL statement answers what its equivalent operation answers. On random items, a random
 * SELECT paged to the end with Limit and NextToken returns the same items, the same pages and the same
 * consumed capacity as the GetItem, Query or Scan written by hand; and random INSERT, UPDATE and DELETE
 * statements leave the same items, the same errors and the same change records as PutItem (must not
 * exist), UpdateItem (must exist) and DeleteItem. Seeds print on failure (fast-check); MAGNETO_STRESS=1
 * runs more cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database, type AttributeValue, type ChangeRecord, type Item } from '../../src/index.js';
import { attributes, keys } from '../support/tables.js';

const RUNS = process.env.MAGNETO_STRESS === '1' ? 300 : 40;
const TABLE = { TableName: 'tab', KeySchema: keys('pk', 'sk'), AttributeDefinitions: attributes({ pk: 'S', sk: 'N' }), BillingMode: 'PAY_PER_REQUEST' as const };

const itemArb = fc.record({
  pk: fc.constantFrom('a', 'b', 'c'),
  sk: fc.integer({ min: 0, max: 9 }),
  v: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  pad: fc.integer({ min: 0, max: 3000 }),
});

function toItem(record: { pk: string; sk: number; v: number | undefined; pad: number }): Item {
  const item: Item = { pk: { S: record.pk }, sk: { N: String(record.sk) }, pad: { S: 'x'.repeat(record.pad) } };
  if (record.v !== undefined) item.v = { N: String(record.v) };
  return item;
}

async function databases(records: readonly { pk: string; sk: number; v: number | undefined; pad: number }[]): Promise<[Database, Database, ChangeRecord[], ChangeRecord[]]> {
  const feeds: ChangeRecord[][] = [[], []];
  const dbs = feeds.map((feed) => new Database({ modules: [{ name: 'recorder', install: (ctx) => void ctx.onChange((batch) => feed.push(...batch.records)) }] }));
  for (const db of dbs) {
    await db.createTable(TABLE);
    for (const record of records) await db.putItem({ TableName: 'tab', Item: toItem(record) });
  }
  feeds[0]!.length = 0;
  feeds[1]!.length = 0;
  return [dbs[0]!, dbs[1]!, feeds[0]!, feeds[1]!];
}

type SortCondition = { op: '=' | '<' | '<=' | '>' | '>='; value: number } | { op: 'BETWEEN'; low: number; high: number } | undefined;

const selectArb = fc.record({
  pk: fc.option(fc.constantFrom('a', 'b', 'z'), { nil: undefined }),
  sort: fc.oneof(
    fc.constant<SortCondition>(undefined),
    fc.record({ op: fc.constantFrom('=' as const, '<' as const, '<=' as const, '>' as const, '>=' as const), value: fc.integer({ min: 0, max: 9 }) }),
    fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 })).map(([a, b]) => ({ op: 'BETWEEN' as const, low: Math.min(a, b), high: Math.max(a, b) })),
  ),
  filter: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  limit: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  descending: fc.boolean(),
  consistent: fc.boolean(),
  projection: fc.boolean(),
});

type Select = typeof selectArb extends fc.Arbitrary<infer T> ? T : never;

/** The statement, and the operation a reader would write by hand for it. */
function equivalents(s: Select): { statement: string; operation: 'getItem' | 'query' | 'scan'; input: Record<string, unknown> } {
  const where: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  let keyCondition: string | undefined;
  const filters: string[] = [];
  if (s.pk !== undefined) {
    where.push(`pk = '${s.pk}'`);
    names['#pk'] = 'pk';
    values[':pk'] = { S: s.pk };
    keyCondition = '#pk = :pk';
  }
  if (s.sort !== undefined) {
    names['#sk'] = 'sk';
    const text = s.sort.op === 'BETWEEN' ? `#sk BETWEEN :lo AND :hi` : `#sk ${s.sort.op} :sk`;
    if (s.sort.op === 'BETWEEN') {
      where.push(`sk BETWEEN ${s.sort.low} AND ${s.sort.high}`);
      values[':lo'] = { N: String(s.sort.low) };
      values[':hi'] = { N: String(s.sort.high) };
    } else {
      where.push(`sk ${s.sort.op} ${s.sort.value}`);
      values[':sk'] = { N: String(s.sort.value) };
    }
    if (keyCondition !== undefined) keyCondition += ` AND ${text}`;
    else filters.push(text);
  }
  if (s.filter !== undefined) {
    where.push(`v >= ${s.filter}`);
    names['#v'] = 'v';
    values[':v'] = { N: String(s.filter) };
    filters.push('#v >= :v');
  }
  const orderBy = s.pk !== undefined && s.descending ? ' ORDER BY sk DESC' : '';
  const statement = `SELECT ${s.projection ? 'sk, v' : '*'} FROM "tab"${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}${orderBy}`;
  const input: Record<string, unknown> = { TableName: 'tab', ConsistentRead: s.consistent, ReturnConsumedCapacity: 'TOTAL' };
  if (s.projection) {
    input.ProjectionExpression = '#psk, #pv';
    names['#psk'] = 'sk';
    names['#pv'] = 'v';
  }
  const fullKey = s.pk !== undefined && s.sort?.op === '=' && s.filter === undefined && orderBy === '';
  if (fullKey) {
    const get: Record<string, unknown> = { ...input, Key: { pk: { S: s.pk }, sk: { N: String((s.sort as { value: number }).value) } } };
    if (s.projection) get.ExpressionAttributeNames = { '#psk': 'sk', '#pv': 'v' };
    return { statement, operation: 'getItem', input: get };
  }
  if (keyCondition !== undefined) input.KeyConditionExpression = keyCondition;
  if (filters.length > 0) input.FilterExpression = filters.join(' AND ');
  if (orderBy !== '') input.ScanIndexForward = false;
  if (s.limit !== undefined) input.Limit = s.limit;
  if (Object.keys(names).length > 0) input.ExpressionAttributeNames = names;
  if (Object.keys(values).length > 0) input.ExpressionAttributeValues = values;
  return { statement, operation: keyCondition === undefined ? 'scan' : 'query', input };
}

interface Page {
  items: Item[];
  capacity: unknown;
}

describe('PartiQL equivalence (property)', () => {
  it('a SELECT answers the items, pages and consumed capacity of its GetItem, Query or Scan', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(itemArb, { maxLength: 25 }), selectArb, async (records, select) => {
        const [db] = await databases(records);
        const { statement, operation, input } = equivalents(select);
        const viaStatement: Page[] = [];
        let NextToken: string | undefined;
        do {
          const request: Record<string, unknown> = { Statement: statement, ConsistentRead: select.consistent, ReturnConsumedCapacity: 'TOTAL' };
          if (operation !== 'getItem' && select.limit !== undefined) request.Limit = select.limit;
          if (NextToken !== undefined) request.NextToken = NextToken;
          const out = await db.executeStatement(request as never);
          viaStatement.push({ items: out.Items ?? [], capacity: out.ConsumedCapacity });
          NextToken = out.NextToken;
        } while (NextToken !== undefined);
        const viaOperation: Page[] = [];
        if (operation === 'getItem') {
          const out = await db.getItem(input as never);
          viaOperation.push({ items: out.Item === undefined ? [] : [out.Item], capacity: out.ConsumedCapacity });
        } else {
          let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
          do {
            const request = ExclusiveStartKey === undefined ? input : { ...input, ExclusiveStartKey };
            const out = operation === 'query' ? await db.query(request as never) : await db.scan(request as never);
            viaOperation.push({ items: out.Items ?? [], capacity: out.ConsumedCapacity });
            ExclusiveStartKey = out.LastEvaluatedKey;
          } while (ExclusiveStartKey !== undefined);
        }
        expect(viaStatement).toEqual(viaOperation);
      }),
      { numRuns: RUNS },
    );
  });

  const writeArb = fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), pk: fc.constantFrom('a', 'b'), sk: fc.integer({ min: 0, max: 3 }), v: fc.integer({ min: 0, max: 5 }) }),
    fc.record({ kind: fc.constant('update' as const), pk: fc.constantFrom('a', 'b'), sk: fc.integer({ min: 0, max: 3 }), v: fc.integer({ min: 0, max: 5 }), when: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }), remove: fc.boolean() }),
    fc.record({ kind: fc.constant('delete' as const), pk: fc.constantFrom('a', 'b'), sk: fc.integer({ min: 0, max: 3 }), when: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }) }),
  );

  it('INSERT, UPDATE and DELETE leave the items, errors and change records of PutItem, UpdateItem and DeleteItem', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(itemArb, { maxLength: 10 }), fc.array(writeArb, { minLength: 1, maxLength: 12 }), async (records, writes) => {
        const [viaStatements, viaOperations, feedA, feedB] = await databases(records);
        for (const w of writes) {
          const Key = { pk: { S: w.pk }, sk: { N: String(w.sk) } };
          const key = `pk = '${w.pk}' AND sk = ${w.sk}`;
          const outcome = (promise: Promise<unknown>) => promise.then(() => 'ok', (e: Error) => `${e.name}: ${e.message}`);
          let a: string;
          let b: string;
          if (w.kind === 'insert') {
            a = await outcome(viaStatements.executeStatement({ Statement: `INSERT INTO tab VALUE {'pk': '${w.pk}', 'sk': ${w.sk}, 'v': ${w.v}}` }));
            b = await outcome(viaOperations.putItem({ TableName: 'tab', Item: { ...Key, v: { N: String(w.v) } }, ConditionExpression: 'attribute_not_exists(pk)' }));
            if (b.startsWith('ConditionalCheckFailedException')) b = 'DuplicateItemException: Duplicate primary key exists in table';
          } else if (w.kind === 'update') {
            const where = w.when === undefined ? '' : ` AND v = ${w.when}`;
            a = await outcome(viaStatements.executeStatement({ Statement: `UPDATE tab SET v = ${w.v}${w.remove ? ' REMOVE pad' : ''} WHERE ${key}${where}` }));
            const values: Record<string, AttributeValue> = { ':v': { N: String(w.v) } };
            if (w.when !== undefined) values[':w'] = { N: String(w.when) };
            b = await outcome(
              viaOperations.updateItem({
                TableName: 'tab',
                Key,
                UpdateExpression: `SET v = :v${w.remove ? ' REMOVE #pad' : ''}`,
                ...(w.remove ? { ExpressionAttributeNames: { '#pad': 'pad' } } : {}),
                ConditionExpression: `attribute_exists(pk)${w.when === undefined ? '' : ' AND v = :w'}`,
                ExpressionAttributeValues: values,
              }),
            );
          } else {
            const where = w.when === undefined ? '' : ` AND v = ${w.when}`;
            a = await outcome(viaStatements.executeStatement({ Statement: `DELETE FROM tab WHERE ${key}${where}` }));
            const input = w.when === undefined ? { TableName: 'tab', Key } : { TableName: 'tab', Key, ConditionExpression: 'attribute_not_exists(pk) OR v = :w', ExpressionAttributeValues: { ':w': { N: String(w.when) } } };
            b = await outcome(viaOperations.deleteItem(input));
          }
          expect(a).toBe(b);
        }
        const all = async (db: Database) => (await db.scan({ TableName: 'tab' })).Items;
        expect(await all(viaStatements)).toEqual(await all(viaOperations));
        const strip = (feed: ChangeRecord[]) => feed.map(({ eventName, keys: k, oldImage, newImage }) => ({ eventName, keys: k, oldImage, newImage }));
        expect(strip(feedA)).toEqual(strip(feedB));
      }),
      { numRuns: RUNS },
    );
  });
});
