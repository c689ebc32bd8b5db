import type { BackupPlans } from './backup-plans.js';
import { DEFAULT_COMPLETION_WINDOW_MINUTES, DEFAULT_START_WINDOW_MINUTES, type BackupPlan, type BackupPlanInput, type BackupSelection, type Lifecycle } from './plan-document.js';
import { MissingParameterValueException, ResourceNotFoundException } from './plan-errors.js';
import type { BackupJobRecord, BackupJobState, CopyJobRecord, CopyJobState, Creator, PlanRecord, RecoveryPointRecord, VaultRecord } from './plan-records.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * AWS Backup's operations on a database's backup module, named and shaped as `@aws-sdk/client-backup`'s
 * commands (inputs and outputs as AWS Backup's, times as Date): backup plans from AWS Backup's
 * `BackupPlan` document, backup selections, vaults, recovery points, backup and copy jobs. Served as a
 * typed API (AWS Backup's REST wire protocol is not). Changes resolve once durable. List operations answer
 * everything in one page (no NextToken). On durable storage, `await db.open()` before the first call (these
 * methods do not open the database as its own methods do).
 *
 * @example
 * const backups = backup();
 * const db = new Database({ clock, modules: [backups] });
 * await backups.createBackupVault({ BackupVaultName: 'nightly' });
 * const { BackupPlanId } = await backups.createBackupPlan({ BackupPlan: {
 *   BackupPlanName: 'daily',
 *   Rules: [{ RuleName: 'at-5', TargetBackupVaultName: 'nightly', ScheduleExpression: 'cron(0 5 ? * * *)', Lifecycle: { DeleteAfterDays: 35 } }],
 * } });
 * await backups.createBackupSelection({ BackupPlanId, BackupSelection: { SelectionName: 'all', IamRoleArn: 'arn:aws:iam::123456789012:role/backup', Resources: ['arn:aws:dynamodb:*:*:table/*'] } });
 * await clock.advance(24 * 60 * 60 * 1000); // the 05:00 run backs up every table
 */
export interface AwsBackupApi {
  createBackupVault(input: { BackupVaultName: string; BackupVaultTags?: Record<string, string> }): Promise<{ BackupVaultName: string; BackupVaultArn: string; CreationDate: Date }>;
  describeBackupVault(input: { BackupVaultName: string }): Promise<BackupVaultListMember>;
  listBackupVaults(input?: Record<string, never>): Promise<{ BackupVaultList: BackupVaultListMember[] }>;
  /** Fails with InvalidRequestException while the vault holds recovery points. */
  deleteBackupVault(input: { BackupVaultName: string }): Promise<Record<string, never>>;

  /** Takes AWS Backup's BackupPlan document as written (an object, or its JSON text). */
  createBackupPlan(input: { BackupPlan: BackupPlanInput | string; BackupPlanTags?: Record<string, string> }): Promise<PlanVersion>;
  updateBackupPlan(input: { BackupPlanId: string; BackupPlan: BackupPlanInput | string }): Promise<PlanVersion>;
  getBackupPlan(input: { BackupPlanId: string }): Promise<PlanVersion & { BackupPlan: BackupPlan; LastExecutionDate?: Date }>;
  listBackupPlans(input?: Record<string, never>): Promise<{ BackupPlansList: Array<PlanVersion & { BackupPlanName: string; LastExecutionDate?: Date }> }>;
  /** Fails with InvalidRequestException while the plan has selections. */
  deleteBackupPlan(input: { BackupPlanId: string }): Promise<{ BackupPlanId: string; BackupPlanArn: string; DeletionDate: Date; VersionId: string }>;

  createBackupSelection(input: { BackupPlanId: string; BackupSelection: BackupSelection }): Promise<{ SelectionId: string; BackupPlanId: string; CreationDate: Date }>;
  getBackupSelection(input: { BackupPlanId: string; SelectionId: string }): Promise<{ BackupSelection: BackupSelection; SelectionId: string; BackupPlanId: string; CreationDate: Date }>;
  listBackupSelections(input: { BackupPlanId: string }): Promise<{ BackupSelectionsList: Array<{ SelectionId: string; SelectionName: string; BackupPlanId: string; CreationDate: Date; IamRoleArn: string }> }>;
  deleteBackupSelection(input: { BackupPlanId: string; SelectionId: string }): Promise<Record<string, never>>;

  /** An on-demand backup job (as a rule's run makes them). */
  startBackupJob(input: {
    BackupVaultName: string;
    ResourceArn: string;
    IamRoleArn: string;
    StartWindowMinutes?: number;
    CompleteWindowMinutes?: number;
    Lifecycle?: Lifecycle;
    RecoveryPointTags?: Record<string, string>;
  }): Promise<{ BackupJobId: string; RecoveryPointArn?: string; CreationDate: Date }>;
  describeBackupJob(input: { BackupJobId: string }): Promise<BackupJob>;
  listBackupJobs(input?: { ByResourceArn?: string; ByState?: BackupJobState; ByBackupVaultName?: string; ByCreatedAfter?: Date; ByCreatedBefore?: Date }): Promise<{ BackupJobs: BackupJob[] }>;
  describeCopyJob(input: { CopyJobId: string }): Promise<{ CopyJob: CopyJob }>;
  listCopyJobs(input?: { ByResourceArn?: string; ByState?: CopyJobState; ByDestinationVaultArn?: string }): Promise<{ CopyJobs: CopyJob[] }>;

  listRecoveryPointsByBackupVault(input: { BackupVaultName: string; ByResourceArn?: string }): Promise<{ RecoveryPoints: RecoveryPoint[] }>;
  /** A table's recovery points, in every vault of this store. */
  listRecoveryPointsByResource(input: { ResourceArn: string }): Promise<{ RecoveryPoints: RecoveryPoint[] }>;
  describeRecoveryPoint(input: { BackupVaultName: string; RecoveryPointArn: string }): Promise<RecoveryPoint>;
  /** Deletes the recovery point and its DynamoDB backup. */
  deleteRecoveryPoint(input: { BackupVaultName: string; RecoveryPointArn: string }): Promise<Record<string, never>>;
}

export interface BackupVaultListMember {
  BackupVaultName: string;
  BackupVaultArn: string;
  CreationDate: Date;
  NumberOfRecoveryPoints: number;
}

export interface PlanVersion {
  BackupPlanId: string;
  BackupPlanArn: string;
  CreationDate: Date;
  VersionId: string;
}

export interface RecoveryPointCreator {
  BackupPlanId: string;
  BackupPlanArn: string;
  BackupPlanVersion: string;
  BackupRuleId: string;
}

export interface BackupJob {
  AccountId: string;
  BackupJobId: string;
  BackupVaultName: string;
  BackupVaultArn: string;
  RecoveryPointArn?: string;
  ResourceArn: string;
  ResourceName: string;
  ResourceType: 'DynamoDB';
  CreationDate: Date;
  StartBy: Date;
  CompletionDate?: Date;
  State: BackupJobState;
  StatusMessage?: string;
  PercentDone: string;
  BackupSizeInBytes?: number;
  IamRoleArn: string;
  CreatedBy?: RecoveryPointCreator;
}

export interface CopyJob {
  AccountId: string;
  CopyJobId: string;
  SourceBackupVaultArn: string;
  SourceRecoveryPointArn: string;
  DestinationBackupVaultArn: string;
  DestinationRecoveryPointArn?: string;
  ResourceArn: string;
  ResourceName: string;
  ResourceType: 'DynamoDB';
  CreationDate: Date;
  CompletionDate?: Date;
  State: CopyJobState;
  StatusMessage?: string;
  BackupSizeInBytes: number;
  IamRoleArn: string;
  CreatedBy?: RecoveryPointCreator;
}

export interface RecoveryPoint {
  RecoveryPointArn: string;
  BackupVaultName: string;
  BackupVaultArn: string;
  SourceBackupVaultArn?: string;
  ResourceArn: string;
  ResourceName: string;
  ResourceType: 'DynamoDB';
  CreatedBy?: RecoveryPointCreator;
  IamRoleArn: string;
  Status: 'CREATING' | 'COMPLETED';
  CreationDate: Date;
  BackupSizeInBytes: number;
  Lifecycle?: Lifecycle;
  CalculatedLifecycle?: { MoveToColdStorageAt?: Date; DeleteAt?: Date };
  /** WARM, then COLD from MoveToColdStorageAt. */
  StorageClass: 'WARM' | 'COLD';
  IsEncrypted: true;
}

/** The typed API over `plans` (the installed module's); every change resolves after `durable()`. */
export function awsBackupApi(plans: () => BackupPlans, durable: () => Promise<void>, accountId: () => string): AwsBackupApi {
  const change = async <T>(run: (p: BackupPlans) => T): Promise<T> => {
    const result = run(plans());
    await durable();
    return result;
  };
  const read = async <T>(run: (p: BackupPlans) => T): Promise<T> => run(plans());
  const vaultSummary = (p: BackupPlans, vault: VaultRecord): BackupVaultListMember => ({
    BackupVaultName: vault.name,
    BackupVaultArn: vault.arn,
    CreationDate: new Date(vault.createdAt),
    NumberOfRecoveryPoints: p.recoveryPoints((rp) => rp.vaultName === vault.name).length,
  });
  const version = (plan: PlanRecord): PlanVersion => ({ BackupPlanId: plan.id, BackupPlanArn: plan.arn, CreationDate: new Date(plan.createdAt), VersionId: plan.versionId });
  const lastExecution = (plan: PlanRecord) => (plan.lastExecutionAt === undefined ? {} : { LastExecutionDate: new Date(plan.lastExecutionAt) });
  const backupJob = (job: BackupJobRecord): BackupJob => ({
    AccountId: accountId(),
    BackupJobId: job.id,
    BackupVaultName: job.vaultName,
    BackupVaultArn: job.vaultArn,
    ...(job.recoveryPointArn === undefined ? {} : { RecoveryPointArn: job.recoveryPointArn }),
    ResourceArn: job.resourceArn,
    ResourceName: job.resourceName,
    ResourceType: 'DynamoDB',
    CreationDate: new Date(job.createdAt),
    StartBy: new Date(job.startBy),
    ...(job.completedAt === undefined ? {} : { CompletionDate: new Date(job.completedAt) }),
    State: job.state,
    ...(job.statusMessage === undefined ? {} : { StatusMessage: job.statusMessage }),
    PercentDone: job.state === 'COMPLETED' ? '100.0' : '0.0',
    ...(job.sizeBytes === undefined ? {} : { BackupSizeInBytes: job.sizeBytes }),
    IamRoleArn: job.iamRoleArn,
    ...creatorOf(job.createdBy),
  });
  const copyJob = (job: CopyJobRecord): CopyJob => ({
    AccountId: accountId(),
    CopyJobId: job.id,
    SourceBackupVaultArn: job.sourceVaultArn,
    SourceRecoveryPointArn: job.sourceRecoveryPointArn,
    DestinationBackupVaultArn: job.destinationVaultArn,
    ...(job.destinationRecoveryPointArn === undefined ? {} : { DestinationRecoveryPointArn: job.destinationRecoveryPointArn }),
    ResourceArn: job.resourceArn,
    ResourceName: job.resourceName,
    ResourceType: 'DynamoDB',
    CreationDate: new Date(job.createdAt),
    ...(job.completedAt === undefined ? {} : { CompletionDate: new Date(job.completedAt) }),
    State: job.state,
    ...(job.statusMessage === undefined ? {} : { StatusMessage: job.statusMessage }),
    BackupSizeInBytes: job.sizeBytes,
    IamRoleArn: job.iamRoleArn,
    ...creatorOf(job.createdBy),
  });
  const recoveryPoint = (p: BackupPlans, rp: RecoveryPointRecord, now: number): RecoveryPoint => {
    const cold = rp.lifecycle?.MoveToColdStorageAfterDays === undefined ? undefined : rp.createdAt + rp.lifecycle.MoveToColdStorageAfterDays * DAY_MS;
    const del = rp.lifecycle?.DeleteAfterDays === undefined ? undefined : rp.createdAt + rp.lifecycle.DeleteAfterDays * DAY_MS;
    const calculated = { ...(cold === undefined ? {} : { MoveToColdStorageAt: new Date(cold) }), ...(del === undefined ? {} : { DeleteAt: new Date(del) }) };
    return {
      RecoveryPointArn: rp.arn,
      BackupVaultName: rp.vaultName,
      BackupVaultArn: rp.vaultArn,
      ...(rp.sourceVaultArn === undefined ? {} : { SourceBackupVaultArn: rp.sourceVaultArn }),
      ResourceArn: rp.resourceArn,
      ResourceName: rp.resourceName,
      ResourceType: 'DynamoDB',
      ...creatorOf(rp.createdBy),
      IamRoleArn: rp.iamRoleArn,
      Status: p.recoveryPointStatus(rp),
      CreationDate: new Date(rp.createdAt),
      BackupSizeInBytes: rp.sizeBytes,
      ...(rp.lifecycle === undefined ? {} : { Lifecycle: { ...rp.lifecycle }, CalculatedLifecycle: calculated }),
      StorageClass: cold !== undefined && now >= cold ? 'COLD' : 'WARM',
      IsEncrypted: true,
    };
  };
  const required = (name: string, value: unknown): void => {
    if (value === undefined || value === null) throw new MissingParameterValueException(`${name} is required`);
  };

  return {
    createBackupVault: (input) =>
      change((p) => {
        const vault = p.createVault(input?.BackupVaultName, input?.BackupVaultTags);
        return { BackupVaultName: vault.name, BackupVaultArn: vault.arn, CreationDate: new Date(vault.createdAt) };
      }),
    describeBackupVault: (input) => read((p) => vaultSummary(p, p.vault(input?.BackupVaultName))),
    listBackupVaults: () => read((p) => ({ BackupVaultList: [...p.state.vaults.values()].map((vault) => vaultSummary(p, vault)) })),
    deleteBackupVault: (input) =>
      change((p) => {
        p.deleteVault(input?.BackupVaultName);
        return {};
      }),

    createBackupPlan: (input) =>
      change((p) => {
        required('BackupPlan', input?.BackupPlan);
        return version(p.createPlan(input.BackupPlan, input.BackupPlanTags));
      }),
    updateBackupPlan: (input) =>
      change((p) => {
        required('BackupPlan', input?.BackupPlan);
        return version(p.updatePlan(input.BackupPlanId, input.BackupPlan));
      }),
    getBackupPlan: (input) =>
      read((p) => {
        const plan = p.plan(input?.BackupPlanId);
        return { ...version(plan), BackupPlan: structuredClone(plan.plan), ...lastExecution(plan) };
      }),
    listBackupPlans: () => read((p) => ({ BackupPlansList: [...p.state.plans.values()].map((plan) => ({ ...version(plan), BackupPlanName: plan.plan.BackupPlanName, ...lastExecution(plan) })) })),
    deleteBackupPlan: (input) =>
      change((p) => {
        const plan = p.deletePlan(input?.BackupPlanId);
        return { BackupPlanId: plan.id, BackupPlanArn: plan.arn, DeletionDate: new Date(p.now()), VersionId: plan.versionId };
      }),

    createBackupSelection: (input) =>
      change((p) => {
        const selection = p.createSelection(input?.BackupPlanId, input?.BackupSelection);
        return { SelectionId: selection.id, BackupPlanId: selection.planId, CreationDate: new Date(selection.createdAt) };
      }),
    getBackupSelection: (input) =>
      read((p) => {
        const selection = p.selection(input?.BackupPlanId, input?.SelectionId);
        return { BackupSelection: structuredClone(selection.selection), SelectionId: selection.id, BackupPlanId: selection.planId, CreationDate: new Date(selection.createdAt) };
      }),
    listBackupSelections: (input) =>
      read((p) => {
        p.plan(input?.BackupPlanId);
        return {
          BackupSelectionsList: p.selectionsOf(input.BackupPlanId).map((s) => ({
            SelectionId: s.id,
            SelectionName: s.selection.SelectionName,
            BackupPlanId: s.planId,
            CreationDate: new Date(s.createdAt),
            IamRoleArn: s.selection.IamRoleArn,
          })),
        };
      }),
    deleteBackupSelection: (input) =>
      change((p) => {
        p.deleteSelection(input?.BackupPlanId, input?.SelectionId);
        return {};
      }),

    startBackupJob: (input) =>
      change((p) => {
        required('IamRoleArn', input?.IamRoleArn);
        required('ResourceArn', input?.ResourceArn);
        p.vault(input.BackupVaultName);
        const table = p.tableOf(input.ResourceArn);
        if (table === undefined) throw new ResourceNotFoundException(`Resource ${input.ResourceArn} not found`);
        const job = p.createJob({
          vaultName: input.BackupVaultName,
          table,
          iamRoleArn: input.IamRoleArn,
          startWindowMinutes: input.StartWindowMinutes ?? DEFAULT_START_WINDOW_MINUTES,
          completionWindowMinutes: input.CompleteWindowMinutes ?? DEFAULT_COMPLETION_WINDOW_MINUTES,
          ...(input.Lifecycle === undefined ? {} : { lifecycle: input.Lifecycle }),
          ...(input.RecoveryPointTags === undefined ? {} : { recoveryPointTags: input.RecoveryPointTags }),
        });
        return { BackupJobId: job.id, ...(job.recoveryPointArn === undefined ? {} : { RecoveryPointArn: job.recoveryPointArn }), CreationDate: new Date(job.createdAt) };
      }),
    describeBackupJob: (input) =>
      read((p) => {
        const job = p.state.backupJobs.get(input?.BackupJobId);
        if (job === undefined) throw new ResourceNotFoundException(`Backup job ${input?.BackupJobId} not found`);
        return backupJob(job);
      }),
    listBackupJobs: (input = {}) =>
      read((p) => ({
        BackupJobs: [...p.state.backupJobs.values()]
          .filter(
            (job) =>
              (input.ByResourceArn === undefined || job.resourceArn === input.ByResourceArn) &&
              (input.ByState === undefined || job.state === input.ByState) &&
              (input.ByBackupVaultName === undefined || job.vaultName === input.ByBackupVaultName) &&
              (input.ByCreatedAfter === undefined || job.createdAt >= input.ByCreatedAfter.getTime()) &&
              (input.ByCreatedBefore === undefined || job.createdAt <= input.ByCreatedBefore.getTime()),
          )
          .map(backupJob),
      })),
    describeCopyJob: (input) =>
      read((p) => {
        const job = p.state.copyJobs.get(input?.CopyJobId);
        if (job === undefined) throw new ResourceNotFoundException(`Copy job ${input?.CopyJobId} not found`);
        return { CopyJob: copyJob(job) };
      }),
    listCopyJobs: (input = {}) =>
      read((p) => ({
        CopyJobs: [...p.state.copyJobs.values()]
          .filter(
            (job) =>
              (input.ByResourceArn === undefined || job.resourceArn === input.ByResourceArn) &&
              (input.ByState === undefined || job.state === input.ByState) &&
              (input.ByDestinationVaultArn === undefined || job.destinationVaultArn === input.ByDestinationVaultArn),
          )
          .map(copyJob),
      })),

    listRecoveryPointsByBackupVault: (input) =>
      read((p) => {
        p.vault(input?.BackupVaultName);
        const now = p.now();
        return { RecoveryPoints: p.recoveryPoints((rp) => rp.vaultName === input.BackupVaultName && (input.ByResourceArn === undefined || rp.resourceArn === input.ByResourceArn)).map((rp) => recoveryPoint(p, rp, now)) };
      }),
    listRecoveryPointsByResource: (input) =>
      read((p) => {
        required('ResourceArn', input?.ResourceArn);
        const now = p.now();
        return { RecoveryPoints: p.recoveryPoints((rp) => rp.resourceArn === input.ResourceArn).map((rp) => recoveryPoint(p, rp, now)) };
      }),
    describeRecoveryPoint: (input) => read((p) => recoveryPoint(p, p.recoveryPoint(input?.BackupVaultName, input?.RecoveryPointArn), p.now())),
    deleteRecoveryPoint: (input) =>
      change((p) => {
        p.deleteRecoveryPoint(input?.BackupVaultName, input?.RecoveryPointArn);
        return {};
      }),
  };
}

function creatorOf(creator: Creator | undefined): { CreatedBy?: RecoveryPointCreator } {
  return creator === undefined ? {} : { CreatedBy: { BackupPlanId: creator.planId, BackupPlanArn: creator.planArn, BackupPlanVersion: creator.planVersion, BackupRuleId: creator.ruleId } };
}
