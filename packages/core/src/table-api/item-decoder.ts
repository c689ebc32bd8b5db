/*
 * Fast reading of whole items: a decoder per table schema that compiles, for each item shape it meets
 * (its attribute names in order), a function building the result as one object literal.
 *
 * Why: the generic `decodeItem` adds each attribute to a fresh object by a computed name. Across tables
 * those stores are megamorphic and cost ~20 ns each, most of the typed API's read overhead; an object
 * literal with the attribute names written out costs a fraction of that. Every compiled function checks
 * that the item has exactly its shape (same names, same order) and otherwise declines, so the result is
 * always the one `decodeItem` gives: same attributes, same order, same values, same errors, and a fresh
 * object (nothing is shared between calls).
 *
 * Compiling uses `new Function`. Where that is forbidden (a Content-Security-Policy without
 * 'unsafe-eval', some edge runtimes), or for shapes beyond the first few of a schema, items are read by
 * the generic `decodeItem`.
 */
import type { AttributeValue, Item } from '../model/attribute-value.js';
import type { AttributeSchema, AttributeSchemas } from './attribute-schema.js';
import { SHORT_EXACT, decodeItem, decodeValue } from './marshall.js';
import { shapeCache } from './shape-cache.js';

/** One compiled shape: the item read, or undefined when the item has another shape. */
type ShapeDecoder = (item: Item) => Record<string, unknown> | undefined;

export { canCompile } from './shape-cache.js';

/**
 * A reader of whole items of `schemas` (required set attributes in `fillSets`, absent, read as empty
 * Sets): exactly `decodeItem(item, schemas, fillSets)`, faster.
 */
export function itemDecoder(schemas: AttributeSchemas, fillSets: readonly string[]): (item: Item) => Record<string, unknown> {
  return shapeCache<Item, Record<string, unknown>>(
    (item) => Object.keys(item),
    (names) => compileShape(names, schemas, fillSets),
    (item) => decodeItem(item, schemas, fillSets),
  );
}

/** The compiled reader of items with exactly these attribute names in this order; undefined if it cannot be compiled. */
function compileShape(names: readonly string[], schemas: AttributeSchemas, fillSets: readonly string[]): ShapeDecoder | undefined {
  // `__proto__` in an object literal sets the prototype: leave such items to the generic reader.
  if (names.includes('__proto__')) return undefined;
  const attributeSchemas: (AttributeSchema | undefined)[] = [];
  const reads: string[] = [];
  const fields: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const schema = Object.hasOwn(schemas, name) ? schemas[name] : undefined;
    attributeSchemas.push(schema);
    const kind = schema?.kind;
    const literal = JSON.stringify(name);
    // The same tests, in the same order, as decodeItem and decodeValue: S, a short N (unless bigint or decimal), then the rest.
    let read = `(x = (v = item[${literal}]).S) !== undefined ? x : `;
    if (kind !== 'bigint' && kind !== 'decimal') read += `(x = v.N) !== undefined && x.length <= ${SHORT_EXACT} ? +x : `;
    if (kind === undefined || kind === 'boolean' || kind === 'any') read += '(x = v.BOOL) !== undefined ? x : ';
    read += `decodeValue(v, schemas[${i}])`;
    reads.push(`const a${i} = ${read};`);
    fields.push(`${literal}: a${i}`);
  }
  for (const name of fillSets) if (!names.includes(name)) fields.push(`${JSON.stringify(name)}: new Set()`);
  const body = `
    return function decodeShape(item) {
      let count = 0;
      for (const name in item) if (name !== names[count++]) return undefined;
      if (count !== ${names.length}) return undefined;
      let v, x;
      ${reads.join('\n      ')}
      return { ${fields.join(', ')} };
    };`;
  try {
    const make = new Function('names', 'schemas', 'decodeValue', body) as (
      names: readonly string[],
      schemas: readonly (AttributeSchema | undefined)[],
      decode: (value: AttributeValue, schema: AttributeSchema | undefined) => unknown,
    ) => ShapeDecoder;
    return make([...names], attributeSchemas, decodeValue);
  } catch {
    return undefined;
  }
}
