import { ValidationException } from '../errors.js';

/*
 * DynamoDB Numbers, exactly, without ever going through a JS `number`.
 *
 * A Number is held as sign, significant digits `d` (no leading or trailing zeros) and a decimal
 * exponent `E` such that |value| = 0.d × 10^E. DynamoDB keeps at most 38 significant digits and a
 * magnitude in [1E-130, 9.99…E+125], i.e. -129 <= E <= 126. Zero is the only value with no digits.
 *
 * The normalized text is the plain decimal form DynamoDB returns (`1e2` → `100`, `-0` → `0`,
 * `1.0E-5` → `0.00001`): no exponent, no leading zeros, no trailing fraction zeros, no `+`.
 */

const MAX_DIGITS = 38;
const MAX_EXPONENT = 126; // 0.d × 10^126 is 9.99…E+125 at most
const MIN_EXPONENT = -129; // 0.1 × 10^-129 is 1E-130

const MSG_DIGITS = 'Attempting to store more than 38 significant digits in a Number';
const MSG_OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const MSG_UNDERFLOW = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
const MSG_UNCONVERTIBLE = 'The parameter cannot be converted to a numeric value';

function unconvertible(text: string): ValidationException {
  return new ValidationException(text === '' ? MSG_UNCONVERTIBLE : `${MSG_UNCONVERTIBLE}: ${text}`);
}

const C_0 = 48;
const C_9 = 57;
const C_PLUS = 43;
const C_MINUS = 45;
const C_DOT = 46;
const C_E = 101;
const C_UPPER_E = 69;

/**
 * Validates a DynamoDB Number and returns its normalized text (`001.500` → `1.5`, `1e2` → `100`).
 *
 * Accepts what DynamoDB accepts (Java BigDecimal syntax): an optional sign, digits with an optional
 * point (`5.`, `.5`), an optional exponent (`e`/`E`, optional sign, digits). Rejects whitespace,
 * `Infinity`, `NaN`, hex and anything else with "The parameter cannot be converted to a numeric value: <text>".
 */
export function normalizeNumber(text: string): string {
  const len = text.length;
  // Fast path: a plain integer of at most 38 digits without a leading zero ("0", "42", "-7").
  if (len > 0 && len <= MAX_DIGITS) {
    let i = text.charCodeAt(0) === C_MINUS ? 1 : 0;
    const first = text.charCodeAt(i);
    if (i < len && first > C_0 && first <= C_9) {
      for (i++; i < len; i++) {
        const c = text.charCodeAt(i);
        if (c < C_0 || c > C_9) break;
      }
      if (i === len) return text;
    } else if (len === 1 && first === C_0) {
      return text;
    }
  }
  return normalizeSlow(text);
}

function normalizeSlow(text: string): string {
  const len = text.length;
  let i = 0;
  let negative = false;
  let c = text.charCodeAt(0);
  if (c === C_MINUS || c === C_PLUS) {
    negative = c === C_MINUS;
    i = 1;
  }
  const intStart = i;
  while (i < len && (c = text.charCodeAt(i)) >= C_0 && c <= C_9) i++;
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < len && text.charCodeAt(i) === C_DOT) {
    fracStart = ++i;
    while (i < len && (c = text.charCodeAt(i)) >= C_0 && c <= C_9) i++;
    fracEnd = i;
  }
  if (intEnd === intStart && fracEnd === fracStart) throw unconvertible(text);
  let exponent = 0;
  if (i < len) {
    c = text.charCodeAt(i);
    if (c !== C_E && c !== C_UPPER_E) throw unconvertible(text);
    i++;
    let expNegative = false;
    c = text.charCodeAt(i);
    if (c === C_MINUS || c === C_PLUS) {
      expNegative = c === C_MINUS;
      i++;
    }
    const expStart = i;
    let magnitude = 0;
    let significant = expStart; // where the exponent's digits start, past its leading zeros
    for (; i < len; i++) {
      c = text.charCodeAt(i);
      if (c < C_0 || c > C_9) throw unconvertible(text);
      if (c === C_0 && significant === i) significant++;
      // Past 2^53 the exact value no longer matters: it is far outside the range either way.
      magnitude = magnitude * 10 + (c - C_0);
    }
    if (i === expStart) throw unconvertible(text);
    if (!fitsLong(text.slice(significant, len), expNegative)) throw unconvertible(text);
    exponent = expNegative ? -magnitude : magnitude;
  }

  // Significant digits: the mantissa digits (integer then fraction) from the first to the last non-zero.
  const intLen = intEnd - intStart;
  const mantLen = intLen + (fracEnd - fracStart);
  let first = -1;
  let last = -1;
  for (let k = 0; k < mantLen; k++) {
    const ch = text.charCodeAt(k < intLen ? intStart + k : fracStart + k - intLen);
    if (ch !== C_0) {
      if (first < 0) first = k;
      last = k;
    }
  }
  if (first < 0) {
    // A zero written with an exponent is range-checked as a one-digit number with that exponent and
    // its fraction digits (0e126 overflows, 0e-131 underflows, 0e125 is 0), as Java's BigDecimal sees it.
    if (i !== fracEnd) checkRange(1 + exponent - (fracEnd - fracStart));
    return '0';
  }
  const e = intLen - first + exponent; // |value| = 0.d × 10^e
  checkRange(e);
  const count = last - first + 1;
  if (count > MAX_DIGITS) throw new ValidationException(MSG_DIGITS);
  let digits: string;
  if (last < intLen) digits = text.slice(intStart + first, intStart + last + 1);
  else if (first >= intLen) digits = text.slice(fracStart + first - intLen, fracStart + last - intLen + 1);
  else digits = text.slice(intStart + first, intEnd) + text.slice(fracStart, fracStart + last - intLen + 1);
  return formatDecimal(negative, digits, e);
}

