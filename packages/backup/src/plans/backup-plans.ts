import type { TableView } from '@magneto/core';
import type { BackupHost } from '../backup-host.js';
import type { BackupRecord } from '../backup-record.js';
import {
  DEFAULT_COMPLETION_WINDOW_MINUTES,
  DEFAULT_SCHEDULE_EXPRESSION,
  DEFAULT_START_WINDOW_MINUTES,
  DEFAULT_TIMEZONE,
  parsePlanDocument,
  parseVaultArn,
  validatePlan,
  validateSelection,
  validateVaultName,
  type BackupPlanInput,
  type BackupSelection,
  type CopyAction,
  type Lifecycle,
} from './plan-document.js';
import { AlreadyExistsException, InvalidRequestException, MissingParameterValueException, ResourceNotFoundException } from './plan-errors.js';
import {
  applyPlanEntry,
  emptyCollections,
  persistCollections,
  recoverCollections,
  type BackupJobRecord,
  type BackupJobState,
  type CollectionName,
  type CopyJobRecord,
  type Creator,
  type PersistedPlans,
  type PlanCollections,
  type PlanLogEntry,
  type PlanRecord,
  type RecoveryPointRecord,
  type SelectionRecord,
  type VaultRecord,
} from './plan-records.js';
import { parseSchedule } from './schedule-expression.js';
import { resourceSelected } from './selection-match.js';

const MINUTE_MS = 60_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
const DAY_MS = 24 * 60 * MINUTE_MS;
const DDB = 'DynamoDB_20120810';

/** A recovery point copied in from another backup store (see BackupPlans.receiveCopy). */
export interface IncomingCopy {
  readonly vaultName: string;
  readonly sourceVaultArn: string;
  readonly backup: BackupRecord;
  readonly resourceArn: string;
  readonly resourceName: string;
  readonly iamRoleArn: string;
  readonly lifecycle?: Lifecycle;
  readonly createdBy?: Creator;
}

/**
 * AWS Backup for one database's backup module: vaults, backup plans and their selections, the backup
 * and copy jobs the plans' schedules start on the database clock, and the recovery points they make.
 * A recovery point is a DynamoDB backup of BackupType AWS_BACKUP (ListBackups lists it,
 * RestoreTableFromBackup restores it), kept in a vault until its lifecycle's DeleteAt; a copy action puts
 * a copy in a vault of this store or of a connected one (another database's backup module, standing for
 * another region or account). Every change is logged for durable storage; timers are re-armed on recovery.
 */
export class BackupPlans {
  readonly state: PlanCollections = emptyCollections();
  private readonly timers = new Map<string, () => void>();
  private readonly connected = new Set<BackupPlans>();

  constructor(private readonly host: BackupHost) {
    host.context.onTableEvent((event) => {
      if (event.type !== 'active') return;
      for (const job of this.state.backupJobs.values()) if (job.state === 'CREATED' && job.resourceName === event.table.name) this.startJob(job);
    });
  }

  /** The database clock's now. */
  now(): number {
    return this.host.context.clock.now();
  }

  /** The live table a resource ARN names (a table ARN of this database), or undefined. */
  tableOf(resourceArn: string): TableView | undefined {
    const table = this.host.context.getTable(this.host.context.tableNameOf(resourceArn));
    return table?.arn === resourceArn ? table : undefined;
  }

  /**
   * Runs `callback` once the clock reaches `at`; returns a function that cancels it. A wait longer than a
   * platform timer can hold (2^31 - 1 ms, about 24.8 days: setTimeout fires at once past it) is taken in
   * steps, so a monthly or yearly schedule runs on time.
   */
  private at(at: number, callback: () => void): () => void {
    let cancel: () => void;
    const wait = (): void => {
      cancel = this.host.context.clock.setTimer(Math.min(Math.max(0, at - this.now()), MAX_TIMER_MS), () => {
        if (this.now() < at) wait();
        else callback();
      });
    };
    wait();
    return () => cancel();
  }

  // ---- Persistence -------------------------------------------------------------------------------

