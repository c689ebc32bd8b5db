/**
 * Every `@example` in the public API runs: the examples are extracted from the JSDoc of every source file
 * that the public entries (`@magneto/core`, its subpaths, `@magneto/streams`, `@magneto/server`) export
 * from, so a new or changed example is run without anyone listing it. Each becomes a module of its own
 * (its `import` lines kept, its body in a block), written in its own package so that its imports resolve
 * to that package's dependencies, and runs with the public exports of the packages and the
 * fixtures of support/doc-example-fixtures.ts in scope for the names it neither imports nor declares.
 * Two substitutions keep runs from touching the machine: `'./data'` becomes a temporary directory and
 * `port: 8000` becomes `port: 0`. An example that throws, or names something that does not exist, fails.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import 'fake-indexeddb/auto';
import * as sdk from '@aws-sdk/client-dynamodb';
import * as lib from '@aws-sdk/lib-dynamodb';
import * as core from '../src/index.js';
import * as node from '../src/node/index.js';
import * as streams from '@magneto/streams';
import * as server from '@magneto/server';
import * as dax from '@magneto/dax';
import { temporaryDirectory, removeTemporaryDirectories } from './fixtures/persistence/helpers.js';
import { docExampleFixtures } from './support/doc-example-fixtures.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const ENTRIES = ['packages/core/src/index.ts', 'packages/core/src/node/index.ts', 'packages/core/src/testing/index.ts', 'packages/streams/src/index.ts', 'packages/server/src/index.ts', 'packages/dax/src/index.ts'];
/** The directories the examples' modules are written to (`packages/<name>/test/.doc-examples/`), removed at the end. */
const workDirectories = new Set<string>();

/** The source files an entry re-exports from, transitively (`export … from './x.js'`). */
function publicFiles(): string[] {
  const seen = new Set<string>();
  const walk = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(/export\s+(?:type\s+)?(?:\*|\{[^}]*\})\s+from\s+'(\.[^']+)'/g)) {
      const target = resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts'));
      walk(existsSync(target) ? target : target.replace(/\.ts$/, '/index.ts'));
    }
  };
  for (const entry of ENTRIES) walk(resolve(root, entry));
  return [...seen];
}

interface Example {
  readonly where: string;
  readonly code: string;
}

/** Every `@example` block: from the tag (text on its line included) to the next tag or the comment's end. */
function examplesOf(file: string): Example[] {
  const source = readFileSync(file, 'utf8');
  const out: Example[] = [];
  for (const comment of source.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const startLine = source.slice(0, comment.index).split('\n').length;
    const lines = comment[1]!.split('\n').map((line) => line.replace(/^\s*\* ?/, ''));
    let current: { line: number; lines: string[] } | undefined;
    const flush = (): void => {
      if (current !== undefined) out.push({ where: `${relative(root, file)}:${current.line}`, code: current.lines.join('\n').trim() });
      current = undefined;
    };
    lines.forEach((line, i) => {
      if (line.trim().startsWith('@example')) {
        flush();
        current = { line: startLine + i, lines: [line.trim().slice('@example'.length)] };
      } else if (/^\s*@\w/.test(line)) flush();
      else current?.lines.push(line);
    });
    flush();
  }
  return out;
}

const EXAMPLES = publicFiles().flatMap(examplesOf);

const exports: Record<string, unknown> = { ...sdk, ...lib, ...server, ...streams, ...dax, ...node, ...core };

afterAll(() => {
  for (const directory of workDirectories) rmSync(directory, { recursive: true, force: true });
  return removeTemporaryDirectories();
});

describe('every @example of the public API runs', () => {
  it('finds the examples (at least one per package)', () => {
    for (const prefix of ['packages/core/', 'packages/streams/', 'packages/server/', 'packages/dax/']) {
      expect(EXAMPLES.some((e) => e.where.startsWith(prefix)), prefix).toBe(true);
    }
  });

  it.each(EXAMPLES.map((e) => [e.where, e] as const))('%s', (_, example) => run(example));
});

async function run(example: Example): Promise<void> {
  {
    expect(example.code.replace(/\/\/.*$/gm, ''), 'an example is complete code, with no placeholder').not.toMatch(/…/);
    const code = example.code.replaceAll("'./data'", JSON.stringify(temporaryDirectory())).replaceAll('port: 8000', 'port: 0');
    const lines = code.split('\n');
    const imports = lines.filter((line) => /^import\s/.test(line));
    const body = lines.filter((line) => !/^import\s/.test(line)).join('\n');
    const imported = new Set(imports.flatMap((line) => [...line.matchAll(/\b([A-Za-z_$][\w$]*)\b/g)].map((m) => m[1]!)));
    const fixtures = await docExampleFixtures();
    const scope: Record<string, unknown> = { ...exports, ...fixtures };
    // Names the example declares itself: `const x`, `const { x }`, `const [x]`, `function x`, `class x`, `type x`.
    const declarations = [...body.matchAll(/\b(?:const|let|var|function|class|type)\s+([\w$]+|\{[^}]*\}|\[[^\]]*\])/g)].map((m) => m[1]!).join(' ');
    const declared = (name: string): boolean => new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(declarations);
    const given = Object.keys(scope).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && !imported.has(name) && !declared(name) && new RegExp(`(?<![\\w$])(?<!(?:^|[^.])\\.)${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(body));
    const work = resolve(root, example.where.split('/').slice(0, 2).join('/'), 'test/.doc-examples');
    if (!workDirectories.has(work)) {
      mkdirSync(work, { recursive: true });
      writeFileSync(`${work}/.gitignore`, '*\n'); // generated, never committed
      workDirectories.add(work);
    }
    const file = `${work}/${example.where.replace(/[^\w]+/g, '-')}.ts`;
    writeFileSync(file, `${imports.join('\n')}\nexport default async function ($scope: any) {\n  const { ${given.join(', ')} } = $scope;\n  {\n${body}\n  }\n}\n`);
    const module = (await import(/* @vite-ignore */ file)) as { default: (scope: Record<string, unknown>) => Promise<void> };
    await module.default(scope);
    const db = fixtures.db as core.Database;
    await db.close();
  }
}
