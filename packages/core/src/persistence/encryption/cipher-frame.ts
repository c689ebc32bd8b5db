import { crc32 } from '../crc32.js';
import { FRAME_HEADER_BYTES, MAX_FRAME_PAYLOAD } from '../frame.js';

/**
 * The on-disk unit of an encrypted file: `[u32 LE length][12-byte IV][AES-GCM ciphertext + 16-byte tag]`,
 * where length counts IV and ciphertext. Each frame is one appended batch (or one chunk of a file
 * written whole), sealed with a fresh random IV; the frame's byte offset in its file is the AES-GCM
 * additional data, so frames cannot be moved or reordered without failing authentication.
 */

export const IV_BYTES = 12;
const TAG_BYTES = 16;
const LENGTH_BYTES = 4;
/** The smallest possible frame body (IV + tag of an empty plaintext). */
const MIN_BODY = IV_BYTES + TAG_BYTES;
/** A longer frame is refused, as the log refuses an over-long record: a corrupt length must not allocate gigabytes. */
const MAX_BODY = MAX_FRAME_PAYLOAD + FRAME_HEADER_BYTES + MIN_BODY;

/** The additional data of a frame at `offset`: binds the frame to its place in the file. */
function offsetData(offset: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(offset / 0x1_0000_0000), true);
  view.setUint32(4, offset >>> 0, true);
  return out;
}

/** Additional data of the key-check file: no offset of a real frame looks like it. */
export const KEY_CHECK_DATA = new Uint8Array(8).fill(0xff);

/** Seals `plaintext` into one frame that will sit at byte `offset` of its file. */
export async function seal(key: CryptoKey, plaintext: Uint8Array, offset: number, additionalData: Uint8Array = offsetData(offset)): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: additionalData as Uint8Array<ArrayBuffer> }, key, plaintext as Uint8Array<ArrayBuffer>),
  );
  const out = new Uint8Array(LENGTH_BYTES + IV_BYTES + sealed.length);
  new DataView(out.buffer).setUint32(0, IV_BYTES + sealed.length, true);
  out.set(iv, LENGTH_BYTES);
  out.set(sealed, LENGTH_BYTES + IV_BYTES);
  return out;
}

/** Opens the frame whose body is `bytes[start, end)` and which sits at `offset`; rejects when it does not authenticate. */
export async function open(key: CryptoKey, bytes: Uint8Array, start: number, end: number, offset: number, additionalData: Uint8Array = offsetData(offset)): Promise<Uint8Array> {
  const iv = bytes.slice(start, start + IV_BYTES);
  const sealed = bytes.subarray(start + IV_BYTES, end);
  return new Uint8Array(
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: additionalData as Uint8Array<ArrayBuffer> }, key, sealed as Uint8Array<ArrayBuffer>),
  );
}

/** One whole frame of an encrypted file: where it starts, and its body's [start, end). */
export interface CipherFrame {
  readonly offset: number;
  readonly start: number;
  readonly end: number;
}

/** The frames of an encrypted file up to the first torn or impossible one, and where that one starts. */
export function cipherFrames(bytes: Uint8Array): { frames: CipherFrame[]; damage: { offset: number; torn: boolean } | undefined } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames: CipherFrame[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < LENGTH_BYTES) return { frames, damage: { offset, torn: true } };
    const length = view.getUint32(offset, true);
    if (length < MIN_BODY || length > MAX_BODY) return { frames, damage: { offset, torn: false } };
    const start = offset + LENGTH_BYTES;
    const end = start + length;
    if (end > bytes.length) return { frames, damage: { offset, torn: true } };
    frames.push({ offset, start, end });
    offset = end;
  }
  return { frames, damage: undefined };
}

/**
 * What an encrypted file's damaged tail (raw bytes from the first bad frame on) reads as: bytes the
 * log's frame reader stops at for the same reason — a torn frame for a frame cut short (its header
 * claims more bytes than follow), a checksum mismatch for one that does not authenticate. Recovery then
 * treats it as it treats any damaged record: reports it, keeps these bytes (the ciphertext inside)
 * aside and cuts the file there.
 */
export function damagedTail(raw: Uint8Array, torn: boolean): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + raw.length);
  const view = new DataView(out.buffer);
  if (torn) {
    view.setUint32(0, MAX_FRAME_PAYLOAD, true);
  } else {
    view.setUint32(0, raw.length, true);
    view.setUint32(4, ~crc32(raw) >>> 0, true);
  }
  out.set(raw, FRAME_HEADER_BYTES);
  return out;
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
