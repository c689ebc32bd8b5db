import { decodeBase64, type AttributeDefinition, type AttributeValue, type Item } from '@magneto/core';
import { csvRecords, textOf } from './csv-records.js';
import { decodeItemLine } from './dynamodb-json.js';
import { ION_VERSION_MARKER, decodeIonItemLine, decodeIonItemLines } from './ion.js';
import { linesOf } from './lines.js';

/** One entry of an import source: an item to write, or why a line could not become one. */
export type SourceEntry = { readonly item: Item } | { readonly error: string };

/** ImportTable's InputFormat values Magneto reads. */
export type InputFormat = 'DYNAMODB_JSON' | 'ION' | 'CSV';

/** How a CSV source reads: its options, and the table's key attributes (typed by AttributeDefinitions). */
export interface CsvSettings {
  readonly delimiter: string;
  readonly headerList?: readonly string[] | undefined;
  /** Attribute name → its type, for the key attributes of the table and its secondary indexes. */
  readonly keyTypes: ReadonlyMap<string, AttributeDefinition['AttributeType']>;
  /** The table's own key attributes: an empty field there is a bad record (an index key's is left out). */
  readonly primaryKey: ReadonlySet<string>;
}

/** The entries of one object of an import source, decompressed, in order, in batches (one per chunk read). */
export function sourceEntries(bytes: AsyncIterable<Uint8Array>, format: InputFormat, csv: CsvSettings): AsyncIterable<SourceEntry[]> {
  return format === 'CSV' ? csvEntries(bytes, csv) : lineEntries(bytes, format === 'ION' ? decodeIonItemLine : decodeItemLine, format === 'ION' ? decodeIonItemLines : undefined);
}

/**
 * DYNAMODB_JSON and ION sources: one item per line (`{"Item":{…}}` / `{Item:{…}}`, as DynamoDB's exports
 * write them; the Ion version marker `$ion_1_0` may start a line or stand on its own).
 */
async function* lineEntries(bytes: AsyncIterable<Uint8Array>, decode: (line: string) => Item, decodeMany?: (lines: readonly string[]) => Item[]): AsyncIterable<SourceEntry[]> {
  for await (const batch of linesOf(bytes)) {
    // Blank lines and a version marker on a line of its own hold no item.
    const lines = batch.filter((line) => line.trim().length > 0 && line.trim() !== ION_VERSION_MARKER.trim());
    if (decodeMany !== undefined) {
      try {
        yield decodeMany(lines).map((item) => ({ item }));
        continue;
      } catch {
        // Some line is bad: read them one by one, so the good ones load and the bad one is reported.
      }
    }
    const entries: SourceEntry[] = [];
    for (const line of lines) {
      try {
        entries.push({ item: decode(line) });
      } catch (error) {
        const detail = messageOf(error);
        entries.push({ error: detail === '' ? 'Unable to parse the item' : `Unable to parse the item: ${detail}` });
      }
    }
    yield entries;
  }
}

/**
 * CSV as DynamoDB imports it: the first record is the header unless HeaderList names the columns; the
 * key attributes of the table and of its secondary indexes take their AttributeDefinitions' types (B as
 * base64), every other column is a string; an empty field adds no attribute (an item without its
 * primary key is then refused by the write, and one without an index key stays out of that index).
 */
async function* csvEntries(bytes: AsyncIterable<Uint8Array>, csv: CsvSettings): AsyncIterable<SourceEntry[]> {
  let header = csv.headerList;
  for await (const records of csvRecords(textOf(bytes), csv.delimiter)) {
    const entries: SourceEntry[] = [];
    for (const record of records) {
      if ('error' in record) {
        entries.push({ error: record.error });
        continue;
      }
      const fields = record.fields;
      if (header === undefined) {
        header = fields;
        continue;
      }
      if (fields.length === 1 && fields[0] === '') continue;
      entries.push(csvEntry(header, fields, csv));
    }
    yield entries;
  }
}

/** One CSV record as an item, or why it is not one. */
function csvEntry(header: readonly string[], fields: readonly string[], csv: CsvSettings): SourceEntry {
  if (fields.length !== header.length) return { error: `The record has ${fields.length} fields, the header ${header.length}` };
  const item: Item = {};
  try {
    for (let i = 0; i < header.length; i++) {
      const name = header[i]!;
      const value = fields[i]!;
      const type = csv.keyTypes.get(name);
      if (value === '' && !csv.primaryKey.has(name)) continue;
      item[name] = typedValue(type ?? 'S', value);
    }
  } catch (error) {
    return { error: messageOf(error) };
  }
  return { item };
}

function typedValue(type: 'S' | 'N' | 'B', value: string): AttributeValue {
  if (type === 'N') return { N: value };
  if (type === 'S') return { S: value };
  return { B: decodeBase64(value) };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
