import { setMember } from '../model/set-member.js';
/*
 * Fast writing of primary keys: per table, a function compiled once that builds the Key as one object
 * literal (the generic loop stores each attribute by a computed name, megamorphic across tables). Same
 * values, same order, same errors; where `new Function` is forbidden, the generic loop.
 */
import type { Key } from '../model/attribute-value.js';
import { canCompile } from './shape-cache.js';
import { encodeValue } from './marshall.js';

/**
 * The writer of keys with these attribute names (in order); `missing(name)` throws for an attribute
 * without a value (undefined, or an empty Set).
 */
export function keyEncoder(names: readonly string[], missing: (name: string) => never): (key: object) => Key {
  const generic = (key: object): Key => {
    const out: Key = {};
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const value = encodeValue((key as Record<string, unknown>)[name]);
      if (value === undefined) missing(name);
      setMember(out, name, value);
    }
    return out;
  };
  // `__proto__` in an object literal sets the prototype: the generic loop then.
  if (!canCompile() || names.includes('__proto__')) return generic;
  const reads: string[] = [];
  const fields: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const literal = JSON.stringify(names[i]);
    reads.push(`const a${i} = typeof (x = key[${literal}]) === 'string' ? { S: x } : encodeValue(x);`);
    reads.push(`if (a${i} === undefined) missing(names[${i}]);`);
    fields.push(`${literal}: a${i}`);
  }
  const body = `
    return function encodeKey(key) {
      let x;
      ${reads.join('\n      ')}
      return { ${fields.join(', ')} };
    };`;
  try {
    const make = new Function('names', 'encodeValue', 'missing', body) as (
      names: readonly string[],
      encode: typeof encodeValue,
      missing: (name: string) => never,
    ) => (key: object) => Key;
    return make([...names], encodeValue, missing);
  } catch {
    return generic;
  }
}
