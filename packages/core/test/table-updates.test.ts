/**
 * Property: an update through an immer draft stores exactly what the recipe made. Random recipes
 * (scalars, counters, bigint, sets, nested maps and lists, removals) run both on the draft and on a
 * plain reference copy; after each update the stored item, read back, equals the reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database, Table, attr, defineTable } from '../src/index.js';

const Docs = defineTable({
  name: 'docs',
  attributes: {
    id: attr.string(),
    name: attr.string(),
    visits: attr.number(),
    tags: attr.stringSet(),
    scores: attr.numberSet(),
    nickname: attr.string().optional(),
    balance: attr.bigint().optional(),
    profile: attr.object({ city: attr.string(), langs: attr.list(attr.string()), pets: attr.stringSet() }).optional(),
    history: attr.list(attr.object({ at: attr.number(), what: attr.string() })).optional(),
    extra: attr.map(attr.number()).optional(),
    rev: attr.number().optional(),
  },
  partitionKey: 'id',
  version: 'rev',
});
type Doc = typeof Docs._item;

/** A mutation, applied alike to the immer draft and to the reference copy. */
type Mutation = { label: string; apply: (doc: Doc) => void };

const word = fc.constantFrom('a', 'b', 'c', 'd', 'x y', 'é', '');
const nonEmpty = fc.constantFrom('a', 'b', 'c', 'd', 'x y', 'é');

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  word.map((v) => ({ label: `name=${v}`, apply: (d: Doc) => void (d.name = v) })),
  fc.integer({ min: -5, max: 5 }).map((n) => ({ label: `visits+=${n}`, apply: (d: Doc) => void (d.visits += n) })),
  // Within DynamoDB's range (1E-130 … 1E+126): fractions of the kind applications hold.
  fc.integer({ min: -10_000, max: 10_000 }).map((n) => n / 100).map((v) => ({ label: `visits=${v}`, apply: (d: Doc) => void (d.visits = v) })),
  nonEmpty.map((t) => ({ label: `tags.add(${t})`, apply: (d: Doc) => void d.tags.add(t) })),
  nonEmpty.map((t) => ({ label: `tags.delete(${t})`, apply: (d: Doc) => void d.tags.delete(t) })),
  fc.integer({ min: 0, max: 4 }).map((n) => ({ label: `scores.add(${n})`, apply: (d: Doc) => void d.scores.add(n) })),
  fc.constant({ label: 'scores.clear()', apply: (d: Doc) => d.scores.clear() }),
  fc.option(word, { nil: undefined }).map((v) => ({
    label: `nickname=${v}`,
    apply: (d: Doc) => {
      if (v === undefined) delete d.nickname;
      else d.nickname = v;
    },
  })),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => ({ label: `balance+=${n}`, apply: (d: Doc) => void (d.balance = (d.balance ?? 0n) + n) })),
  fc.constant({ label: 'delete balance', apply: (d: Doc) => void delete d.balance }),
  word.map((city) => ({ label: `profile=${city}`, apply: (d: Doc) => void (d.profile = { city, langs: [], pets: new Set() }) })),
  fc.constant({ label: 'delete profile', apply: (d: Doc) => void delete d.profile }),
  word.map((city) => ({ label: `profile.city=${city}`, apply: (d: Doc) => void (d.profile && (d.profile.city = city)) })),
  word.map((l) => ({ label: `langs.push(${l})`, apply: (d: Doc) => void d.profile?.langs.push(l) })),
  fc.constant({ label: 'langs.pop()', apply: (d: Doc) => void d.profile?.langs.pop() }),
  fc.tuple(fc.nat(3), word).map(([i, l]) => ({
    label: `langs[${i}]=${l}`,
    apply: (d: Doc) => {
      if (d.profile && i < d.profile.langs.length) d.profile.langs[i] = l;
    },
  })),
  nonEmpty.map((p) => ({ label: `pets.add(${p})`, apply: (d: Doc) => void d.profile?.pets.add(p) })),
  nonEmpty.map((p) => ({ label: `pets.delete(${p})`, apply: (d: Doc) => void d.profile?.pets.delete(p) })),
  fc.tuple(fc.integer(), word).map(([at, what]) => ({ label: `history.push(${at})`, apply: (d: Doc) => void (d.history ??= []).push({ at, what }) })),
  fc.nat(3).map((i) => ({ label: `history.splice(${i})`, apply: (d: Doc) => void d.history?.splice(i, 1) })),
  fc.tuple(fc.nat(3), word).map(([i, what]) => ({
    label: `history[${i}].what=${what}`,
    apply: (d: Doc) => {
      const entry = d.history?.[i];
      if (entry) entry.what = what;
    },
  })),
  fc.tuple(fc.constantFrom('k', 'l', 'weird.key', '#x'), fc.integer({ min: -9, max: 9 })).map(([k, n]) => ({
    label: `extra[${k}]=${n}`,
    apply: (d: Doc) => void ((d.extra ??= {})[k] = n),
  })),
  fc.constantFrom('k', 'l', 'weird.key').map((k) => ({ label: `delete extra[${k}]`, apply: (d: Doc) => void (d.extra && delete d.extra[k]) })),
);

const initial = (): Doc => ({
  id: 'doc',
  name: 'start',
  visits: 0,
  tags: new Set(['a']),
  scores: new Set([1]),
  profile: { city: 'c', langs: ['en', 'fr'], pets: new Set(['cat']) },
  history: [
    { at: 1, what: 'one' },
    { at: 2, what: 'two' },
  ],
});

describe('updates through drafts (property)', () => {
  it('store exactly what the recipe produced', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(mutation, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), async (recipes) => {
        const db = new Database();
        await db.createTable(Docs.createTableInput());
        const docs = new Table(Docs, db);
        const reference = initial();
        await docs.put(initial());
        for (const recipe of recipes) {
          for (const m of recipe) m.apply(reference);
          reference.rev = (reference.rev ?? 0) + 1;
          const returned = await docs.update({ id: 'doc' }, (draft) => {
            for (const m of recipe) m.apply(draft as Doc);
          });
          const stored = await docs.get({ id: 'doc' });
          expect(stored).toEqual(reference);
          expect(returned).toEqual(reference);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('updates through drafts (names of Object.prototype members)', () => {
  it('removes and changes a map key named toString or constructor like any other key', async () => {
    const db = new Database();
    await db.createTable(Docs.createTableInput());
    const docs = new Table(Docs, db);
    await docs.put({ id: 'doc', name: 'n', visits: 1, tags: new Set(['a']), scores: new Set([1]), extra: { toString: 1, constructor: 2, other: 3 } });
    const [removed, changed]: string[] = ['toString', 'constructor'];
    await docs.update({ id: 'doc' }, (draft) => {
      const extra: Record<string, number> = draft.extra!;
      delete extra[removed!];
      extra[changed!] = 5;
    });
    const stored = await db.getItem({ TableName: 'docs', Key: { id: { S: 'doc' } } });
    expect(stored.Item?.extra).toEqual({ M: { constructor: { N: '5' }, other: { N: '3' } } });
  });
});
