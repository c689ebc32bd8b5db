import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttributeValue } from '../model/attribute-value.js';
import { memberOf, setMember } from '../model/set-member.js';
import { validateItem } from '../model/validate-item.js';
import type { PathElement, PathNode, ProjectionNode } from './ast.js';
import { itemProjector, projectItem } from './project-item.js';

function path(text: string): PathNode {
  const elements: PathElement[] = [];
  for (const part of text.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    elements.push(part.startsWith('[') ? { kind: 'index', index: Number(part.slice(1, -1)) } : { kind: 'name', name: part });
  }
  return { kind: 'path', elements };
}
const projection = (...paths: string[]): ProjectionNode => ({ kind: 'projection', paths: paths.map(path) });

const item = validateItem({
  id: { S: 'k' },
  n: { N: '1' },
  a: {
    M: {
      b: { L: [{ M: { c: { S: 'c0' }, d: { S: 'd0' } } }, { M: { c: { S: 'c1' }, d: { S: 'd1' } } }, { S: 'two' }] },
      x: { N: '5' },
      y: { N: '6' },
    },
  },
  l: { L: [{ S: 'l0' }, { S: 'l1' }, { S: 'l2' }, { S: 'l3' }] },
});

describe('projectItem', () => {
  it('keeps only the top-level attributes named, sharing their values', () => {
    const out = projectItem(item, projection('n', 'a', 'nope'));
    expect(out).toEqual({ n: item.n, a: item.a });
    expect(out.a).toBe(item.a);
    expect(Object.isFrozen(out)).toBe(true);
  });
  it('returns a nested path in the item\'s nested shape', () => {
    expect(projectItem(item, projection('a.b[1].c'))).toEqual({ a: { M: { b: { L: [{ M: { c: { S: 'c1' } } }] } } } });
  });
  it('merges several paths into one map or list, keeping list order and compacting indexes', () => {
    expect(projectItem(item, projection('a.b[1].d', 'a.x', 'a.b[0].c', 'id'))).toEqual({
      id: { S: 'k' },
      a: { M: { x: { N: '5' }, b: { L: [{ M: { c: { S: 'c0' } } }, { M: { d: { S: 'd1' } } }] } } },
    });
    expect(projectItem(item, projection('l[3]', 'l[1]'))).toEqual({ l: { L: [{ S: 'l1' }, { S: 'l3' }] } });
  });
  it('leaves out missing paths, wrong-type steps and the containers they would have left empty', () => {
    expect(projectItem(item, projection('a.nope', 'l[9]', 'n.x', 'l.x', 'a[0]', 'a.b[2].c'))).toEqual({});
    expect(projectItem(item, projection('a.nope', 'l[0]'))).toEqual({ l: { L: [{ S: 'l0' }] } });
  });
  it('lets a whole value win over a path inside it', () => {
    expect(projectItem(item, projection('a.x', 'a'))).toEqual({ a: item.a });
    expect(projectItem(item, projection('l', 'l[2]'))).toEqual({ l: item.l });
  });

  it('projects a reused (frozen) projection of top-level names as a fresh one, once compiled too', () => {
    const names = ['a', 'b', 'toString', 'constructor', '__proto__', 'hasOwnProperty'];
    const value = fc.constantFrom<AttributeValue>({ S: 'x' }, { N: '1' }, { M: { a: { S: 'in' } } });
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), value), fc.uniqueArray(fc.constantFrom(...names), { minLength: 1 }), (attributes, wanted) => {
        const stored: Record<string, AttributeValue> = {};
        for (const [name, v] of Object.entries(attributes)) setMember(stored, name, v);
        const frozenItem = validateItem(stored);
        const reused = Object.freeze(projection(...wanted));
        const expected = projectItem(frozenItem, projection(...wanted));
        // The first use records the projection, the second compiles it, the third runs it compiled (the fourth per page).
        for (let use = 0; use < 4; use++) {
          const out = use === 3 ? itemProjector(reused)(frozenItem) : projectItem(frozenItem, reused);
          expect(out).toEqual(expected);
          expect(Object.keys(out)).toEqual(Object.keys(expected));
          expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
          expect(Object.isFrozen(out)).toBe(true);
          for (const name of Object.keys(out)) expect(memberOf(out, name)).toBe(memberOf(frozenItem, name));
        }
      }),
      { numRuns: 300 },
    );
  });
});
