/*
 * Fast writing of whole items: a writer per table schema that compiles, for each item shape it meets (its
 * member names in order), a function building the AttributeValue map as one object literal.
 *
 * Why: the generic `encodeItem` adds each attribute by a computed name, megamorphic stores at ~20 ns each
 * across tables; a literal with the names written out costs a fraction. Each compiled function checks
 * that the item has exactly its shape and declines otherwise (to the generic writer); members are read
 * once each, in order, so the result is always `encodeItem`'s, with the same errors in the same order. Where `new Function` is forbidden, `encodeItem` does all.
 * Each declared attribute's value is checked against its schema (value-check.ts) as it is written: inline,
 * one property load for its DynamoDB type; a call only for lists, maps and objects with declared members.
 */
import type { Item } from '../model/attribute-value.js';
import { memberOf } from '../model/set-member.js';
import type { AttributeSchema, AttributeSchemas } from './attribute-schema.js';
import { encodeItem, encodeValue } from './marshall.js';
import { shapeCache } from './shape-cache.js';
import { checkValue, checksMembers, requiredType } from './value-check.js';

/** One compiled shape: the item's AttributeValues, or undefined when the item has another shape. */
type ShapeEncoder = (item: object) => Item | undefined;

/** A writer of whole items of `schemas`: exactly `encodeItem(item, schemas)`, faster. */
export function itemEncoder(schemas: AttributeSchemas): (item: object) => Item {
  return shapeCache<object, Item>(
    (item) => {
      const names: string[] = [];
      for (const name in item) names.push(name);
      return names;
    },
    (names) => compileShape(names, schemas),
    (item) => encodeItem(item, schemas),
  );
}

function compileShape(names: readonly string[], schemas: AttributeSchemas): ShapeEncoder | undefined {
  // `__proto__` in an object literal sets the prototype: leave such items to the generic writer.
  if (names.includes('__proto__')) return undefined;
  const writes: string[] = [];
  const fields: string[] = [];
  const sparse: string[] = [];
  const attributeSchemas: (AttributeSchema | undefined)[] = [];
  for (let i = 0; i < names.length; i++) {
    const literal = JSON.stringify(names[i]);
    // A string inline (what encodeValue does with it); anything else by encodeValue, declining on "no value".
    writes.push(`const a${i} = typeof (x = item[${literal}]) === 'string' ? { S: x } : encodeValue(x);`);
    const schema = memberOf(schemas, names[i]!);
    attributeSchemas.push(schema);
    const type = schema === undefined ? undefined : requiredType(schema);
    if (type !== undefined) {
      // checkValue throws the error (encodeItem calls it for every declared attribute: same error, same order).
      const check = `checkValue(a${i}, schemas[${i}], names[${i}]);`;
      writes.push(checksMembers(schema!) ? `if (a${i} !== undefined) ${check}` : `if (a${i} !== undefined && a${i}.${type} === undefined) ${check}`);
    }
    fields.push(`${literal}: a${i}`);
    sparse.push(`if (a${i} !== undefined) out[${literal}] = a${i};`);
  }
  const allDefined = names.map((_, i) => `a${i} !== undefined`).join(' && ') || 'true';
  const body = `
    return function encodeShape(item) {
      let count = 0;
      for (const name in item) if (name !== names[count++]) return undefined;
      if (count !== ${names.length}) return undefined;
      let x;
      ${writes.join('\n      ')}
      if (${allDefined}) return { ${fields.join(', ')} };
      // Members without a DynamoDB value (undefined, an empty Set) are left out.
      const out = {};
      ${sparse.join('\n      ')}
      return out;
    };`;
  try {
    const make = new Function('names', 'schemas', 'encodeValue', 'checkValue', body) as (
      names: readonly string[],
      schemas: readonly (AttributeSchema | undefined)[],
      encode: typeof encodeValue,
      check: typeof checkValue,
    ) => ShapeEncoder;
    return make([...names], attributeSchemas, encodeValue, checkValue);
  } catch {
    return undefined;
  }
}
