/** Lambda's event-filter pattern syntax, as triggers' filterCriteria compile it. */
import { describe, expect, it } from 'vitest';
import { InvalidParameterValueException, parseFilterCriteria } from '@magneto/streams';

const record = {
  eventName: 'MODIFY',
  awsRegion: 'us-east-1',
  dynamodb: {
    Keys: { id: { S: 'Order#42' } },
    NewImage: { id: { S: 'Order#42' }, status: { S: 'Shipped' }, tags: { SS: ['a', 'b'] }, flag: { BOOL: true }, gone: { NULL: true } },
    SizeBytes: 120,
  },
  nothing: null,
  empty: '',
};

const matches = (...patterns: object[]) => parseFilterCriteria({ Filters: patterns.map((p) => ({ Pattern: JSON.stringify(p) })) })(record);
const image = (attributes: object) => ({ dynamodb: { NewImage: attributes } });

describe('filter patterns', () => {
  it('exact values, OR within a list, AND across fields, nested fields', () => {
    expect(matches({ eventName: ['MODIFY'] })).toBe(true);
    expect(matches({ eventName: ['INSERT', 'MODIFY'] })).toBe(true);
    expect(matches({ eventName: ['INSERT'] })).toBe(false);
    expect(matches({ eventName: ['MODIFY'], dynamodb: { Keys: { id: { S: ['Order#42'] } } } })).toBe(true);
    expect(matches({ eventName: ['MODIFY'], dynamodb: { Keys: { id: { S: ['Order#41'] } } } })).toBe(false);
    expect(matches(image({ flag: { BOOL: [true] } }))).toBe(true);
    expect(matches(image({ flag: { BOOL: [false] } }))).toBe(false);
    expect(matches({ dynamodb: { SizeBytes: [120] } })).toBe(true);
  });

  it('matches any element of an array field', () => {
    expect(matches(image({ tags: { SS: ['b'] } }))).toBe(true);
    expect(matches(image({ tags: { SS: ['c'] } }))).toBe(false);
  });

  it('prefix, suffix, equals-ignore-case', () => {
    expect(matches({ dynamodb: { Keys: { id: { S: [{ prefix: 'Order#' }] } } } })).toBe(true);
    expect(matches({ dynamodb: { Keys: { id: { S: [{ prefix: 'order#' }] } } } })).toBe(false);
    expect(matches({ dynamodb: { Keys: { id: { S: [{ suffix: '#42' }] } } } })).toBe(true);
    expect(matches({ dynamodb: { Keys: { id: { S: [{ suffix: '#4' }] } } } })).toBe(false);
    expect(matches(image({ status: { S: [{ 'equals-ignore-case': 'SHIPPED' }] } }))).toBe(true);
    expect(matches(image({ status: { S: [{ 'equals-ignore-case': 'pending' }] } }))).toBe(false);
  });

  it('anything-but: values, one value, a prefix; never a missing field', () => {
    expect(matches(image({ status: { S: [{ 'anything-but': ['Pending', 'Cancelled'] }] } }))).toBe(true);
    expect(matches(image({ status: { S: [{ 'anything-but': ['Shipped'] }] } }))).toBe(false);
    expect(matches(image({ status: { S: [{ 'anything-but': 'Shipped' }] } }))).toBe(false);
    expect(matches(image({ status: { S: [{ 'anything-but': { prefix: 'Ship' } }] } }))).toBe(false);
    expect(matches(image({ status: { S: [{ 'anything-but': { prefix: 'Pend' } }] } }))).toBe(true);
    expect(matches(image({ missing: { S: [{ 'anything-but': ['x'] }] } }))).toBe(false);
  });

  it('numeric comparisons and ranges (on JSON numbers)', () => {
    expect(matches({ dynamodb: { SizeBytes: [{ numeric: ['>', 100] }] } })).toBe(true);
    expect(matches({ dynamodb: { SizeBytes: [{ numeric: ['>', 100, '<=', 120] }] } })).toBe(true);
    expect(matches({ dynamodb: { SizeBytes: [{ numeric: ['>=', 121] }] } })).toBe(false);
    expect(matches({ dynamodb: { SizeBytes: [{ numeric: ['=', 120] }] } })).toBe(true);
    expect(matches({ dynamodb: { SizeBytes: [{ numeric: ['>', 0, '<', 120] }] } })).toBe(false);
    // DynamoDB JSON carries N as a string: a numeric matcher does not see it as a number.
    expect(matches({ dynamodb: { Keys: { id: { S: [{ numeric: ['>', 0] }] } } } })).toBe(false);
  });

  it('exists, null and empty string', () => {
    expect(matches(image({ status: { S: [{ exists: true }] } }))).toBe(true);
    expect(matches(image({ discount: { N: [{ exists: true }] } }))).toBe(false);
    expect(matches(image({ discount: [{ exists: false }] }))).toBe(true);
    expect(matches(image({ status: [{ exists: false }] }))).toBe(false);
    expect(matches({ nothing: [null] })).toBe(true);
    expect(matches({ absent: [null] })).toBe(false);
    expect(matches({ empty: [''] })).toBe(true);
    expect(matches({ eventName: [''] })).toBe(false);
  });

  it('OR across filters and $or across fields', () => {
    expect(matches({ eventName: ['INSERT'] }, { eventName: ['MODIFY'] })).toBe(true);
    expect(matches({ eventName: ['INSERT'] }, { eventName: ['REMOVE'] })).toBe(false);
    expect(matches({ $or: [{ eventName: ['INSERT'] }, { dynamodb: { SizeBytes: [120] } }] })).toBe(true);
    expect(matches({ $or: [{ eventName: ['INSERT'] }, { dynamodb: { SizeBytes: [1] } }] })).toBe(false);
  });

  it('no filters means no filtering', () => {
    expect(parseFilterCriteria({ Filters: [] })(record)).toBe(true);
  });

  it('refuses patterns Lambda refuses', () => {
    const bad = (Pattern: string) => () => parseFilterCriteria({ Filters: [{ Pattern }] });
    for (const pattern of [
      'not json',
      '[]',
      '{"a":"b"}',
      '{"a":[]}',
      '{"a":[{"prefix":1}]}',
      '{"a":[{"numeric":[">"]}]}',
      '{"a":[{"numeric":["<",5,">",1]}]}',
      '{"a":[{"numeric":["!=",5]}]}',
      '{"a":[{"exists":"yes"}]}',
      '{"a":[{"wat":1}]}',
      '{"a":[{"prefix":"x","suffix":"y"}]}',
      '{"$or":[{"a":["x"]}]}',
      '{"a":[{"anything-but":[]}]}',
    ]) {
      expect(bad(pattern), pattern).toThrow(InvalidParameterValueException);
    }
    expect(bad('x'.repeat(4097))).toThrow(/at most 4096/);
    expect(() => parseFilterCriteria({ Filters: Array.from({ length: 6 }, () => ({ Pattern: '{}' })) })).toThrow(/at most 5 filters/);
  });
});