  /** Records a change of one record (in memory and in the log). */
  private put(collection: CollectionName, id: string, value: unknown | undefined): void {
    const entry: PlanLogEntry = value === undefined ? { kind: 'plans', collection, id } : { kind: 'plans', collection, id, value };
    applyPlanEntry(this.state, entry);
    this.host.logged(entry);
  }

  private saveJob(job: BackupJobRecord): void {
    this.put('backupJobs', job.id, job);
  }

  persist(): PersistedPlans {
    return persistCollections(this.state);
  }

  recover(persisted: PersistedPlans | undefined): void {
    recoverCollections(this.state, persisted);
  }

  replay(entry: PlanLogEntry): void {
    applyPlanEntry(this.state, entry);
  }

  /** After recovery (or install): arms every plan's schedule from now and carries on the jobs that were in flight. */
  resume(): void {
    for (const plan of this.state.plans.values()) this.arm(plan);
    for (const job of this.state.backupJobs.values()) {
      if (job.state === 'CREATED') {
        this.startJob(job);
        if (job.state === 'CREATED') this.at(job.startBy, () => this.expireJob(job.id));
      } else if (job.state === 'RUNNING') this.at(this.now(), () => this.completeJob(job.id));
    }
  }

  // ---- Connected stores (copy destinations) ---------------------------------------------------------

  /** Lets copy actions reach `other`'s vaults (by their ARNs' region and account); both ways. */
  connect(other: BackupPlans): void {
    if (other === this) return;
    this.connected.add(other);
    other.connected.add(this);
  }

  private storeOf(region: string, accountId: string): BackupPlans | undefined {
    for (const store of [this, ...this.connected]) if (store.host.context.region === region && store.host.context.accountId === accountId) return store;
    return undefined;
  }

  // ---- Vaults -------------------------------------------------------------------------------------

  vaultArn(name: string): string {
    return `arn:aws:backup:${this.host.context.region}:${this.host.context.accountId}:backup-vault:${name}`;
  }

  createVault(name: string, tags?: Record<string, string>): VaultRecord {
    validateVaultName(name);
    if (this.state.vaults.has(name)) throw new AlreadyExistsException('Backup vault with the same name already exists');
    const vault: VaultRecord = { name, arn: this.vaultArn(name), createdAt: this.now(), ...(tags === undefined ? {} : { tags }) };
    this.put('vaults', name, vault);
    return vault;
  }

  vault(name: string): VaultRecord {
    if (typeof name !== 'string') throw new MissingParameterValueException('BackupVaultName is required');
    const vault = this.state.vaults.get(name);
    if (vault === undefined) throw new ResourceNotFoundException(`Backup vault ${name} does not exist`);
    return vault;
  }

  /** DeleteBackupVault: only an empty vault goes. */
  deleteVault(name: string): void {
    this.vault(name);
    if (this.recoveryPoints((rp) => rp.vaultName === name).length > 0) throw new InvalidRequestException('Backup vault cannot be deleted because it contains recovery points.');
    this.put('vaults', name, undefined);
  }

  // ---- Plans and selections ----------------------------------------------------------------------

  createPlan(document: BackupPlanInput | string, tags?: Record<string, string>): PlanRecord {
    const plan = parsePlanDocument(document);
    validatePlan(plan, this.now());
    for (const existing of this.state.plans.values()) {
      if (existing.plan.BackupPlanName === plan.BackupPlanName) throw new AlreadyExistsException(`Backup plan with name ${plan.BackupPlanName} already exists`);
    }
    const id = globalThis.crypto.randomUUID();
    return this.savePlan({ id, arn: `arn:aws:backup:${this.host.context.region}:${this.host.context.accountId}:backup-plan:${id}`, createdAt: this.now(), ...(tags === undefined ? {} : { tags }) }, plan);
  }

  updatePlan(planId: string, document: BackupPlanInput | string): PlanRecord {
    const existing = this.plan(planId);
    const plan = parsePlanDocument(document);
    validatePlan(plan, this.now());
    const { plan: _old, versionId: _version, ...identity } = existing;
    return this.savePlan(identity, plan, existing.plan.Rules);
  }

