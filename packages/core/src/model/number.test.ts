import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareExact, rescale, toScaled } from '../../test/support/decimal.js';
import { messageOf } from '../../test/support/expect-errors.js';
import { compareNumbers, encodeNumberBytes, encodeSortableNumber, normalizeNumber, numberSize } from './number.js';

const UNCONVERTIBLE = 'The parameter cannot be converted to a numeric value';

describe('normalizeNumber', () => {
  it.each([
    ['0', '0'],
    ['42', '42'],
    ['-7', '-7'],
    ['001.500', '1.5'],
    ['1e2', '100'],
    ['-0', '0'],
    ['+0', '0'],
    ['0.000', '0'],
    ['-0e5', '0'],
    ['1.0E-5', '0.00001'],
    ['1e40', '1' + '0'.repeat(40)],
    ['+5', '5'],
    ['+1.5', '1.5'],
    ['1e+2', '100'],
    ['1.5E+3', '1500'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['-.25e1', '-2.5'],
    ['0042.1200', '42.12'],
    ['123.456e-2', '1.23456'],
    ['100', '100'],
    ['1E125', '1' + '0'.repeat(125)],
    ['1E-130', '0.' + '0'.repeat(129) + '1'],
    ['9.9999999999999999999999999999999999999E+125', '99999999999999999999999999999999999999' + '0'.repeat(88)],
    ['12345678901234567890123456789012345678', '12345678901234567890123456789012345678'],
    ['0.00000000000000000000000000000000000001', '0.00000000000000000000000000000000000001'],
    ['1000000000000000000000000000000000000000000000', '1000000000000000000000000000000000000000000000'],
  ])('normalizes %s to %s', (input, expected) => {
    expect(normalizeNumber(input)).toBe(expected);
  });

  it('rejects 39 significant digits with DynamoDB\'s message', () => {
    expect(messageOf(() => normalizeNumber('123456789012345678901234567890123456789'))).toBe(
      'Attempting to store more than 38 significant digits in a Number',
    );
    expect(messageOf(() => normalizeNumber('1.00000000000000000000000000000000000001'))).toBe(
      'Attempting to store more than 38 significant digits in a Number',
    );
  });

  it('does not count leading and trailing zeros as significant', () => {
    expect(normalizeNumber('000012345678901234567890123456789012345678000')).toBe(
      '12345678901234567890123456789012345678000',
    );
  });

  it('rejects a magnitude of 1E126 and above as an overflow', () => {
    const overflow = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
    expect(messageOf(() => normalizeNumber('1E+126'))).toBe(overflow);
    expect(messageOf(() => normalizeNumber('-1E126'))).toBe(overflow);
    expect(messageOf(() => normalizeNumber('10E125'))).toBe(overflow);
  });

  it('rejects a magnitude below 1E-130 as an underflow', () => {
    const underflow = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
    expect(messageOf(() => normalizeNumber('1E-131'))).toBe(underflow);
    expect(messageOf(() => normalizeNumber('-0.1E-130'))).toBe(underflow);
  });

  it('checks overflow before the digit count', () => {
    expect(messageOf(() => normalizeNumber('1234567890123456789012345678901234567890e200'))).toMatch(/^Number overflow/);
  });

  it.each(['a', 'b', ' 5', '5 ', '1 2', 'Infinity', '-Infinity', 'NaN', '0x10', '1e', '1e+', 'e5', '.', '+', '-', '--1', '1.2.3', '1+2', '+e2', '1_000', '１'])(
    'rejects %j as not convertible, echoing the text',
    (input) => {
      expect(messageOf(() => normalizeNumber(input))).toBe(`${UNCONVERTIBLE}: ${input}`);
    },
  );

  it('rejects an empty string with the message and nothing after it', () => {
    expect(messageOf(() => normalizeNumber(''))).toBe(UNCONVERTIBLE);
  });

  it('range-checks an exponent that fits a 64-bit integer, and refuses a longer one as not convertible', () => {
    const overflow = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
    const underflow = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
    expect(messageOf(() => normalizeNumber('1e99999999999'))).toBe(overflow);
    expect(messageOf(() => normalizeNumber('-1e99999999999'))).toBe(overflow);
    expect(messageOf(() => normalizeNumber('1e2147483648'))).toBe(overflow);
    expect(messageOf(() => normalizeNumber('1e9223372036854775807'))).toBe(overflow);
    expect(messageOf(() => normalizeNumber('1e-99999999999'))).toBe(underflow);
    expect(messageOf(() => normalizeNumber('1e-2147483648'))).toBe(underflow);
    expect(messageOf(() => normalizeNumber('1e-9223372036854775808'))).toBe(underflow);
    expect(normalizeNumber('1e00000000000000000000001')).toBe('10');
    expect(messageOf(() => normalizeNumber('1e9223372036854775808'))).toBe(`${UNCONVERTIBLE}: 1e9223372036854775808`);
    expect(messageOf(() => normalizeNumber('1e-9223372036854775809'))).toBe(`${UNCONVERTIBLE}: 1e-9223372036854775809`);
  });

  it('range-checks a zero by the exponent it is written with', () => {
    expect(messageOf(() => normalizeNumber('0e126'))).toMatch(/^Number overflow/);
    expect(messageOf(() => normalizeNumber('0e-131'))).toMatch(/^Number underflow/);
    expect(normalizeNumber('0e125')).toBe('0');
    expect(normalizeNumber('0.0e126')).toBe('0');
    expect(normalizeNumber('0e-130')).toBe('0');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(arbitraryNumberText(), (text) => {
        const once = normalizeNumber(text);
        expect(normalizeNumber(once)).toBe(once);
      }),
    );
  });
});

