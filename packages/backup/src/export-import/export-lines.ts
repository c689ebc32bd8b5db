import { encodeResponseBody, itemSize, type Item } from '@magneto/core';
import type { IncrementalChange } from './incremental-changes.js';
import { ION_VERSION_MARKER, encodeIonLine } from './ion.js';
import type { LineEncoding } from './export-writer.js';

/** ExportFormat. */
export type ExportFormat = 'DYNAMODB_JSON' | 'ION';

/**
 * The lines of a full export: `{"Item":{…}}` (DYNAMODB_JSON, AttributeValues in the wire's JSON) or
 * `{Item:{…}}` (ION); billed by the items' sizes.
 */
export function fullExportLines(format: ExportFormat): LineEncoding<Item> {
  return {
    encode: format === 'ION' ? (item) => encodeIonLine({ Item: item }) : (item) => encodeResponseBody({ Item: item }),
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
    encode: format === 'ION' ? (change) => encodeIonLine(members(change)) : (change) => encodeResponseBody(members(change)),
    billedBytes: (change) => (change.oldImage === undefined ? 0 : itemSize(change.oldImage)) + (change.newImage === undefined ? 0 : itemSize(change.newImage)),
    fileHeader: format === 'ION' ? ION_VERSION_MARKER : '',
    extension: format === 'ION' ? 'ion' : 'json',
  };
}

