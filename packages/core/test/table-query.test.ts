/**
 * Property: a typed query or scan returns exactly what a reference filter over the same items returns —
 * sort key conditions, order, filters, page sizes and limits — whether read with `all()`, page by page,
 * item by item, or counted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database, Table, attr, defineTable, sortKey, type SortKeyCondition } from '../src/index.js';

const Readings = defineTable({
  name: 'readings',
  attributes: { pk: attr.string(), sk: attr.number(), v: attr.number(), tag: attr.string().optional() },
  partitionKey: 'pk',
  sortKey: 'sk',
});
type Reading = typeof Readings._item;

type SkCondition = { op: 'eq' | 'lt' | 'le' | 'gt' | 'ge'; a: number } | { op: 'between'; a: number; b: number };
const holds = (c: SkCondition | undefined, sk: number): boolean => {
  if (c === undefined) return true;
  switch (c.op) {
    case 'eq':
      return sk === c.a;
    case 'lt':
      return sk < c.a;
    case 'le':
      return sk <= c.a;
    case 'gt':
      return sk > c.a;
    case 'ge':
      return sk >= c.a;
    case 'between':
      return sk >= c.a && sk <= c.b;
  }
};
const toCondition = (c: SkCondition): SortKeyCondition<number> => (c.op === 'between' ? sortKey.between(c.a, c.b) : sortKey[c.op](c.a));

const items = fc
  .uniqueArray(
    fc.record({ pk: fc.constantFrom('a', 'b', 'c'), sk: fc.integer({ min: 0, max: 40 }), v: fc.integer({ min: 0, max: 9 }), tag: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }) }),
    { selector: (r) => `${r.pk}/${r.sk}`, maxLength: 60 },
  )
  .map((rs) => rs.map(({ tag, ...r }) => (tag === undefined ? r : { ...r, tag })));
const skCondition: fc.Arbitrary<SkCondition | undefined> = fc.option(
  fc.oneof(
    fc.record({ op: fc.constantFrom('eq' as const, 'lt' as const, 'le' as const, 'gt' as const, 'ge' as const), a: fc.integer({ min: -1, max: 41 }) }),
    fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })).map(([x, y]) => ({ op: 'between' as const, a: Math.min(x, y), b: Math.max(x, y) })),
  ),
  { nil: undefined },
);
const options = fc.record({
  reverse: fc.boolean(),
  minV: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
  pageSize: fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
  limit: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('queries and scans (property)', () => {
  it('match a reference filter, however they are read', async () => {
    await fc.assert(
      fc.asyncProperty(items, fc.constantFrom('a', 'b', 'c'), skCondition, options, async (data, pk, condition, o) => {
        const db = new Database();
        await db.createTable(Readings.createTableInput());
        const readings = new Table(Readings, db);
        await readings.batchPut(data as Reading[]);

        const matching = data
          .filter((r) => r.pk === pk && holds(condition, r.sk) && (o.minV === undefined || r.v >= o.minV))
          .sort((x, y) => (o.reverse ? y.sk - x.sk : x.sk - y.sk));
        const expected = o.limit === undefined ? matching : matching.slice(0, o.limit);

        const query = readings.query(
          { pk, ...(condition === undefined ? {} : { sk: toCondition(condition) }) },
          {
            reverse: o.reverse,
            ...(o.minV === undefined ? {} : { filter: (c) => c.ge('v', o.minV!) }),
            ...(o.pageSize === undefined ? {} : { pageSize: o.pageSize }),
            ...(o.limit === undefined ? {} : { limit: o.limit }),
          },
        );
        expect(await query.all()).toEqual(expected);
        expect(await collect(query)).toEqual(expected);
        const pages = await collect(query.pages());
        expect(pages.flatMap((page) => page.items)).toEqual(expected);
        if (o.pageSize !== undefined) for (const page of pages) expect(page.scannedCount).toBeLessThanOrEqual(o.pageSize);
        expect(await query.count()).toBe(matching.length);

        const scanned = await readings.scan({ ...(o.minV === undefined ? {} : { filter: (c) => c.ge('v', o.minV!) }), ...(o.pageSize === undefined ? {} : { pageSize: o.pageSize }) }).all();
        const byKey = (r: Reading) => `${r.pk}/${String(r.sk).padStart(3, '0')}`;
        expect(scanned.map(byKey).sort()).toEqual(data.filter((r) => o.minV === undefined || r.v >= o.minV).map(byKey).sort());
      }),
      { numRuns: 120 },
    );
  });
});
