import { LimitExceededException } from '../errors.js';
import type { AdmissionHook, ModuleContext } from '../modules/module.js';
import type { TableView } from '../tables/table-view.js';
import type { CapacityLedger } from './capacity-ledger.js';
import { longUtcText } from './utc-text.js';
import { checkSwitchAllowed, recordSwitch } from './billing-mode-switches.js';
import { checkThroughputQuotas } from './throughput-quotas.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Decreases allowed at any time of a UTC day; after them, one an hour. */
const FREE_DECREASES = 4;
/** Where a table's decreases of the current UTC day are kept (plain data: durable storage keeps it). */
export const DECREASES_STATE_KEY = 'capacity-decreases';

interface Decreases {
  /** The UTC day (ms of its start) the decreases were made on. */
  day: number;
  /** When each was made, oldest first. */
  at: number[];
}

function utcDayOf(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}

function decreasesToday(table: TableView, now: number): Decreases {
  const state = table.getModuleState(DECREASES_STATE_KEY) as Decreases | undefined;
  const day = utcDayOf(now);
  return state !== undefined && state.day === day ? state : { day, at: [] };
}

/**
 * Refuses a provisioned throughput decrease the day's allowance does not cover, as DynamoDB counts them:
 * four at any time of a UTC day, then one an hour after the last (at most 27 a day). Throws
 * LimitExceededException (nothing changes). Auto scaling asks the same question before scaling in.
 */
export function checkDecreaseAllowed(table: TableView, now: number): void {
  const { at } = decreasesToday(table, now);
  if (at.length < FREE_DECREASES) return;
  const last = at[at.length - 1]!;
  if (now - last >= HOUR_MS) return;
  throw new LimitExceededException(
    'Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. ' +
      `After the first ${FREE_DECREASES} decreases, each subsequent decrease in the same UTC day can be performed at most once every 3600 seconds. ` +
      `Number of decreases today: ${at.length}. Last decrease at ${longUtcText(last)}. Next decrease can be made at ${longUtcText(last + HOUR_MS)}`,
  );
}

/** Records a decrease made now (UpdateTable succeeded with a lower ReadCapacityUnits or WriteCapacityUnits). */
export function recordDecrease(table: TableView, now: number): void {
  const today = decreasesToday(table, now);
  table.setModuleState(DECREASES_STATE_KEY, { day: today.day, at: [...today.at, now] });
}

/** Whether `input` (an UpdateTable request) lowers the table's provisioned read or write units. */
function lowers(ledger: CapacityLedger, input: Readonly<Record<string, unknown>>): TableView | undefined {
  const requested = input.ProvisionedThroughput as { ReadCapacityUnits?: unknown; WriteCapacityUnits?: unknown } | undefined;
  if (requested === null || typeof requested !== 'object') return undefined;
  const table = ledger.tableOf(input.TableName);
  if (table === undefined || table.table.billingMode !== 'PROVISIONED') return undefined;
  const { ReadCapacityUnits: read, WriteCapacityUnits: write } = requested;
  const lower = (typeof read === 'number' && read < table.table.units(false)) || (typeof write === 'number' && write < table.table.units(true));
  return lower ? table.view : undefined;
}

/**
 * The control plane's capacity rules, as an admission hook on CreateTable and UpdateTable: the account's
 * quotas (throughput-quotas.ts); the decrease allowance per UTC day and the switches to on-demand per
 * 24 hours (checked before, recorded after a success); and DescribeTable's NumberOfDecreasesToday
 * counting the current UTC day only.
 */
export function throughputRules(context: ModuleContext, ledger: CapacityLedger): AdmissionHook {
  context.contributeTableDescription((table, description) => {
    const throughput = description.ProvisionedThroughput as { NumberOfDecreasesToday?: number } | undefined;
    if (throughput?.NumberOfDecreasesToday === undefined) return;
    // Core counts every decrease once the table settles; the day's count is at most today's.
    throughput.NumberOfDecreasesToday = Math.min(throughput.NumberOfDecreasesToday, decreasesToday(table, context.clock.now()).at.length);
  });
  let pending: { input: unknown; decreased: TableView | undefined; switched: TableView | undefined } | undefined;
  return {
    beforeOperation(request) {
      pending = undefined;
      const operation = request.operation;
      if (request.service !== 'DynamoDB_20120810' || (operation !== 'UpdateTable' && operation !== 'CreateTable')) return;
      const input = request.input;
      checkThroughputQuotas(context, ledger, ledger.settings, operation, input);
      if (operation !== 'UpdateTable') return;
      const now = context.clock.now();
      const decreased = lowers(ledger, input);
      if (decreased !== undefined) checkDecreaseAllowed(decreased, now);
      const current = input.BillingMode === 'PAY_PER_REQUEST' ? ledger.tableOf(input.TableName) : undefined;
      const switched = current?.table.billingMode === 'PROVISIONED' ? current.view : undefined;
      if (switched !== undefined) checkSwitchAllowed(switched, now);
      if (decreased !== undefined || switched !== undefined) pending = { input, decreased, switched };
    },
    afterOperation(request) {
      if (pending === undefined || pending.input !== request.input) return;
      const now = context.clock.now();
      if (pending.decreased !== undefined) recordDecrease(pending.decreased, now);
      if (pending.switched !== undefined) recordSwitch(pending.switched, now);
      pending = undefined;
    },
  };
}
