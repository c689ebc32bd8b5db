/**
 * A DynamoDB Number as DynamoDB stores and returns it: no sign on zero, no leading or trailing zeros, no
 * exponent (`+01.50` → `1.5`, `1e2` → `100`, `-0.0` → `0`). The accelerator caches written items as the
 * target would return them, and keys `N: "1.0"` and `N: "1"` as the one item they name. Text that is not a
 * number is returned unchanged (the target has refused such a write before anything is cached).
 */
export function canonicalNumber(text: string): string {
  if (PLAIN.test(text)) return text;
  const match = NUMBER.exec(text);
  if (match === null) return text;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  let digits = whole + fraction;
  // Where the decimal point falls in `digits`.
  let point = whole.length + Number(exponent);
  const leading = /^0*/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(leading).replace(/0+$/, '');
  point -= leading;
  if (digits === '') return '0';
  let text10: string;
  if (point <= 0) text10 = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) text10 = digits + '0'.repeat(point - digits.length);
  else text10 = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign === '-' ? `-${text10}` : text10;
}

/** Already canonical: the common case, answered without parsing. */
const PLAIN = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;
const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
