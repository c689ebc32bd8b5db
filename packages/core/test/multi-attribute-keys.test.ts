/**
 * Multi-attribute keys of global secondary indexes (DynamoDB, November 2025): up to four HASH and four
 * RANGE KeySchema elements; the partition key is the tuple of the HASH attributes, the sort key the
 * tuple of the RANGE attributes, in KeySchema order.
 */
import { CreateTableCommand, DescribeTableCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { Database, ValidationException, type AttributeValue, type Item, type QueryInput } from '../src/index.js';
import { expectSdkError, sdkClient } from './support/sdk.js';
import { attributes, keys } from './support/tables.js';

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: string): AttributeValue => ({ N: n });

let db: Database;

const definitions = [
  { AttributeName: 'id', AttributeType: 'S' },
  { AttributeName: 'tournament', AttributeType: 'S' },
  { AttributeName: 'region', AttributeType: 'S' },
  { AttributeName: 'round', AttributeType: 'S' },
  { AttributeName: 'bracket', AttributeType: 'S' },
  { AttributeName: 'match', AttributeType: 'N' },
] as const;

const gsiKeySchema = [
  { AttributeName: 'tournament', KeyType: 'HASH' },
  { AttributeName: 'region', KeyType: 'HASH' },
  { AttributeName: 'round', KeyType: 'RANGE' },
  { AttributeName: 'bracket', KeyType: 'RANGE' },
  { AttributeName: 'match', KeyType: 'RANGE' },
] as const;

function tableInput(keySchema: readonly { AttributeName: string; KeyType: string }[] = gsiKeySchema, allDefs: readonly { AttributeName: string; AttributeType: string }[] = definitions): never {
  const defs = allDefs.filter((d) => d.AttributeName === 'id' || keySchema.some((k) => k.AttributeName === d.AttributeName));
  return {
    TableName: 'matches',
    KeySchema: keys('id'),
    AttributeDefinitions: defs,
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: [{ IndexName: 'byBracket', KeySchema: keySchema, Projection: { ProjectionType: 'ALL' } }],
  } as never;
}

async function rejects(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationException);
  expect((error as Error).message).toBe(message);
}

const rounds = ['FINAL', 'QUARTER', 'SEMI'];
const brackets = ['LOWER', 'UPPER'];

async function seed(): Promise<void> {
  await db.createTable(tableInput());
  let id = 0;
  for (const region of ['EU', 'NA']) {
    for (const round of rounds) {
      for (const bracket of brackets) {
        for (const match of [1, 2, 10]) {
          await db.putItem({
            TableName: 'matches',
            Item: { id: S(`m${id++}`), tournament: S('W24'), region: S(region), round: S(round), bracket: S(bracket), match: N(String(match)) },
          });
        }
      }
    }
  }
  // Sparse: an item missing any key attribute is not indexed.
  await db.putItem({ TableName: 'matches', Item: { id: S('partial1'), tournament: S('W24'), region: S('EU'), round: S('FINAL'), bracket: S('UPPER') } });
  await db.putItem({ TableName: 'matches', Item: { id: S('partial2'), tournament: S('W24'), round: S('FINAL'), bracket: S('UPPER'), match: N('3') } });
}

const keyOf = (item: Item): string => `${(item.round as { S: string }).S}/${(item.bracket as { S: string }).S}/${(item.match as { N: string }).N}`;

async function queryAll(input: Omit<QueryInput, 'TableName' | 'IndexName'>, limit?: number): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let start: Record<string, AttributeValue> | undefined;
  let pages = 0;
  do {
    const out = await db.query({ TableName: 'matches', IndexName: 'byBracket', ...input, ...(limit ? { Limit: limit } : {}), ...(start ? { ExclusiveStartKey: start } : {}) });
    pages++;
    for (const item of out.Items ?? []) keys.push(keyOf(item));
    start = out.LastEvaluatedKey;
    if (start !== undefined) expect(Object.keys(start).sort()).toEqual(['bracket', 'id', 'match', 'region', 'round', 'tournament']);
  } while (start !== undefined);
  return { keys, pages };
}

const all = rounds.flatMap((r) => brackets.flatMap((b) => [1, 2, 10].map((m) => `${r}/${b}/${m}`)));

beforeEach(() => {
  db = new Database();
});

