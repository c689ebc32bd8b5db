/**
 * The README says what is true: its list of DynamoDB operations is every operation of the SDK's DynamoDB
 * client, each on the side (there / not yet) the code is on; its links stay inside the repository; and
 * every ```ts block type-checks (strict, against the built packages' declarations, as a user's code would).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sdk from '@aws-sdk/client-dynamodb';
import { streams } from '@magneto/streams';
import { globalTables, InProcessNetwork } from '@magneto/global-tables';
import { backup } from '@magneto/backup';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { accessControl, capacity, Database, ttl } from '../src/index.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const README = readFileSync(join(root, 'README.md'), 'utf8');

/** The section of the README under `heading`, up to the next heading of any level. */
function section(heading: string): string {
  const start = README.indexOf(`${heading}\n`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const next = README.slice(start + heading.length).search(/\n#{1,6} /);
  return README.slice(start, next < 0 ? undefined : start + heading.length + next);
}

describe('the README lists which DynamoDB operations exist', () => {
  const rows = [...section('### Which DynamoDB operations exist').matchAll(/^\| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => ({
    side: m[1]!.trim(),
    names: [...m[2]!.matchAll(/\b[A-Z][A-Za-z]+\b/g)].map((n) => n[0]),
  }));
  const listed = (filter: (side: string) => boolean): string[] => rows.filter((row) => filter(row.side)).flatMap((row) => row.names);
  const db = new Database({ modules: [streams(), ttl(), capacity(), accessControl({ principals: {} }), globalTables({ transport: new InProcessNetwork() }), backup()] });
  const sdkOperations = Object.keys(sdk)
    .filter((name) => /^[A-Z]\w*Command$/.test(name))
    .map((name) => name.slice(0, -'Command'.length));
  const served = sdkOperations.filter((name) => db.hasOperation('DynamoDB_20120810', name));
  const there = listed((side) => !side.startsWith('not yet')).filter((name) => sdkOperations.includes(name));
  const notYet = listed((side) => side.startsWith('not yet'));

  it('names every operation of the SDK, once', () => {
    expect(sdkOperations.length).toBeGreaterThan(50);
    expect([...there, ...notYet].sort()).toEqual([...sdkOperations].sort());
  });

  it('is right about each', () => {
    expect(there.sort()).toEqual([...served].sort());
    for (const name of notYet) expect(db.hasOperation('DynamoDB_20120810', name), name).toBe(false);
    for (const name of ['ListStreams', 'DescribeStream', 'GetShardIterator', 'GetRecords']) {
      expect(listed((side) => side === '`@magneto/streams`')).toContain(name);
      expect(db.hasOperation('DynamoDBStreams_20120810', name), name).toBe(true);
    }
  });

  it('counts them right', () => {
    expect(section('### Which DynamoDB operations exist')).toContain(`Of the ${sdkOperations.length} operations of DynamoDB's API`);
    expect(section('### Which DynamoDB operations exist')).toContain(`${served.length} exist`);
  });
});

describe('the README links', () => {
  it('point inside the repository, at files that exist', () => {
    expect(README).not.toMatch(/\.\.\/shared|\]\(\.\.\//);
    for (const [, target] of README.matchAll(/\]\(([^)]+)\)/g)) {
      if (/^(https?:|#)/.test(target!)) continue;
      expect(existsSync(resolve(root, target!)), target).toBe(true);
    }
  });
});

describe('the README code', () => {
  const work = join(root, 'node_modules/.cache/readme-blocks');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('type-checks every ts block against the built packages', () => {
    const declarations = {
      '@magneto/core': 'packages/core/dist/index.d.ts',
      '@magneto/core/node': 'packages/core/dist/node/index.d.ts',
      '@magneto/streams': 'packages/streams/dist/index.d.ts',
      '@magneto/backup': 'packages/backup/dist/index.d.ts',
      '@magneto/backup/node': 'packages/backup/dist/node/index.d.ts',
      '@magneto/server': 'packages/server/dist/index.d.ts',
      '@magneto/dax': 'packages/dax/dist/index.d.ts',
      '@magneto/testing': 'packages/testing/dist/index.d.ts',
    };
    for (const file of Object.values(declarations)) expect(existsSync(join(root, file)), `${file}: run npm run build first`).toBe(true);

    const blocks = [...README.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => ({ line: README.slice(0, m.index).split('\n').length + 1, code: m[1]! }));
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    // Each block is a module of its own (top-level await, its own imports), as in a user's project.
    const files = blocks.map((block) => {
      const file = join(work, `readme-line-${block.line}.ts`);
      writeFileSync(file, `${block.code}\nexport {};\n`);
      return file;
    });
    const base = ts.readConfigFile(join(root, 'tsconfig.base.json'), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(
      {
        ...base.config,
        compilerOptions: {
          ...base.config.compilerOptions,
          noEmit: true,
          types: ['node'],
          // A snippet may show a value it does not use further.
          noUnusedLocals: false,
          paths: Object.fromEntries(Object.entries(declarations).map(([name, file]) => [name, [join(root, file)]])),
        },
      },
      ts.sys,
      dirname(files[0]!),
    );
    const program = ts.createProgram(files, options);
    const errors = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `README.md:${Number(/readme-line-(\d+)/.exec(d.file.fileName)?.[1] ?? 0) + d.file.getLineAndCharacterOfPosition(d.start ?? 0).line}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(errors).toEqual([]);
  });
});