/** Refuses a magnitude 0.d × 10^e outside DynamoDB's range. */
function checkRange(e: number): void {
  if (e > MAX_EXPONENT) throw new ValidationException(MSG_OVERFLOW);
  if (e < MIN_EXPONENT) throw new ValidationException(MSG_UNDERFLOW);
}

const LONG_MAX = '9223372036854775807';
const LONG_MIN_MAGNITUDE = '9223372036854775808';

/**
 * Whether an exponent's digits (without leading zeros) fit a 64-bit integer. DynamoDB reads the whole
 * exponent before its range checks, so 1e99999999999 overflows; only an exponent past a long cannot be
 * converted (paritysuite/dynamodb-conformance tests/tier3/limits/numberExponent, real AWS 2026-10).
 */
function fitsLong(digits: string, negative: boolean): boolean {
  const limit = negative ? LONG_MIN_MAGNITUDE : LONG_MAX;
  return digits.length < limit.length || (digits.length === limit.length && digits <= limit);
}

/** The plain decimal text of ±0.digits × 10^e (digits non-empty, without leading or trailing zeros). */
function formatDecimal(negative: boolean, digits: string, e: number): string {
  let body: string;
  if (e <= 0) body = '0.' + '0'.repeat(-e) + digits;
  else if (e >= digits.length) body = digits + '0'.repeat(e - digits.length);
  else body = digits.slice(0, e) + '.' + digits.slice(e);
  return negative ? '-' + body : body;
}

/**
 * Compares two normalized Numbers by value: negative, zero or positive. Exact, allocation-free:
 * normalized texts of the same sign compare by integer-part length, then character by character.
 */
export function compareNumbers(a: string, b: string): number {
  const aNeg = a.charCodeAt(0) === C_MINUS;
  const bNeg = b.charCodeAt(0) === C_MINUS;
  if (aNeg !== bNeg) return aNeg ? -1 : 1;
  const m = compareMagnitudes(a, aNeg ? 1 : 0, b, bNeg ? 1 : 0);
  return aNeg ? -m : m;
}

function integerLength(s: string, from: number): number {
  const dot = s.indexOf('.', from);
  return (dot < 0 ? s.length : dot) - from;
}

function compareMagnitudes(a: string, ai: number, b: string, bi: number): number {
  // "0.xxx" has integer length 1 like "1"–"9", and "0" < "0.x" < "1"; the character order sorts those out.
  const la = integerLength(a, ai);
  const lb = integerLength(b, bi);
  if (la !== lb) return la < lb ? -1 : 1;
  const na = a.length - ai;
  const nb = b.length - bi;
  const n = na < nb ? na : nb;
  for (let k = 0; k < n; k++) {
    const ca = a.charCodeAt(ai + k);
    const cb = b.charCodeAt(bi + k);
    if (ca !== cb) return ca < cb ? -1 : 1;
  }
  return na === nb ? 0 : na < nb ? -1 : 1;
}

/** Sign, significant digits and exponent (|value| = 0.digits × 10^exponent) of a normalized Number. */
interface Decomposed {
  negative: boolean;
  digits: string; // '' for zero
  exponent: number;
}

function decompose(normalized: string): Decomposed {
  const negative = normalized.charCodeAt(0) === C_MINUS;
  const start = negative ? 1 : 0;
  const len = normalized.length;
  const dot = normalized.indexOf('.', start);
  if (dot < 0) {
    if (len - start === 1 && normalized.charCodeAt(start) === C_0) return { negative: false, digits: '', exponent: 0 };
    let end = len;
    while (end > start + 1 && normalized.charCodeAt(end - 1) === C_0) end--;
    return { negative, digits: normalized.slice(start, end), exponent: len - start };
  }
  if (dot - start === 1 && normalized.charCodeAt(start) === C_0) {
    let k = dot + 1;
    while (k < len && normalized.charCodeAt(k) === C_0) k++;
    return { negative, digits: normalized.slice(k), exponent: dot + 1 - k };
  }
  return { negative, digits: normalized.slice(start, dot) + normalized.slice(dot + 1), exponent: dot - start };
}

