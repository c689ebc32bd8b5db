const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A time as DynamoDB's decrease-limit message writes it (recorded: "Friday, October 9, 2026 at
 * 12:21:34 AM Coordinated Universal Time").
 */
export function longUtcText(ms: number): string {
  const d = new Date(ms);
  const hours = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  return (
    `${WEEKDAYS[d.getUTCDay()]}, ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} at ` +
    `${hours}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'} Coordinated Universal Time`
  );
}

/** A time as DynamoDB's billing-mode switch message writes it (recorded: "Sat Feb 23 03:07:45 UTC 2019"). */
export function shortUtcText(ms: number): string {
  const d = new Date(ms);
  return (
    `${WEEKDAYS[d.getUTCDay()]!.slice(0, 3)} ${MONTHS[d.getUTCMonth()]!.slice(0, 3)} ${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
  );
}