  /** Stores a plan's new version (a new VersionId; rules keep their RuleId by name) and re-arms its schedule. */
  private savePlan(identity: Omit<PlanRecord, 'plan' | 'versionId'>, plan: BackupPlanInput, previousRules: PlanRecord['plan']['Rules'] = []): PlanRecord {
    const rules = plan.Rules.map((rule) => ({ ...structuredClone(rule), RuleId: previousRules.find((r) => r.RuleName === rule.RuleName)?.RuleId ?? globalThis.crypto.randomUUID() }));
    const record: PlanRecord = { ...identity, versionId: versionId(), plan: { ...structuredClone(plan), Rules: rules } };
    this.put('plans', record.id, record);
    this.arm(record);
    return record;
  }

  plan(planId: string): PlanRecord {
    if (typeof planId !== 'string') throw new MissingParameterValueException('BackupPlanId is required');
    const plan = this.state.plans.get(planId);
    if (plan === undefined) throw new ResourceNotFoundException(`Failed reading Backup plan with provided version`);
    return plan;
  }

  /** DeleteBackupPlan: only once its selections are deleted. */
  deletePlan(planId: string): PlanRecord {
    const plan = this.plan(planId);
    if (this.selectionsOf(planId).length > 0) throw new InvalidRequestException('Related backup plan selections must be deleted prior to backup plan deletion');
    this.disarm(planId);
    this.put('plans', planId, undefined);
    return plan;
  }

  createSelection(planId: string, selection: BackupSelection): SelectionRecord {
    this.plan(planId);
    validateSelection(selection);
    if (this.selectionsOf(planId).some((s) => s.selection.SelectionName === selection.SelectionName)) {
      throw new AlreadyExistsException(`Backup selection with name ${selection.SelectionName} already exists`);
    }
    const record: SelectionRecord = { id: globalThis.crypto.randomUUID(), planId, selection: structuredClone(selection), createdAt: this.now() };
    this.put('selections', record.id, record);
    return record;
  }

  selection(planId: string, selectionId: string): SelectionRecord {
    const selection = this.state.selections.get(selectionId);
    if (selection === undefined || selection.planId !== planId) throw new ResourceNotFoundException(`Backup selection ${selectionId} does not exist`);
    return selection;
  }

  deleteSelection(planId: string, selectionId: string): void {
    this.selection(planId, selectionId);
    this.put('selections', selectionId, undefined);
  }

  selectionsOf(planId: string): SelectionRecord[] {
    return [...this.state.selections.values()].filter((s) => s.planId === planId);
  }

  // ---- Schedules ---------------------------------------------------------------------------------

  /** Sets a timer for each rule's next run after now (replacing the plan's timers). */
  private arm(plan: PlanRecord): void {
    this.disarm(plan.id);
    for (const rule of plan.plan.Rules) {
      const schedule = parseSchedule(rule.ScheduleExpression ?? DEFAULT_SCHEDULE_EXPRESSION, rule.ScheduleExpressionTimezone ?? DEFAULT_TIMEZONE, plan.createdAt);
      const key = `${plan.id}/${rule.RuleId}`;
      const armFrom = (after: number): void => {
        const next = schedule.next(after);
        if (next === undefined) return;
        this.timers.set(
          key,
          this.at(next, () => {
            this.runRule(plan.id, rule.RuleId, next);
            if (this.timers.has(key)) armFrom(next);
          }),
        );
      };
      armFrom(this.now());
    }
  }

  private disarm(planId: string): void {
    for (const [key, cancel] of this.timers) {
      if (!key.startsWith(`${planId}/`)) continue;
      cancel();
      this.timers.delete(key);
    }
  }

