/**
 * A backup rule's ScheduleExpression as AWS Backup writes it (the EventBridge forms): `cron(Minutes Hours
 * Day-of-month Month Day-of-week Year)` with `*`, `?`, lists, ranges, `/` steps, month and weekday names,
 * `L` (last day of the month, or `nL` the last weekday n of the month) and `n#k` (the k-th weekday n),
 * read in ScheduleExpressionTimezone (UTC by default); or `rate(N minute|minutes|hour|hours|day|days)`,
 * counted from the moment the rule was created. Day-of-week counts SUN=1 … SAT=7.
 */
export interface Schedule {
  /** The first run strictly after `afterMs` (ms since the epoch), or undefined when the schedule has no more runs. */
  next(afterMs: number): number | undefined;
}

const MINUTE_MS = 60_000;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/** How far ahead a cron schedule is searched (its Year field ends at 2199). */
const MAX_YEAR = 2199;

/** A ScheduleExpression that does not parse: the caller words the error. */
export class ScheduleSyntaxError extends Error {}

/** Parses `expression` (cron or rate) in `timezone`; a rate counts from `anchorMs`. Throws ScheduleSyntaxError. */
export function parseSchedule(expression: string, timezone: string, anchorMs: number): Schedule {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate !== null) return rateSchedule(Number(rate[1]), rate[2]!, anchorMs);
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron === null) throw new ScheduleSyntaxError(expression);
  return cronSchedule(cron[1]!.trim().split(/\s+/), zoneOf(timezone));
}

/** Whether `timezone` is an IANA time zone name this runtime knows. */
export function isTimezone(timezone: string): boolean {
  try {
    zoneOf(timezone);
    return true;
  } catch {
    return false;
  }
}

function rateSchedule(value: number, unit: string, anchorMs: number): Schedule {
  // EventBridge: a value of 1 takes the singular unit, any other the plural.
  if (value < 1 || (value === 1) !== !unit.endsWith('s')) throw new ScheduleSyntaxError(`rate(${value} ${unit})`);
  const intervalMs = value * (unit.startsWith('minute') ? MINUTE_MS : unit.startsWith('hour') ? 60 * MINUTE_MS : 24 * 60 * MINUTE_MS);
  return { next: (afterMs) => anchorMs + (Math.floor(Math.max(0, afterMs - anchorMs) / intervalMs) + 1) * intervalMs };
}

interface DayRule {
  readonly any: boolean;
  readonly values: ReadonlySet<number>;
  /** Day-of-month `L`. */
  readonly last?: boolean;
  /** Day-of-week `nL`: the last such weekday of the month. */
  readonly lastWeekday?: number;
  /** Day-of-week `n#k`. */
  readonly nth?: { readonly weekday: number; readonly k: number };
}

function cronSchedule(fields: string[], zone: Zone): Schedule {
  if (fields.length !== 6) throw new ScheduleSyntaxError(fields.join(' '));
  const [minuteField, hourField, domField, monthField, dowField, yearField] = fields as [string, string, string, string, string, string];
  const minutes = [...parseField(minuteField, 0, 59)].sort((a, b) => a - b);
  const hours = [...parseField(hourField, 0, 23)].sort((a, b) => a - b);
  const months = parseField(monthField, 1, 12, MONTHS);
  const years = parseField(yearField, 1970, MAX_YEAR);
  // EventBridge: exactly one of day-of-month and day-of-week is `?`.
  if ((domField === '?') === (dowField === '?')) throw new ScheduleSyntaxError(fields.join(' '));
  const dom = parseDayOfMonth(domField);
  const dow = parseDayOfWeek(dowField);

  const dayMatches = (year: number, month: number, day: number): boolean => {
    const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
    if (domField !== '?') return dom.any || dom.values.has(day) || (dom.last === true && day === daysInMonth);
    if (dow.any || dow.values.has(weekday)) return true;
    if (dow.lastWeekday === weekday) return day + 7 > daysInMonth;
    return dow.nth !== undefined && dow.nth.weekday === weekday && Math.ceil(day / 7) === dow.nth.k;
  };

  return {
    next(afterMs) {
      const start = zone.fieldsAt(afterMs + MINUTE_MS - (afterMs % MINUTE_MS));
      // Day by day in the zone's calendar, from the day of `afterMs`'s next minute.
      for (let date = new Date(Date.UTC(start.year, start.month - 1, start.day)); ; date = new Date(date.getTime() + 24 * 60 * MINUTE_MS)) {
        const year = date.getUTCFullYear();
        if (year > MAX_YEAR) return undefined;
        const month = date.getUTCMonth() + 1;
        const day = date.getUTCDate();
        if (!years.has(year) || !months.has(month) || !dayMatches(year, month, day)) continue;
        for (const hour of hours) {
          for (const minute of minutes) {
            const at = zone.toEpoch(year, month, day, hour, minute);
            if (at > afterMs) return at;
          }
        }
      }
    },
  };
}

