import { encodableItem, storedItem, type Item } from '@magneto/core';
import type { BackupRecord } from './backup-record.js';
import { ChangeHistory } from './change-history.js';
import type { ContinuousBackups, TableHistory } from './continuous-backups.js';
import { arrayItems, type ItemSource } from './item-source.js';
import type { OnDemandBackups } from './on-demand-backups.js';

/**
 * The module's state in a durable store's snapshot (PersistentModule.snapshotState): every backup with
 * its items, and each PITR history with its oldest checkpoint's items and every retained change since.
 * The newer checkpoints are not saved (a restore after reopening replays more changes, with the same
 * result) until new ones are taken.
 */
export interface PersistedBackupState {
  readonly lastSeq: number;
  readonly backups: readonly PersistedBackup[];
  readonly histories: readonly PersistedHistory[];
}

/** A backup's items as plain data. */
export interface PersistedItems {
  readonly sizeBytes: number;
  readonly items: readonly Item[];
}

interface PersistedBackup extends Omit<BackupRecord, 'items' | 'settle'> {
  readonly items: PersistedItems;
}

/** A retained change: sequence number, commit time, 1 for a put (the item) or 0 for a delete (the key). */
type PersistedChange = [seq: number, timestamp: number, put: 0 | 1, image: Item];

interface PersistedHistory extends Omit<TableHistory, 'checkpoints' | 'changes'> {
  readonly checkpoint: { readonly takenAt: number; readonly seq: number; readonly items: PersistedItems };
  readonly changes: readonly PersistedChange[];
}

export function persistItems(source: ItemSource): PersistedItems {
  const items: Item[] = [];
  for (const item of source.items()) items.push(encodableItem(item));
  return { sizeBytes: source.sizeBytes, items };
}

export function recoverItems(persisted: PersistedItems): ItemSource {
  return arrayItems(persisted.items.map((item) => storedItem(item as Record<string, unknown>)), persisted.sizeBytes);
}

/** The module's state as plain data, for a snapshot. */
export function persistState(backups: readonly BackupRecord[], histories: readonly TableHistory[], lastSeq: number): PersistedBackupState {
  return {
    lastSeq,
    backups: backups.map(({ items, settle: _settle, ...fields }) => ({ ...fields, items: persistItems(items) })),
    histories: histories.map(({ checkpoints, changes, ...fields }) => {
      const oldest = checkpoints[0]!;
      return {
        ...fields,
        checkpoint: { takenAt: oldest.takenAt, seq: oldest.seq, items: persistItems(oldest.items) },
        changes: [...changes.all()].map((c): PersistedChange => (c.newImage !== undefined ? [c.sequenceNumber, c.timestamp, 1, encodableItem(c.newImage)] : [c.sequenceNumber, c.timestamp, 0, encodableItem(c.keys)])),
      };
    }),
  };
}

/** Puts the state of a snapshot back. */
export function recoverState(state: PersistedBackupState, backups: OnDemandBackups, pitr: ContinuousBackups): void {
  pitr.lastSeq = state.lastSeq;
  for (const { items, ...fields } of state.backups) backups.add({ ...fields, items: recoverItems(items) });
  for (const { checkpoint, changes, ...fields } of state.histories) {
    const retained = new ChangeHistory();
    for (const [sequenceNumber, timestamp, put, image] of changes) {
      const item = storedItem(image as Record<string, unknown>);
      retained.append(sequenceNumber, timestamp, item, put === 1 ? item : undefined);
    }
    pitr.adopt({ ...fields, checkpoints: [{ takenAt: checkpoint.takenAt, seq: checkpoint.seq, items: recoverItems(checkpoint.items) }], changes: retained });
  }
}
