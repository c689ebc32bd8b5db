import type { Engine } from '../engine.js';
import type { ChangeBatch } from '../modules/change-record.js';
import { settleCatalog, type ModuleTableState } from './catalog.js';
import { decode } from './codec.js';
import { MANIFEST, oneChunk, readManifest, segmentName, snapshotName, storeFiles, type Manifest } from './files.js';
import { walkFrames } from './frame.js';
import { applyRecord, isLogVersion, lsnOf, moduleRecordOf, LOG_VERSION } from './log-records.js';
import type { LogDevice } from './log-device.js';
import type { PersistentModule } from './persistent-module.js';
import type { RecoveryProgress, RecoveryReport, StoreDamage } from './recovery-report.js';
import { loadSnapshot } from './snapshot.js';

/**
 * Recovery: the newest snapshot that reads back whole, then every log record after it, in LSN order,
 * stopping at the first record that is torn, corrupt or out of sequence. Damage is never skipped
 * over silently: it is reported, the damaged log is cut after its last intact record (the cut bytes
 * kept beside it as `<file>.<offset>.discarded`), and files that can no longer be used (a bad
 * snapshot, log segments after the damage) are renamed `<file>.damaged`, so the next open starts
 * clean and nothing is deleted. A file the manifest (files.ts) names that is gone, and a log segment
 * emptied or cut inside its header, are reported as `missing`, with the LSN the log stops at.
 */

export interface Recovered {
  readonly report: RecoveryReport;
  /** The LSN the next log record gets. */
  readonly nextLsn: number;
  /** Bytes of the log segments read after the snapshot: the log a new snapshot would replace. */
  readonly logBytes: number;
  /** How many log segments were read after the snapshot. */
  readonly logSegments: number;
}

/** How many log records recovery replays between two progress reports. */
const PROGRESS_RECORDS = 10_000;

