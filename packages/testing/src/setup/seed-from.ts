import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeRequestBody, type Database, type Item } from '@magneto/core';
import { isAttributeValueItem } from './config.js';
import { marshalled } from './marshalled.js';

/** Where `seed` reads items from. */
export interface SeedSource {
  /**
   * A path (relative ones from the working directory) to one of:
   * - a DynamoDB export in DYNAMODB_JSON, as DynamoDB's ExportTableToPointInTime and `@magneto/backup`
   *   write it: the export's directory (`manifest-summary.json`, `manifest-files.json`, `data/*.json.gz`),
   *   or any directory above it (every export found under it is loaded, e.g. `AWSDynamoDB/<ExportId>/`);
   * - a directory of JSON fixtures, `<TableName>.json`, each an array of items;
   * - one JSON file, `{ "<TableName>": [items] }`.
   * Fixture items are DynamoDB JSON or plain values (marshalled as the DocumentClient does).
   */
  readonly from: string;
  /** The table an export's items go to. Default: the table its manifest's `tableArn` names. */
  readonly tableName?: string;
}

/** One line of manifest-files.json. */
interface DataFileEntry {
  readonly itemCount: number;
  readonly md5Checksum: string;
  readonly dataFileS3Key: string;
}

/**
 * Puts the items of an export or of JSON fixtures into `db`'s tables, which must exist (create them first,
 * e.g. with the config's `tables`), through PutItem, so each item is validated as DynamoDB would. An
 * export's data files are checked against its manifest (MD5 and item count). Resolves to the number of
 * items put per table. Node only.
 *
 * @example
 * await db.createTable(ordersTable);
 * await seed(db, { from: 'fixtures/exports/AWSDynamoDB/01234-abcd' }); // { orders: 1200 }
 */
export async function seed(db: Database, source: SeedSource | string): Promise<Record<string, number>> {
  const { from, tableName } = typeof source === 'string' ? { from: source, tableName: undefined } : source;
  const path = resolve(from);
  const counts: Record<string, number> = {};
  const add = async (table: string, items: Iterable<Item>): Promise<void> => {
    for (const item of items) {
      await db.putItem({ TableName: table, Item: item });
      counts[table] = (counts[table] ?? 0) + 1;
    }
  };
  if (!(await stat(path)).isDirectory()) {
    for (const [table, items] of Object.entries(await readFixtureFile(path) as Record<string, unknown>)) await add(table, fixtureItems(items, `${path} (${table})`));
    return counts;
  }
  const exports = await findExports(path);
  if (exports.length > 0) {
    for (const directory of exports) {
      const summary = JSON.parse(await readFile(join(directory, 'manifest-summary.json'), 'utf8')) as { tableArn?: string; outputFormat?: string };
      if (summary.outputFormat !== undefined && summary.outputFormat !== 'DYNAMODB_JSON') throw new Error(`seed: ${directory} is a ${summary.outputFormat} export; seed reads DYNAMODB_JSON exports`);
      const table = tableName ?? /:table\/([^/]+)$/.exec(summary.tableArn ?? '')?.[1];
      if (table === undefined) throw new Error(`seed: the manifest of ${directory} names no table (tableArn); pass tableName`);
      for await (const items of exportItems(directory)) await add(table, items);
    }
    return counts;
  }
  for (const name of (await readdir(path)).filter((file) => file.endsWith('.json')).sort()) {
    const file = join(path, name);
    await add(basename(name, '.json'), fixtureItems(await readFixtureFile(file), file));
  }
  return counts;
}

/** Every directory at or under `path` that holds an export's manifest-summary.json. */
async function findExports(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true });
  if (entries.some((entry) => entry.isFile() && entry.name === 'manifest-summary.json')) return [path];
  const found: string[] = [];
  // A data directory holds no manifest, nor do fixtures: only directories are searched.
  for (const entry of entries.filter((e) => e.isDirectory() && e.name !== 'data').sort((a, b) => a.name.localeCompare(b.name))) {
    found.push(...(await findExports(join(path, entry.name))));
  }
  return found;
}

/** The items of an export's data files, a file at a time, each checked against manifest-files.json. */
async function* exportItems(directory: string): AsyncIterable<Item[]> {
  const manifest = await readFile(join(directory, 'manifest-files.json'), 'utf8');
  for (const line of manifest.split('\n')) {
    if (line.trim() === '') continue;
    const entry = JSON.parse(line) as DataFileEntry;
    // The manifest names data files by their key in the bucket; beside it they sit in data/.
    const file = join(directory, 'data', basename(entry.dataFileS3Key));
    const bytes = await readFile(file);
    if (createHash('md5').update(bytes).digest('base64') !== entry.md5Checksum) throw new Error(`seed: ${file} does not match its MD5 checksum in manifest-files.json`);
    const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
    const items: Item[] = [];
    for (const itemLine of text.split('\n')) {
      if (itemLine.trim() === '') continue;
      const decoded = decodeRequestBody(itemLine).Item;
      if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded)) throw new Error(`seed: a line of ${file} is not an object with an Item member`);
      items.push(decoded as Item);
    }
    if (items.length !== entry.itemCount) throw new Error(`seed: ${file} holds ${items.length} items; manifest-files.json says ${entry.itemCount}`);
    yield items;
  }
}

async function readFixtureFile(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8')) as unknown;
}

/** A fixture's items as AttributeValues: DynamoDB JSON as it is (binary as base64, as on the wire), plain values marshalled. */
function fixtureItems(items: unknown, where: string): Item[] {
  if (!Array.isArray(items)) throw new Error(`seed: ${where} is not an array of items`);
  return items.map((item: Record<string, unknown>) => (isAttributeValueItem(item) ? (decodeRequestBody(JSON.stringify({ Item: item })).Item as Item) : marshalled(item)));
}
