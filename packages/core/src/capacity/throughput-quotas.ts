import { LimitExceededException } from '../errors.js';
import type { ModuleContext } from '../modules/module.js';
import type { CapacityLedger } from './capacity-ledger.js';
import type { CapacitySettings } from './capacity-settings.js';

const REFER = 'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.';

type Units = { ReadCapacityUnits?: unknown; WriteCapacityUnits?: unknown } | undefined;
type Requested = Record<string, unknown>;

const DIRECTIONS = [
  { units: 'ReadCapacityUnits', onDemand: 'MaxReadRequestUnits', warm: 'ReadUnitsPerSecond', quota: 'readCapacityUnits', tableMax: 'TableMaxReadCapacityUnits' },
  { units: 'WriteCapacityUnits', onDemand: 'MaxWriteRequestUnits', warm: 'WriteUnitsPerSecond', quota: 'writeCapacityUnits', tableMax: 'TableMaxWriteCapacityUnits' },
] as const;

/** A number a request asks for, or 0 (validation of its type and range is the operation's). */
function number(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function member(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Requested)[name] : undefined;
}

/** The GSIs' throughput a CreateTable or UpdateTable asks for, by index name. */
function indexRequests(operation: string, input: Requested): Array<{ name: string; spec: Requested }> {
  const out: Array<{ name: string; spec: Requested }> = [];
  const list = operation === 'CreateTable' ? input.GlobalSecondaryIndexes : input.GlobalSecondaryIndexUpdates;
  if (!Array.isArray(list)) return out;
  for (const entry of list as unknown[]) {
    const spec = (operation === 'CreateTable' ? entry : (member(entry, 'Create') ?? member(entry, 'Update'))) as Requested | undefined;
    const name = member(spec, 'IndexName');
    if (spec !== null && typeof spec === 'object' && typeof name === 'string') out.push({ name, spec });
  }
  return out;
}

/**
 * The account's capacity quotas at CreateTable and UpdateTable, as DynamoDB applies them (and DescribeLimits
 * reports them): no table or GSI provisioned, capped (OnDemandThroughput) or warmed (WarmThroughput) beyond the
 * per-table quota, and no table created or raised past the account's total. LimitExceededException with
 * DynamoDB's recorded texts; nothing changes. The per-index wording past "for index NAME, N, is above the
 * per index maximum" and the trailing sentence of the account text are modelled on the per-table ones.
 */
export function checkThroughputQuotas(context: ModuleContext, ledger: CapacityLedger, settings: CapacitySettings, operation: string, input: Requested): void {
  const region = context.region;
  const indexes = indexRequests(operation, input);
  for (const d of DIRECTIONS) {
    const max = settings.tableQuota[d.quota];
    const tableUnits = number(member(input.ProvisionedThroughput, d.units));
    if (tableUnits > max) {
      throw new LimitExceededException(`The requested ${d.units}, ${tableUnits}, is above the per table maximum for the account in ${region}. Per table maximum: ${max}. ${REFER}`);
    }
    if (number(member(input.OnDemandThroughput, d.onDemand)) > max) {
      throw new LimitExceededException(`Subscriber limit exceeded: Requested ${d.onDemand} for OnDemandThroughput for table exceeds ${d.tableMax} of the account in region ${region}`);
    }
    if (number(member(input.WarmThroughput, d.warm)) > max) {
      throw new LimitExceededException(`Subscriber limit exceeded: Requested ${d.warm} for WarmThroughput for table exceeds ${d.tableMax} of the account in region ${region}`);
    }
    for (const { name, spec } of indexes) {
      const units = number(member(spec.ProvisionedThroughput, d.units));
      if (units > max) {
        throw new LimitExceededException(`The requested ${d.units} for index ${name}, ${units}, is above the per index maximum for the account in ${region}. Per index maximum: ${max}. ${REFER}`);
      }
      if (number(member(spec.OnDemandThroughput, d.onDemand)) > max) {
        throw new LimitExceededException(`Subscriber limit exceeded: Requested ${d.onDemand} for OnDemandThroughput for index : ${name} exceeds ${d.tableMax} of the account in region ${region}`);
      }
      if (number(member(spec.WarmThroughput, d.warm)) > max) {
        throw new LimitExceededException(`Subscriber limit exceeded: Requested ${d.warm} for WarmThroughput for index ${name} exceeds ${d.tableMax} of the account in region ${region}`);
      }
    }
    checkAccountQuota(context, ledger, settings, operation, input, indexes, d);
  }
}

/** The account's provisioned total in one direction may not grow past its quota. */
function checkAccountQuota(
  context: ModuleContext,
  ledger: CapacityLedger,
  settings: CapacitySettings,
  operation: string,
  input: Requested,
  indexes: ReadonlyArray<{ name: string; spec: Requested }>,
  d: (typeof DIRECTIONS)[number],
): void {
  const write = d.units === 'WriteCapacityUnits';
  const target = operation === 'UpdateTable' ? ledger.tableOf(input.TableName) : undefined;
  // What the request asks for beyond what the table (when it exists) holds now.
  let requested = 0;
  const tableUnits = number(member(input.ProvisionedThroughput as Units, d.units));
  if (tableUnits > 0) requested += tableUnits - (target?.table.billingMode === 'PROVISIONED' ? target.table.units(write) : 0);
  for (const { name, spec } of indexes) {
    const units = number(member(spec.ProvisionedThroughput, d.units));
    const current = target?.indexes.get(name);
    if (units > 0) requested += units - (current?.billingMode === 'PROVISIONED' ? current.units(write) : 0);
  }
  if (requested <= 0) return;
  let reserved = 0;
  let page: { TableNames: string[]; LastEvaluatedTableName?: string } | undefined;
  do {
    const start = page?.LastEvaluatedTableName;
    page = context.execute('DynamoDB_20120810', 'ListTables', start === undefined ? {} : { ExclusiveStartTableName: start }) as typeof page & object;
    for (const name of page.TableNames) {
      const table = ledger.tableOf(name);
      if (table === undefined || table.table.billingMode !== 'PROVISIONED') continue;
      reserved += table.table.units(write);
      for (const index of table.indexList) reserved += index.units(write);
    }
  } while (page.LastEvaluatedTableName !== undefined);
  const limit = settings.accountQuota[d.quota];
  if (reserved + requested <= limit) return;
  throw new LimitExceededException(
    `This request would have caused the ${d.units} limit to be exceeded for the account in ${context.region}. ` +
      `Current ${d.units} reserved by the account: ${reserved}. Limit: ${limit}. Requested: ${requested}. ${REFER}`,
  );
}