  /** A rule's scheduled run: one backup job per table its plan's selections pick. */
  private runRule(planId: string, ruleId: string, scheduledAt: number): void {
    const plan = this.state.plans.get(planId);
    const rule = plan?.plan.Rules.find((r) => r.RuleId === ruleId);
    if (plan === undefined || rule === undefined) return;
    this.put('plans', plan.id, { ...plan, lastExecutionAt: scheduledAt });
    const creator: Creator = { planId: plan.id, planArn: plan.arn, planVersion: plan.versionId, ruleId };
    const picked = new Map<string, { table: TableView; iamRoleArn: string }>();
    const tables = this.tables();
    for (const selection of this.selectionsOf(planId)) {
      for (const table of tables) {
        if (!picked.has(table.arn) && resourceSelected(selection.selection, table.arn, () => this.tagsOf(table.arn))) picked.set(table.arn, { table, iamRoleArn: selection.selection.IamRoleArn });
      }
    }
    for (const { table, iamRoleArn } of picked.values()) {
      this.createJob({
        vaultName: rule.TargetBackupVaultName,
        table,
        iamRoleArn,
        startWindowMinutes: rule.StartWindowMinutes ?? DEFAULT_START_WINDOW_MINUTES,
        completionWindowMinutes: rule.CompletionWindowMinutes ?? DEFAULT_COMPLETION_WINDOW_MINUTES,
        createdBy: creator,
        ...(rule.Lifecycle === undefined ? {} : { lifecycle: rule.Lifecycle }),
        ...(rule.RecoveryPointTags === undefined ? {} : { recoveryPointTags: rule.RecoveryPointTags }),
        ...(rule.CopyActions === undefined ? {} : { copyActions: rule.CopyActions }),
      });
    }
  }

  private tables(): TableView[] {
    const tables: TableView[] = [];
    let start: string | undefined;
    do {
      const page = this.host.context.execute(DDB, 'ListTables', start === undefined ? {} : { ExclusiveStartTableName: start }) as { TableNames: string[]; LastEvaluatedTableName?: string };
      for (const name of page.TableNames) {
        const table = this.host.context.getTable(name);
        if (table !== undefined) tables.push(table);
      }
      start = page.LastEvaluatedTableName;
    } while (start !== undefined);
    return tables;
  }

  private tagsOf(resourceArn: string): Record<string, string> {
    const tags: Record<string, string> = {};
    try {
      const output = this.host.context.execute(DDB, 'ListTagsOfResource', { ResourceArn: resourceArn }) as { Tags?: Array<{ Key: string; Value: string }> };
      for (const tag of output.Tags ?? []) tags[tag.Key] = tag.Value;
    } catch {
      // A table gone since it was listed has no tags.
    }
    return tags;
  }

  // ---- Backup jobs -------------------------------------------------------------------------------

  /** StartBackupJob, or a rule's run: a job CREATED now, started at once when its table is ACTIVE. */
  createJob(request: {
    vaultName: string;
    table: TableView;
    iamRoleArn: string;
    startWindowMinutes: number;
    completionWindowMinutes: number;
    createdBy?: Creator;
    lifecycle?: Lifecycle;
    recoveryPointTags?: Record<string, string>;
    copyActions?: CopyAction[];
  }): BackupJobRecord {
    const { vaultName, table, startWindowMinutes, ...rest } = request;
    const job: BackupJobRecord = {
      id: globalThis.crypto.randomUUID().toUpperCase(),
      vaultName,
      vaultArn: this.vaultArn(vaultName),
      resourceArn: table.arn,
      resourceName: table.name,
      createdAt: this.now(),
      startBy: this.now() + startWindowMinutes * MINUTE_MS,
      state: 'CREATED',
      ...rest,
    };
    this.saveJob(job);
    this.startJob(job);
    if (job.state === 'CREATED') this.at(job.startBy, () => this.expireJob(job.id));
    return job;
  }

