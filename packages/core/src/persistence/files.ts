import { decode, encode } from './codec.js';
import { frame, readFrames, type FrameDamage } from './frame.js';
import type { LogDevice } from './log-device.js';

/**
 * The names a durable store gives its files. Log sequence numbers (LSNs) count log records from the
 * store's creation; a log segment is named after the LSN of its first record, a snapshot after the
 * LSN of the first record it does not contain. Zero-padded, so names sort in LSN order.
 */

const DIGITS = 16;

export function segmentName(startLsn: number): string {
  return `log-${String(startLsn).padStart(DIGITS, '0')}.wal`;
}

export function snapshotName(lsn: number): string {
  return `snapshot-${String(lsn).padStart(DIGITS, '0')}.snap`;
}

const SEGMENT = /^log-(\d{16})\.wal$/;
const SNAPSHOT = /^snapshot-(\d{16})\.snap$/;

/** The store's log segments and snapshots among `names`, each sorted by LSN. */
export function storeFiles(names: readonly string[]): { segments: Array<{ name: string; lsn: number }>; snapshots: Array<{ name: string; lsn: number }> } {
  const segments: Array<{ name: string; lsn: number }> = [];
  const snapshots: Array<{ name: string; lsn: number }> = [];
  for (const name of names) {
    const segment = SEGMENT.exec(name);
    if (segment) segments.push({ name, lsn: Number(segment[1]) });
    const snapshot = SNAPSHOT.exec(name);
    if (snapshot) snapshots.push({ name, lsn: Number(snapshot[1]) });
  }
  segments.sort((a, b) => a.lsn - b.lsn);
  snapshots.sort((a, b) => a.lsn - b.lsn);
  return { segments, snapshots };
}

// --- the manifest ----------------------------------------------------------------------------------

/**
 * The manifest: which files must exist, so that recovery can tell a deleted or emptied file from one
 * never written. A file of one frame `{ manifest: 1, segment, snapshots }`, replaced whole
 * (`writeAtomically`). The store names a new log segment in it once the segment's header is durable
 * and before any record goes to it, and lists the snapshots it keeps before it removes older ones; so
 * a crash at any moment leaves a manifest that promises only files that exist.
 */
export const MANIFEST = 'MANIFEST';

const MANIFEST_VERSION = 1;

export interface Manifest {
  /** The first LSN of the newest log segment, or null while none is promised (a segment being created). */
  readonly segment: number | null;
  /** The LSNs of the snapshots the store keeps. */
  readonly snapshots: readonly number[];
}

export async function writeManifest(device: LogDevice, manifest: Manifest): Promise<void> {
  await device.writeAtomically(MANIFEST, oneChunk(frame(encode({ manifest: MANIFEST_VERSION, segment: manifest.segment, snapshots: manifest.snapshots }))));
}

/** Decodes a manifest file, or says why it cannot be used. */
export function readManifest(bytes: Uint8Array): { manifest: Manifest } | { problem: FrameDamage | { reason: 'format'; detail: string } } {
  const { payloads, damage } = readFrames(bytes);
  if (damage !== undefined) return { problem: damage };
  let decoded: { manifest?: unknown; segment?: unknown; snapshots?: unknown } | undefined;
  try {
    decoded = payloads.length === 1 ? (decode(payloads[0]!) as typeof decoded) : undefined;
  } catch {
    decoded = undefined;
  }
  const { segment, snapshots } = decoded ?? {};
  if (decoded?.manifest !== MANIFEST_VERSION || !(segment === null || typeof segment === 'number') || !Array.isArray(snapshots) || !snapshots.every((lsn) => typeof lsn === 'number')) {
    return { problem: { reason: 'format', detail: 'not a manifest' } };
  }
  return { manifest: { segment, snapshots } };
}

/** `bytes` as the chunks `LogDevice.writeAtomically` takes. */
export async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
