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
