import { InvalidParameterValueException, MissingParameterValueException } from './plan-errors.js';
import { isTimezone, parseSchedule, ScheduleSyntaxError } from './schedule-expression.js';

/** Lifecycle: when a recovery point moves to cold storage and when it is deleted, in days after its creation. */
export interface Lifecycle {
  MoveToColdStorageAfterDays?: number;
  DeleteAfterDays?: number;
  OptInToArchiveForSupportedResources?: boolean;
}

/** A CopyAction: copy each new recovery point to another vault (of this or another backup store), with its own lifecycle. */
export interface CopyAction {
  DestinationBackupVaultArn: string;
  Lifecycle?: Lifecycle;
}

/** A rule of a BackupPlan document, as AWS Backup's BackupRuleInput. */
export interface BackupRuleInput {
  RuleName: string;
  TargetBackupVaultName: string;
  ScheduleExpression?: string;
  ScheduleExpressionTimezone?: string;
  StartWindowMinutes?: number;
  CompletionWindowMinutes?: number;
  Lifecycle?: Lifecycle;
  RecoveryPointTags?: Record<string, string>;
  CopyActions?: CopyAction[];
  EnableContinuousBackup?: boolean;
}

/** AWS Backup's BackupPlan document (BackupPlanInput), as `aws backup create-backup-plan --backup-plan file://plan.json` takes it. */
export interface BackupPlanInput {
  BackupPlanName: string;
  Rules: BackupRuleInput[];
  AdvancedBackupSettings?: Array<{ ResourceType?: string; BackupOptions?: Record<string, string> }>;
}

/** A rule as a stored plan has it (GetBackupPlan): with its RuleId. */
export interface BackupRule extends BackupRuleInput {
  RuleId: string;
}

/** A stored plan's document (GetBackupPlan's BackupPlan): each rule with its RuleId. */
export interface BackupPlan extends Omit<BackupPlanInput, 'Rules'> {
  Rules: BackupRule[];
}

/** A condition of a selection's ListOfTags (ConditionType STRINGEQUALS). */
export interface Condition {
  ConditionType: 'STRINGEQUALS';
  ConditionKey: string;
  ConditionValue: string;
}

/** A condition of a selection's Conditions: a tag key (`aws:ResourceTag/KEY`) and value (`*` wildcards in Like). */
export interface ConditionParameter {
  ConditionKey: string;
  ConditionValue: string;
}

/** AWS Backup's BackupSelection: which resources a plan backs up. */
export interface BackupSelection {
  SelectionName: string;
  IamRoleArn: string;
  Resources?: string[];
  NotResources?: string[];
  ListOfTags?: Condition[];
  Conditions?: {
    StringEquals?: ConditionParameter[];
    StringNotEquals?: ConditionParameter[];
    StringLike?: ConditionParameter[];
    StringNotLike?: ConditionParameter[];
  };
}

/** AWS Backup's defaults: start within 8 hours, complete within 7 days, daily at 05:00 UTC. */
export const DEFAULT_START_WINDOW_MINUTES = 480;
export const DEFAULT_COMPLETION_WINDOW_MINUTES = 10080;
export const DEFAULT_SCHEDULE_EXPRESSION = 'cron(0 5 ? * * *)';
export const DEFAULT_TIMEZONE = 'Etc/UTC';

const NAME = /^[a-zA-Z0-9\-_.]{1,50}$/;
const VAULT_NAME = /^[a-zA-Z0-9\-_]{2,50}$/;
/** Days in cold storage before a recovery point may be deleted. */
const COLD_STORAGE_MINIMUM_DAYS = 90;
const MAX_LIFECYCLE_DAYS = 36500;

/** The BackupPlan document given as an object or as its JSON text. */
export function parsePlanDocument(document: BackupPlanInput | string): BackupPlanInput {
  if (typeof document !== 'string') return document;
  try {
    return JSON.parse(document) as BackupPlanInput;
  } catch {
    throw new InvalidParameterValueException('Invalid backup plan document: it is not JSON');
  }
}

/** Validates a BackupPlan document as CreateBackupPlan / UpdateBackupPlan do (`now`: a rate schedule's anchor). */
export function validatePlan(plan: BackupPlanInput, now: number): void {
  if (typeof plan !== 'object' || plan === null) throw new MissingParameterValueException('BackupPlan is required');
  if (plan.BackupPlanName === undefined) throw new MissingParameterValueException('BackupPlanName is required');
  if (typeof plan.BackupPlanName !== 'string' || !NAME.test(plan.BackupPlanName)) throw new InvalidParameterValueException(`Invalid backup plan name: ${String(plan.BackupPlanName)}`);
  if (!Array.isArray(plan.Rules) || plan.Rules.length === 0) throw new MissingParameterValueException('Rules is required');
  const names = new Set<string>();
  for (const rule of plan.Rules) {
    validateRule(rule, now);
    if (names.has(rule.RuleName)) throw new InvalidParameterValueException(`Rule name ${rule.RuleName} is duplicated in the backup plan`);
    names.add(rule.RuleName);
  }
}