// Sortable encoding: a class character (negative < zero < positive), one exponent character, digits.
const NEGATIVE_CLASS = '1';
const ZERO = '2';
const POSITIVE_CLASS = '3';
const EXPONENT_BASE = 0x100; // exponent characters U+0100..U+01FF, above every digit
const NEGATIVE_END = ':'; // after the complemented digits of a negative: sorts above '0'..'9'

/**
 * A string whose JS order (`<`) is the numeric order of the normalized Number. Positive numbers:
 * `3`, a character for the exponent, the significant digits. Negative numbers: `1`, a character for the
 * reversed exponent, the nines' complement of the digits and a terminator `:` (so that a longer
 * magnitude with the same prefix, which is larger, sorts first). Zero: `2`.
 */
export function encodeSortableNumber(normalized: string): string {
  const { negative, digits, exponent } = decompose(normalized);
  if (digits === '') return ZERO;
  if (!negative) return POSITIVE_CLASS + String.fromCharCode(EXPONENT_BASE + exponent - MIN_EXPONENT) + digits;
  let complement = '';
  for (let k = 0; k < digits.length; k++) complement += String.fromCharCode(C_9 - digits.charCodeAt(k) + C_0);
  return NEGATIVE_CLASS + String.fromCharCode(EXPONENT_BASE + MAX_EXPONENT - exponent) + complement + NEGATIVE_END;
}

/**
 * DynamoDB's internal byte serialization of a Number (what its partition hash is computed over):
 * a base-100 form. Zero is the single byte 0x80. Otherwise the significant digits are aligned to
 * pairs around the decimal point (|value| = 0.p1 p2 … × 100^x) and written as: one exponent byte
 * (x + 192 for positive numbers, 63 − x for negative), then one byte per pair (pair + 1 for positive
 * numbers, 101 − pair for negative), then for a negative number of fewer than 20 pairs a final 102.
 */
export function encodeNumberBytes(normalized: string): Uint8Array {
  const { negative, digits, exponent } = decompose(normalized);
  if (digits === '') return Uint8Array.of(0x80);
  const odd = exponent & 1;
  const x = (exponent + odd) / 2;
  const pairs = (digits.length + odd + 1) >> 1;
  const terminated = negative && pairs < 20;
  const out = new Uint8Array(1 + pairs + (terminated ? 1 : 0));
  out[0] = negative ? (63 - x) & 0xff : (x + 192) & 0xff;
  for (let p = 0; p < pairs; p++) {
    // Digit index k in the padded sequence (a leading 0 when the exponent is odd, a trailing 0 to even out).
    const hi = 2 * p - odd;
    const lo = hi + 1;
    const dh = hi >= 0 && hi < digits.length ? digits.charCodeAt(hi) - C_0 : 0;
    const dl = lo < digits.length ? digits.charCodeAt(lo) - C_0 : 0;
    const pair = dh * 10 + dl;
    out[1 + p] = negative ? 101 - pair : pair + 1;
  }
  if (terminated) out[1 + pairs] = 102;
  return out;
}

/**
 * The size DynamoDB counts for a normalized Number, in bytes: the length of its internal serialization
 * (`encodeNumberBytes(n).length`), computed without allocating. 1 for zero; otherwise 1 exponent byte,
 * one byte per base-100 digit pair, and one more for a negative number of fewer than 20 pairs.
 */
export function numberSize(normalized: string): number {
  const negative = normalized.charCodeAt(0) === C_MINUS;
  const start = negative ? 1 : 0;
  const len = normalized.length;
  const dot = normalized.indexOf('.', start);
  let count: number;
  let exponent: number;
  if (dot < 0) {
    if (len - start === 1 && normalized.charCodeAt(start) === C_0) return 1;
    let end = len;
    while (end > start + 1 && normalized.charCodeAt(end - 1) === C_0) end--;
    count = end - start;
    exponent = len - start;
  } else if (dot - start === 1 && normalized.charCodeAt(start) === C_0) {
    let k = dot + 1;
    while (k < len && normalized.charCodeAt(k) === C_0) k++;
    count = len - k;
    exponent = dot + 1 - k;
  } else {
    count = len - start - 1;
    exponent = dot - start;
  }
  const pairs = (count + (exponent & 1) + 1) >> 1;
  return 1 + pairs + (negative && pairs < 20 ? 1 : 0);
}
