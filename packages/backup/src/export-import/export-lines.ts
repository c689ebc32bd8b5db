import { encodeResponseBody, itemSize, type Item } from '@magneto/core';
import type { IncrementalChange } from './incremental-changes.js';
import { ION_VERSION_MARKER, encodeIonLines } from './ion.js';
import type { LineEncoding } from './export-writer.js';

/** ExportFormat. */
export type ExportFormat = 'DYNAMODB_JSON' | 'ION';

/**
 * The lines of a full export: `{"Item":{…}}` (DYNAMODB_JSON, AttributeValues in the wire's JSON) or
 * `{Item:{…}}` (ION); billed by the items' sizes.
 */
export function fullExportLines(format: ExportFormat): LineEncoding<Item> {
  return {
    encode: format === 'ION' ? (items) => encodeIonLines(items.map((item) => ({ Item: item }))) : (items) => jsonLines(items.map((item) => ({ Item: item }))),
    billedBytes: itemSize,
    fileHeader: format === 'ION' ? ION_VERSION_MARKER : '',
    extension: format === 'ION' ? 'ion' : 'json',
  };
}

/**
 * The lines of an incremental export, as DynamoDB writes them: `Metadata.WriteTimestampMicros` (the last
 * write's time in microseconds, a number), `Keys`, then `OldImage` (NEW_AND_OLD_IMAGES, when the item
 * existed at ExportFromTime) and `NewImage` (when it exists at ExportToTime: a delete has none; an absent
 * image is left out, as JSON.stringify leaves undefined members out); billed by
 * the images' sizes.
 */
export function incrementalExportLines(format: ExportFormat): LineEncoding<IncrementalChange> {
  const members = (change: IncrementalChange): Record<string, Item | undefined> => ({
    Metadata: { WriteTimestampMicros: { N: String(change.writtenAt * 1000) } },
    Keys: change.keys,
    OldImage: change.oldImage,
    NewImage: change.newImage,
  });
  return {
    encode: format === 'ION' ? (changes) => encodeIonLines(changes.map(members)) : (changes) => jsonLines(changes.map(members)),
    billedBytes: (change) => (change.oldImage === undefined ? 0 : itemSize(change.oldImage)) + (change.newImage === undefined ? 0 : itemSize(change.newImage)),
    fileHeader: format === 'ION' ? ION_VERSION_MARKER : '',
    extension: format === 'ION' ? 'ion' : 'json',
  };
}

/** DynamoDB JSON lines (the wire's JSON: binary as base64), each ending in `\n`. */
function jsonLines(values: readonly object[]): string {
  let text = '';
  for (const value of values) text += `${encodeResponseBody(value)}\n`;
  return text;
}
