import { crc32 } from './crc32.js';

/**
 * Record framing shared by log segments and snapshots: each record is
 * `[u32 LE payload length][u32 LE CRC-32 of payload][payload]`. A reader walks frames from the start
 * and stops at the first one that is cut short (a torn write) or whose checksum does not match
 * (corruption), reporting where and why; everything before it is intact.
 */

export const FRAME_HEADER_BYTES = 8;

/** Frames with a longer payload are refused: a corrupt length field must not make a reader allocate gigabytes. */
export const MAX_FRAME_PAYLOAD = 256 * 1024 * 1024;

/** Prepends the frame header to `payload`. */
export function frame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer, out.byteOffset, FRAME_HEADER_BYTES);
  view.setUint32(0, payload.length, true);
  view.setUint32(4, crc32(payload), true);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

/** Why a reader stopped before the end of a file. */
export interface FrameDamage {
  /** Byte offset of the first frame that could not be read. */
  readonly offset: number;
  readonly reason: 'torn' | 'checksum' | 'length';
  /** Bytes from `offset` to the end of the file, all discarded. */
  readonly discardedBytes: number;
}

/**
 * Walks the intact frames of `bytes`, calling `visit` with each payload's [start, end) (no copies, no
 * views: a log holds millions of frames); returns the damage that stopped the walk, if any. `visit`
 * returns false to stop early.
 */
export function walkFrames(bytes: Uint8Array, visit: (start: number, end: number) => boolean): FrameDamage | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset < bytes.length) {
    const remaining = bytes.length - offset;
    if (remaining < FRAME_HEADER_BYTES) return { offset, reason: 'torn', discardedBytes: remaining };
    const length = view.getUint32(offset, true);
    if (length > MAX_FRAME_PAYLOAD) return { offset, reason: 'length', discardedBytes: remaining };
    const start = offset + FRAME_HEADER_BYTES;
    const end = start + length;
    if (end > bytes.length) return { offset, reason: 'torn', discardedBytes: remaining };
    if (crc32(bytes, start, end) !== view.getUint32(offset + 4, true)) return { offset, reason: 'checksum', discardedBytes: remaining };
    if (!visit(start, end)) return undefined;
    offset = end;
  }
  return undefined;
}

/** The intact frames of `bytes` (payloads are views into it), and the damage that stopped the walk, if any. */
export function readFrames(bytes: Uint8Array): { payloads: Uint8Array[]; ends: number[]; damage: FrameDamage | undefined } {
  const payloads: Uint8Array[] = [];
  const ends: number[] = [];
  const damage = walkFrames(bytes, (start, end) => {
    payloads.push(bytes.subarray(start, end));
    ends.push(end);
    return true;
  });
  return { payloads, ends, damage };
}