describe('multi-attribute GSI keys', () => {
  it('validates the KeySchema', async () => {
    const defs = [...definitions, { AttributeName: 'e', AttributeType: 'S' }, { AttributeName: 'f', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }];
    const k = (name: string, type: string) => ({ AttributeName: name, KeyType: type });
    await rejects(db.createTable(tableInput([k('tournament', 'HASH'), k('round', 'RANGE'), k('region', 'HASH')])), 'Invalid KeySchema: HASH KeySchemaElements must precede all RANGE KeySchemaElements');
    await rejects(db.createTable(tableInput([k('round', 'RANGE'), k('tournament', 'HASH'), k('region', 'HASH')])), 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
    await rejects(db.createTable(tableInput([k('tournament', 'HASH'), k('region', 'HASH'), k('tournament', 'RANGE')])), 'Invalid KeySchema: Duplicate KeySchemaElement AttributeName: tournament');
    await rejects(
      db.createTable(tableInput([k('tournament', 'HASH'), k('region', 'HASH'), k('round', 'HASH'), k('bracket', 'HASH'), k('match', 'HASH')], defs)),
      'Invalid KeySchema: A KeySchema can have at most 4 HASH KeySchemaElements',
    );
    await rejects(
      db.createTable(tableInput([k('tournament', 'HASH'), k('region', 'RANGE'), k('round', 'RANGE'), k('bracket', 'RANGE'), k('match', 'RANGE'), k('e', 'RANGE')], defs)),
      'Invalid KeySchema: A KeySchema can have at most 4 RANGE KeySchemaElements',
    );
    const nine = ['tournament', 'region', 'round', 'bracket', 'match', 'e', 'f', 'g', 'id'].map((n, i) => k(n, i < 4 ? 'HASH' : 'RANGE'));
    await expect(db.createTable(tableInput(nine, defs))).rejects.toThrow(/Member must have length less than or equal to 8/);
    // A table's KeySchema and an LSI's stay at two elements.
    await expect(
      db.createTable({ ...(tableInput() as object), KeySchema: [k('id', 'HASH'), k('tournament', 'HASH'), k('round', 'RANGE')] } as never),
    ).rejects.toThrow(/Member must have length less than or equal to 2/);
    // Four and four is fine.
    await db.createTable(tableInput([k('tournament', 'HASH'), k('region', 'HASH'), k('e', 'HASH'), k('f', 'HASH'), k('round', 'RANGE'), k('bracket', 'RANGE'), k('match', 'RANGE'), k('g', 'RANGE')], defs));
  });

  it('adds a multi-attribute GSI with UpdateTable and describes it', async () => {
    await db.createTable({ TableName: 'matches', KeySchema: keys('id'), AttributeDefinitions: attributes({ id: 'S' }), BillingMode: 'PAY_PER_REQUEST' } as never);
    await rejects(
      db.updateTable({
        TableName: 'matches',
        AttributeDefinitions: [...definitions],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byBracket', KeySchema: [gsiKeySchema[2], gsiKeySchema[0]], Projection: { ProjectionType: 'ALL' } } }],
      } as never),
      'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
    );
    await db.updateTable({
      TableName: 'matches',
      AttributeDefinitions: [...definitions],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byBracket', KeySchema: [...gsiKeySchema], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
    } as never);
    const { Table } = await db.describeTable({ TableName: 'matches' });
    expect(Table!.GlobalSecondaryIndexes![0]!.KeySchema).toEqual(gsiKeySchema);
  });

  it('indexes items that have every key attribute, in tuple order', async () => {
    await seed();
    const { Table } = await db.describeTable({ TableName: 'matches' });
    expect(Table!.GlobalSecondaryIndexes![0]!.KeySchema).toEqual(gsiKeySchema);
    expect(Table!.GlobalSecondaryIndexes![0]!.ItemCount ?? 36).toBe(36);
    const scan = await db.scan({ TableName: 'matches', IndexName: 'byBracket' });
    expect(scan.Count).toBe(36);
    const eu = { KeyConditionExpression: 'tournament = :t AND #r = :r', ExpressionAttributeNames: { '#r': 'region' }, ExpressionAttributeValues: { ':t': S('W24'), ':r': S('EU') } };
    expect((await queryAll(eu)).keys).toEqual(all.sort((a, b) => cmp(a, b)));
    expect((await queryAll({ ...eu, ScanIndexForward: false })).keys).toEqual([...all].sort((a, b) => cmp(a, b)).reverse());
    // Paging: one item a page, both directions.
    const paged = await queryAll(eu, 5);
    expect(paged.keys).toEqual(all.sort((a, b) => cmp(a, b)));
    expect(paged.pages).toBe(4);
    expect((await queryAll({ ...eu, ScanIndexForward: false }, 7)).keys).toEqual([...all].sort((a, b) => cmp(a, b)).reverse());
    // Updating a key attribute moves the entry; removing one drops it.
    await db.updateItem({ TableName: 'matches', Key: { id: S('partial1') }, UpdateExpression: 'SET #m = :m', ExpressionAttributeNames: { '#m': 'match' }, ExpressionAttributeValues: { ':m': N('99') } });
    expect((await db.scan({ TableName: 'matches', IndexName: 'byBracket' })).Count).toBe(37);
    await db.updateItem({ TableName: 'matches', Key: { id: S('partial1') }, UpdateExpression: 'REMOVE bracket' });
    expect((await db.scan({ TableName: 'matches', IndexName: 'byBracket' })).Count).toBe(36);
    await rejects(
      db.putItem({ TableName: 'matches', Item: { id: S('x'), region: N('1') } }),
      'One or more parameter values were invalid: Type mismatch for Index Key region Expected: S Actual: N IndexName: byBracket',
    );
  });

  it('queries sort key prefixes with a range condition on the next attribute', async () => {
    await seed();
    const base = { ':t': S('W24'), ':r': S('NA') };
    const q = async (condition: string, values: Record<string, AttributeValue>, forward = true, limit?: number) =>
      (await queryAll({ KeyConditionExpression: `tournament = :t AND #r = :r${condition}`, ...namesIn(` #r${condition}`), ExpressionAttributeValues: { ...base, ...values }, ScanIndexForward: forward }, limit)).keys;
    const sorted = [...all].sort(cmp);
    const expectKeys = (keys: string[], pick: (k: string) => boolean, forward = true) => expect(keys).toEqual(forward ? sorted.filter(pick) : sorted.filter(pick).reverse());
    const parts = (k: string) => k.split('/') as [string, string, string];
    expectKeys(await q(' AND round = :x', { ':x': S('SEMI') }, true, 2), (k) => parts(k)[0] === 'SEMI');
    expectKeys(await q(' AND round = :x', { ':x': S('SEMI') }, false, 4), (k) => parts(k)[0] === 'SEMI', false);
    expectKeys(await q(' AND round > :x', { ':x': S('FINAL') }), (k) => parts(k)[0] > 'FINAL');
    expectKeys(await q(' AND round <= :x', { ':x': S('QUARTER') }, false, 5), (k) => parts(k)[0] <= 'QUARTER', false);
    expectKeys(await q(' AND begins_with(round, :x)', { ':x': S('S') }), (k) => parts(k)[0].startsWith('S'));
    expectKeys(await q(' AND round = :x AND #b = :b', { ':x': S('FINAL'), ':b': S('UPPER') }), (k) => parts(k)[0] === 'FINAL' && parts(k)[1] === 'UPPER');
    const m = (k: string) => Number(parts(k)[2]);
    const finalUpper = (k: string) => parts(k)[0] === 'FINAL' && parts(k)[1] === 'UPPER';
    expectKeys(await q(' AND round = :x AND #b = :b AND #m = :m', { ':x': S('FINAL'), ':b': S('UPPER'), ':m': N('2') }), (k) => finalUpper(k) && m(k) === 2);
    expectKeys(await q(' AND round = :x AND #b = :b AND #m >= :m', { ':x': S('FINAL'), ':b': S('UPPER'), ':m': N('2') }, false, 1), (k) => finalUpper(k) && m(k) >= 2, false);
    expectKeys(await q(' AND round = :x AND #b = :b AND #m < :m', { ':x': S('FINAL'), ':b': S('UPPER'), ':m': N('10') }, true, 1), (k) => finalUpper(k) && m(k) < 10);
    expectKeys(await q(' AND round = :x AND #b = :b AND #m BETWEEN :m AND :n', { ':x': S('FINAL'), ':b': S('UPPER'), ':m': N('2'), ':n': N('10') }), (k) => finalUpper(k) && m(k) >= 2);
    expectKeys(await q(' AND round = :x AND #b > :b', { ':x': S('SEMI'), ':b': S('LOWER') }, false), (k) => parts(k)[0] === 'SEMI' && parts(k)[1] > 'LOWER', false);
    // Legacy KeyConditions address the same attributes.
    const legacy = await db.query({
      TableName: 'matches',
      IndexName: 'byBracket',
      KeyConditions: {
        tournament: { ComparisonOperator: 'EQ', AttributeValueList: [S('W24')] },
        region: { ComparisonOperator: 'EQ', AttributeValueList: [S('NA')] },
        round: { ComparisonOperator: 'EQ', AttributeValueList: [S('SEMI')] },
        bracket: { ComparisonOperator: 'LT', AttributeValueList: [S('UPPER')] },
      },
    });
    expect(legacy.Items!.map(keyOf)).toEqual(['SEMI/LOWER/1', 'SEMI/LOWER/2', 'SEMI/LOWER/10']);
  });

  it('rejects key conditions that do not address the tuple keys', async () => {
    await seed();
    const q = (condition: string, values: Record<string, AttributeValue>) =>
      db.query({
        TableName: 'matches',
        IndexName: 'byBracket',
        KeyConditionExpression: condition,
        ...namesIn(condition),
        ExpressionAttributeValues: values,
      });
    const t = S('W24');
    await rejects(q('tournament = :t', { ':t': t }), 'Query condition missed key schema element: region');
    await rejects(q('tournament = :t AND #r > :t', { ':t': t }), 'Query key condition not supported');
    await rejects(q('tournament = :t AND #r = :t AND #b = :t', { ':t': t }), 'Query condition missed key schema element: round');
    await rejects(q('tournament = :t AND #r = :t AND round > :t AND #b = :t', { ':t': t }), 'Query key condition not supported');
    await rejects(q('tournament = :t AND #r = :t AND extra = :t', { ':t': t }), 'Query condition missed key schema element: round');
    await rejects(q('tournament = :t AND #r = :t AND round = :n', { ':t': t, ':n': N('1') }), 'One or more parameter values were invalid: Condition parameter type does not match schema type');
    await rejects(q('tournament = :t AND #r = :t AND round <> :t', { ':t': t }), 'Invalid operator used in KeyConditionExpression: <>');
  });

  it('works through the AWS SDK', async () => {
    const { client } = sdkClient();
    await client.send(new CreateTableCommand(tableInput()));
    const described = await client.send(new DescribeTableCommand({ TableName: 'matches' }));
    expect(described.Table!.GlobalSecondaryIndexes![0]!.KeySchema).toEqual(gsiKeySchema);
    for (const match of ['1', '2', '3']) {
      await client.send(new PutItemCommand({ TableName: 'matches', Item: { id: { S: match }, tournament: { S: 'T' }, region: { S: 'EU' }, round: { S: 'R1' }, bracket: { S: 'U' }, match: { N: match } } }));
    }
    const page = await client.send(
      new QueryCommand({
        TableName: 'matches',
        IndexName: 'byBracket',
        KeyConditionExpression: 'tournament = :t AND #r = :r AND round = :x AND bracket = :b AND #m > :m',
        ExpressionAttributeNames: { '#r': 'region', '#m': 'match' },
        ExpressionAttributeValues: { ':t': { S: 'T' }, ':r': { S: 'EU' }, ':x': { S: 'R1' }, ':b': { S: 'U' }, ':m': { N: '1' } },
        Limit: 1,
      }),
    );
    expect(page.Items!.map((i) => i.match!.N)).toEqual(['2']);
    expect(page.LastEvaluatedKey).toEqual({ id: { S: '2' }, tournament: { S: 'T' }, region: { S: 'EU' }, round: { S: 'R1' }, bracket: { S: 'U' }, match: { N: '2' } });
    await expectSdkError(
      client.send(new QueryCommand({ TableName: 'matches', IndexName: 'byBracket', KeyConditionExpression: 'tournament = :t', ExpressionAttributeValues: { ':t': { S: 'T' } } })),
      { name: 'ValidationException', message: 'Query condition missed key schema element: region' },
    );
  });
});

/** The ExpressionAttributeNames a condition uses (#r, #b, #m). */
function namesIn(condition: string): { ExpressionAttributeNames?: Record<string, string> } {
  const names = Object.fromEntries(Object.entries({ '#r': 'region', '#b': 'bracket', '#m': 'match' }).filter(([k]) => condition.includes(k)));
  return Object.keys(names).length === 0 ? {} : { ExpressionAttributeNames: names };
}

/** Tuple order of the "round/bracket/match" test keys. */
function cmp(a: string, b: string): number {
  const [ar, ab, am] = a.split('/') as [string, string, string];
  const [br, bb, bm] = b.split('/') as [string, string, string];
  if (ar !== br) return ar < br ? -1 : 1;
  if (ab !== bb) return ab < bb ? -1 : 1;
  return Number(am) - Number(bm);
}
