/**
 * The typed Table API checks values at run time too, for callers without a compiler (plain JavaScript):
 * a value of another type than its attribute's schema, and a JS number beyond the safe-integer range that
 * would not be stored exactly, are refused before anything is sent (as the AWS SDK's `marshall` refuses
 * unsafe numbers); a stored Number a JS number cannot hold reads back as a bigint or Decimal, never a RangeError.
 */
import { describe, expect, it } from 'vitest';
import { Database, Decimal, Table, attr, defineTable, transactWrite } from '../src/index.js';

const Users = defineTable({
  name: 'users',
  attributes: {
    id: attr.string(),
    visits: attr.number(),
    tags: attr.stringSet(),
    big: attr.bigint().optional(),
    scores: attr.list(attr.number()).optional(),
    address: attr.object({ city: attr.string(), zip: attr.string().optional() }).optional(),
    counts: attr.map(attr.numberSet()).optional(),
    free: attr.any().optional(),
  },
  partitionKey: 'id',
});

async function setup() {
  const db = new Database();
  await db.createTable(Users.createTableInput());
  return { db, users: new Table(Users, db) };
}

/** What a JavaScript caller may pass: anything. */
const loose = (item: Record<string, unknown>) => item as never;

async function stored(db: Database, id: string) {
  return (await db.getItem({ TableName: 'users', Key: { id: { S: id } } })).Item;
}

describe('Table › writes check each value against its attribute schema', () => {
  it('refuses a string for attr.number() and an array for attr.stringSet(), on every put of a shape', async () => {
    const { db, users } = await setup();
    // Twice each: the first put of a shape compiles its writer, the second runs the compiled one.
    for (let i = 0; i < 2; i++) {
      await expect(users.put(loose({ id: 'a', visits: 'x', tags: new Set(['t']) }))).rejects.toThrow(
        new TypeError('Cannot store visits: attr.number() takes a number, not a string'),
      );
      await expect(users.put(loose({ id: 'a', visits: 1, tags: ['t'] }))).rejects.toThrow(
        new TypeError('Cannot store tags: attr.stringSet() takes a Set of strings, not an array'),
      );
      await expect(users.put(loose({ id: 'a', visits: 1, tags: new Set([1]) }))).rejects.toThrow(
        new TypeError('Cannot store tags: attr.stringSet() takes a Set of strings, not a Set of numbers'),
      );
    }
    expect(await stored(db, 'a')).toBeUndefined();
  });

  it('checks inside lists, maps and objects, naming the path', async () => {
    const { db, users } = await setup();
    await expect(users.put(loose({ id: 'a', visits: 1, tags: new Set(), scores: [1, '2'] }))).rejects.toThrow(
      'Cannot store scores[1]: attr.number() takes a number, not a string',
    );
    await expect(users.put(loose({ id: 'a', visits: 1, tags: new Set(), address: { city: 7 } }))).rejects.toThrow(
      'Cannot store address.city: attr.string() takes a string, not a number',
    );
    await expect(users.put(loose({ id: 'a', visits: 1, tags: new Set(), counts: { x: [1] } }))).rejects.toThrow(
      'Cannot store counts.x: attr.numberSet() takes a Set of numbers, not an array',
    );
    await expect(users.put(loose({ id: 'a', visits: 1, tags: new Set(), address: 'Paris' }))).rejects.toThrow(
      'Cannot store address: attr.object() takes a plain object, not a string',
    );
    expect(await stored(db, 'a')).toBeUndefined();
  });

  it('accepts what the schema allows: numbers as number, bigint or Decimal; absent optionals; anything in attr.any() and undeclared attributes', async () => {
    const { db, users } = await setup();
    await users.put(loose({ id: 'a', visits: 5n, tags: new Set(), big: 1n, address: { city: 'Paris', extra: 1 }, free: [1, 'x'], other: 'y' }));
    await users.put(loose({ id: 'b', visits: new Decimal('1.5'), tags: new Set(['t']), counts: { x: new Set([1]) }, scores: [] }));
    expect((await stored(db, 'a'))?.visits).toEqual({ N: '5' });
    expect((await stored(db, 'b'))?.visits).toEqual({ N: '1.5' });
  });

  it('the item taking another shape (generic writer) refuses the same values with the same message', async () => {
    const { users } = await setup();
    // `__proto__` as an own member sends the item to the generic writer, never a compiled one.
    const item = JSON.parse('{"id":"a","visits":"x","tags":["t"],"__proto__":1}') as Record<string, unknown>;
    await expect(users.put(loose(item))).rejects.toThrow(new TypeError('Cannot store visits: attr.number() takes a number, not a string'));
  });

  it('batch and transaction writes are checked as put is', async () => {
    const { db, users } = await setup();
    await expect(users.batchPut([loose({ id: 'a', visits: 1, tags: ['t'] })])).rejects.toThrow('Cannot store tags: attr.stringSet()');
    expect(() => transactWrite([users.putAction(loose({ id: 'a', visits: 'x', tags: new Set() }))])).toThrow('Cannot store visits');
    expect(await stored(db, 'a')).toBeUndefined();
  });

  it('update refuses a recipe that gives an attribute a value of another type, and writes nothing', async () => {
    const { db, users } = await setup();
    await users.put({ id: 'a', visits: 1, tags: new Set(['t']) });
    const before = await stored(db, 'a');
    await expect(
      users.update({ id: 'a' }, (u) => {
        (u as Record<string, unknown>).visits = 'many';
      }),
    ).rejects.toThrow('Cannot store visits: attr.number() takes a number, not a string');
    await expect(
      users.update({ id: 'a' }, (u) => {
        (u as Record<string, unknown>).tags = ['t', 'u'];
      }),
    ).rejects.toThrow('Cannot store tags: attr.stringSet() takes a Set of strings, not an array');
    await expect(
      users.update({ id: 'a' }, (u) => {
        u.address = { city: 7 } as never;
      }),
    ).rejects.toThrow('Cannot store address.city: attr.string() takes a string, not a number');
    expect(await stored(db, 'a')).toEqual(before);
    // A well-typed recipe still writes.
    await users.update({ id: 'a' }, (u) => {
      u.visits += 1;
      u.tags.add('u');
    });
    expect((await users.get({ id: 'a' }))?.visits).toBe(2);
  });
});

