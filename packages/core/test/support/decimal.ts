/**
 * Exact decimal references for the Number tests: a decimal as an unscaled BigInt and a scale (value =
 * unscaled × 10^-scale), brought to a common scale so BigInt arithmetic and comparison are exact.
 */

/** `unscaled × 10^-scale` as a numerator over 10^`to` (`to` ≥ `scale`). */
export function rescale(unscaled: bigint, scale: number, to: number): bigint {
  return unscaled * 10n ** BigInt(to - scale);
}

/** A normalized Number's text (`-12.5`) as a numerator over 10^`scale`; `scale` must cover its fraction digits. */
export function toScaled(normalized: string, scale: number): bigint {
  const negative = normalized.startsWith('-');
  const body = negative ? normalized.slice(1) : normalized;
  const [int = '', frac = ''] = body.split('.');
  const value = BigInt(int + frac.padEnd(scale, '0'));
  return negative ? -value : value;
}

/** -1, 0 or 1 as `a` sorts before, with or after `b` (BigInts by value, strings by code unit). */
export function compareExact<T extends bigint | string>(a: T, b: T): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}
