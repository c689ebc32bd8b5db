/**
 * Property: on random items, a Query with a random key condition (expression or legacy KeyConditions),
 * direction, Limit and filter, paged to the end with ExclusiveStartKey, returns exactly what filtering and
 * sorting a plain array gives — for N, S (non-ASCII, astral) and B sort keys; and a Scan paged to the end
 * (optionally in parallel segments) returns every matching item once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database, type AttributeValue, type Item, type QueryInput } from '../src/index.js';
import { keys } from './support/tables.js';

type SortType = 'N' | 'S' | 'B';

const N_POOL = ['-100', '-1.5', '-0.001', '0', '0.001', '1', '1.5', '2', '10', '99.99', '100000000000000000000'];
const S_POOL = ['', 'a', 'ab', 'abc', 'b', 'é', 'éa', '\ufffd', '\uffff', '😀', '😀a', '\u{10000}', 'A', 'Z', '\u0000'];
const B_POOL = [[0], [0, 0], [1], [0x7f], [0x80], [0x80, 1], [0xff], [0xff, 0xff], [0x10, 0x20]];

function value(type: SortType, i: number): AttributeValue {
  if (type === 'N') return { N: N_POOL[i % N_POOL.length]! };
  if (type === 'S') return { S: S_POOL[i % S_POOL.length]! || 'x' };
  return { B: Uint8Array.from(B_POOL[i % B_POOL.length]!) };
}

function compare(a: AttributeValue, b: AttributeValue): number {
  if ('N' in a && 'N' in b) return Math.sign(Number(a.N) - Number(b.N));
  const bytes = (v: AttributeValue) => ('S' in v ? new TextEncoder().encode(v.S) : (v as { B: Uint8Array }).B);
  const x = bytes(a);
  const y = bytes(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return Math.sign(x.length - y.length);
}

function startsWith(a: AttributeValue, prefix: AttributeValue): boolean {
  if ('S' in a && 'S' in prefix) return a.S.startsWith(prefix.S);
  if ('B' in a && 'B' in prefix) return prefix.B.every((byte, i) => a.B[i] === byte);
  return false;
}

type SortCondition =
  | { kind: 'none' }
  | { kind: 'cmp'; op: '=' | '<' | '<=' | '>' | '>='; v: number }
  | { kind: 'between'; lo: number; hi: number }
  | { kind: 'begins'; v: number };

const LEGACY: Record<string, string> = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' };

function holds(c: SortCondition, type: SortType, sk: AttributeValue): boolean {
  switch (c.kind) {
    case 'none':
      return true;
    case 'cmp': {
      const d = compare(sk, value(type, c.v));
      return c.op === '=' ? d === 0 : c.op === '<' ? d < 0 : c.op === '<=' ? d <= 0 : c.op === '>' ? d > 0 : d >= 0;
    }
    case 'between':
      return compare(sk, value(type, c.lo)) >= 0 && compare(sk, value(type, c.hi)) <= 0;
    case 'begins':
      return startsWith(sk, value(type, c.v));
  }
}

const conditionArb: fc.Arbitrary<SortCondition> = fc.oneof(
  fc.constant<SortCondition>({ kind: 'none' }),
  fc.record({ kind: fc.constant('cmp' as const), op: fc.constantFrom('=', '<', '<=', '>', '>=' as const), v: fc.nat(20) }),
  fc.record({ kind: fc.constant('between' as const), lo: fc.nat(20), hi: fc.nat(20) }),
  fc.record({ kind: fc.constant('begins' as const), v: fc.nat(20) }),
);

const scenarioArb = fc.record({
  type: fc.constantFrom<SortType>('N', 'S', 'B'),
  items: fc.array(fc.record({ p: fc.nat(2), s: fc.nat(20), f: fc.nat(9) }), { maxLength: 40 }),
  queries: fc.array(
    fc.record({
      p: fc.nat(2),
      cond: conditionArb,
      forward: fc.boolean(),
      limit: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
      filter: fc.option(fc.nat(9), { nil: undefined }),
      legacy: fc.boolean(),
      segments: fc.constantFrom(1, 2, 5),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

async function run(scenario: Scenario): Promise<void> {
  const { type } = scenario;
  const db = new Database();
  await db.createTable({
    TableName: 'tbl',
    KeySchema: keys('pk', 'sk'),
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: type },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  const model = new Map<string, Item>();
  for (const { p, s, f } of scenario.items) {
    const item: Item = { pk: { S: `p${p}😀` }, sk: value(type, s), f: { N: String(f) } };
    await db.putItem({ TableName: 'tbl', Item: item });
    model.set(`${p}/${JSON.stringify(item.sk, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v))}`, item);
  }
  const items = [...model.values()];
  for (const q of scenario.queries) {
    if (q.cond.kind === 'between' && compare(value(type, q.cond.lo), value(type, q.cond.hi)) > 0) continue;
    if (q.cond.kind === 'begins' && type === 'N') continue;
    const expected = items
      .filter((i) => (i.pk as { S: string }).S === `p${q.p}😀` && holds(q.cond, type, i.sk!))
      .sort((a, b) => (q.forward ? 1 : -1) * compare(a.sk!, b.sk!));
    const passing = expected.filter((i) => q.filter === undefined || Number((i.f as { N: string }).N) >= q.filter);

    const values: Record<string, AttributeValue> = { ':p': { S: `p${q.p}😀` } };
    let keyCondition = 'pk = :p';
    const legacy: Record<string, { ComparisonOperator: string; AttributeValueList: AttributeValue[] }> = { pk: { ComparisonOperator: 'EQ', AttributeValueList: [values[':p']!] } };
    const c = q.cond;
    if (c.kind === 'cmp') {
      values[':v'] = value(type, c.v);
      keyCondition += ` AND sk ${c.op} :v`;
      legacy.sk = { ComparisonOperator: LEGACY[c.op]!, AttributeValueList: [values[':v']] };
    } else if (c.kind === 'between') {
      values[':lo'] = value(type, c.lo);
      values[':hi'] = value(type, c.hi);
      keyCondition += ' AND sk BETWEEN :lo AND :hi';
      legacy.sk = { ComparisonOperator: 'BETWEEN', AttributeValueList: [values[':lo'], values[':hi']] };
    } else if (c.kind === 'begins') {
      values[':v'] = value(type, c.v);
      keyCondition += ' AND begins_with(sk, :v)';
      legacy.sk = { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [values[':v']] };
    }
    const request: Record<string, unknown> = { TableName: 'tbl', ScanIndexForward: q.forward, ...(q.limit ? { Limit: q.limit } : {}) };
    if (q.legacy) {
      request.KeyConditions = legacy;
      if (q.filter !== undefined) request.QueryFilter = { f: { ComparisonOperator: 'GE', AttributeValueList: [{ N: String(q.filter) }] } };
    } else {
      if (q.filter !== undefined) {
        values[':f'] = { N: String(q.filter) };
        request.FilterExpression = 'f >= :f';
      }
      request.KeyConditionExpression = keyCondition;
      request.ExpressionAttributeValues = values;
    }
    const got: Item[] = [];
    let scanned = 0;
    let start: Record<string, AttributeValue> | undefined;
    for (let page = 0; ; page++) {
      expect(page).toBeLessThanOrEqual(expected.length + 1);
      const out = await db.query({ ...(request as unknown as QueryInput), ...(start ? { ExclusiveStartKey: start } : {}) });
      if (q.limit !== undefined) expect(out.ScannedCount).toBeLessThanOrEqual(q.limit);
      got.push(...out.Items!);
      scanned += out.ScannedCount;
      start = out.LastEvaluatedKey;
      if (!start) break;
    }
    expect(scanned).toBe(expected.length);
    expect(got).toEqual(passing);

    // Scan of the same table: every passing item once, whatever the segmentation.
    const scanned2: Item[] = [];
    for (let segment = 0; segment < q.segments; segment++) {
      let from: Record<string, AttributeValue> | undefined;
      do {
        const out = await db.scan({
          TableName: 'tbl',
          ...(q.segments > 1 ? { Segment: segment, TotalSegments: q.segments } : {}),
          ...(q.limit ? { Limit: q.limit } : {}),
          ...(from ? { ExclusiveStartKey: from } : {}),
        });
        scanned2.push(...out.Items!);
        from = out.LastEvaluatedKey;
      } while (from);
    }
    expect(scanned2).toHaveLength(items.length);
    const canon = (i: Item): string => JSON.stringify(i, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v));
    expect(scanned2.map(canon).sort()).toEqual(items.map(canon).sort());
  }
}

describe('Query and Scan against an array model', () => {
  it('pages to the same answer as filtering and sorting', async () => {
    await fc.assert(fc.asyncProperty(scenarioArb, run), { numRuns: 150 });
  });
});
