/**
 * evaluateCondition against a small, independently written reference evaluator, on random items and
 * random resolved conditions. The reference works differently on purpose: it converts values to plain
 * JS first (Numbers as BigInt-scaled decimals, Strings as UTF-8 byte arrays, sets as sorted canonical
 * keys) and compares those.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Comparator, ConditionFunctionName, ConditionNode, Operand, PathElement, PathNode } from '../src/expressions/ast.js';
import { evaluateCondition } from '../src/expressions/evaluate-condition.js';
import type { AttributeValue, Item } from '../src/model/attribute-value.js';
import { validateAttributeValue, validateItem } from '../src/model/validate-item.js';

// ─── the reference ───────────────────────────────────────────────────────────────────────────────

const utf8 = new TextEncoder();

type Plain =
  | { t: 'N'; unscaled: bigint; scale: number }
  | { t: 'S'; bytes: Uint8Array }
  | { t: 'B'; bytes: Uint8Array }
  | { t: 'BOOL'; v: boolean }
  | { t: 'NULL' }
  | { t: 'SS' | 'NS' | 'BS'; keys: string[] }
  | { t: 'L'; items: Plain[] }
  | { t: 'M'; entries: Map<string, Plain> };

function decimal(text: string): { unscaled: bigint; scale: number } {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) throw new Error(`bad number ${text}`);
  const frac = m[3] ?? '';
  let unscaled = BigInt(m[2]! + frac);
  let scale = frac.length - Number(m[4] ?? '0');
  if (scale < 0) {
    unscaled *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { unscaled: m[1] === '-' ? -unscaled : unscaled, scale };
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function plain(value: AttributeValue): Plain {
  const [type, v] = Object.entries(value)[0]! as [string, unknown];
  switch (type) {
    case 'N':
      return { t: 'N', ...decimal(v as string) };
    case 'S':
      return { t: 'S', bytes: utf8.encode(v as string) };
    case 'B':
      return { t: 'B', bytes: v as Uint8Array };
    case 'BOOL':
      return { t: 'BOOL', v: v as boolean };
    case 'NULL':
      return { t: 'NULL' };
    case 'SS':
      return { t: 'SS', keys: (v as string[]).map((s) => hex(utf8.encode(s))).sort() };
    case 'NS':
      return { t: 'NS', keys: (v as string[]).map((n) => canonical(plain({ N: n }))).sort() };
    case 'BS':
      return { t: 'BS', keys: (v as Uint8Array[]).map(hex).sort() };
    case 'L':
      return { t: 'L', items: (v as AttributeValue[]).map(plain) };
    default:
      return { t: 'M', entries: new Map(Object.entries(v as Record<string, AttributeValue>).map(([k, x]) => [k, plain(x)])) };
  }
}

/** A string equal for equal values (numbers reduced: 1.50 and 1.5 alike). */
function canonical(p: Plain): string {
  switch (p.t) {
    case 'N': {
      let { unscaled, scale } = p;
      while (scale > 0 && unscaled % 10n === 0n) {
        unscaled /= 10n;
        scale--;
      }
      return `N(${unscaled}e-${scale})`;
    }
    case 'S':
    case 'B':
      return `${p.t}(${hex(p.bytes)})`;
    case 'BOOL':
      return `BOOL(${p.v})`;
    case 'NULL':
      return 'NULL';
    case 'SS':
    case 'NS':
    case 'BS':
      return `${p.t}[${p.keys.join(',')}]`;
    case 'L':
      return `L[${p.items.map(canonical).join(',')}]`;
    case 'M':
      return `M{${[...p.entries.keys()].sort().map((k) => `${JSON.stringify(k)}:${canonical(p.entries.get(k)!)}`).join(',')}}`;
  }
}

function cmpBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Sign of a − b for two orderable values of one type, or null. */
function order(a: Plain | null, b: Plain | null): number | null {
  if (a === null || b === null || a.t !== b.t) return null;
  if (a.t === 'N' && b.t === 'N') {
    const s = Math.max(a.scale, b.scale);
    const x = a.unscaled * 10n ** BigInt(s - a.scale);
    const y = b.unscaled * 10n ** BigInt(s - b.scale);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if ((a.t === 'S' && b.t === 'S') || (a.t === 'B' && b.t === 'B')) return Math.sign(cmpBytes(a.bytes, b.bytes));
  return null;
}

const same = (a: Plain | null, b: Plain | null): boolean => a !== null && b !== null && canonical(a) === canonical(b);

function resolve(item: Item | undefined, path: PathNode): Plain | null {
  if (item === undefined) return null;
  let current: Plain = { t: 'M', entries: new Map(Object.entries(item).map(([k, x]) => [k, plain(x)])) };
  for (const e of path.elements) {
    let next: Plain | undefined;
    if (e.kind === 'name' && current.t === 'M') next = current.entries.get(e.name);
    else if (e.kind === 'index' && current.t === 'L') next = current.items[e.index];
    if (next === undefined) return null;
    current = next;
  }
  return current;
}

function operandOf(o: Operand, item: Item | undefined): Plain | null {
  if (o.kind === 'literal') return plain(o.value);
  if (o.kind === 'path') return resolve(item, o);
  if (o.kind === 'size') {
    const p = operandOf(o.operand, item);
    if (p === null) return null;
    const n =
      p.t === 'S' || p.t === 'B' ? p.bytes.length
      : p.t === 'SS' || p.t === 'NS' || p.t === 'BS' ? p.keys.length
      : p.t === 'L' ? p.items.length
      : p.t === 'M' ? p.entries.size
      : null;
    return n === null ? null : { t: 'N', unscaled: BigInt(n), scale: 0 };
  }
  throw new Error('unresolved');
}

function includes(hay: Uint8Array, needle: Uint8Array): boolean {
  return hex(hay).length >= hex(needle).length && [...Array(hay.length - needle.length + 1).keys()].some((i) => cmpBytes(hay.subarray(i, i + needle.length), needle) === 0);
}

function reference(c: ConditionNode, item: Item | undefined): boolean {
  switch (c.kind) {
    case 'and':
      return reference(c.left, item) && reference(c.right, item);
    case 'or':
      return reference(c.left, item) || reference(c.right, item);
    case 'not':
      return !reference(c.operand, item);
    case 'comparison': {
      const a = operandOf(c.left, item);
      const b = operandOf(c.right, item);
      if (c.operator === '=') return same(a, b);
      if (c.operator === '<>') return !same(a, b);
      const o = order(a, b);
      if (o === null) return false;
      return { '<': o < 0, '<=': o <= 0, '>': o > 0, '>=': o >= 0 }[c.operator];
    }
    case 'between': {
      const x = operandOf(c.operand, item);
      const lo = order(x, operandOf(c.low, item));
      const hi = order(x, operandOf(c.high, item));
      return lo !== null && hi !== null && lo >= 0 && hi <= 0;
    }
    case 'in': {
      const x = operandOf(c.operand, item);
      return c.candidates.some((k) => same(x, operandOf(k, item)));
    }
    case 'function': {
      const [a, b] = c.args.map((o) => operandOf(o, item));
      switch (c.name) {
        case 'attribute_exists':
          return a !== null;
        case 'attribute_not_exists':
          return a === null;
        case 'attribute_type':
          return a != null && b?.t === 'S' && new TextDecoder().decode(b.bytes) === a.t;
        case 'begins_with':
          return a != null && b != null && a.t === b.t && (a.t === 'S' || a.t === 'B') && cmpBytes(a.bytes.subarray(0, (b as { bytes: Uint8Array }).bytes.length), (b as { bytes: Uint8Array }).bytes) === 0;
        case 'contains':
          if (a == null || b == null) return false;
          if ((a.t === 'S' && b.t === 'S') || (a.t === 'B' && b.t === 'B')) return includes(a.bytes, b.bytes);
          if (a.t === 'SS' && b.t === 'S') return a.keys.includes(hex(b.bytes));
          if (a.t === 'NS' && b.t === 'N') return a.keys.includes(canonical(b));
          if (a.t === 'BS' && b.t === 'B') return a.keys.includes(hex(b.bytes));
          if (a.t === 'L') return a.items.some((x) => same(x, b));
          return false;
      }
    }
  }
}

// ─── random items and conditions ─────────────────────────────────────────────────────────────────

const names = ['a', 'b', 'c', 'd'];
const name = fc.constantFrom(...names);
const numberText = fc.oneof(
  fc.constantFrom('0', '1', '-1', '1.0', '10', '1e1', '0.5', '-0.50', '99999999999999999999999999999999999999', '1e-130', '-9.9e125'),
  fc.integer({ min: -20, max: 20 }).map(String),
);
const stringText = fc.oneof(fc.constantFrom('', 'a', 'ab', 'b', '\uff5e', '😀', 'é', 'a😀'), fc.string({ maxLength: 3, unit: 'binary' }));
const bytes = fc.oneof(fc.constantFrom(Uint8Array.of(), Uint8Array.of(1), Uint8Array.of(1, 2), Uint8Array.of(255)), fc.uint8Array({ maxLength: 3 }));
const scalar: fc.Arbitrary<unknown> = fc.oneof(
  numberText.map((N) => ({ N })),
  stringText.map((S) => ({ S })),
  bytes.map((B) => ({ B })),
  fc.boolean().map((BOOL) => ({ BOOL })),
  fc.constant({ NULL: true }),
  fc.uniqueArray(fc.constantFrom('a', 'b', '😀'), { minLength: 1 }).map((SS) => ({ SS })),
  fc.uniqueArray(fc.constantFrom('1', '2', '10', '0.5'), { minLength: 1 }).map((NS) => ({ NS })),
  fc.constantFrom([Uint8Array.of(1)], [Uint8Array.of(1), Uint8Array.of(255)]).map((BS) => ({ BS })),
);
const rawValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 3 }).map((L) => ({ L })),
    fc.dictionary(name, tie('v'), { maxKeys: 3 }).map((M) => ({ M })),
  ),
})).v;
const value = rawValue.map(validateAttributeValue);
const item: fc.Arbitrary<Item | undefined> = fc.option(fc.dictionary(name, rawValue, { maxKeys: 4 }).map(validateItem), { freq: 8, nil: undefined });

