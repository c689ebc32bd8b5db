/**
 * An export's or import's id, shaped as DynamoDB's (`01695914346285-3c3bd9a2`): the start time in ms
 * (14 digits) and 8 random hex digits. Its ARN is the table's ARN, `/export/` or `/import/`, and the id.
 */
export function jobIdOf(startedAt: number): string {
  const random = globalThis.crypto.getRandomValues(new Uint8Array(4));
  return `${String(startedAt).padStart(14, '0')}-${hex(random)}`;
}

/** Lower-case hex of bytes. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A data file's name as DynamoDB's exports name them: 26 random base32 characters (`data/<name>.json.gz`). */
export function dataFileNameOf(): string {
  const random = globalThis.crypto.getRandomValues(new Uint8Array(26));
  return Array.from(random, (b) => BASE32[b & 31]).join('');
}
