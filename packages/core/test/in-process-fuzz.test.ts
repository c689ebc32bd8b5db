/**
 * The in-process API takes any JS value: every rejection must be one of the exported DynamoDB exception
 * classes (never a TypeError or RangeError), and a rejected request changes nothing. Inputs are valid
 * requests with one member (at any depth) replaced by an arbitrary JS value (bigint, symbol, function,
 * cycle, throwing getter, deep nesting, class instance, …), and wholly arbitrary values.
 * MAGNETO_STRESS=1 runs many more cases.
 */
import { streams } from '@magneto/streams';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database, DynamoDBError, SerializationException, ttl, ValidationException } from '../src/index.js';
import { MAX_INPUT_DEPTH, wireInput } from '../src/wire-input.js';

const RUNS = process.env.MAGNETO_STRESS ? 3000 : 150;
const DDB = 'DynamoDB_20120810';
const STREAMS = 'DynamoDBStreams_20120810';
const S = (s: string) => ({ S: s });

/** A valid request of every operation (on the table `tbl`, which has a stream). */
const VALID: Record<string, Record<string, unknown>> = {
  CreateTable: { TableName: 'tbl2', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' },
  DescribeTable: { TableName: 'tbl' },
  ListTables: { Limit: 5, ExclusiveStartTableName: 'a' },
  UpdateTable: { TableName: 'tbl', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
  DeleteTable: { TableName: 'tbl' },
  PutItem: { TableName: 'tbl', Item: { id: S('a'), m: { M: { l: { L: [S('x'), { N: '1' }] } } } }, ConditionExpression: 'attribute_not_exists(#i)', ExpressionAttributeNames: { '#i': 'id' }, ReturnValues: 'ALL_OLD' },
  GetItem: { TableName: 'tbl', Key: { id: S('a') }, ProjectionExpression: '#m', ExpressionAttributeNames: { '#m': 'm' } },
  UpdateItem: { TableName: 'tbl', Key: { id: S('a') }, UpdateExpression: 'SET #n = :v', ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ':v': { N: '1' } }, ReturnValues: 'ALL_NEW' },
  DeleteItem: { TableName: 'tbl', Key: { id: S('a') }, Expected: { id: { Exists: true, Value: S('a') } } },
  Query: { TableName: 'tbl', KeyConditionExpression: 'id = :a', ExpressionAttributeValues: { ':a': S('a') }, Limit: 1, ExclusiveStartKey: { id: S('a') } },
  Scan: { TableName: 'tbl', TotalSegments: 2, Segment: 1, Limit: 10, ScanFilter: { id: { ComparisonOperator: 'EQ', AttributeValueList: [S('a')] } } },
  BatchGetItem: { RequestItems: { tbl: { Keys: [{ id: S('a') }], AttributesToGet: ['id'] } }, ReturnConsumedCapacity: 'TOTAL' },
  BatchWriteItem: { RequestItems: { tbl: [{ PutRequest: { Item: { id: S('b') } } }, { DeleteRequest: { Key: { id: S('a') } } }] } },
  TransactWriteItems: { TransactItems: [{ Put: { TableName: 'tbl', Item: { id: S('c') } } }, { ConditionCheck: { TableName: 'tbl', Key: { id: S('a') }, ConditionExpression: 'attribute_exists(id)' } }], ClientRequestToken: 'tok' },
  TransactGetItems: { TransactItems: [{ Get: { TableName: 'tbl', Key: { id: S('a') } } }] },
  UpdateTimeToLive: { TableName: 'tbl', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } },
  DescribeTimeToLive: { TableName: 'tbl' },
};
const STREAM_OPERATIONS = ['ListStreams', 'DescribeStream', 'GetShardIterator', 'GetRecords'];
const METHODS = Object.keys(VALID);

const lowerFirst = (s: string) => s[0]!.toLowerCase() + s.slice(1);

async function freshDatabase(): Promise<Database> {
  const db = new Database({ modules: [streams(), ttl()] });
  await db.createTable({
    TableName: 'tbl',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  } as never);
  await db.putItem({ TableName: 'tbl', Item: { id: S('a'), exp: { N: '1' } } });
  return db;
}

