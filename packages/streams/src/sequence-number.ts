/**
 * DynamoDB Streams sequence numbers: increasing numeric strings of 21 digits, shaped like DynamoDB's
 * (e.g. `100000000003218256368`). Internally a plain counter; the string is built only on read.
 */

const WIDTH = 20;

/** The SequenceNumber string of counter value `n` (n < 10^20). */
export function formatSequenceNumber(n: number): string {
  return '1' + String(n).padStart(WIDTH, '0');
}

/**
 * The counter value of a SequenceNumber string, or undefined if the string is no sequence number this
 * module could have issued (it may still be a valid-looking number of another stream).
 */
export function parseSequenceNumber(text: string): number | undefined {
  if (text.length !== WIDTH + 1 || text.charCodeAt(0) !== 49) return undefined;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const n = Number(text.slice(1));
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Whether `text` has the shape DynamoDB accepts for a SequenceNumber: 21 to 40 digits. */
export function isSequenceNumberShaped(text: string): boolean {
  return /^\d{21,40}$/.test(text);
}

/** The module-wide counter sequence numbers are drawn from (shared by all streams of one database). */
export class SequenceCounter {
  private last = 0;
  /** Draws the next number. */
  next(): number {
    return ++this.last;
  }
  /** Continues after `last` (a counter recovered by durable storage). */
  resume(last: number): void {
    this.last = last;
  }
  /** The last number drawn. */
  get current(): number {
    return this.last;
  }
}