describe('Table › JS numbers beyond the safe-integer range', () => {
  it('refuses one whose text is not its exact value (2 ** 60 would be stored as 1152921504606847000)', async () => {
    const { db, users } = await setup();
    await expect(users.put({ id: 'a', visits: 2 ** 60, tags: new Set() })).rejects.toThrow(
      new TypeError(
        'Cannot store the number 1152921504606847000 exactly: it is greater than Number.MAX_SAFE_INTEGER and its value is 1152921504606846976. Use a bigint or a Decimal.',
      ),
    );
    await expect(users.put({ id: 'a', visits: -(2 ** 60), tags: new Set() })).rejects.toThrow(
      'Cannot store the number -1152921504606847000 exactly: it is less than Number.MIN_SAFE_INTEGER',
    );
    await expect(users.put(loose({ id: 'a', visits: 1, tags: new Set(), free: new Set([1, 2 ** 60]) }))).rejects.toThrow(
      'Cannot store the number 1152921504606847000 exactly',
    );
    await expect(users.put(loose({ id: 'a', visits: 1, tags: new Set(), free: { deep: [2 ** 60] } }))).rejects.toThrow(
      'Cannot store the number 1152921504606847000 exactly',
    );
    await expect(users.scan({ filter: (c) => c.eq('visits', 2 ** 60) }).all()).rejects.toThrow('Cannot store the number 1152921504606847000 exactly');
    expect(await stored(db, 'a')).toBeUndefined();
    expect(() => new Decimal(2 ** 60)).toThrow('Cannot store the number 1152921504606847000 exactly');
  });

  it('stores one whose text is exact, and a bigint of any size, exactly', async () => {
    const { db, users } = await setup();
    await users.put({ id: 'a', visits: 2 ** 53 + 2, tags: new Set(), big: 2n ** 60n });
    await users.put(loose({ id: 'b', visits: 1e21, tags: new Set() }));
    expect((await stored(db, 'a'))?.visits).toEqual({ N: '9007199254740994' });
    expect((await stored(db, 'a'))?.big).toEqual({ N: '1152921504606846976' });
    expect((await stored(db, 'b'))?.visits).toEqual({ N: '1000000000000000000000' });
    expect((await users.get({ id: 'a' }))?.visits).toBe(2 ** 53 + 2);
  });
});

describe('Table › a stored Number a JS number cannot hold', () => {
  it('reads back as a bigint or a Decimal, never a RangeError, whatever the attribute is declared', async () => {
    const { db, users } = await setup();
    await db.putItem({
      TableName: 'users',
      Item: {
        id: { S: 'a' },
        visits: { N: '12345678901234567890' },
        tags: { SS: ['t'] },
        big: { N: '3.5' },
        scores: { L: [{ N: '0.300000000000000000001' }, { N: '2' }] },
        counts: { M: { x: { NS: ['12345678901234567890', '1'] } } },
      },
    });
    const item = (await users.get({ id: 'a' })) as Record<string, unknown>;
    expect(item.visits).toBe(12345678901234567890n);
    expect(item.big).toEqual(new Decimal('3.5'));
    expect(item.scores).toEqual([new Decimal('0.300000000000000000001'), 2]);
    expect(item.counts).toEqual({ x: new Set([12345678901234567890n, 1]) });
    expect(await users.scan().all()).toEqual([item]);
  });
});

describe('Table › names of Object.prototype members', () => {
  it('index() of an undeclared name like constructor refuses it by name', async () => {
    const { users } = await setup();
    expect(() => users.index('constructor' as never)).toThrow(new TypeError('The table has no index constructor'));
  });
});
