import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONFIG_FILES, type MagnetoTestConfig } from './config.js';
import { FOREIGN_CONFIG_FILES, fromForeignConfig } from './foreign-config.js';

/**
 * The test config: the `MAGNETO_CONFIG` file, else the first `magneto.config.*` in `cwd`, else the
 * `jest-dynalite-config.js` or `jest-dynamodb-config.js` of a suite moving from jest-dynalite or
 * @shelf/jest-dynamodb (read as those tools read them), else empty. Node only.
 */
export async function loadConfig(cwd: string = process.cwd()): Promise<MagnetoTestConfig> {
  const named = process.env.MAGNETO_CONFIG;
  const file = named !== undefined ? resolve(cwd, named) : CONFIG_FILES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
  if (file !== undefined) return load(file) as Promise<MagnetoTestConfig>;
  const foreign = FOREIGN_CONFIG_FILES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
  return foreign === undefined ? {} : fromForeignConfig(foreign, await load(foreign));
}

async function load(file: string): Promise<unknown> {
  if (file.endsWith('.json')) return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const loaded = (await import(pathToFileURL(file).href)) as { default?: unknown };
  return loaded.default ?? loaded;
}