/** Random valid Number texts in varied spellings (signs, zeros, points, exponents). */
function arbitraryNumberText(): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom('', '-', '+'),
      fc.string({ unit: fc.constantFrom('0', '0', '1', '5', '9'), minLength: 0, maxLength: 12 }),
      fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), minLength: 0, maxLength: 12 }),
      fc.option(fc.integer({ min: -100, max: 100 })),
    )
    .filter(([, i, f]) => i.length + f.length > 0)
    .map(([s, i, f, e]) => `${s}${i}${f === '' ? '' : '.' + f}${e === null ? '' : 'e' + e}`);
}

describe('compareNumbers', () => {
  it.each([
    ['1', '2', -1],
    ['2', '1', 1],
    ['0', '0', 0],
    ['-1', '0', -1],
    ['0', '0.5', -1],
    ['0.0012', '0.00012', 1],
    ['12', '12.5', -1],
    ['12.5', '13', -1],
    ['-12.5', '-13', 1],
    ['-0.1', '-0.01', -1],
    ['100', '99.999', 1],
  ])('compares %s with %s as %i', (a, b, expected) => {
    expect(Math.sign(compareNumbers(a, b))).toBe(expected);
  });

  it('agrees with exact BigInt arithmetic on scaled decimals', () => {
    fc.assert(
      fc.property(arbitraryNumberText(), arbitraryNumberText(), (x, y) => {
        const a = normalizeNumber(x);
        const b = normalizeNumber(y);
        const scale = 240;
        const sa = toScaled(a, scale);
        const sb = toScaled(b, scale);
        expect(Math.sign(compareNumbers(a, b))).toBe(compareExact(sa, sb));
      }),
    );
  });
});