/** Everything a request could change: the tables' definitions and items, TTL, and the stream records. */
async function state(db: Database): Promise<string> {
  const parts: unknown[] = [];
  for (const name of (await db.listTables()).TableNames ?? []) {
    const { Table } = await db.describeTable({ TableName: name });
    parts.push(Table, await db.describeTimeToLive({ TableName: name }), (await db.scan({ TableName: name })).Items);
  }
  const { Streams } = (await db.execute(STREAMS, 'ListStreams', {})) as { Streams: Array<{ StreamArn: string }> };
  for (const { StreamArn } of Streams) {
    const { StreamDescription } = (await db.execute(STREAMS, 'DescribeStream', { StreamArn })) as { StreamDescription: { Shards: Array<{ ShardId: string }> } };
    for (const { ShardId } of StreamDescription.Shards) {
      const { ShardIterator } = (await db.execute(STREAMS, 'GetShardIterator', { StreamArn, ShardId, ShardIteratorType: 'TRIM_HORIZON' })) as { ShardIterator: string };
      parts.push(((await db.execute(STREAMS, 'GetRecords', { ShardIterator })) as { Records: unknown[] }).Records.length);
    }
  }
  return JSON.stringify(parts, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v));
}

/** JS values JSON cannot carry, and ones that are hostile to naive code. */
function hostile(): fc.Arbitrary<unknown> {
  const cycle = fc.constant(null).map(() => {
    const o: Record<string, unknown> = { S: 'x' };
    o.M = { o };
    o.L = [o];
    return o;
  });
  const deep = fc.integer({ min: 30, max: 3000 }).map((n) => {
    let v: unknown = S('x');
    for (let i = 0; i < n; i++) v = i % 2 === 0 ? { M: { a: v } } : { L: [v] };
    return v;
  });
  const throwing = fc.constantFrom<unknown>(
    Object.defineProperty({}, 'S', { enumerable: true, get: () => { throw new Error('getter'); } }),
    Object.defineProperty([1], '0', { enumerable: true, get: () => { throw new TypeError('element'); } }),
    Object.defineProperty({}, 'TableName', { enumerable: true, get: () => { throw Symbol('thrown symbol'); } }),
  );
  return fc.oneof(
    fc.bigInt(),
    fc.constantFrom<unknown>(Symbol('s'), () => 1, NaN, Infinity, -0, undefined, null, new Map([['a', 1]]), new Set([1]), new Date(0), new Uint8Array(2), Object.create({ S: 'inherited' }), new (class { S = 'own'; })(), [undefined], Object.create(null)),
    cycle,
    deep,
    throwing,
    fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true, withDate: true, withUnicodeString: true, maxDepth: 3 }),
  );
}

/** A copy of `value` with the member at `path` (indexes into its members at each level) set to `replacement`. */
function replaceAt(value: unknown, path: readonly number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[path[0]! % keys.length]!;
  const copy = (Array.isArray(value) ? [...value] : { ...value }) as Record<string, unknown>;
  copy[key] = replaceAt((value as Record<string, unknown>)[key], path.slice(1), replacement);
  return copy;
}

const requests = fc.oneof(
  fc.record({ operation: fc.constantFrom(...METHODS), path: fc.array(fc.nat(), { maxLength: 8 }), value: hostile() }).map(({ operation, path, value }) => ({
    operation,
    input: replaceAt(VALID[operation], path, value),
  })),
  fc.record({ operation: fc.constantFrom(...METHODS), input: hostile() }),
);

function expectDynamoDBError(error: unknown, context: string): void {
  if (!(error instanceof DynamoDBError)) throw new Error(`${context}: rejected with a non-DynamoDB error: ${String(error)}`, { cause: error });
}

/** Stress runs take minutes; the short runs take about a second. */
const STRESS_TIMEOUT = process.env.MAGNETO_STRESS ? 900_000 : 60_000;

