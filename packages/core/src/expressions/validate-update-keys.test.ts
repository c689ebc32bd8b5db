import { describe, expect, it } from 'vitest';
import { expectValidation } from '../../test/support/expect-errors.js';
import type { PathNode, UpdateAction, UpdateNode } from './ast.js';
import { checkUpdateKeyAttributes } from './validate-update-keys.js';

const path = (...names: string[]): PathNode => ({ kind: 'path', elements: names.map((name) => ({ kind: 'name', name })) });
const upd = (...actions: UpdateAction[]): UpdateNode => ({ kind: 'update', actions });
const schema = { partitionKeys: [{ name: 'a', type: 'S' }], sortKeys: [{ name: 'b', type: 'S' }] } as const;

describe('checkUpdateKeyAttributes', () => {
  it('rejects an action on a key attribute or inside it (dynalite test/updateItem.js)', () => {
    const msg = (name: string) => `One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`;
    expectValidation(() => checkUpdateKeyAttributes(upd({ kind: 'remove', path: path('d') }, { kind: 'remove', path: path('a') }), schema), msg('a'));
    expectValidation(() => checkUpdateKeyAttributes(upd({ kind: 'add', path: path('b', 'b'), value: { kind: 'literal', value: { N: '1' } } }), schema), msg('b'));
    expect(() => checkUpdateKeyAttributes(upd({ kind: 'remove', path: path('c', 'a') }), schema)).not.toThrow();
  });
});
