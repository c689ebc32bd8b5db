/**
 * The Table API's native values: the Number rule (number, bigint, Decimal), what cannot be stored, and
 * binary and numeric keys (including bigint sort keys) through every read path.
 */
import { describe, expect, it } from 'vitest';
import { Database, Decimal, Table, ValidationException, attr, batchGet, defineTable, sortKey } from '../src/index.js';

describe('Decimal', () => {
  it('normalizes like DynamoDB and refuses what DynamoDB refuses', () => {
    expect(new Decimal('001.500').text).toBe('1.5');
    expect(new Decimal('1e2').toString()).toBe('100');
    expect(new Decimal(12345678901234567890n).text).toBe('12345678901234567890');
    expect(new Decimal('1.50').equals(new Decimal('1.5'))).toBe(true);
    expect(JSON.stringify({ d: new Decimal('0.1') })).toBe('{"d":"0.1"}');
    expect(() => new Decimal('1'.repeat(39))).toThrow(ValidationException);
    expect(() => new Decimal('1e126')).toThrow('Number overflow');
    expect(() => new Decimal(Number.NaN)).toThrow(RangeError);
  });
});

const Things = defineTable({
  name: 'things',
  attributes: {
    id: attr.binary(),
    n: attr.bigint(),
    exact: attr.decimal().optional(),
    any: attr.numeric().optional(),
    blobs: attr.binarySet().optional(),
    nums: attr.numberSet().optional(),
    free: attr.any<unknown>().optional(),
  },
  partitionKey: 'id',
  sortKey: 'n',
});

describe('values and keys', () => {
  const setup = async () => {
    const db = new Database();
    await db.createTable(Things.createTableInput());
    return { db, things: new Table(Things, db) };
  };
  const id = new Uint8Array([1, 2, 3]);

  it('keys tables by binary and bigint, through get, query and batchGet', async () => {
    const { things } = await setup();
    const big = 10n ** 30n;
    for (const n of [1n, big, -big]) await things.put({ id, n, exact: new Decimal('2.5'), any: 7 });
    expect(await things.get({ id: new Uint8Array([1, 2, 3]), n: big })).toEqual({ id, n: big, exact: new Decimal('2.5'), any: 7 });
    const ordered = await things.query({ id, n: sortKey.ge(0n) }).all();
    expect(ordered.map((t) => t.n)).toEqual([1n, big]);
    const got = await batchGet([things.getAction({ id, n: -big }), things.getAction({ id, n: 2n }), things.getAction({ id, n: 1n })]);
    expect(got.map((t) => t?.n)).toEqual([-big, undefined, 1n]);
  });

  it('stores binary and number sets and free-form values', async () => {
    const { things } = await setup();
    const free = { list: [1, 'two', null, true, new Uint8Array([9])], nested: { deep: new Set(['x']) } };
    await things.put({ id, n: 0n, blobs: new Set([new Uint8Array([1]), new Uint8Array([2])]), nums: new Set([1, 2.5, -3]), free });
    const got = await things.get({ id, n: 0n });
    expect(got!.blobs).toEqual(new Set([new Uint8Array([1]), new Uint8Array([2])]));
    expect(got!.nums).toEqual(new Set([1, 2.5, -3]));
    expect(got!.free).toEqual(free);
    await things.update({ id, n: 0n }, (t) => {
      t.blobs!.delete([...t.blobs!].find((b) => b[0] === 1)!);
      t.nums!.add(4n as unknown as number);
    });
    const updated = await things.get({ id, n: 0n });
    expect(updated!.blobs).toEqual(new Set([new Uint8Array([2])]));
    expect(updated!.nums).toEqual(new Set([1, 2.5, -3, 4]));
  });

  it('refuses values DynamoDB cannot hold, before sending', async () => {
    const { things } = await setup();
    await expect(things.put({ id, n: 0n, any: Number.NaN })).rejects.toThrow('must be finite');
    await expect(things.put({ id, n: 0n, free: new Date(0) })).rejects.toThrow('Cannot store a Date');
    await expect(things.put({ id, n: 0n, free: new Set(['a', 1]) })).rejects.toThrow('A Set must hold members of one type');
    await expect(things.put({ id, n: 0n, free: [undefined] })).rejects.toThrow('Cannot store list element 0');
    await expect(things.get({ id } as never)).rejects.toThrow('The key of things needs a value for n');
  });

  it('reads a Number by the declared type: a fraction in bigint reads as a Decimal, decimal keeps every digit', async () => {
    const { db, things } = await setup();
    await db.putItem({ TableName: 'things', Item: { id: { B: id }, n: { N: '1' }, exact: { N: '1.0000000000000000000000000000000000001' }, any: { N: '123456789012345678901' } } });
    const got = await things.get({ id, n: 1n });
    expect(got!.exact!.text).toBe('1.0000000000000000000000000000000000001');
    expect(got!.any).toBe(123456789012345678901n);
    await db.putItem({ TableName: 'things', Item: { id: { B: id }, n: { N: '2' }, nums: { NS: ['0.1', '1e-7', '9007199254740991'] }, any: { N: '0.30000000000000004' } } });
    const second = await things.get({ id, n: 2n });
    expect(second!.nums).toEqual(new Set([0.1, 1e-7, 9007199254740991]));
    expect(second!.any).toBe(0.30000000000000004);
    await db.putItem({ TableName: 'things', Item: { id: { B: id }, n: { N: '3' }, any: { N: '0.300000000000000000001' } } });
    expect((await things.get({ id, n: 3n }))!.any).toEqual(new Decimal('0.300000000000000000001'));
    await db.putItem({ TableName: 'things', Item: { id: { B: id }, n: { N: '3.5' } } });
    expect((await things.scan().all()).map((thing) => thing.n)).toEqual([1n, 2n, 3n, new Decimal('3.5')]);
  });
});