const pathNode: fc.Arbitrary<PathNode> = fc
  .tuple(name, fc.array(fc.oneof(name.map((n): PathElement => ({ kind: 'name', name: n })), fc.nat({ max: 3 }).map((i): PathElement => ({ kind: 'index', index: i }))), { maxLength: 2 }))
  .map(([first, rest]) => ({ kind: 'path', elements: [{ kind: 'name', name: first }, ...rest] }));
const literal = value.map((v): Operand => ({ kind: 'literal', value: v }));
const operand: fc.Arbitrary<Operand> = fc.oneof(pathNode, literal, pathNode.map((path): Operand => ({ kind: 'size', operand: path })));
const typeName = fc.constantFrom('S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M').map((S): Operand => ({ kind: 'literal', value: { S } }));
const comparator = fc.constantFrom<Comparator>('=', '<>', '<', '<=', '>', '>=');

const condition: fc.Arbitrary<ConditionNode> = fc.letrec<{ c: ConditionNode }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(operand, comparator, operand).map(([left, operator, right]): ConditionNode => ({ kind: 'comparison', operator, left, right })),
    fc.tuple(operand, operand, operand).map(([x, low, high]): ConditionNode => ({ kind: 'between', operand: x, low, high })),
    fc.tuple(operand, fc.array(operand, { minLength: 1, maxLength: 4 })).map(([x, candidates]): ConditionNode => ({ kind: 'in', operand: x, candidates })),
    fc.tuple(fc.constantFrom<ConditionFunctionName>('attribute_exists', 'attribute_not_exists'), pathNode).map(([n, p]): ConditionNode => ({ kind: 'function', name: n, args: [p] })),
    fc.tuple(operand, typeName).map(([x, t]): ConditionNode => ({ kind: 'function', name: 'attribute_type', args: [x, t] })),
    fc.tuple(fc.constantFrom<ConditionFunctionName>('begins_with', 'contains'), operand, operand).map(([n, x, y]): ConditionNode => ({ kind: 'function', name: n, args: [x, y] })),
    fc.tuple(tie('c'), tie('c')).map(([left, right]): ConditionNode => ({ kind: 'and', left, right })),
    fc.tuple(tie('c'), tie('c')).map(([left, right]): ConditionNode => ({ kind: 'or', left, right })),
    tie('c').map((c): ConditionNode => ({ kind: 'not', operand: c })),
  ),
})).c;

describe('evaluateCondition against an independent reference', () => {
  it('agrees on random items and random resolved conditions', () => {
    let trues = 0;
    fc.assert(
      fc.property(condition, item, (c, it) => {
        const expected = reference(c, it);
        if (expected) trues++;
        expect(evaluateCondition(c, it)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
    expect(trues).toBeGreaterThan(500); // both outcomes are well represented
  });

  it('agrees when conditions compare an item with values taken from that same item', () => {
    const itemAndCondition = fc
      .dictionary(name, rawValue, { minKeys: 1, maxKeys: 4 })
      .map(validateItem)
      .chain((it) => {
        const present = fc.constantFrom(...Object.keys(it));
        const own = present.map((n): Operand => ({ kind: 'literal', value: it[n]! }));
        const at = present.map((n): Operand => ({ kind: 'path', elements: [{ kind: 'name', name: n }] }));
        const c = fc.oneof(
          fc.tuple(at, comparator, fc.oneof(own, literal)).map(([left, operator, right]): ConditionNode => ({ kind: 'comparison', operator, left, right })),
          fc.tuple(at, own, fc.oneof(own, literal)).map(([x, low, high]): ConditionNode => ({ kind: 'between', operand: x, low, high })),
          fc.tuple(fc.constantFrom<ConditionFunctionName>('begins_with', 'contains'), at, fc.oneof(own, literal)).map(([n, x, y]): ConditionNode => ({ kind: 'function', name: n, args: [x, y] })),
        );
        return fc.tuple(fc.constant(it), c);
      });
    fc.assert(
      fc.property(itemAndCondition, ([it, c]) => {
        expect(evaluateCondition(c, it)).toBe(reference(c, it));
      }),
      { numRuns: 3000 },
    );
  });
});
