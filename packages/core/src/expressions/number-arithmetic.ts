import { ValidationException } from '../errors.js';
import { normalizeNumber } from '../model/number.js';

/*
 * Exact addition of DynamoDB Numbers (SET's `+`/`-`, ADD), never through a JS `number` unless the
 * result is provably exact. A result must fit DynamoDB's Number: 38 significant digits, magnitude in
 * [1E-130, 1E126). DynamoDB reports a result with too many digits (1E50 + 1) with its overflow message,
 * not the "38 significant digits" one (observed on DynamoDB, see scylladb test_number.py
 * test_update_expression_plus_imprecise); range errors are its overflow/underflow messages.
 */

const MSG_OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const MAX_DIGITS = 38;

/** a + b, for normalized Numbers; returns the normalized sum. */
export function addNumbers(a: string, b: string): string {
  const fast = addSmall(a, b);
  if (fast !== undefined) return fast;
  return addExact(a, b);
}

/** a − b, for normalized Numbers; returns the normalized difference. */
export function subtractNumbers(a: string, b: string): string {
  return addNumbers(a, negate(b));
}

function negate(n: string): string {
  if (n === '0') return n;
  return n.charCodeAt(0) === 45 ? n.slice(1) : '-' + n;
}

/**
 * Both operands with at most 15 digits: scaled to integers, their sum is exact in a JS `number` as long
 * as every intermediate stays a safe integer (|x| < 2^53). Undefined when that does not hold.
 */
function addSmall(a: string, b: string): string | undefined {
  if (a.length > 17 || b.length > 17) return undefined;
  const da = a.indexOf('.');
  const db = b.indexOf('.');
  const sa = da < 0 ? 0 : a.length - da - 1;
  const sb = db < 0 ? 0 : b.length - db - 1;
  let x = da < 0 ? +a : +(a.slice(0, da) + a.slice(da + 1));
  let y = db < 0 ? +b : +(b.slice(0, db) + b.slice(db + 1));
  if (!Number.isSafeInteger(x) || !Number.isSafeInteger(y)) return undefined;
  let scale = sa;
  if (sa < sb) {
    x *= POWERS[sb - sa]!;
    scale = sb;
  } else if (sb < sa) {
    y *= POWERS[sa - sb]!;
  }
  const sum = x + y;
  if (!Number.isSafeInteger(x) || !Number.isSafeInteger(y) || !Number.isSafeInteger(sum)) return undefined;
  if (sum === 0) return '0';
  if (scale === 0) return String(sum);
  let digits = String(sum < 0 ? -sum : sum);
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  let end = digits.length;
  const point = end - scale;
  while (end > point && digits.charCodeAt(end - 1) === 48) end--;
  const text = end === point ? digits.slice(0, point) : digits.slice(0, point) + '.' + digits.slice(point, end);
  return sum < 0 ? '-' + text : text;
}

const POWERS = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];

/** Unscaled integer and scale (value = unscaled × 10^-scale) of a normalized plain decimal. */
function split(n: string): [bigint, number] {
  const dot = n.indexOf('.');
  if (dot < 0) return [BigInt(n), 0];
  return [BigInt(n.slice(0, dot) + n.slice(dot + 1)), n.length - dot - 1];
}

function addExact(a: string, b: string): string {
  let [x, sx] = split(a);
  let [y, sy] = split(b);
  if (sx < sy) x *= 10n ** BigInt(sy - sx);
  else if (sy < sx) y *= 10n ** BigInt(sx - sy);
  const scale = sx > sy ? sx : sy;
  const sum = x + y;
  if (sum === 0n) return '0';
  let digits = (sum < 0n ? -sum : sum).toString();
  // Significant digits: drop trailing zeros, moving them into the exponent.
  let end = digits.length;
  while (digits.charCodeAt(end - 1) === 48) end--;
  const exponent = digits.length - end - scale;
  digits = digits.slice(0, end);
  if (digits.length > MAX_DIGITS) throw new ValidationException(MSG_OVERFLOW);
  // normalizeNumber checks the range (overflow/underflow) and yields the plain normalized text.
  return normalizeNumber(`${sum < 0n ? '-' : ''}${digits}e${exponent}`);
}
