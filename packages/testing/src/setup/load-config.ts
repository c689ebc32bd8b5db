import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONFIG_FILES, type MagnetoTestConfig } from './config.js';

/** The test config: the `MAGNETO_CONFIG` file, else the first `magneto.config.*` in `cwd`, else empty. Node only. */
export async function loadConfig(cwd: string = process.cwd()): Promise<MagnetoTestConfig> {
  const named = process.env.MAGNETO_CONFIG;
  const file = named !== undefined ? resolve(cwd, named) : CONFIG_FILES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
  if (file === undefined) return {};
  if (file.endsWith('.json')) return JSON.parse(readFileSync(file, 'utf8')) as MagnetoTestConfig;
  const loaded = (await import(pathToFileURL(file).href)) as { default?: MagnetoTestConfig } & MagnetoTestConfig;
  return loaded.default ?? loaded;
}
