import { LimitExceededException } from '../errors.js';
import type { TableView } from '../tables/table-view.js';
import { shortUtcText } from './utc-text.js';

const DAY_MS = 24 * 3_600_000;
/** Switches from provisioned to on-demand allowed in a rolling 24 hours (switching back is never limited). */
const SWITCHES_PER_DAY = 4;
/** Where a table's recent switches to on-demand are kept (plain data: durable storage keeps it). */
export const SWITCHES_STATE_KEY = 'capacity-switches';

/** When the table was switched to on-demand within the last 24 hours, oldest first. */
function switchesWithinDay(table: TableView, now: number): number[] {
  const at = (table.getModuleState(SWITCHES_STATE_KEY) as number[] | undefined) ?? [];
  return at.filter((t) => t > now - DAY_MS);
}

/**
 * Refuses a switch from provisioned to on-demand beyond four in a rolling 24 hours, as DynamoDB limits
 * them (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-switching-capacity-modes.html),
 * with LimitExceededException; nothing changes. The message follows the one recorded for the former
 * once-a-day rule ("… limited to once in 1 day(s). Last update at … Next update can be made at …").
 */
export function checkSwitchAllowed(table: TableView, now: number): void {
  const at = switchesWithinDay(table, now);
  if (at.length < SWITCHES_PER_DAY) return;
  throw new LimitExceededException(
    `Subscriber limit exceeded: Update to PayPerRequest mode are limited to ${SWITCHES_PER_DAY} times in 1 day(s). ` +
      `Last update at ${shortUtcText(at[at.length - 1]!)}. Next update can be made at ${shortUtcText(at[0]! + DAY_MS)}`,
  );
}

/** Records a switch to on-demand made now. */
export function recordSwitch(table: TableView, now: number): void {
  table.setModuleState(SWITCHES_STATE_KEY, [...switchesWithinDay(table, now), now]);
}
