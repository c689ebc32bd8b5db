/** ScheduleExpression: AWS Backup's cron and rate forms, in UTC and in a ScheduleExpressionTimezone. */
import { describe, expect, it } from 'vitest';
import { parseSchedule, ScheduleSyntaxError } from '../../src/plans/schedule-expression.js';

const at = (iso: string): number => Date.parse(iso);
const runs = (expression: string, fromIso: string, count: number, timezone = 'Etc/UTC', anchorIso = fromIso): string[] => {
  const schedule = parseSchedule(expression, timezone, at(anchorIso));
  const out: string[] = [];
  let t = at(fromIso);
  for (let i = 0; i < count; i++) {
    t = schedule.next(t)!;
    out.push(new Date(t).toISOString());
  }
  return out;
};

describe('ScheduleExpression', () => {
  it('reads the default cron(0 5 ? * * *) as daily at 05:00 UTC', () => {
    expect(runs('cron(0 5 ? * * *)', '2026-01-01T05:00:00Z', 2)).toEqual(['2026-01-02T05:00:00.000Z', '2026-01-03T05:00:00.000Z']);
  });
  it('reads hourly, stepped, listed and ranged fields', () => {
    expect(runs('cron(15 * ? * * *)', '2026-01-01T00:20:00Z', 2)).toEqual(['2026-01-01T01:15:00.000Z', '2026-01-01T02:15:00.000Z']);
    expect(runs('cron(0 0/6 * * ? *)', '2026-01-01T00:00:00Z', 3)).toEqual(['2026-01-01T06:00:00.000Z', '2026-01-01T12:00:00.000Z', '2026-01-01T18:00:00.000Z']);
    expect(runs('cron(30 1 ? * MON-FRI *)', '2026-01-02T02:00:00Z', 2)).toEqual(['2026-01-05T01:30:00.000Z', '2026-01-06T01:30:00.000Z']); // 2026-01-02 is a Friday
    expect(runs('cron(0 12 1,15 * ? *)', '2026-01-01T12:00:00Z', 2)).toEqual(['2026-01-15T12:00:00.000Z', '2026-02-01T12:00:00.000Z']);
    expect(runs('cron(0 22 ? * 7 *)', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-03T22:00:00.000Z']); // 7 = Saturday
  });
  it('reads L (last day of the month), nL and n#k', () => {
    expect(runs('cron(0 0 L * ? *)', '2026-02-01T00:00:00Z', 2)).toEqual(['2026-02-28T00:00:00.000Z', '2026-03-31T00:00:00.000Z']);
    expect(runs('cron(0 0 ? * 6L *)', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-30T00:00:00.000Z']); // last Friday
    expect(runs('cron(0 0 ? * MON#2 *)', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-12T00:00:00.000Z']);
  });
  it('reads a year field and ends with it', () => {
    expect(runs('cron(0 0 31 12 ? 2026-2027)', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-12-31T00:00:00.000Z', '2027-12-31T00:00:00.000Z']);
    expect(parseSchedule('cron(0 0 31 12 ? 2026)', 'Etc/UTC', 0).next(at('2027-01-01T00:00:00Z'))).toBeUndefined();
  });
  it('reads the cron in ScheduleExpressionTimezone, across a daylight-saving change', () => {
    // 05:00 in New York is 10:00 UTC in winter and 09:00 UTC in summer (DST began 2026-03-08).
    expect(runs('cron(0 5 ? * * *)', '2026-03-07T00:00:00Z', 2, 'America/New_York')).toEqual(['2026-03-07T10:00:00.000Z', '2026-03-08T09:00:00.000Z']);
  });
  it('counts a rate from its anchor', () => {
    expect(runs('rate(12 hours)', '2026-01-01T03:00:00Z', 2, 'Etc/UTC', '2026-01-01T00:00:00Z')).toEqual(['2026-01-01T12:00:00.000Z', '2026-01-02T00:00:00.000Z']);
    expect(runs('rate(1 day)', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-02T00:00:00.000Z']);
  });
  it.each(['cron(0 5 * * * *)', 'cron(0 5 ? * ? *)', 'cron(0 5 ? *)', 'cron(61 5 ? * * *)', 'rate(1 hours)', 'rate(2 hour)', 'rate(0 days)', 'every day', 'cron(0 5 ? FOO * *)'])('refuses %s', (expression) => {
    expect(() => parseSchedule(expression, 'Etc/UTC', 0)).toThrow(ScheduleSyntaxError);
  });
});