  /** Starts a CREATED job: FAILED when its vault or table is gone; waits (until StartBy) while the table is not ACTIVE. */
  private startJob(job: BackupJobRecord): void {
    if (job.state !== 'CREATED') return;
    if (this.now() >= job.startBy) return this.expireJob(job.id);
    if (!this.state.vaults.has(job.vaultName)) return this.endJob(job, 'FAILED', `Backup vault ${job.vaultName} does not exist`);
    const table = this.host.context.getTable(job.resourceName);
    if (table === undefined || table.arn !== job.resourceArn) return this.endJob(job, 'FAILED', `Resource ${job.resourceArn} not found`);
    if (table.status !== 'ACTIVE') return; // retried when the table is ACTIVE again (see the constructor), until StartBy
    const expiresAt = job.lifecycle?.DeleteAfterDays === undefined ? undefined : this.now() + job.lifecycle.DeleteAfterDays * DAY_MS;
    const backup = this.host.takeBackup({ table, name: `AwsBackup-${job.id}`, type: 'AWS_BACKUP', ...(expiresAt === undefined ? {} : { expiresAt }) });
    const point: RecoveryPointRecord = {
      arn: backup.arn,
      vaultName: job.vaultName,
      vaultArn: job.vaultArn,
      resourceArn: job.resourceArn,
      resourceName: job.resourceName,
      iamRoleArn: job.iamRoleArn,
      createdAt: backup.createdAt,
      sizeBytes: backup.items.sizeBytes,
      backupJobId: job.id,
      ...(job.lifecycle === undefined ? {} : { lifecycle: job.lifecycle }),
      ...(job.createdBy === undefined ? {} : { createdBy: job.createdBy }),
      ...(job.recoveryPointTags === undefined ? {} : { tags: job.recoveryPointTags }),
    };
    this.put('recoveryPoints', point.arn, point);
    job.state = 'RUNNING';
    job.startedAt = this.now();
    job.recoveryPointArn = backup.arn;
    job.sizeBytes = backup.items.sizeBytes;
    this.saveJob(job);
    // The backup is complete once DynamoDB shows it AVAILABLE (tableTransitionMs of the clock).
    const delay = this.host.context.tableTransitionMs;
    if (delay <= 0) this.completeJob(job.id);
    else this.host.context.clock.setTimer(delay, () => this.completeJob(job.id));
  }

  private expireJob(jobId: string): void {
    const job = this.state.backupJobs.get(jobId);
    if (job?.state === 'CREATED') this.endJob(job, 'EXPIRED', 'Backup job failed to start within the start window.');
  }

  /** A RUNNING job ends COMPLETED, or EXPIRED (its recovery point dropped) past its completion window; then its copy actions run. */
  private completeJob(jobId: string): void {
    const job = this.state.backupJobs.get(jobId);
    if (job?.state !== 'RUNNING') return;
    if (this.now() > job.startedAt! + job.completionWindowMinutes * MINUTE_MS) {
      this.dropRecoveryPoint(job.recoveryPointArn!);
      return this.endJob(job, 'EXPIRED', 'Backup job expired before completion.');
    }
    this.endJob(job, 'COMPLETED');
    for (const action of job.copyActions ?? []) this.copy(job, action);
  }

  private endJob(job: BackupJobRecord, state: BackupJobState, statusMessage?: string): void {
    job.state = state;
    job.completedAt = this.now();
    if (statusMessage !== undefined) job.statusMessage = statusMessage;
    this.saveJob(job);
  }

  // ---- Copies ------------------------------------------------------------------------------------

