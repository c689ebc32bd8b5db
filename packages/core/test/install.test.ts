/**
 * Installed from the tarballs, in a project of a user's own: the packages are packed (`scripts/pack-all.mjs`),
 * installed with plain npm into an empty temporary project, and used there as a user would: an ES module and a
 * CommonJS file load every package and subpath, `tsc` type-checks strictly under each module resolution, a
 * vitest test and a Jest (CommonJS) test use Magneto, and `npx magneto` serves. `pnpm test` builds first.
 *
 * The npm install reaches the registry (with `--prefer-offline`, usually the local cache). MAGNETO_STRESS=1
 * also checks the libraries' declarations under every resolution, not only one.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  packageManager: string;
  devDependencies: Record<string, string>;
};
/** Jest is no dependency of the workspace; this is the release the check was written against. */
const JEST = '30.5.2';
const stress = process.env.MAGNETO_STRESS === '1';
const timings: string[] = [];

// The child tools must not believe they run inside this vitest run.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'NODE_OPTIONS'));

/** Runs a command to completion; resolves with its exit code and output, never rejects on a failing exit. */
function run(command: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; output: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      timings.push(`${[command, ...args].join(' ').slice(0, 90)}: ${Math.round(performance.now() - started)} ms`);
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, output: `${stdout}${stderr}` });
    });
  });
}

/** Runs a command that must succeed; resolves with its standard output (`all`: and its standard error). */
async function succeed(command: string, args: string[], cwd: string, all = false): Promise<string> {
  const { code, stdout, output } = await run(command, args, cwd);
  expect(code, `${command} ${args.join(' ')} failed:\n${output}`).toBe(0);
  return all ? output : stdout;
}

const tableProgram = (load: (path: string) => string) => `
const { Database, ResourceNotFoundException } = ${load('@magneto/core')};
const { fileStorage } = ${load('@magneto/core/node')};
const { ttl } = ${load('@magneto/core/ttl')};
const { attr } = ${load('@magneto/core/table')};
const { indexedDbStorage } = ${load('@magneto/core/browser')};
const { observe } = ${load('@magneto/core/testing')};
const { streams } = ${load('@magneto/streams')};
const { startServer } = ${load('@magneto/server')};
const exported = [fileStorage, ttl, attr.number, indexedDbStorage, observe, streams, startServer].map((f) => typeof f);
const db = new Database({ modules: [streams(), ttl()] });
await db.createTable({
  TableName: 'users',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  BillingMode: 'PAY_PER_REQUEST',
});
await db.putItem({ TableName: 'users', Item: { id: { S: 'a' } } });
const { Item } = await db.getItem({ TableName: 'users', Key: { id: { S: 'a' } } });
const missing = await db.getItem({ TableName: 'nope', Key: { id: { S: 'a' } } }).catch((e) => e instanceof ResourceNotFoundException);
const server = await startServer({ port: 0 });
await server.close();
console.log(JSON.stringify({ exported, Item, missing, served: server.url.startsWith('http://') }));
`;
const expectedRun = { exported: Array(7).fill('function'), Item: { id: { S: 'a' } }, missing: true, served: true };

// Names a type from every package and subpath, so each resolution must find every declaration file.
const typeCheck = `
import { Database, ResourceNotFoundException, type GetItemOutput } from '@magneto/core';
import { fileStorage, type FileStorageOptions } from '@magneto/core/node';
import { ttl, type TtlOptions } from '@magneto/core/ttl';
import { attr, type InferItem } from '@magneto/core/table';
import { indexedDbStorage, type IndexedDbStorageOptions } from '@magneto/core/browser';
import { observe } from '@magneto/core/testing';
import { streams, type StreamRecord } from '@magneto/streams';
import { startServer, type RunningServer } from '@magneto/server';

const storageOptions: FileStorageOptions = { durability: 'batched' };
const ttlOptions: TtlOptions = {};
export const db: Database = new Database({ storage: fileStorage('data', storageOptions), modules: [streams(), ttl(ttlOptions)] });
export const read: Promise<GetItemOutput> = db.getItem({ TableName: 'users', Key: { id: { S: 'a' } } });
export const isMissing = (error: unknown): boolean => error instanceof ResourceNotFoundException;
const schema = { id: attr.string(), born: attr.number() };
export const person: InferItem<typeof schema> = { id: 'ada', born: 1815 };
export const browserOptions: IndexedDbStorageOptions | undefined = undefined;
export const records: StreamRecord[] = [];
export const server: () => Promise<RunningServer> = () => startServer({ port: 0 });
export const scenario: typeof observe = observe;
// @ts-expect-error: a number is no string attribute, under every resolution.
export const wrong: InferItem<typeof schema> = { id: 1, born: 1815 };
`;