/** @internal */
export async function recover(device: LogDevice, engine: Engine, state: ModuleTableState, progress?: (progress: RecoveryProgress) => void): Promise<Recovered> {
  const modules: ReadonlyArray<{ name: string; persistence: PersistentModule }> = state.modules;
  const started = performance.now();
  const damage: StoreDamage[] = [];
  const names = await device.list();
  // Leftovers of a snapshot write interrupted by a crash: never renamed into place, never used.
  for (const name of names) if (name.endsWith('.tmp')) await device.remove(name);
  const { segments, snapshots } = storeFiles(names);

  // 0. the manifest: which files must exist
  let manifest: Manifest | undefined;
  if (names.includes(MANIFEST)) {
    const bytes = await device.read(MANIFEST);
    const read = readManifest(bytes);
    if ('manifest' in read) {
      manifest = read.manifest;
    } else {
      const problem = read.problem;
      await device.rename(MANIFEST, `${MANIFEST}.damaged`);
      damage.push({
        file: MANIFEST,
        offset: 'offset' in problem ? problem.offset : 0,
        reason: problem.reason,
        discardedBytes: bytes.length,
        action: `manifest not used (${'detail' in problem ? problem.detail : `${problem.reason} record`}); renamed ${MANIFEST}.damaged: a deleted or emptied newest log segment cannot be detected this time`,
      });
    }
  }
  for (const lsn of manifest?.snapshots ?? []) {
    if (snapshots.some((snapshot) => snapshot.lsn === lsn)) continue;
    damage.push({ file: snapshotName(lsn), offset: 0, reason: 'missing', discardedBytes: 0, action: 'snapshot missing (the manifest lists it): recovering from an older snapshot, if any, and the log' });
  }

  // 1. the newest snapshot that reads back whole
  let snapshotFile: string | undefined;
  let snapshotItems = 0;
  let lsn = 0;
  for (let i = snapshots.length - 1; i >= 0; i--) {
    const file = snapshots[i]!;
    const bytes = await device.read(file.name);
    let loaded: ReturnType<typeof loadSnapshot>;
    try {
      loaded = loadSnapshot(engine, bytes, state, progress && ((items, fileFraction) => progress({ phase: 'snapshot', file: file.name, items, replayedRecords: 0, fileFraction })));
    } catch (error) {
      loaded = { problem: { offset: 0, reason: 'format', discardedBytes: bytes.length, detail: error instanceof Error ? error.message : String(error) } };
    }
    if ('problem' in loaded) {
      const problem = loaded.problem;
      await device.rename(file.name, `${file.name}.damaged`);
      damage.push({
        file: file.name,
        offset: problem.offset,
        reason: problem.reason,
        discardedBytes: bytes.length,
        action: `snapshot not used (${'detail' in problem ? problem.detail : `${problem.reason} record at byte ${problem.offset}`}); renamed ${file.name}.damaged, recovering from an older snapshot and the log`,
      });
      continue;
    }
    const snapshot = loaded.snapshot;
    for (const table of snapshot.tables) engine.tables.set(table.name, table);
    engine.resumeChangeSequence(snapshot.nextSequenceNumber);
    for (const [token, fingerprint, committedAt, output] of snapshot.tokens) engine.transactionTokens.set(token, { fingerprint, committedAt, output });
    for (const { name, persistence } of modules) {
      if (name in snapshot.modules) persistence.restoreState?.(snapshot.modules[name]);
    }
    snapshotFile = file.name;
    snapshotItems = snapshot.items;
    lsn = snapshot.lsn;
    break;
  }

  // 2. the log after it
  const replayers = modules.filter((m) => m.persistence.replayChanges !== undefined);
  let replayed = 0;
  let stopped = false;
  let logBytes = 0;
  let logSegments = 0;
  // A segment of the current version was written beside a manifest.
  let manifestWritten = false;
  for (let s = 0; s < segments.length; s++) {
    const segment = segments[s]!;
    const next = segments[s + 1];
    if (next !== undefined && next.lsn <= lsn) continue; // wholly before the snapshot
    if (stopped) {
      await device.rename(segment.name, `${segment.name}.damaged`);
      damage.push({ file: segment.name, offset: 0, reason: 'unreplayed', discardedBytes: (await device.read(`${segment.name}.damaged`)).length, action: `not replayed after the damage before it; renamed ${segment.name}.damaged` });
      continue;
    }
    if (segment.lsn > lsn) {
      // Records [lsn, segment.lsn) are nowhere: stop here rather than apply later writes without them.
      stopped = true;
      s--;
      damage.push({ file: segment.name, offset: 0, reason: 'sequence', discardedBytes: 0, lostFromLsn: lsn, action: `log records ${lsn} to ${segment.lsn - 1} are missing; recovery stops before ${segment.name}` });
      continue;
    }
    const bytes = await device.read(segment.name);
    logBytes += bytes.length;
    logSegments++;
    let validEnd = 0;
    let version: unknown;
    let problem: { offset: number; reason: StoreDamage['reason']; detail: string } | undefined;
    const frameDamage = walkFrames(bytes, (start, end) => {
      try {
        const record = decode(bytes, start, end);
        if (version === undefined) {
          const header = record as { log?: unknown; startLsn?: unknown };
          if (!isLogVersion(header?.log) || header.startLsn !== segment.lsn) throw new Error('not a log segment header');
          version = header.log;
        } else {
          const recordLsn = lsnOf(record);
          if (recordLsn > lsn) {
            problem = { offset: validEnd, reason: 'sequence', detail: `record ${recordLsn} where ${lsn} was expected` };
            return false;
          }
          if (recordLsn === lsn) {
            const logged = moduleRecordOf(record);
            if (logged !== undefined) {
              for (const m of modules) if (m.name === logged[0]) m.persistence.replayRecord?.(logged[1]);
            } else {
              const batch: ChangeBatch | undefined = applyRecord(engine, record, replayers.length > 0, state);
              if (batch !== undefined && batch.records.length > 0) for (const m of replayers) m.persistence.replayChanges!(batch);
            }
            lsn++;
            replayed++;
            if (progress !== undefined && replayed % PROGRESS_RECORDS === 0) {
              progress({ phase: 'log', file: segment.name, items: snapshotItems, replayedRecords: replayed, fileFraction: end / bytes.length });
            }
          }
        }
        validEnd = end;
        return true;
      } catch (error) {
        problem = { offset: validEnd, reason: 'format', detail: error instanceof Error ? error.message : String(error) };
        return false;
      }
    });
    if (version === LOG_VERSION) manifestWritten = true;
    // No intact header: an emptied or cut segment, its records lost. Only a crash while the newest
    // segment was created leaves one harmlessly, and the manifest does not name that one yet.
    if (version === undefined && (s < segments.length - 1 || manifest?.segment === segment.lsn)) {
      stopped = true;
      await device.rename(segment.name, `${segment.name}.damaged`);
      damage.push({
        file: segment.name,
        offset: 0,
        reason: 'missing',
        discardedBytes: bytes.length,
        lostFromLsn: lsn,
        action: `log segment ${bytes.length === 0 ? 'empty' : 'cut inside its header'}: the writes logged in it, from record ${lsn} on, are lost; renamed ${segment.name}.damaged`,
      });
      continue;
    }
    if (problem === undefined && frameDamage !== undefined) {
      problem = { offset: frameDamage.offset, reason: frameDamage.reason, detail: `${frameDamage.reason} record` };
    }
    if (problem !== undefined) {
      stopped = true;
      const discarded = bytes.length - problem.offset;
      const aside = `${segment.name}.${problem.offset}.discarded`;
      await device.writeAtomically(aside, oneChunk(bytes.subarray(problem.offset)));
      await device.truncate(segment.name, problem.offset);
      damage.push({
        file: segment.name,
        offset: problem.offset,
        reason: problem.reason,
        discardedBytes: discarded,
        lostFromLsn: lsn,
        action: `${problem.detail} at byte ${problem.offset}: log cut there (${discarded} bytes kept as ${aside}); recovered up to record ${lsn - 1}`,
      });
    }
  }

  const promised = manifest?.segment ?? null;
  if (promised !== null && !segments.some((segment) => segment.lsn === promised)) {
    damage.push({
      file: segmentName(promised),
      offset: 0,
      reason: 'missing',
      discardedBytes: 0,
      lostFromLsn: lsn,
      action: `log segment missing (the manifest names it as the newest): the writes logged from record ${lsn} on are lost`,
    });
  }
  if (manifestWritten && !names.includes(MANIFEST)) {
    damage.push({ file: MANIFEST, offset: 0, reason: 'missing', discardedBytes: 0, action: 'the manifest is missing: a deleted or emptied newest log segment cannot be detected this time' });
  }

  settleCatalog(engine);
  let items = 0;
  for (const table of engine.tables.values()) items += table.storage.itemCount;
  return {
    report: { snapshot: snapshotFile, replayedRecords: replayed, items, tables: engine.tables.size, durationMs: performance.now() - started, damage },
    nextLsn: lsn,
    logBytes,
    logSegments,
  };
}
