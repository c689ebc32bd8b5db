import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rescale } from '../../test/support/decimal.js';
import { messageOf } from '../../test/support/expect-errors.js';
import { normalizeNumber } from '../model/number.js';
import { compareBytes, compareStrings } from './compare-values.js';
import { addNumbers, subtractNumbers } from './number-arithmetic.js';

const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const UNDERFLOW = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';

describe('addNumbers and subtractNumbers', () => {
  it.each([
    ['1', '2', '3'],
    ['0.1', '0.2', '0.3'],
    ['-1.5', '1.5', '0'],
    ['999999999999999', '1', '1000000000000000'],
    ['1' + '0'.repeat(37), '1', '1' + '0'.repeat(36) + '1'],
    ['0.000001', '-0.0000001', '0.0000009'],
    ['-2', '-3', '-5'],
  ])('%s + %s = %s', (a, b, sum) => {
    expect(addNumbers(a, b)).toBe(sum);
    expect(subtractNumbers(sum, b)).toBe(normalizeNumber(a));
  });
  it('reports a result needing more than 38 digits, or beyond the range, as DynamoDB does', () => {
    expect(messageOf(() => addNumbers('1' + '0'.repeat(50), '1'))).toBe(OVERFLOW);
    expect(messageOf(() => addNumbers('0.1', '1' + '0'.repeat(40)))).toBe(OVERFLOW);
    expect(messageOf(() => addNumbers('9' + '0'.repeat(125), '9' + '0'.repeat(125)))).toBe(OVERFLOW);
    expect(messageOf(() => subtractNumbers('0.' + '0'.repeat(129) + '11', '0.' + '0'.repeat(129) + '1'))).toBe(UNDERFLOW);
  });
  it('agrees with BigInt arithmetic on random decimals', () => {
    const decimal = fc
      .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 15 }))
      .map(([unscaled, scale]) => ({ unscaled, scale, text: normalizeNumber(`${unscaled}e-${scale}`) }));
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const scale = Math.max(a.scale, b.scale);
        const sum = rescale(a.unscaled, a.scale, scale) + rescale(b.unscaled, b.scale, scale);
        expect(addNumbers(a.text, b.text)).toBe(normalizeNumber(`${sum}e-${scale}`));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('compareStrings and compareBytes', () => {
  it('orders strings as their UTF-8 bytes', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(Math.sign(compareStrings(a, b))).toBe(Math.sign(compareBytes(encoder.encode(a), encoder.encode(b))));
      }),
      { numRuns: 2000 },
    );
  });
});