/**
 * Each TypeScript resolution a user may have, with the files it checks (.mts is ESM, .cts CommonJS: each
 * reaches the other half of the exports map). node16 and nodenext resolve alike, so by default each takes
 * one half; MAGNETO_STRESS=1 gives both halves to both.
 */
const RESOLUTIONS = [
  { name: 'node16', module: 'node16', moduleResolution: 'node16', files: stress ? ['check.mts', 'check.cts'] : ['check.cts'], libCheck: stress },
  { name: 'nodenext', module: 'nodenext', moduleResolution: 'nodenext', files: stress ? ['check.mts', 'check.cts'] : ['check.mts'], libCheck: stress },
  { name: 'bundler', module: 'esnext', moduleResolution: 'bundler', files: ['check.ts'], libCheck: true },
  { name: 'node', module: 'commonjs', moduleResolution: 'node', files: ['check.ts'], libCheck: stress },
];

const vitestTest = `
import { expect, test } from 'vitest';
import { Database } from '@magneto/core';

test('Magneto under vitest', async () => {
  const db = new Database();
  await db.createTable({ TableName: 'users', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
  await db.putItem({ TableName: 'users', Item: { id: { S: 'a' } } });
  expect(await db.getItem({ TableName: 'users', Key: { id: { S: 'a' } } })).toEqual({ Item: { id: { S: 'a' } } });
});
`;
const jestTest = `
const { Database, ResourceNotFoundException } = require('@magneto/core');
const { streams } = require('@magneto/streams');

test('Magneto under Jest (CommonJS)', async () => {
  const db = new Database({ modules: [streams()] });
  await db.createTable({ TableName: 'users', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
  await db.putItem({ TableName: 'users', Item: { id: { S: 'a' } } });
  expect(await db.getItem({ TableName: 'users', Key: { id: { S: 'a' } } })).toEqual({ Item: { id: { S: 'a' } } });
  await expect(db.getItem({ TableName: 'nope', Key: { id: { S: 'a' } } })).rejects.toBeInstanceOf(ResourceNotFoundException);
});
`;

