/*
 * The cache of compiled per-shape functions behind the Table API's fast item reader and writer: for each
 * item shape (attribute names in order) met, up to a few per table, a function compiled with
 * `new Function` that handles exactly that shape and declines (undefined) any other; everything else goes
 * to the generic code, whose result the compiled functions reproduce exactly.
 */

/** Shapes compiled per cache at most: items of one table rarely have more (optional attributes). */
const MAX_SHAPES = 8;
/** Once every shape slot is used: how many misses make a window in which hits and misses are compared. */
const MISS_WINDOW = 256;

let codegen: boolean | undefined;
/** Whether `new Function` works here (checked once); a Content-Security-Policy without 'unsafe-eval' forbids it. */
export function canCompile(): boolean {
  if (codegen === undefined) {
    try {
      codegen = (new Function('return true') as () => unknown)() === true;
    } catch {
      codegen = false;
    }
  }
  return codegen;
}

/**
 * `generic`, sped up by functions `compile` builds for the shapes (`namesOf(item)`) it meets. When items
 * come in too many shapes for the compiled ones to pay (more misses than hits in a window), only
 * `generic` runs from then on.
 */
export function shapeCache<I, O>(
  namesOf: (item: I) => string[],
  compile: (names: readonly string[]) => ((item: I) => O | undefined) | undefined,
  generic: (item: I) => O,
): (item: I) => O {
  if (!canCompile()) return generic;
  const shapes: Array<(item: I) => O | undefined> = [];
  let compiles = 0;
  let hits = 0;
  let misses = 0;
  return (item) => {
    for (let i = 0; i < shapes.length; i++) {
      const out = shapes[i]!(item);
      if (out !== undefined) {
        hits++;
        return out;
      }
    }
    if (compiles < MAX_SHAPES) {
      compiles++;
      const shape = compile(namesOf(item));
      if (shape !== undefined) {
        shapes.push(shape);
        const out = shape(item);
        if (out !== undefined) return out;
      }
    } else if (++misses >= MISS_WINDOW) {
      if (misses > hits) shapes.length = 0;
      hits = 0;
      misses = 0;
    }
    return generic(item);
  };
}
