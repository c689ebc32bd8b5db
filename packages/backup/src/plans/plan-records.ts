import type { BackupPlan, BackupSelection, CopyAction, Lifecycle } from './plan-document.js';

/**
 * The state of AWS Backup's side of the module as plain data (times in ms of the clock): what durable
 * storage logs record by record and saves whole in snapshots (see plan-state.ts).
 */
export interface VaultRecord {
  readonly name: string;
  readonly arn: string;
  readonly createdAt: number;
  readonly tags?: Record<string, string>;
}

export interface PlanRecord {
  readonly id: string;
  readonly arn: string;
  readonly versionId: string;
  /** The document with each rule's RuleId. */
  readonly plan: BackupPlan;
  readonly createdAt: number;
  readonly lastExecutionAt?: number;
  readonly tags?: Record<string, string>;
}

export interface SelectionRecord {
  readonly id: string;
  readonly planId: string;
  readonly selection: BackupSelection;
  readonly createdAt: number;
}

/** BackupJob's State. */
export type BackupJobState = 'CREATED' | 'PENDING' | 'RUNNING' | 'ABORTING' | 'ABORTED' | 'COMPLETED' | 'FAILED' | 'EXPIRED' | 'PARTIAL';
/** CopyJob's State. */
export type CopyJobState = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'PARTIAL';

/** Which plan and rule created a job or recovery point (RecoveryPointCreator). */
export interface Creator {
  readonly planId: string;
  readonly planArn: string;
  readonly planVersion: string;
  readonly ruleId: string;
}

export interface BackupJobRecord {
  readonly id: string;
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly resourceArn: string;
  readonly resourceName: string;
  readonly iamRoleArn: string;
  readonly createdAt: number;
  /** createdAt + StartWindowMinutes: a job not started by then EXPIRES. */
  readonly startBy: number;
  readonly completionWindowMinutes: number;
  readonly createdBy?: Creator;
  readonly lifecycle?: Lifecycle;
  readonly recoveryPointTags?: Record<string, string>;
  readonly copyActions?: CopyAction[];
  state: BackupJobState;
  statusMessage?: string;
  startedAt?: number;
  completedAt?: number;
  recoveryPointArn?: string;
  sizeBytes?: number;
}

export interface CopyJobRecord {
  readonly id: string;
  readonly sourceVaultArn: string;
  readonly sourceRecoveryPointArn: string;
  readonly destinationVaultArn: string;
  readonly resourceArn: string;
  readonly resourceName: string;
  readonly iamRoleArn: string;
  readonly createdAt: number;
  readonly sizeBytes: number;
  readonly createdBy?: Creator;
  state: CopyJobState;
  statusMessage?: string;
  completedAt?: number;
  destinationRecoveryPointArn?: string;
}

/** A recovery point: its ARN is its DynamoDB backup's (ListBackups shows it, BackupType AWS_BACKUP). */
export interface RecoveryPointRecord {
  readonly arn: string;
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly resourceArn: string;
  readonly resourceName: string;
  readonly iamRoleArn: string;
  readonly createdAt: number;
  readonly sizeBytes: number;
  readonly lifecycle?: Lifecycle;
  readonly createdBy?: Creator;
  readonly backupJobId?: string;
  /** For a copy: the vault it was copied from. */
  readonly sourceVaultArn?: string;
  readonly tags?: Record<string, string>;
}

/** Every collection, by id. */
export interface PlanCollections {
  readonly vaults: Map<string, VaultRecord>;
  readonly plans: Map<string, PlanRecord>;
  readonly selections: Map<string, SelectionRecord>;
  readonly backupJobs: Map<string, BackupJobRecord>;
  readonly copyJobs: Map<string, CopyJobRecord>;
  readonly recoveryPoints: Map<string, RecoveryPointRecord>;
}

export type CollectionName = keyof PlanCollections;

/** A change of one record, as logged: the record as it is now, or its removal. */
export interface PlanLogEntry {
  readonly kind: 'plans';
  readonly collection: CollectionName;
  readonly id: string;
  readonly value?: unknown;
}

/** The collections as plain data, for a snapshot. */
export type PersistedPlans = { readonly [K in CollectionName]: ReadonlyArray<[string, unknown]> };

export function emptyCollections(): PlanCollections {
  return { vaults: new Map(), plans: new Map(), selections: new Map(), backupJobs: new Map(), copyJobs: new Map(), recoveryPoints: new Map() };
}

export function persistCollections(collections: PlanCollections): PersistedPlans {
  const out = {} as Record<CollectionName, Array<[string, unknown]>>;
  for (const name of Object.keys(collections) as CollectionName[]) out[name] = [...collections[name].entries()].map(([id, value]) => [id, structuredClone(value)]);
  return out;
}

export function recoverCollections(collections: PlanCollections, persisted: PersistedPlans | undefined): void {
  if (persisted === undefined) return;
  for (const name of Object.keys(collections) as CollectionName[]) {
    const map = collections[name] as Map<string, unknown>;
    for (const [id, value] of persisted[name] ?? []) map.set(id, structuredClone(value));
  }
}

/** Applies a logged change (live or on replay). */
export function applyPlanEntry(collections: PlanCollections, entry: PlanLogEntry): void {
  const map = collections[entry.collection] as Map<string, unknown>;
  if (entry.value === undefined) map.delete(entry.id);
  else map.set(entry.id, structuredClone(entry.value));
}
