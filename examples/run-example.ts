/** `pnpm example <name>` runs `examples/<name>.ts`. */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const name = process.argv[2];
const here = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && file !== 'run-example.ts' && !file.endsWith('.test.ts'))
  .map((file) => file.slice(0, -3));
if (!name || !existsSync(`${here}${name}.ts`)) {
  console.error(`usage: pnpm example <name>   (one of: ${available.join(', ')})`);
  process.exit(1);
}
await import(pathToFileURL(`${here}${name}.ts`).href);
