/**
 * Properties of conditional writes through the public API: a write whose condition fails changes nothing
 * (item, ItemCount, change feed) and reports ConditionalCheckFailedException; one whose condition holds
 * takes effect; no update ever stores an invalid item.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConditionalCheckFailedException,
  Database,
  ValidationException,
  type AttributeValue,
  type ChangeBatch,
  type Item,
} from '../src/index.js';
import { validateItem } from '../src/model/validate-item.js';

const scalar: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.constantFrom('a', 'ab', 'b', 'ü', '').map((S) => ({ S })),
  fc.constantFrom('-1', '0', '1', '2.5', '10').map((N) => ({ N })),
  fc.boolean().map((BOOL) => ({ BOOL })),
  fc.constant({ NULL: true as const }),
  fc.constantFrom(['a'], ['a', 'b']).map((SS) => ({ SS: [...SS] })),
  fc.constantFrom(['1'], ['1', '2']).map((NS) => ({ NS: [...NS] })),
  fc.array(fc.constantFrom<AttributeValue>({ S: 'x' }, { N: '1' }), { maxLength: 3 }).map((L) => ({ L })),
);

const attributes = fc.record({ a: scalar, b: scalar, c: scalar }, { requiredKeys: [] });

/** Conditions over #a/#b/#c with values :v (a scalar) and :n (a number). */
const atom = fc.constantFrom(
  'attribute_exists(#a)',
  'attribute_not_exists(#b)',
  '#a = :v',
  '#b <> :v',
  '#c < :v',
  '#a >= :v',
  'begins_with(#a, :v)',
  'contains(#b, :v)',
  'size(#c) > :n',
  '#a BETWEEN :v AND :v',
  '#b IN (:v, :n)',
  'attribute_type(#c, :t)',
);
const condition: fc.Arbitrary<string> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.tuple(tie('node'), tie('node')).map(([l, r]) => `(${l}) AND (${r})`),
    fc.tuple(tie('node'), tie('node')).map(([l, r]) => `(${l}) OR (${r})`),
    tie('node').map((c) => `NOT (${c})`),
  ),
})).node as fc.Arbitrary<string>;

const names = { '#a': 'a', '#b': 'b', '#c': 'c' };
function valuesFor(text: string, v: AttributeValue): Record<string, AttributeValue> {
  const values: Record<string, AttributeValue> = {};
  if (text.includes(':v')) values[':v'] = v;
  if (text.includes(':n')) values[':n'] = { N: '1' };
  if (text.includes(':t')) values[':t'] = { S: 'N' };
  return values;
}
function namesFor(text: string): Record<string, string> {
  return Object.fromEntries(Object.entries(names).filter(([token]) => text.includes(token)));
}

async function setup(): Promise<{ db: Database; batches: ChangeBatch[] }> {
  const batches: ChangeBatch[] = [];
  const db = new Database({ modules: [{ name: 'recorder', install: (ctx) => void ctx.onChange((b) => batches.push(b)) }] });
  await db.createTable({
    TableName: 'items',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  return { db, batches };
}

type Write = 'put' | 'update' | 'delete';

async function conditionalWrite(db: Database, write: Write, text: string, v: AttributeValue, replacement: Item): Promise<void> {
  const common = {
    TableName: 'items',
    ConditionExpression: text,
    ExpressionAttributeNames: namesFor(text),
    ...(Object.keys(valuesFor(text, v)).length > 0 ? { ExpressionAttributeValues: valuesFor(text, v) } : {}),
  };
  if (write === 'put') await db.putItem({ ...common, Item: { id: { S: 'k' }, ...replacement } });
  else if (write === 'delete') await db.deleteItem({ ...common, Key: { id: { S: 'k' } } });
  else {
    await db.updateItem({
      ...common,
      Key: { id: { S: 'k' } },
      UpdateExpression: 'SET #z = :z',
      ExpressionAttributeNames: { ...common.ExpressionAttributeNames, '#z': 'z' },
      ExpressionAttributeValues: { ...valuesFor(text, v), ':z': { S: 'written' } },
    });
  }
}

describe('conditional writes', () => {
  it('a failed condition changes nothing; a holding one takes effect; stored items stay valid', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(attributes, { nil: undefined }),
        condition,
        scalar,
        fc.constantFrom<Write>('put', 'update', 'delete'),
        attributes,
        async (existing, text, v, write, replacement) => {
          const { db, batches } = await setup();
          if (existing) await db.putItem({ TableName: 'items', Item: { id: { S: 'k' }, ...existing } as Item });
          const before = (await db.getItem({ TableName: 'items', Key: { id: { S: 'k' } } })).Item;
          const published = batches.length;
          let failed = false;
          try {
            await conditionalWrite(db, write, text, v, replacement as Item);
          } catch (error) {
            // A value type a function refuses (begins_with on a number, …) is a ValidationException; either way nothing changes.
            if (!(error instanceof ValidationException)) expect(error).toBeInstanceOf(ConditionalCheckFailedException);
            failed = true;
          }
          const after = (await db.getItem({ TableName: 'items', Key: { id: { S: 'k' } } })).Item;
          if (failed) {
            expect(after).toEqual(before);
            expect(batches.length).toBe(published);
            return;
          }
          if (write === 'delete') expect(after).toBeUndefined();
          else {
            expect(after).toBeDefined();
            expect(validateItem(after as Record<string, unknown>)).toEqual(after);
            if (write === 'update') expect(after!.z).toEqual({ S: 'written' });
            else expect(after).toEqual({ id: { S: 'k' }, ...replacement });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
