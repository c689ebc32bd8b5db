import { describe, expect, it } from 'vitest';
import { messageOf } from '../../test/support/expect-errors.js';
import type { PrimaryKeySchema } from './key-schema.js';
import { validateItem } from './validate-item.js';
import { keyOf, validateItemKey, validateKey } from './validate-key.js';

const hashOnly: PrimaryKeySchema = { partitionKeys: [{ name: 'pk', type: 'S' }], sortKeys: [] };
const composite: PrimaryKeySchema = { partitionKeys: [{ name: 'pk', type: 'S' }], sortKeys: [{ name: 'sk', type: 'N' }] };
const binary: PrimaryKeySchema = { partitionKeys: [{ name: 'pk', type: 'B' }], sortKeys: [{ name: 'sk', type: 'S' }] };

describe('validateItemKey', () => {
  it('accepts an item with the key attributes', () => {
    expect(() => validateItemKey(validateItem({ pk: { S: 'a' }, sk: { N: '1' }, x: { S: '' } }), composite)).not.toThrow();
  });

  it('rejects a missing key attribute with DynamoDB\'s message', () => {
    expect(messageOf(() => validateItemKey(validateItem({ pk: { S: 'a' } }), composite))).toBe(
      'One or more parameter values were invalid: Missing the key sk in the item',
    );
  });

  it('rejects a key attribute of the wrong type with DynamoDB\'s message', () => {
    expect(messageOf(() => validateItemKey(validateItem({ pk: { S: 'a' }, sk: { S: '1' } }), composite))).toBe(
      'One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S',
    );
  });

  it('rejects an empty string key with DynamoDB\'s message', () => {
    expect(messageOf(() => validateItemKey(validateItem({ pk: { S: '' } }), hashOnly))).toBe(
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    );
  });

  it('rejects an empty binary key with DynamoDB\'s message', () => {
    expect(messageOf(() => validateItemKey(validateItem({ pk: { B: new Uint8Array(0) }, sk: { S: 'a' } }), binary))).toBe(
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: pk',
    );
  });

  it('accepts a 2048-byte partition key and rejects 2049 bytes', () => {
    expect(() => validateItemKey(validateItem({ pk: { S: 'a'.repeat(2048) } }), hashOnly)).not.toThrow();
    expect(messageOf(() => validateItemKey(validateItem({ pk: { S: 'a'.repeat(2049) } }), hashOnly))).toBe(
      'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
    );
  });

  it('measures key size in UTF-8 bytes', () => {
    expect(() => validateItemKey(validateItem({ pk: { S: 'é'.repeat(1025) } }), hashOnly)).toThrow(/of2048 bytes/);
  });

  it('accepts a 1024-byte sort key and rejects 1025 bytes', () => {
    const schema: PrimaryKeySchema = { partitionKeys: [{ name: 'pk', type: 'S' }], sortKeys: [{ name: 'sk', type: 'S' }] };
    expect(() => validateItemKey(validateItem({ pk: { S: 'a' }, sk: { S: 'b'.repeat(1024) } }), schema)).not.toThrow();
    expect(messageOf(() => validateItemKey(validateItem({ pk: { S: 'a' }, sk: { S: 'b'.repeat(1025) } }), schema))).toBe(
      'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
    );
  });
});

describe('validateKey', () => {
  it('returns the normalized, frozen key', () => {
    const key = validateKey({ pk: { S: 'a' }, sk: { N: '01.0' } }, composite);
    expect(key).toEqual({ pk: { S: 'a' }, sk: { N: '1' } });
    expect(Object.isFrozen(key)).toBe(true);
    expect(Object.isFrozen(key.sk)).toBe(true);
  });

  it.each([
    ['a missing sort key', { pk: { S: 'a' } }],
    ['an extra attribute', { pk: { S: 'a' }, sk: { N: '1' }, x: { S: 'b' } }],
    ['a wrong attribute name', { pk: { S: 'a' }, other: { N: '1' } }],
    ['a wrong type', { pk: { S: 'a' }, sk: { S: '1' } }],
  ])('rejects %s as not matching the schema', (_label, key) => {
    expect(messageOf(() => validateKey(key, composite))).toBe('The provided key element does not match the schema');
  });

  it('reports an invalid AttributeValue before the schema mismatch', () => {
    expect(messageOf(() => validateKey({ pk: { S: 'a' }, sk: { N: 'x' } }, hashOnly))).toBe(
      'The parameter cannot be converted to a numeric value: x',
    );
  });

  it('rejects an empty string key value with DynamoDB\'s message', () => {
    expect(messageOf(() => validateKey({ pk: { S: '' } }, hashOnly))).toBe(
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    );
  });

  it('rejects an over-limit partition key on the read path', () => {
    expect(messageOf(() => validateKey({ pk: { S: 'a'.repeat(2049) } }, hashOnly))).toBe(
      'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
    );
  });
});

describe('keyOf', () => {
  it('returns just the key attributes, frozen', () => {
    const item = validateItem({ pk: { S: 'a' }, sk: { N: '2' }, x: { BOOL: true } });
    const key = keyOf(item, composite);
    expect(key).toEqual({ pk: { S: 'a' }, sk: { N: '2' } });
    expect(Object.isFrozen(key)).toBe(true);
  });
});