function validateRule(rule: BackupRuleInput, now: number): void {
  if (typeof rule?.RuleName !== 'string') throw new MissingParameterValueException('RuleName is required');
  const fail = (what: string): never => {
    throw new InvalidParameterValueException(`Error in rule ${rule.RuleName} : ${what}`);
  };
  if (!NAME.test(rule.RuleName)) fail('Invalid rule name');
  if (typeof rule.TargetBackupVaultName !== 'string') throw new MissingParameterValueException('TargetBackupVaultName is required');
  if (!VAULT_NAME.test(rule.TargetBackupVaultName)) fail(`Invalid backup vault name ${rule.TargetBackupVaultName}`);
  const timezone = rule.ScheduleExpressionTimezone ?? DEFAULT_TIMEZONE;
  if (!isTimezone(timezone)) fail(`Invalid schedule expression timezone ${timezone}`);
  try {
    parseSchedule(rule.ScheduleExpression ?? DEFAULT_SCHEDULE_EXPRESSION, timezone, now);
  } catch (error) {
    if (!(error instanceof ScheduleSyntaxError)) throw error;
    fail(`Invalid schedule expression ${rule.ScheduleExpression}`);
  }
  // "If this value is included, it must be at least 60 minutes" (BackupRuleInput.StartWindowMinutes).
  if (rule.StartWindowMinutes !== undefined && !(Number.isInteger(rule.StartWindowMinutes) && rule.StartWindowMinutes >= 60)) fail('Start window must be at least 60 minutes');
  if (rule.CompletionWindowMinutes !== undefined && !(Number.isInteger(rule.CompletionWindowMinutes) && rule.CompletionWindowMinutes >= (rule.StartWindowMinutes ?? 60) + 60)) {
    fail('Completion window must be at least 60 minutes greater than the start window');
  }
  validateLifecycle(rule.Lifecycle, fail);
  for (const copy of rule.CopyActions ?? []) {
    if (typeof copy?.DestinationBackupVaultArn !== 'string') throw new MissingParameterValueException('DestinationBackupVaultArn is required');
    if (parseVaultArn(copy.DestinationBackupVaultArn) === undefined) fail(`Invalid destination backup vault ARN ${copy.DestinationBackupVaultArn}`);
    validateLifecycle(copy.Lifecycle, fail);
  }
}

/** AWS Backup's lifecycle rules: 1 … 36,500 days, and at least 90 days in cold storage before deletion. */
function validateLifecycle(lifecycle: Lifecycle | undefined, fail: (what: string) => never): void {
  if (lifecycle === undefined) return;
  const { DeleteAfterDays: del, MoveToColdStorageAfterDays: cold } = lifecycle;
  if (del !== undefined && !(Number.isInteger(del) && del >= 1 && del <= MAX_LIFECYCLE_DAYS)) fail(`Invalid lifecycle. DeleteAfterDays cannot be less than 1 or more than ${MAX_LIFECYCLE_DAYS} days`);
  if (cold !== undefined && !(Number.isInteger(cold) && cold >= 1 && cold <= MAX_LIFECYCLE_DAYS)) fail(`Invalid lifecycle. MoveToColdStorageAfterDays cannot be less than 1 or more than ${MAX_LIFECYCLE_DAYS} days`);
  if (del !== undefined && cold !== undefined && del < cold + COLD_STORAGE_MINIMUM_DAYS) fail(`Invalid lifecycle. DeleteAfterDays cannot be less than ${COLD_STORAGE_MINIMUM_DAYS} days apart from MoveToColdStorageAfterDays`);
}

/** Validates a BackupSelection as CreateBackupSelection does. */
export function validateSelection(selection: BackupSelection): void {
  if (typeof selection !== 'object' || selection === null) throw new MissingParameterValueException('BackupSelection is required');
  if (typeof selection.SelectionName !== 'string') throw new MissingParameterValueException('SelectionName is required');
  if (!NAME.test(selection.SelectionName)) throw new InvalidParameterValueException(`Invalid selection name: ${selection.SelectionName}`);
  if (typeof selection.IamRoleArn !== 'string') throw new MissingParameterValueException('IamRoleArn is required');
  for (const condition of selection.ListOfTags ?? []) {
    if (condition.ConditionType !== 'STRINGEQUALS') throw new InvalidParameterValueException(`Invalid condition type: ${String(condition.ConditionType)}`);
  }
}

/** A vault ARN's parts (`arn:aws:backup:REGION:ACCOUNT:backup-vault:NAME`), or undefined when it is not one. */
export function parseVaultArn(arn: string): { region: string; accountId: string; name: string } | undefined {
  const match = /^arn:aws[\w-]*:backup:([\w-]+):(\d{12}):backup-vault:([a-zA-Z0-9\-_]{2,50})$/.exec(arn);
  return match === null ? undefined : { region: match[1]!, accountId: match[2]!, name: match[3]! };
}

/** Validates a vault name as CreateBackupVault does. */
export function validateVaultName(name: string): void {
  if (typeof name !== 'string') throw new MissingParameterValueException('BackupVaultName is required');
  if (!VAULT_NAME.test(name)) throw new InvalidParameterValueException(`Invalid backup vault name: ${name}`);
}
