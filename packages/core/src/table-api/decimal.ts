import { normalizeNumber } from '../model/number.js';
import { exactNumberText } from './number-text.js';

/**
 * An exact DynamoDB Number that a JS `number` cannot hold (up to 38 significant digits, e.g.
 * `0.1000000000000000000000000000000000001`), kept as DynamoDB's normalized decimal text.
 * The Table API reads a Number as a `number` when it round-trips exactly, as a `bigint` when it is an
 * integer beyond `Number.MAX_SAFE_INTEGER`, and as a `Decimal` otherwise (see `attr.numeric()`).
 *
 * @example
 * const price = new Decimal('19.999999999999999999999');
 * price.toString(); // '19.999999999999999999999'
 * new Decimal('1.50').equals(new Decimal('1.5')); // true
 */
export class Decimal {
  /** DynamoDB's normalized text of the number (`1.50` → `1.5`, `1e2` → `100`). */
  readonly text: string;

  /**
   * Validates and normalizes like DynamoDB (rejecting more than 38 digits or an out-of-range magnitude, and a JS
   * number beyond the safe-integer range whose print is not its exact value).
   */
  constructor(value: string | number | bigint) {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`A DynamoDB Number must be finite, not ${value}`);
    // A number is taken as it prints, when that is its value (`new Decimal(2 ** 60)` is refused: use a bigint).
    this.text = normalizeNumber(typeof value === 'number' ? exactNumberText(value) : String(value));
  }

  /** Whether both are the same number. */
  equals(other: Decimal): boolean {
    return this.text === other.text;
  }

  /** The nearest JS number (may round). */
  toNumber(): number {
    return Number(this.text);
  }

  toString(): string {
    return this.text;
  }

  toJSON(): string {
    return this.text;
  }
}