describe('encodeSortableNumber', () => {
  const order = ['-1e125', '-100', '-10.5', '-10', '-9', '-1.5', '-1', '-0.5', '-1e-130', '0', '1e-130', '0.5', '1', '1.5', '9', '10', '10.5', '100', '9.9e125'];
  it('orders a hand-picked ladder of numbers', () => {
    const encoded = order.map((n) => encodeSortableNumber(normalizeNumber(n)));
    for (let i = 1; i < encoded.length; i++) expect(encoded[i - 1]! < encoded[i]!).toBe(true);
  });

  it('agrees with compareNumbers', () => {
    fc.assert(
      fc.property(arbitraryNumberText(), arbitraryNumberText(), (x, y) => {
        const a = normalizeNumber(x);
        const b = normalizeNumber(y);
        const ea = encodeSortableNumber(a);
        const eb = encodeSortableNumber(b);
        expect(compareExact(ea, eb)).toBe(Math.sign(compareNumbers(a, b)));
      }),
    );
  });

  it('orders integers like BigInt', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 38n) + 1n, max: 10n ** 38n - 1n }), fc.bigInt({ min: -(10n ** 38n) + 1n, max: 10n ** 38n - 1n }), (x, y) => {
        const ea = encodeSortableNumber(normalizeNumber(x.toString()));
        const eb = encodeSortableNumber(normalizeNumber(y.toString()));
        expect(compareExact(ea, eb)).toBe(compareExact(x, y));
      }),
    );
  });

  it('orders scaled decimals like BigInt', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.integer({ min: -60, max: 60 }),
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.integer({ min: -60, max: 60 }),
        (x, xs, y, ys) => {
          // x × 10^-xs versus y × 10^-ys, compared exactly on a common scale.
          const scale = 120;
          const sx = rescale(x, xs, scale);
          const sy = rescale(y, ys, scale);
          const ea = encodeSortableNumber(normalizeNumber(`${x}e${-xs}`));
          const eb = encodeSortableNumber(normalizeNumber(`${y}e${-ys}`));
          expect(compareExact(ea, eb)).toBe(compareExact(sx, sy));
        },
      ),
    );
  });
});

describe('encodeNumberBytes', () => {
  const hex = (n: string) => Array.from(encodeNumberBytes(normalizeNumber(n)), (b) => b.toString(16).padStart(2, '0')).join(' ');
  it.each([
    ['0', '80'],
    ['1', 'c1 02'],
    ['-1', '3e 64 66'],
    ['100', 'c2 02'],
    ['123', 'c2 02 18'],
    ['0.5', 'c0 33'],
    ['-42', '3e 3b 66'],
    ['1.5', 'c1 02 33'],
    ['99', 'c1 64'],
    ['1e-130', '80 02'],
    ['-1e-130', '7f 64 66'],
  ])('serializes %s as %s', (n, expected) => {
    expect(hex(n)).toBe(expected);
  });

  it('leaves the terminator off a negative number of 20 digit pairs', () => {
    const bytes = encodeNumberBytes(normalizeNumber('-1.2345678901234567890123456789012345678'));
    expect(bytes.length).toBe(21);
    expect(bytes[20]).not.toBe(102);
  });
});

describe('numberSize', () => {
  // Literal → bytes, measured against DynamoDB's 400 KB gate (nubo-db/dynamodb-conformance src/item-size.ts).
  it.each([
    ['0', 1], ['1', 2], ['12', 2], ['123', 3], ['1234', 3], ['12345678901234567890123456789012345678', 20],
    ['0042', 2], ['100', 2], ['1010', 3], ['0.0000001', 2], ['1E125', 2], ['1E-100', 2], ['1.5', 3], ['15', 2],
    ['1.2', 3], ['1.200', 3], ['1.234', 4], ['3.14159', 5], ['123456', 4], ['100.5', 4], ['0.15', 2], ['-42', 3], ['-0', 1],
  ])('sizes %s at %i bytes', (literal, bytes) => {
    expect(numberSize(normalizeNumber(literal))).toBe(bytes);
  });

  it('equals the length of the serialization', () => {
    fc.assert(
      fc.property(arbitraryNumberText(), (text) => {
        const n = normalizeNumber(text);
        expect(numberSize(n)).toBe(encodeNumberBytes(n).length);
      }),
    );
  });
});
