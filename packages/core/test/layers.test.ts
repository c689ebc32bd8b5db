/**
 * Layers inside core point one way, as ARCHITECTURE.md draws them: model → expressions → storage → tables →
 * the engine → operations → database → aws → table-api (persistence, modules and TTL beside, at the rank of
 * what they plug into). Every import in `packages/core/src` (tests aside) may only point to its own layer or
 * a lower one; an import that points up a layer (or into a layer listed in NEVER) fails here, naming the
 * file, the import and both layers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/**
 * Rank of each layer: a file may import from a layer of the same or a lower rank. Keys are a folder or a
 * top-level file of `src`; `operations/validation` (request shapes and constraints, no operation logic) sits
 * below the operations because the module contract hands its checkers to modules.
 */
const LAYERS: Record<string, number> = {
  'errors.ts': 0,
  'clock.ts': 0,
  model: 1,
  expressions: 2,
  storage: 3,
  tables: 4,
  'operations/validation': 4,
  // The module contract: what the engine hands modules and what they hand back.
  modules: 5,
  'engine.ts': 6,
  operations: 7,
  // PartiQL plans statements onto the operations; the catalog lists its three operations.
  partiql: 7,
  // Core operations of their own folder (TagResource, …), registered in the catalog like the others.
  tags: 7,
  // Beside the operations: durable adapters open the engine and replay into its tables.
  persistence: 7,
  // Beside them too: savepoints undo item changes on the engine's tables.
  checkpoint: 7,
  // Modules built on the contract; the database installs them.
  ttl: 8,
  capacity: 8,
  'access-control': 8,
  faults: 8,
  journal: 8,
  'wire-input.ts': 8,
  'database.ts': 8,
  aws: 9,
  node: 9,
  browser: 9,
  'table-api': 10,
  // The exported conformance suite drives whole databases over any adapter.
  testing: 10,
  'index.ts': 11,
};

/**
 * Layers that sit beside the stack and must not lean on parts of it their rank would allow: persistence
 * stores and replays items, it never evaluates expressions.
 */
const NEVER: ReadonlyArray<{ from: string; to: string }> = [{ from: 'persistence', to: 'expressions' }];

/**
 * Imports that still point up, each with why and when it goes. Keep this short: an entry is a debt.
 * `from` and `to` are paths relative to `src`.
 */
const KNOWN_EXCEPTIONS: ReadonlyArray<{ from: string; to: string; why: string }> = [];

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) files.push(path);
  }
  return files;
}

/** The layer a file (path relative to `src`, `/`-separated) belongs to: the longest matching key. */
function layerOf(file: string): string {
  const parts = file.split('/');
  const nested = parts.slice(0, 2).join('/');
  if (parts.length > 2 && nested in LAYERS) return nested;
  const top = parts[0]!;
  if (top in LAYERS) return top;
  throw new Error(`${file} is in no layer: add its folder to LAYERS in layers.test.ts`);
}

/** Relative imports of a file (static, `export … from`, `import type` and dynamic), as paths relative to `src`. */
function importsOf(path: string): string[] {
  const info = ts.preProcessFile(readFileSync(path, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => relative(SRC, resolve(dirname(path), name)).split(sep).join('/').replace(/\.js$/, '.ts'));
}

describe('core layers', () => {
  const files = sourceFiles(SRC);

  it('finds the sources and their imports', () => {
    // A guard against the walk silently finding nothing (wrong folder, parser change).
    expect(files.length).toBeGreaterThan(100);
    expect(importsOf(join(SRC, 'database.ts'))).toContain('engine.ts');
  });

  it('every import points to the same layer or one below it', () => {
    const violations: string[] = [];
    for (const path of files) {
      const from = relative(SRC, path).split(sep).join('/');
      const fromLayer = layerOf(from);
      for (const to of importsOf(path)) {
        if (to.startsWith('..')) continue; // outside src (test support in src/**/*.test.ts is skipped above)
        const toLayer = layerOf(to);
        const forbidden = NEVER.some((n) => n.from === fromLayer && n.to === toLayer);
        if (!forbidden && LAYERS[toLayer]! <= LAYERS[fromLayer]!) continue;
        if (KNOWN_EXCEPTIONS.some((e) => e.from === from && e.to === to)) continue;
        violations.push(`${from} (${fromLayer}) imports ${to} (${toLayer})`);
      }
    }
    expect(violations.join("\n")).toBe("");
  });

  it('every known exception is still needed', () => {
    // An exception whose import is gone must leave the list, so the list never hides a new upward import.
    const stale = KNOWN_EXCEPTIONS.filter((e) => !importsOf(join(SRC, e.from)).includes(e.to));
    expect(stale).toEqual([]);
  });
});
