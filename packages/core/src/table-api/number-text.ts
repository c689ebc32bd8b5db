/** The text a JS number is stored as: its shortest print, when that is its exact value. Throws a TypeError otherwise. */
export function exactNumberText(value: number): string {
  // Two comparisons on the common path; NaN and the infinities fail them, as does every unsafe number.
  if (!(value <= Number.MAX_SAFE_INTEGER && value >= Number.MIN_SAFE_INTEGER)) checkExact(value);
  return String(value);
}

/**
 * Refuses a number DynamoDB could not store as given: not finite, or beyond the safe-integer range and
 * printed as other digits than its own (`2 ** 60` prints 1152921504606847000, its value is
 * 1152921504606846976). AWS's `marshall` refuses every number beyond that range; one printed exactly
 * (`2 ** 53 + 2`, `1e21`) is kept here, since it is stored as exactly the value given.
 */
function checkExact(value: number): void {
  if (!Number.isFinite(value)) throw new TypeError(`Cannot store ${value}: a DynamoDB Number must be finite`);
  const exact = BigInt(value).toString();
  // The shortest print's significant digits (`1.152921504606847e+18` → 1152921504606847) against the exact value's.
  const printed = value.toExponential().replace(/^-|\.|e.*$/g, '');
  if (exact.replace(/^-/, '').replace(/0+$/, '') === printed) return;
  const bound = value > 0 ? 'greater than Number.MAX_SAFE_INTEGER' : 'less than Number.MIN_SAFE_INTEGER';
  throw new TypeError(`Cannot store the number ${value} exactly: it is ${bound} and its value is ${exact}. Use a bigint or a Decimal.`);
}
