/**
 * Query through the public Database API: key conditions (expression and legacy), order, paging,
 * Limit, filters, projections, Select, capacity, and DynamoDB's validation messages (dynalite
 * test/query.js, verified against DynamoDB; Select's messages AWS-verified).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { Database, ResourceNotFoundException, ValidationException, type AttributeValue, type Item, type QueryInput } from '../src/index.js';
import { attributes, keys } from './support/tables.js';

let db: Database;

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: string): AttributeValue => ({ N: n });
const B = (...bytes: number[]): AttributeValue => ({ B: Uint8Array.from(bytes) });

async function createRange(name: string, sortType: 'S' | 'N' | 'B', extra: Record<string, unknown> = {}): Promise<void> {
  await db.createTable({
    TableName: name,
    KeySchema: keys('a', 'b'),
    AttributeDefinitions: [
      { AttributeName: 'a', AttributeType: 'S' },
      { AttributeName: 'b', AttributeType: sortType },
      ...((extra.AttributeDefinitions as []) ?? []),
    ],
    BillingMode: 'PAY_PER_REQUEST',
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'AttributeDefinitions')),
  } as never);
}

async function put(table: string, ...items: Item[]): Promise<void> {
  for (const item of items) await db.putItem({ TableName: table, Item: item });
}

async function rejects(input: Partial<QueryInput> & Record<string, unknown>, message: string, type: new (m: string) => Error = ValidationException): Promise<void> {
  const error = await db.query(input as QueryInput).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, message).toBeInstanceOf(type);
  expect((error as Error).message).toBe(message);
}

beforeEach(async () => {
  db = new Database();
  await db.createTable({
    TableName: 'hash',
    KeySchema: keys('a'),
    AttributeDefinitions: attributes({ a: 'S' }),
    BillingMode: 'PAY_PER_REQUEST',
  });
  await createRange('range', 'S');
});

describe('Query: results', () => {
  it('reads an empty partition', async () => {
    expect(await db.query({ TableName: 'range', KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': S('x') } })).toEqual({
      Items: [],
      Count: 0,
      ScannedCount: 0,
    });
  });

  it('queries a hash table', async () => {
    await put('hash', { a: S('1'), x: N('1') }, { a: S('2'), x: N('2') });
    const out = await db.query({ TableName: 'hash', KeyConditions: { a: { ComparisonOperator: 'EQ', AttributeValueList: [S('2')] } } });
    expect(out).toEqual({ Items: [{ a: S('2'), x: N('2') }], Count: 1, ScannedCount: 1 });
  });

  it('supports every sort key condition, expression and legacy alike', async () => {
    const items = ['1', '10', '2', 'A', 'B', 'a', 'aa', 'ab', 'b'].map((b) => ({ a: S('p'), b: S(b) }));
    await put('range', ...items, { a: S('q'), b: S('a') });
    const cases: Array<[string, string, AttributeValue[], string[]]> = [
      ['b = :v', 'EQ', [S('2')], ['2']],
      ['b < :v', 'LT', [S('A')], ['1', '10', '2']],
      ['b <= :v', 'LE', [S('A')], ['1', '10', '2', 'A']],
      ['b > :v', 'GT', [S('aa')], ['ab', 'b']],
      ['b >= :v', 'GE', [S('aa')], ['aa', 'ab', 'b']],
      ['b BETWEEN :v AND :w', 'BETWEEN', [S('2'), S('aa')], ['2', 'A', 'B', 'a', 'aa']],
      ['begins_with(b, :v)', 'BEGINS_WITH', [S('a')], ['a', 'aa', 'ab']],
    ];
    for (const [expression, operator, values, expected] of cases) {
      const exprValues: Record<string, AttributeValue> = { ':a': S('p'), ':v': values[0]! };
      if (values[1]) exprValues[':w'] = values[1];
      for (const forward of [true, false]) {
        const order = forward ? expected : [...expected].reverse();
        const viaExpression = await db.query({
          TableName: 'range',
          KeyConditionExpression: `a = :a AND ${expression}`,
          ExpressionAttributeValues: exprValues,
          ScanIndexForward: forward,
        });
        expect(viaExpression.Items!.map((i) => (i.b as { S: string }).S), `${expression} ${forward}`).toEqual(order);
        const viaLegacy = await db.query({
          TableName: 'range',
          KeyConditions: { a: { ComparisonOperator: 'EQ', AttributeValueList: [S('p')] }, b: { ComparisonOperator: operator as never, AttributeValueList: values } },
          ScanIndexForward: forward,
        });
        expect(viaLegacy.Items).toEqual(viaExpression.Items);
      }
    }
  });

  it('accepts the key attribute on either side of a comparison', async () => {
    await put('range', { a: S('p'), b: S('1') }, { a: S('p'), b: S('2') }, { a: S('p'), b: S('3') });
    const out = await db.query({ TableName: 'range', KeyConditionExpression: ':a = a AND :v < b', ExpressionAttributeValues: { ':a': S('p'), ':v': S('1') } });
    expect(out.Items!.map((i) => i.b)).toEqual([S('2'), S('3')]);
  });

  it('orders numbers by value, strings by UTF-8 bytes, binary by unsigned bytes', async () => {
    await createRange('numbers', 'N');
    await createRange('binary', 'B');
    const numbers = ['0', '99.1', '10.9', '10.1', '9.1', '9', '1.9', '1.1', '1', '0.9', '0.1', '0.09', '0.01', '-0.01', '-0.09', '-0.1', '-0.9', '-1', '-1.01', '-9', '-9.9', '-10.1', '-99.1', '1e100', '-1e-100'];
    await put('numbers', ...numbers.map((n) => ({ a: S('p'), b: N(n) })));
    const sortedNumbers = [...numbers].sort((x, y) => Number(x) - Number(y));
    const n = await db.query({ TableName: 'numbers', KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': S('p') } });
    expect(n.Items!.map((i) => Number((i.b as { N: string }).N))).toEqual(sortedNumbers.map(Number));

    // U+FFFD < U+10000 in UTF-8 (EF BF BD < F0 90 80 80), though UTF-16 puts the surrogates first.
    const strings = ['\u{10000}', '\ufffd', '\uffff', 'z', 'é', '😀', '\ue000', 'a\u{1f600}', 'a\uff01'];
    await put('range', ...strings.map((s) => ({ a: S('u'), b: S(s) })));
    const utf8 = (s: string) => Array.from(new TextEncoder().encode(s));
    const byBytes = [...strings].sort((x, y) => {
      const ax = utf8(x);
      const ay = utf8(y);
      for (let i = 0; i < Math.min(ax.length, ay.length); i++) if (ax[i] !== ay[i]) return ax[i]! - ay[i]!;
      return ax.length - ay.length;
    });
    const s = await db.query({ TableName: 'range', KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': S('u') } });
    expect(s.Items!.map((i) => (i.b as { S: string }).S)).toEqual(byBytes);
    const prefixed = await db.query({ TableName: 'range', KeyConditionExpression: 'a = :a AND begins_with(b, :p)', ExpressionAttributeValues: { ':a': S('u'), ':p': S('a') } });
    expect(prefixed.Items!.map((i) => (i.b as { S: string }).S)).toEqual(['a\uff01', 'a\u{1f600}']);

    const blobs = [[0xd4, 0xfc], [0x24], [0xdb], [0x70, 0x07], [0xea], [0x32, 0x30], [0xd6], [0x11, 0x1f], [0x00], [0xff, 0x00], [0xff]];
    await put('binary', ...blobs.map((bytes) => ({ a: S('p'), b: B(...bytes) })));
    const b = await db.query({ TableName: 'binary', KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': S('p') }, ScanIndexForward: false });
    const sortedBlobs = [...blobs].sort((x, y) => {
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
      return x.length - y.length;
    });
    expect(b.Items!.map((i) => Array.from((i.b as { B: Uint8Array }).B))).toEqual(sortedBlobs.reverse());
  });

  it('counts Limit in items read before the filter and returns LastEvaluatedKey', async () => {
    await put('range', ...['1', '2', '3', '4', '5'].map((b) => ({ a: S('p'), b: S(b), c: S('c'), ...(b === '3' ? { d: S('d') } : {}) })));
    const base = { TableName: 'range', KeyConditionExpression: 'a = :a AND b >= :b', ExpressionAttributeValues: { ':a': S('p'), ':b': S('2'), ':d': S('d') } };
    const out = await db.query({ ...base, FilterExpression: 'd = :d', Limit: 2 });
    expect(out).toEqual({ Items: [{ a: S('p'), b: S('3'), c: S('c'), d: S('d') }], Count: 1, ScannedCount: 2, LastEvaluatedKey: { a: S('p'), b: S('3') } });
    const count = await db.query({ ...base, FilterExpression: 'd = :d', Limit: 2, Select: 'COUNT' });
    expect(count).toEqual({ Count: 1, ScannedCount: 2, LastEvaluatedKey: { a: S('p'), b: S('3') } });
    const next = await db.query({ ...base, FilterExpression: 'd = :d', Limit: 2, ExclusiveStartKey: out.LastEvaluatedKey! });
    expect(next).toEqual({ Items: [], Count: 0, ScannedCount: 2, LastEvaluatedKey: { a: S('p'), b: S('5') } });
    const last = await db.query({ ...base, FilterExpression: 'd = :d', Limit: 2, ExclusiveStartKey: next.LastEvaluatedKey! });
    expect(last).toEqual({ Items: [], Count: 0, ScannedCount: 0 });
  });

  it('pages backwards with ExclusiveStartKey', async () => {
    await put('range', ...['1', '10', '2'].map((b) => ({ a: S('p'), b: S(b) })));
    const page = await db.query({ TableName: 'range', KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': S('p') }, ScanIndexForward: false, Limit: 2 });
    expect(page.Items!.map((i) => i.b)).toEqual([S('2'), S('10')]);
    expect(page.LastEvaluatedKey).toEqual({ a: S('p'), b: S('10') });
    const rest = await db.query({ TableName: 'range', KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': S('p') }, ScanIndexForward: false, ExclusiveStartKey: page.LastEvaluatedKey! });
    expect(rest).toEqual({ Items: [{ a: S('p'), b: S('1') }], Count: 1, ScannedCount: 1 });
  });

  it('ends a page after the item that brings the bytes read to 1 MB', async () => {
    const big = 'x'.repeat(100_000);
    await put('range', ...Array.from({ length: 15 }, (_, i) => ({ a: S('p'), b: S(String(i).padStart(2, '0')), e: S(big) })));
    const out = await db.query({ TableName: 'range', KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': S('p') }, Select: 'COUNT', ReturnConsumedCapacity: 'TOTAL' });
    // Each item is 1 + 1 + 1 + 2 + 1 + 100,000 = 100,006 bytes: the 11th brings the total past 1,048,576.
    expect(out.ScannedCount).toBe(11);
    expect(out.LastEvaluatedKey).toEqual({ a: S('p'), b: S('10') });
    expect(out.ConsumedCapacity).toEqual({ TableName: 'range', CapacityUnits: Math.ceil((11 * 100_006) / 4096) / 2 });
    const rest = await db.query({ TableName: 'range', KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': S('p') }, Select: 'COUNT', ExclusiveStartKey: out.LastEvaluatedKey! });
    expect(rest).toEqual({ Count: 4, ScannedCount: 4 });
  });

  it('projects with ProjectionExpression and AttributesToGet', async () => {
    await put(
      'range',
      { a: S('p'), b: S('1'), d: S('d1'), e: { M: { a: S('x'), d: S('y') } }, f: { L: [S('f0'), S('f1'), S('f2')] } },
      { a: S('p'), b: S('2') },
    );
    const out = await db.query({ TableName: 'range', KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': S('p') }, ProjectionExpression: 'f[2], f[0], e.d, d' });
    expect(out.Items).toEqual([{ d: S('d1'), e: { M: { d: S('y') } }, f: { L: [S('f0'), S('f2')] } }, {}]);
    const legacy = await db.query({ TableName: 'range', KeyConditions: { a: { ComparisonOperator: 'EQ', AttributeValueList: [S('p')] } }, AttributesToGet: ['b', 'd'] });
    expect(legacy.Items).toEqual([{ b: S('1'), d: S('d1') }, { b: S('2') }]);
  });

  it('filters with QueryFilter and ConditionalOperator', async () => {
    await put('range', { a: S('p'), b: S('1'), c: N('1') }, { a: S('p'), b: S('2'), d: S('x') }, { a: S('p'), b: S('3') });
    const out = await db.query({
      TableName: 'range',
      KeyConditions: { a: { ComparisonOperator: 'EQ', AttributeValueList: [S('p')] } },
      QueryFilter: { c: { ComparisonOperator: 'NOT_NULL' }, d: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [S('x')] } },
      ConditionalOperator: 'OR',
    });
    expect(out).toEqual({ Items: [{ a: S('p'), b: S('1'), c: N('1') }, { a: S('p'), b: S('2'), d: S('x') }], Count: 2, ScannedCount: 3 });
  });

  it('charges read units on the bytes read, rounded up once per request', async () => {
    await put('range', ...Array.from({ length: 3 }, (_, i) => ({ a: S('p'), b: S(String(i)), e: S('e'.repeat(3000)) })));
    const q = { TableName: 'range', KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': S('p') } };
    expect((await db.query({ ...q, ReturnConsumedCapacity: 'TOTAL' })).ConsumedCapacity).toEqual({ TableName: 'range', CapacityUnits: 1.5 });
    expect((await db.query({ ...q, ConsistentRead: true, ReturnConsumedCapacity: 'INDEXES' })).ConsumedCapacity).toEqual({
      TableName: 'range',
      CapacityUnits: 3,
      Table: { CapacityUnits: 3 },
    });
    expect((await db.query({ ...q, ExpressionAttributeValues: { ':a': S('none') }, ReturnConsumedCapacity: 'TOTAL' })).ConsumedCapacity).toEqual({
      TableName: 'range',
      CapacityUnits: 0.5,
    });
  });
});

describe('Query: validation', () => {
  const kc = (extra: Record<string, unknown> = {}) => ({ TableName: 'range', KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': S('p') }, ...extra });

  it('reports member constraints in DynamoDB order', async () => {
    await rejects(
      { TableName: 'abc;', ReturnConsumedCapacity: 'hi' as never, AttributesToGet: [], IndexName: 'abc;', Select: 'hi' as never, Limit: -1, ConditionalOperator: 'AN' as never },
      '7 validation errors detected: ' +
        "Value 'hi' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; " +
        "Value 'abc;' at 'indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
        "Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; " +
        "Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
        "Value 'AN' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]; " +
        "Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        // Query's Limit as today's DynamoDB words it (nubo-db/dynamodb-conformance; docs/FIDELITY.md): no value, 'Limit'.
        "Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it('requires a key condition', async () => {
    await rejects({ TableName: 'range' }, 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    await rejects({ TableName: 'range', KeyConditions: {} }, 'Conditions can be of length 1 or 2 only');
  });

  it('checks the ExclusiveStartKey values before the key conditions', async () => {
    await rejects(
      { TableName: 'range', KeyConditions: { a: { ComparisonOperator: 'EQ' } }, ExclusiveStartKey: { a: {} as never } },
      'The provided starting key is invalid: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    );
    await rejects({ TableName: 'range', KeyConditions: { a: { ComparisonOperator: 'EQ' } }, ExclusiveStartKey: { a: { NS: ['1', '1'] } } }, 'Input collection contains duplicates');
    await rejects({ TableName: 'range', KeyConditions: { a: { ComparisonOperator: 'EQ' } } }, 'One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator');
  });

  it('rejects key condition expressions DynamoDB cannot use', async () => {
    const cases: Array<[string, string]> = [
      ['a > b and size(b) > c or a > c', 'Invalid operator used in KeyConditionExpression: OR'],
      ['a in (b, size(c), d)', 'Invalid operator used in KeyConditionExpression: IN'],
      ['attribute_exists(a)', 'Invalid operator used in KeyConditionExpression: attribute_exists'],
      ['contains(a.d, b)', 'Invalid operator used in KeyConditionExpression: contains'],
      ['not a > b', 'Invalid operator used in KeyConditionExpression: NOT'],
      ['a <> b', 'Invalid operator used in KeyConditionExpression: <>'],
      ['size(b) > a AND a.b > b AND b > c', 'KeyConditionExpressions cannot contain nested operations'],
      ['a between size(b) and size(a)', 'KeyConditionExpressions cannot contain nested operations'],
      ['b > a.b', 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
      ['begins_with(a, b)', 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
      ['a.d > c', 'KeyConditionExpressions cannot have conditions on nested attributes'],
      ['b[0] > a', 'KeyConditionExpressions cannot have conditions on nested attributes'],
    ];
    for (const [expression, message] of cases) await rejects({ TableName: 'abc', KeyConditionExpression: expression }, message);
    const values = { ':a': S('1'), ':b': S('1') };
    await rejects(
      { TableName: 'abc', KeyConditionExpression: ':a between size(b) and size(a) and b > :b', ExpressionAttributeValues: values },
      'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand',
    );
    await rejects(
      { TableName: 'abc', KeyConditionExpression: 'begins_with(:a, b) and a > :b', ExpressionAttributeValues: values },
      'Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand',
    );
    await rejects({ TableName: 'abc', KeyConditionExpression: ':b > :a AND a < :b', ExpressionAttributeValues: values }, 'Invalid condition in KeyConditionExpression: No key attribute specified');
    await rejects({ TableName: 'abc', KeyConditionExpression: 'b > :a AND b < :a and c = :a and d = :a', ExpressionAttributeValues: { ':a': N('1') } }, 'KeyConditionExpressions must only contain one condition per key');
    await rejects({ TableName: 'abc', KeyConditionExpression: ':a = a and b = :a and :a = c', ExpressionAttributeValues: { ':a': S('a') } }, 'Conditions can be of length 1 or 2 only');
    await rejects({ TableName: 'abc', KeyConditionExpression: 'attribute_type(a, :a)', ExpressionAttributeValues: { ':a': S('S') } }, 'Invalid operator used in KeyConditionExpression: attribute_type');
    await rejects(
      { TableName: 'abc', KeyConditionExpression: 'a = :a AND begins_with(b, :n)', ExpressionAttributeValues: { ':a': S('a'), ':n': N('1') } },
      'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
    );
    await rejects(
      { TableName: 'abc', KeyConditionExpression: 'a between :b and :a', ExpressionAttributeValues: { ':a': S('a'), ':b': S('b') } },
      'Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}',
    );
  });

  it('parses KeyConditionExpression, then FilterExpression, then ProjectionExpression', async () => {
    await rejects({ TableName: 'abc', KeyConditionExpression: '', FilterExpression: '', ProjectionExpression: '', ExpressionAttributeValues: { ':0': S('b') } }, 'Invalid KeyConditionExpression: The expression can not be empty;');
    await rejects(
      { TableName: 'abc', KeyConditionExpression: 'attribute_type(a, :a)', FilterExpression: '', ProjectionExpression: '', ExpressionAttributeValues: { ':a': S('N') } },
      'Invalid FilterExpression: The expression can not be empty;',
    );
    await rejects(
      { TableName: 'abc', KeyConditionExpression: 'attribute_type(a, :a)', FilterExpression: 'a > b', ProjectionExpression: '', ExpressionAttributeValues: { ':a': S('N') } },
      'Invalid ProjectionExpression: The expression can not be empty;',
    );
  });

  it('looks the table up before checking the key conditions against it', async () => {
    await rejects({ TableName: 'nope', KeyConditionExpression: 'z = :a', ExpressionAttributeValues: { ':a': N('1') } }, 'Requested resource not found', ResourceNotFoundException);
    await rejects({ ...kc(), IndexName: 'whatever' }, 'The table does not have the specified index: whatever');
  });

  it('checks the key conditions against the key schema', async () => {
    await rejects({ TableName: 'range', KeyConditionExpression: 'z between :a and :b', ExpressionAttributeValues: { ':a': N('1'), ':b': N('1') } }, 'Query condition missed key schema element: a');
    await rejects({ TableName: 'range', KeyConditionExpression: 'a = :a and c = :b', ExpressionAttributeValues: { ':a': S('b'), ':b': N('1') } }, 'Query condition missed key schema element: b');
    for (const expression of ['a > :a', 'begins_with(a, :a)', 'a between :a and :a', 'a = :a AND b = :a', 'y = :a and z = :a']) {
      await rejects({ TableName: 'hash', KeyConditionExpression: expression, ExpressionAttributeValues: { ':a': S('1') } }, 'Query key condition not supported');
    }
    await rejects({ TableName: 'hash', KeyConditionExpression: ':a > a', ExpressionAttributeValues: { ':a': N('1') } }, 'One or more parameter values were invalid: Condition parameter type does not match schema type');
    for (const condition of [{ ComparisonOperator: 'NULL' }, { ComparisonOperator: 'NE', AttributeValueList: [N('1')] }, { ComparisonOperator: 'IN', AttributeValueList: [S('a')] }]) {
      await rejects({ TableName: 'hash', KeyConditions: { a: condition as never } }, 'Attempted conditional constraint is not an indexable operation');
    }
  });

  it('checks the ExclusiveStartKey against the key schema and the key conditions', async () => {
    await rejects(kc({ ExclusiveStartKey: { a: S('p') } }), "Exclusive Start Key must have same size as table's key schema");
    await rejects(kc({ ExclusiveStartKey: { a: S('p'), z: S('1') } }), 'The provided starting key is invalid');
    await rejects(kc({ ExclusiveStartKey: { a: S('p'), b: N('1') } }), 'The provided key element does not match the schema');
    await rejects(kc({ ExclusiveStartKey: { a: S('a'), b: S('a') } }), 'The provided starting key is outside query boundaries based on provided conditions');
    await rejects(
      { TableName: 'range', KeyConditionExpression: 'a = :a and b > :a', ExpressionAttributeValues: { ':a': S('b') }, ExclusiveStartKey: { a: S('a'), b: S('a') } },
      'The provided starting key does not match the range key predicate',
    );
    await rejects(
      { TableName: 'range', KeyConditionExpression: 'a = :a and b < :a', ExpressionAttributeValues: { ':a': S('b') }, ExclusiveStartKey: { a: S('a'), b: S('a') } },
      'The query can return at most one row and cannot be restarted',
    );
  });

  it('keeps key attributes out of filters and nested paths out of key attributes', async () => {
    for (const filter of ['attribute_exists(b.c) AND c = :b', 'b = :b', 'b[1] = :b']) {
      await rejects(kc({ FilterExpression: filter, ExpressionAttributeValues: { ':a': S('1'), ':b': N('1') } }), 'Filter Expression can only contain non-primary key attributes: Primary key attribute: b');
    }
    await rejects(
      { TableName: 'range', KeyConditions: { a: { ComparisonOperator: 'EQ', AttributeValueList: [S('a')] } }, QueryFilter: { b: { ComparisonOperator: 'EQ', AttributeValueList: [S('a')] } } },
      'QueryFilter can only contain non-primary key attributes: Primary key attribute: b',
    );
    await rejects(kc({ ProjectionExpression: 'a.b' }), "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: a");
  });

  it('applies Select rules', async () => {
    await rejects(kc({ Select: 'SPECIFIC_ATTRIBUTES' }), '1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES');
    await rejects(kc({ Select: 'ALL_PROJECTED_ATTRIBUTES' }), '1 validation error detected: ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
    await rejects(kc({ Select: 'COUNT', ProjectionExpression: 'c' }), '1 validation error detected: Cannot specify the ProjectionExpression when choosing to get only the Count');
    await rejects(kc({ Select: 'ALL_ATTRIBUTES', ProjectionExpression: 'c' }), '1 validation error detected: Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES');
  });

  it('rejects mixed expression and legacy parameters', async () => {
    await rejects(
      { TableName: 'abc', AttributesToGet: ['a', 'a'], QueryFilter: {}, ConditionalOperator: 'OR', KeyConditions: {}, ProjectionExpression: '', FilterExpression: '', KeyConditionExpression: '' },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet, QueryFilter, ConditionalOperator, KeyConditions} Expression parameters: {ProjectionExpression, FilterExpression, KeyConditionExpression}',
    );
  });
});
