import type { ModuleContext, TableView } from '@magneto/core';
import { BackupInUseException, ContinuousBackupsUnavailableException, TableInUseException, backupNotFound, tableNotFound } from './errors.js';
import { backupArnOf, type BackupRecord, type BackupType } from './backup-record.js';
import { snapshotItems } from './item-source.js';
import { describeSource } from './table-definition.js';

/** A backup to record: what CreateBackup, a deleted table's SYSTEM backup or a backup plan takes. */
export interface NewBackup {
  readonly table: TableView;
  readonly name: string;
  readonly type: BackupType;
  readonly expiresAt?: number;
}

/**
 * The on-demand backups of a database, in creation order: each an O(1) snapshot of its table's items
 * plus the table's description at that instant. A backup outlives its table; DeleteBackup removes it.
 */
export class OnDemandBackups {
  private readonly backups = new Map<string, BackupRecord>();

  constructor(private readonly context: ModuleContext) {}

  /**
   * The live table CreateBackup names (a name or an ARN): TableNotFoundException when there is none,
   * ContinuousBackupsUnavailableException while it is being created, TableInUseException while it is deleted.
   */
  tableToBackUp(tableName: string): TableView {
    const table = this.context.getTable(this.context.tableNameOf(tableName));
    if (table === undefined) throw tableNotFound(tableName);
    if (table.status === 'CREATING') throw new ContinuousBackupsUnavailableException(`Backups are being enabled for the table: ${table.name}. Please retry later`);
    if (table.status === 'DELETING') throw new TableInUseException(`Table is being deleted: ${table.name}`);
    return table;
  }

  /** Takes a backup now: O(1) (a snapshot); CREATING for `tableTransitionMs` of the clock, then AVAILABLE. */
  create(backup: NewBackup): BackupRecord {
    const snapshot = this.context.snapshotTable(backup.table.name);
    return this.add({
      arn: backupArnOf(backup.table.arn, snapshot.takenAt),
      name: backup.name,
      type: backup.type,
      createdAt: snapshot.takenAt,
      ...(backup.expiresAt === undefined ? {} : { expiresAt: backup.expiresAt }),
      source: describeSource(this.context, backup.table.name),
      ...timeToLiveOf(this.context, backup.table.name),
      items: snapshotItems(snapshot, backup.table.itemCount),
    });
  }

  /** Records a backup (a new one, or one recovered from durable storage); times its CREATING → AVAILABLE. */
  add(fields: Omit<BackupRecord, 'status'> & { status?: BackupRecord['status'] }): BackupRecord {
    const record: BackupRecord = { status: 'CREATING', ...fields };
    this.backups.set(record.arn, record);
    const delay = this.context.tableTransitionMs;
    if (record.status === 'CREATING') {
      if (delay <= 0) record.status = 'AVAILABLE';
      else record.settle = this.context.clock.setTimer(delay, () => {
        record.status = 'AVAILABLE';
        delete record.settle;
      });
    }
    return record;
  }

  /** The backup with this ARN; BackupNotFoundException when there is none (or it expired). */
  get(arn: string): BackupRecord {
    this.dropExpired();
    const backup = this.backups.get(arn);
    if (backup === undefined) throw backupNotFound(arn);
    return backup;
  }

  /** The backup with this ARN, or undefined when there is none (or it expired). O(1). */
  find(arn: string): BackupRecord | undefined {
    const backup = this.backups.get(arn);
    if (backup?.expiresAt !== undefined && backup.expiresAt <= this.context.clock.now()) return undefined;
    return backup;
  }

  /** A backup a restore or DeleteBackup may use now: BackupInUseException while it is being created. */
  available(arn: string): BackupRecord {
    const backup = this.get(arn);
    if (backup.status !== 'AVAILABLE') {
      throw new BackupInUseException('There is another ongoing conflicting backup control plane operation on the table. The backup is either being created, deleted or restored to a table.');
    }
    return backup;
  }

  /** DeleteBackup: removes the backup; the answer shows it DELETED. */
  delete(arn: string): BackupRecord {
    return this.forget(this.available(arn).arn)!;
  }

  /** Removes a backup whatever its status (replaying a DeleteBackup); the record is DELETED. */
  forget(arn: string): BackupRecord | undefined {
    const backup = this.backups.get(arn);
    if (backup === undefined) return undefined;
    backup.settle?.();
    this.backups.delete(arn);
    backup.status = 'DELETED';
    return backup;
  }

  /** Every backup, in creation order. */
  list(): BackupRecord[] {
    this.dropExpired();
    return [...this.backups.values()];
  }

  /** Backups past their BackupExpiryDateTime are gone. */
  private dropExpired(): void {
    const now = this.context.clock.now();
    for (const [arn, backup] of this.backups) if (backup.expiresAt !== undefined && backup.expiresAt <= now) this.backups.delete(arn);
  }
}

/** The table's TimeToLiveDescription when the TTL module is installed (it is not carried to restored tables). */
function timeToLiveOf(context: ModuleContext, tableName: string): { timeToLive?: unknown } {
  try {
    const output = context.execute('DynamoDB_20120810', 'DescribeTimeToLive', { TableName: tableName }) as { TimeToLiveDescription?: unknown };
    return output.TimeToLiveDescription === undefined ? {} : { timeToLive: output.TimeToLiveDescription };
  } catch {
    // No TTL module: DescribeTimeToLive is not served, and a backup has no TimeToLiveDescription.
    return {};
  }
}

