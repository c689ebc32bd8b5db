/**
 * MD5 (RFC 1321) of a byte string. Kinesis maps a record's PartitionKey to a shard by the MD5 of the
 * key as a 128-bit number, and DynamoDB's partition keys on Kinesis look like MD5 digests; written out
 * because `@magneto/streams` imports no Node built-ins (it must run in a browser).
 */

const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const K = new Int32Array(64);
for (let i = 0; i < 64; i++) K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000) | 0;

/** The 16-byte MD5 digest of `bytes`. */
export function md5(bytes: Uint8Array): Uint8Array {
  const length = bytes.length;
  // Message, 0x80, zero padding to 56 mod 64, then the bit length as a little-endian 64-bit number.
  const padded = new Uint8Array((((length + 8) >>> 6) + 1) << 6);
  padded.set(bytes);
  padded[length] = 0x80;
  const end = padded.length;
  const bits = length * 8;
  for (let i = 0; i < 8; i++) padded[end - 8 + i] = Math.floor(bits / 2 ** (8 * i)) & 0xff;

  let a0 = 0x67452301;
  let b0 = 0xefcdab89 | 0;
  let c0 = 0x98badcfe | 0;
  let d0 = 0x10325476;
  const m = WORDS;
  for (let offset = 0; offset < end; offset += 64) {
    for (let i = 0, j = offset; i < 16; i++, j += 4) {
      m[i] = padded[j]! | (padded[j + 1]! << 8) | (padded[j + 2]! << 16) | (padded[j + 3]! << 24);
    }
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) & 15;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) & 15;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) & 15;
      }
      const sum = (a + f + K[i]! + m[g]!) | 0;
      const s = SHIFTS[((i >> 4) << 2) | (i & 3)]!;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << s) | (sum >>> (32 - s)))) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  const digest = new Uint8Array(16);
  const words = [a0, b0, c0, d0];
  for (let i = 0; i < 16; i++) digest[i] = (words[i >> 2]! >>> (8 * (i & 3))) & 0xff;
  return digest;
}

const WORDS = new Int32Array(16);

const HEX = '0123456789ABCDEF';

const BYTE_HEX: string[] = [];
for (let i = 0; i < 256; i++) BYTE_HEX.push(HEX[i >>> 4]! + HEX[i & 15]!);

/** Upper-case hexadecimal of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += BYTE_HEX[bytes[i]!]!;
  return s;
}