function parseDayOfMonth(field: string): DayRule {
  if (field === '?') return { any: false, values: new Set() };
  if (field === 'L') return { any: false, values: new Set(), last: true };
  return { any: field === '*', values: parseField(field, 1, 31) };
}

function parseDayOfWeek(field: string): DayRule {
  if (field === '?') return { any: false, values: new Set() };
  const last = /^(\w+)L$/.exec(field);
  if (last !== null) return { any: false, values: new Set(), lastWeekday: valueOf(last[1]!, 1, 7, WEEKDAYS) };
  const nth = /^(\w+)#([1-5])$/.exec(field);
  if (nth !== null) return { any: false, values: new Set(), nth: { weekday: valueOf(nth[1]!, 1, 7, WEEKDAYS), k: Number(nth[2]) } };
  return { any: field === '*', values: parseField(field, 1, 7, WEEKDAYS) };
}

/** A cron field: `*`, or a comma list of `a`, `a-b`, `a/step`, `a-b/step`, `*\/step`. */
function parseField(field: string, min: number, max: number, names?: readonly string[]): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|[\w]+)(?:-([\w]+))?(?:\/(\d+))?$/.exec(part);
    if (match === null) throw new ScheduleSyntaxError(field);
    const from = match[1] === '*' ? min : valueOf(match[1]!, min, max, names);
    const to = match[2] !== undefined ? valueOf(match[2], min, max, names) : match[1] === '*' || match[3] !== undefined ? max : from;
    const step = match[3] === undefined ? 1 : Number(match[3]);
    if (step < 1 || to < from) throw new ScheduleSyntaxError(field);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function valueOf(text: string, min: number, max: number, names?: readonly string[]): number {
  const named = names?.indexOf(text.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + min : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw new ScheduleSyntaxError(text);
  return value;
}

interface Zone {
  fieldsAt(ms: number): { year: number; month: number; day: number };
  /** The instant of a wall-clock minute in the zone (a minute skipped by a DST change reads as the instant after it). */
  toEpoch(year: number, month: number, day: number, hour: number, minute: number): number;
}

function zoneOf(timezone: string): Zone {
  if (timezone === 'Etc/UTC' || timezone === 'UTC') {
    return {
      fieldsAt: (ms) => {
        const d = new Date(ms);
        return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
      },
      toEpoch: (year, month, day, hour, minute) => Date.UTC(year, month - 1, day, hour, minute),
    };
  }
  const format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
  const wall = (ms: number): number[] => {
    const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
    return [Number(parts.year), Number(parts.month), Number(parts.day), Number(parts.hour), Number(parts.minute)];
  };
  const offsetAt = (ms: number): number => {
    const [y, mo, d, h, mi] = wall(ms) as [number, number, number, number, number];
    return Date.UTC(y, mo - 1, d, h, mi) - (ms - (ms % MINUTE_MS));
  };
  return {
    fieldsAt: (ms) => {
      const [year, month, day] = wall(ms) as [number, number, number];
      return { year, month, day };
    },
    toEpoch: (year, month, day, hour, minute) => {
      const asUtc = Date.UTC(year, month - 1, day, hour, minute);
      const guess = asUtc - offsetAt(asUtc);
      return asUtc - offsetAt(guess);
    },
  };
}
