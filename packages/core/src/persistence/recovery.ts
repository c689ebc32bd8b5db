import type { Engine } from '../engine.js';
import type { ChangeBatch } from '../modules/change-record.js';
import { settleCatalog, type ModuleTableState } from './catalog.js';
import { decode } from './codec.js';
import { storeFiles } from './files.js';
import { walkFrames } from './frame.js';
import { applyRecord, lsnOf, LOG_VERSION } from './log-records.js';
import type { LogDevice } from './log-device.js';
import type { PersistentModule } from './persistent-module.js';
import type { RecoveryReport, StoreDamage } from './recovery-report.js';
import { loadSnapshot } from './snapshot.js';

/**
 * Recovery: the newest snapshot that reads back whole, then every log record after it, in LSN order,
 * stopping at the first record that is torn, corrupt or out of sequence. Damage is never skipped
 * over silently: it is reported, the damaged log is cut after its last intact record (the cut bytes
 * kept beside it as `<file>.<offset>.discarded`), and files that can no longer be used (a bad
 * snapshot, log segments after the damage) are renamed `<file>.damaged`, so the next open starts
 * clean and nothing is deleted.
 */

export interface Recovered {
  readonly report: RecoveryReport;
  /** The LSN the next log record gets. */
  readonly nextLsn: number;
}

export async function recover(device: LogDevice, engine: Engine, state: ModuleTableState): Promise<Recovered> {
  const modules: ReadonlyArray<{ name: string; persistence: PersistentModule }> = state.modules;
  const started = performance.now();
  const damage: StoreDamage[] = [];
  const names = await device.list();
  // Leftovers of a snapshot write interrupted by a crash: never renamed into place, never used.
  for (const name of names) if (name.endsWith('.tmp')) await device.remove(name);
  const { segments, snapshots } = storeFiles(names);

  // 1. the newest snapshot that reads back whole
  let snapshotFile: string | undefined;
  let lsn = 0;
  for (let i = snapshots.length - 1; i >= 0; i--) {
    const file = snapshots[i]!;
    const bytes = await device.read(file.name);
    let loaded: ReturnType<typeof loadSnapshot>;
    try {
      loaded = loadSnapshot(engine, bytes, state);
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
    lsn = snapshot.lsn;
    break;
  }

  // 2. the log after it
  const replayers = modules.filter((m) => m.persistence.replayChanges !== undefined);
  let replayed = 0;
  let stopped = false;
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
      damage.push({ file: segment.name, offset: 0, reason: 'sequence', discardedBytes: 0, action: `log records ${lsn} to ${segment.lsn - 1} are missing; recovery stops before ${segment.name}` });
      continue;
    }
    const bytes = await device.read(segment.name);
    let validEnd = 0;
    let first = true;
    let problem: { offset: number; reason: StoreDamage['reason']; detail: string } | undefined;
    const frameDamage = walkFrames(bytes, (start, end) => {
      try {
        const record = decode(bytes, start, end);
        if (first) {
          first = false;
          const header = record as { log?: unknown; startLsn?: unknown };
          if (header?.log !== LOG_VERSION || header.startLsn !== segment.lsn) throw new Error('not a log segment header');
        } else {
          const recordLsn = lsnOf(record);
          if (recordLsn > lsn) {
            problem = { offset: validEnd, reason: 'sequence', detail: `record ${recordLsn} where ${lsn} was expected` };
            return false;
          }
          if (recordLsn === lsn) {
            const batch: ChangeBatch | undefined = applyRecord(engine, record, replayers.length > 0, state);
            if (batch !== undefined && batch.records.length > 0) for (const m of replayers) m.persistence.replayChanges!(batch);
            lsn++;
            replayed++;
          }
        }
        validEnd = end;
        return true;
      } catch (error) {
        problem = { offset: validEnd, reason: 'format', detail: error instanceof Error ? error.message : String(error) };
        return false;
      }
    });
    if (problem === undefined && frameDamage !== undefined) {
      problem = { offset: frameDamage.offset, reason: frameDamage.reason, detail: `${frameDamage.reason} record` };
    }
    if (problem !== undefined) {
      stopped = true;
      const discarded = bytes.length - problem.offset;
      const aside = `${segment.name}.${problem.offset}.discarded`;
      await device.writeAtomically(aside, single(bytes.subarray(problem.offset)));
      await device.truncate(segment.name, problem.offset);
      damage.push({
        file: segment.name,
        offset: problem.offset,
        reason: problem.reason,
        discardedBytes: discarded,
        action: `${problem.detail} at byte ${problem.offset}: log cut there (${discarded} bytes kept as ${aside}); recovered up to record ${lsn - 1}`,
      });
    }
  }

  settleCatalog(engine);
  let items = 0;
  for (const table of engine.tables.values()) items += table.storage.itemCount;
  return {
    report: { snapshot: snapshotFile, replayedRecords: replayed, items, tables: engine.tables.size, durationMs: performance.now() - started, damage },
    nextLsn: lsn,
  };
}

async function* single(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