  /** A copy action: a copy job that puts the recovery point in the destination vault (FAILED when it cannot be reached). */
  private copy(job: BackupJobRecord, action: CopyAction): void {
    const backup = this.host.backups.find(job.recoveryPointArn!);
    const copyJob: CopyJobRecord = {
      id: globalThis.crypto.randomUUID().toUpperCase(),
      sourceVaultArn: job.vaultArn,
      sourceRecoveryPointArn: job.recoveryPointArn!,
      destinationVaultArn: action.DestinationBackupVaultArn,
      resourceArn: job.resourceArn,
      resourceName: job.resourceName,
      iamRoleArn: job.iamRoleArn,
      createdAt: this.now(),
      sizeBytes: job.sizeBytes ?? 0,
      ...(job.createdBy === undefined ? {} : { createdBy: job.createdBy }),
      state: 'RUNNING',
    };
    const destination = parseVaultArn(action.DestinationBackupVaultArn)!;
    const store = this.storeOf(destination.region, destination.accountId);
    const end = (state: CopyJobRecord['state'], fields: Partial<CopyJobRecord>): void => {
      Object.assign(copyJob, { state, completedAt: this.now(), ...fields });
      this.put('copyJobs', copyJob.id, copyJob);
    };
    if (backup === undefined) return end('FAILED', { statusMessage: `Recovery point ${job.recoveryPointArn} not found` });
    if (store === undefined || !store.state.vaults.has(destination.name)) {
      return end('FAILED', { statusMessage: `Backup vault ${action.DestinationBackupVaultArn} does not exist` });
    }
    const lifecycle = action.Lifecycle ?? job.lifecycle;
    const arn = store.receiveCopy({
      vaultName: destination.name,
      sourceVaultArn: job.vaultArn,
      backup,
      resourceArn: job.resourceArn,
      resourceName: job.resourceName,
      iamRoleArn: job.iamRoleArn,
      ...(lifecycle === undefined ? {} : { lifecycle }),
      ...(job.createdBy === undefined ? {} : { createdBy: job.createdBy }),
    });
    end('COMPLETED', { destinationRecoveryPointArn: arn });
  }

  /** Takes in a copy from another store (or a vault of this one): a new AWS_BACKUP backup sharing the items, and its recovery point. */
  receiveCopy(copy: IncomingCopy): string {
    const expiresAt = copy.lifecycle?.DeleteAfterDays === undefined ? undefined : this.now() + copy.lifecycle.DeleteAfterDays * DAY_MS;
    const backup = this.host.adoptCopy(copy.backup, expiresAt);
    const point: RecoveryPointRecord = {
      arn: backup.arn,
      vaultName: copy.vaultName,
      vaultArn: this.vaultArn(copy.vaultName),
      resourceArn: copy.resourceArn,
      resourceName: copy.resourceName,
      iamRoleArn: copy.iamRoleArn,
      createdAt: backup.createdAt,
      sizeBytes: backup.items.sizeBytes,
      sourceVaultArn: copy.sourceVaultArn,
      ...(copy.lifecycle === undefined ? {} : { lifecycle: copy.lifecycle }),
      ...(copy.createdBy === undefined ? {} : { createdBy: copy.createdBy }),
    };
    this.put('recoveryPoints', point.arn, point);
    return point.arn;
  }

  // ---- Recovery points ---------------------------------------------------------------------------

  /** The recovery points that still exist (their DynamoDB backup is there: not past DeleteAt, not deleted). */
  recoveryPoints(filter: (rp: RecoveryPointRecord) => boolean): RecoveryPointRecord[] {
    return [...this.state.recoveryPoints.values()].filter((rp) => filter(rp) && this.host.backups.find(rp.arn) !== undefined);
  }

  recoveryPoint(vaultName: string, arn: string): RecoveryPointRecord {
    this.vault(vaultName);
    const point = this.recoveryPoints((rp) => rp.arn === arn && rp.vaultName === vaultName)[0];
    if (point === undefined) throw new ResourceNotFoundException(`Recovery point ${arn} not found`);
    return point;
  }

  /** The status DescribeRecoveryPoint shows: its backup's (CREATING, then COMPLETED). */
  recoveryPointStatus(point: RecoveryPointRecord): 'CREATING' | 'COMPLETED' {
    return this.host.backups.find(point.arn)?.status === 'AVAILABLE' ? 'COMPLETED' : 'CREATING';
  }

  deleteRecoveryPoint(vaultName: string, arn: string): void {
    this.recoveryPoint(vaultName, arn);
    this.dropRecoveryPoint(arn);
  }

  private dropRecoveryPoint(arn: string): void {
    if (this.host.backups.forget(arn) !== undefined) this.host.logged({ kind: 'deleteBackup', arn });
    this.put('recoveryPoints', arn, undefined);
  }
}

/** A plan version's VersionId: 32 random characters, as AWS Backup's. */
function versionId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, 'A').slice(0, 32);
}