describe('an attribute named __proto__', () => {
  const Docs = defineTable({ name: 'docs', attributes: { id: attr.string() }, partitionKey: 'id' });

  it('is written and read back as an own attribute, at the top level and in maps, never as a prototype', async () => {
    const db = new Database();
    await db.createTable(Docs.createTableInput());
    const docs = new Table(Docs, db);
    // JSON.parse makes `__proto__` an own member, as a request body or a stored document would.
    const item = JSON.parse('{"id":"a","__proto__":{"x":"y"},"m":{"__proto__":"inner"}}') as { id: string };
    await docs.put(item);
    const stored = await db.getItem({ TableName: 'docs', Key: { id: { S: 'a' } } });
    expect(Object.keys(stored.Item!).sort()).toEqual(['__proto__', 'id', 'm']);

    const got = (await docs.get({ id: 'a' })) as Record<string, unknown>;
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(Object.keys(got).sort()).toEqual(['__proto__', 'id', 'm']);
    expect(Object.getOwnPropertyDescriptor(got, '__proto__')?.value).toEqual(JSON.parse('{"x":"y"}'));
    const inner = got.m as Record<string, unknown>;
    expect(Object.getPrototypeOf(inner)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(inner, '__proto__')?.value).toBe('inner');
  });
});

describe('batchGet matching answers to keys', () => {
  const Pairs = defineTable({ name: 'pairs', attributes: { pk: attr.string(), sk: attr.string(), v: attr.number() }, partitionKey: 'pk', sortKey: 'sk' });

  it('tells apart keys whose joined texts would collide', async () => {
    const db = new Database();
    await db.createTable(Pairs.createTableInput());
    const pairs = new Table(Pairs, db);
    await pairs.put({ pk: 'a\u0000Sb', sk: 'c', v: 1 });
    await pairs.put({ pk: 'a', sk: 'b\u0000Sc', v: 2 });
    const [first, second] = await batchGet([pairs.getAction({ pk: 'a\u0000Sb', sk: 'c' }), pairs.getAction({ pk: 'a', sk: 'b\u0000Sc' })]);
    expect(first?.v).toBe(1);
    expect(second?.v).toBe(2);
  });
});
