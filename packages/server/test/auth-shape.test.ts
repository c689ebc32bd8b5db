/**
 * checkSignatureShape's reading of the Authorization header's parameters against a reference model: the
 * trimmed header split at runs of commas and white space, the first word dropped, `name=value` words kept.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSignatureShape, isAuthFailure } from '../src/auth.js';

function reference(header: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of header.trim().split(/[,\s]+/).slice(1)) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return params;
}

function expectSameAsReference(header: string): void {
  const shape = checkSignatureShape({ url: '/', headers: { authorization: header, 'x-amz-date': '20260101T000000Z' } });
  const params = reference(header);
  let message = '';
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) if (!params.get(name)) message += `Authorization header requires '${name}' parameter. `;
  if (message) {
    expect(shape).toEqual({ type: 'IncompleteSignatureException', message: `${message}Authorization=${header}` });
  } else {
    expect(isAuthFailure(shape)).toBe(false);
    expect(shape).toMatchObject({ credential: params.get('Credential'), signature: params.get('Signature'), signedHeaders: params.get('SignedHeaders') });
  }
}

describe('Authorization header parameters', () => {
  it('reads what splitting at /[,\\s]+/ reads, for any characters', () => {
    const char = fc.constantFrom(',', ' ', '\t', '\n', '=', 'a', 'B', '/', ';', '\xa0', '\x85', '\u2028', '\u3000', '\ufeff');
    fc.assert(fc.property(fc.array(char, { maxLength: 30 }), (chars) => expectSameAsReference(`AWS4-HMAC-SHA256${chars.join('')}`)), { numRuns: 3000 });
  });

  it('reads the parameters of header-shaped values', () => {
    const name = fc.oneof(fc.constantFrom('Credential', 'Signature', 'SignedHeaders', 'x', ''), fc.string({ maxLength: 4 }));
    const separator = fc.constantFrom(',', ', ', ' ', ',,', '\t', ' ,', '');
    const word = fc.tuple(name, fc.string({ maxLength: 6 }), separator).map(([n, v, s]) => `${n}=${v}${s}`);
    fc.assert(
      fc.property(fc.constantFrom('', ' ', '\t '), fc.array(word, { maxLength: 6 }), fc.constantFrom('', ' ', ','), (lead, words, tail) =>
        expectSameAsReference(`${lead}AWS4-HMAC-SHA256 ${words.join('')}${tail}`),
      ),
      { numRuns: 3000 },
    );
  });
});