describe('the packages, installed from their tarballs with npm', () => {
  let dir = '';
  let project = '';
  let tarballs: string[] = [];
  let publishDryRun: ReturnType<typeof run>;

  beforeAll(async () => {
    expect(existsSync(join(root, 'packages/server/dist/cli.js')), 'dist/ is missing: run `pnpm build` (pnpm test does)').toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'magneto-install-'));
    const packed = await succeed(process.execPath, [join(root, 'scripts/pack-all.mjs'), '--no-build', '--out', join(dir, 'packs')], root);
    tarballs = packed.split('\n').filter((line) => line.endsWith('.tgz'));
    // What publishing would send, checked while npm installs.
    publishDryRun = run('npx', ['--yes', rootManifest.packageManager, '--recursive', 'publish', '--dry-run', '--no-git-checks'], root);
    project = join(dir, 'app');
    mkdirSync(join(project, 'jest-tests'), { recursive: true });
    mkdirSync(join(project, 'vitest-tests'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'magneto-install-check', private: true }));
    const dev = rootManifest.devDependencies;
    await succeed(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', ...tarballs,
        `typescript@${dev.typescript}`, `vitest@${dev.vitest}`, `@types/node@${dev['@types/node']}`, `jest@${JEST}`],
      project,
    );
  }, 300_000);

  afterAll(() => {
    console.log(`install check timings:\n  ${timings.join('\n  ')}`);
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('packs each package with its README, LICENSE, CommonJS build and versioned dependencies', async () => {
    expect(tarballs.map((path) => path.slice(path.lastIndexOf('/') + 1))).toEqual([
      'magneto-backup-0.1.0.tgz',
      'magneto-core-0.1.0.tgz',
      'magneto-dax-0.1.0.tgz',
      'magneto-global-tables-0.1.0.tgz',
      'magneto-server-0.1.0.tgz',
      'magneto-streams-0.1.0.tgz',
      'magneto-testing-0.1.0.tgz',
    ]);
    for (const name of ['core', 'streams', 'backup', 'dax', 'global-tables', 'server']) {
      const installed = join(project, 'node_modules/@magneto', name);
      for (const file of ['README.md', 'LICENSE', 'dist/cjs/package.json', 'dist/cjs/index.js', 'dist/cjs/index.d.ts', 'src/index.ts']) {
        expect(existsSync(join(installed, file)), `@magneto/${name} ships ${file}`).toBe(true);
      }
      expect(readFileSync(join(installed, 'package.json'), 'utf8')).not.toContain('workspace:');
    }
    // The bin is executable once installed.
    expect(statSync(join(project, 'node_modules/@magneto/server/dist/cli.js')).mode & 0o111).not.toBe(0);
    const { code, output } = await publishDryRun;
    expect(code, `pnpm publish -r --dry-run failed:\n${output}`).toBe(0);
  });

  it('imports every package and subpath from an ES module', async () => {
    writeFileSync(join(project, 'esm.mjs'), tableProgram((path) => `await import('${path}')`));
    expect(JSON.parse(await succeed(process.execPath, ['esm.mjs'], project))).toEqual(expectedRun);
  });

  it('requires every package and subpath from a CommonJS file', async () => {
    writeFileSync(join(project, 'cjs.cjs'), `(async () => {${tableProgram((path) => `require('${path}')`)}})();`);
    expect(JSON.parse(await succeed(process.execPath, ['cjs.cjs'], project))).toEqual(expectedRun);
  });

  it('type-checks strictly under node16, nodenext, bundler and legacy node resolution', async () => {
    for (const file of ['check.ts', 'check.mts', 'check.cts']) writeFileSync(join(project, file), typeCheck);
    const checks = RESOLUTIONS.map(({ name, module, moduleResolution, files, libCheck }) => {
      const compilerOptions = {
        strict: true, noEmit: true, target: 'es2022', lib: ['es2022', 'dom'], types: ['node'],
        module, moduleResolution, esModuleInterop: true,
        // The libraries' own declarations are checked under one resolution by default (bundler: the one where
        // a CommonJS dependency's default export differs from Node's view); MAGNETO_STRESS=1 checks all four.
        skipLibCheck: !libCheck,
      };
      writeFileSync(join(project, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions, files }));
      return run(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', `tsconfig.${name}.json`], project).then(
        (result) => ({ name, ...result }),
      );
    });
    for (const { name, code, output } of await Promise.all(checks)) expect(code, `tsc (${name}):\n${output}`).toBe(0);
  }, 240_000);

  it('runs a vitest test that uses Magneto', async () => {
    writeFileSync(join(project, 'vitest-tests/magneto.test.mjs'), vitestTest);
    const output = await succeed('npx', ['vitest', 'run', '--root', 'vitest-tests'], project, true);
    expect(output).toMatch(/1 passed/);
  }, 60_000);

  it('runs a Jest test (CommonJS) that uses Magneto', async () => {
    writeFileSync(join(project, 'jest-tests/magneto.test.js'), jestTest);
    const output = await succeed('npx', ['jest', '--ci', '--roots', '<rootDir>/jest-tests', '--cacheDirectory', '.jest-cache'], project, true);
    expect(output).toMatch(/Tests:\s+1 passed/);
  }, 60_000);

  it('runs `npx magneto --help` and `npx magneto serve`', async () => {
    expect(await succeed('npx', ['magneto', '--help'], project, true)).toMatch(/serve/);
    // Its own process group: npx runs the server as a child, and the stop signal must reach both.
    const server = spawn('npx', ['magneto', 'serve', '--port', '0'], { cwd: project, env, detached: true });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /http:\/\/[\w.:[\]-]+/.exec(output);
          if (match !== null) resolve(match[0]);
        };
        server.stdout.on('data', onData);
        server.stderr.on('data', onData);
        server.on('exit', (code) => reject(new Error(`magneto serve exited with ${code}:\n${output}`)));
      });
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          'x-amz-date': '20260101T000000Z',
          // Like DynamoDB Local, it wants a SigV4-shaped header, and checks no signature by default.
          authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
        },
        body: '{}',
      });
      expect(await response.json()).toEqual({ TableNames: [] });
    } finally {
      const exited = new Promise((resolve) => server.on('exit', resolve));
      process.kill(-server.pid!, 'SIGTERM');
      await exited;
    }
  }, 60_000);
});
