/** The log's CRC-32 against zlib's, on known vectors and on random byte ranges. */
import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { crc32 } from '../src/persistence/crc32.js';

it('matches the standard check value and zlib on any bytes and range', () => {
  expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  expect(crc32(new Uint8Array(0))).toBe(0);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (bytes, a, b) => {
      const start = bytes.length === 0 ? 0 : a % bytes.length;
      const end = start + (bytes.length - start === 0 ? 0 : b % (bytes.length - start + 1));
      expect(crc32(bytes, start, end)).toBe(zlibCrc32(bytes.subarray(start, end)) >>> 0);
    }),
    { numRuns: 500 },
  );
});