describe('in-process API fuzz', () => {
  it('every Database method rejects arbitrary JS values only with DynamoDB exceptions, and a rejection changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(requests, async ({ operation, input }) => {
        const db = await freshDatabase();
        const before = await state(db);
        const method = (db as unknown as Record<string, (input: unknown) => Promise<unknown>>)[lowerFirst(operation)]!;
        try {
          await method.call(db, input);
        } catch (error) {
          expectDynamoDBError(error, operation);
          expect(await state(db)).toBe(before);
        }
      }),
      { numRuns: RUNS },
    );
  }, STRESS_TIMEOUT);

  it('db.execute rejects arbitrary input to the streams operations only with DynamoDB exceptions', async () => {
    const db = await freshDatabase();
    const before = await state(db);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...STREAM_OPERATIONS), fc.oneof(hostile(), fc.record({ StreamArn: hostile(), ShardId: hostile(), ShardIteratorType: hostile(), ShardIterator: hostile(), Limit: hostile(), ExclusiveStartShardId: hostile(), TableName: hostile() }, { requiredKeys: [] })), async (operation, input) => {
        try {
          await db.execute(STREAMS, operation, input as Record<string, unknown>);
        } catch (error) {
          expectDynamoDBError(error, operation);
        }
      }),
      { numRuns: RUNS },
    );
    expect(await state(db)).toBe(before);
  }, STRESS_TIMEOUT);

  it('treats a missing input as {}, an undefined member as absent and a bigint as its number, as the AWS SDK sends them', async () => {
    const db = await freshDatabase();
    expect(await db.listTables(undefined as never)).toEqual({ TableNames: ['tbl'] });
    expect(await db.execute(DDB, 'ListTables', null as never)).toEqual({ TableNames: ['tbl'] });
    expect(await db.listTables({ Limit: 1n } as never)).toEqual({ TableNames: ['tbl'], LastEvaluatedTableName: 'tbl' });
    await expect(db.scan({ TableName: 'tbl', TotalSegments: 10n, Segment: 10n } as never)).rejects.toThrow(
      new ValidationException('The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 10 is not less than TotalSegments: 10'),
    );
    expect((await db.scan({ TableName: 'tbl', TotalSegments: 1n, Segment: 0n } as never)).Count).toBe(1);
    // A member set to undefined is no member, as JSON.stringify drops it.
    await expect(db.batchGetItem({ RequestItems: { tbl: undefined } } as never)).rejects.toBeInstanceOf(ValidationException);
    expect((await db.getItem({ TableName: 'tbl', Key: { id: S('a') }, ProjectionExpression: undefined } as never)).Item?.id).toEqual(S('a'));
  });

  it('rejects a throwing getter with SerializationException naming the member', async () => {
    const db = await freshDatabase();
    const item = Object.defineProperty({ id: S('z') }, 'bad', { enumerable: true, get: () => { throw new Error('boom'); } });
    await expect(db.putItem({ TableName: 'tbl', Item: item })).rejects.toThrow(new SerializationException('Could not read member Item.bad: boom'));
  });

  it('rejects cycles and requests nested deeper than the wire allows with its SerializationException, without a stack overflow', async () => {
    const db = await freshDatabase();
    const cyclic: Record<string, unknown> = { TableName: 'tbl' };
    cyclic.Other = cyclic;
    await expect(db.describeTable(cyclic as never)).rejects.toThrow(new SerializationException(''));
    let deep: unknown = S('x');
    for (let i = 0; i < 100_000; i++) deep = { M: { a: deep } };
    await expect(db.putItem({ TableName: 'tbl', Item: { id: S('d'), deep } as never })).rejects.toThrow(new SerializationException(''));
    // Within the wire's depth, DynamoDB's item nesting limit (32 levels) answers.
    let nested: unknown = S('x');
    for (let i = 0; i < 40; i++) nested = { M: { a: nested } };
    const nesting = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
    await expect(db.putItem({ TableName: 'tbl', Item: { id: S('d'), nested } as never })).rejects.toThrow(new ValidationException(nesting));
    // The request object is the first level, as on the wire.
    expect(() => wireInput({ a: JSON.parse('['.repeat(MAX_INPUT_DEPTH - 1) + ']'.repeat(MAX_INPUT_DEPTH - 1)) })).not.toThrow();
    expect(() => wireInput({ a: JSON.parse('['.repeat(MAX_INPUT_DEPTH) + ']'.repeat(MAX_INPUT_DEPTH)) })).toThrow(new SerializationException(''));
  });

  it('rejects a non-object input as an unreadable body', async () => {
    const db = await freshDatabase();
    for (const input of ['t', 1, [], new Uint8Array(1), Symbol('x'), () => 1]) {
      await expect(db.describeTable(input as never)).rejects.toThrow(new SerializationException('Start of structure or map found where not expected'));
    }
  });
});
