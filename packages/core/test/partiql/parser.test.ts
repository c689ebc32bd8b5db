/**
 * The PartiQL parser: each statement form to its typed AST, PartiQL's value syntax, `?` counting, and
 * the "Statement wasn't well formed" envelope for what it cannot read.
 */
import { describe, expect, it } from 'vitest';
import { ValidationException } from '../../src/index.js';
import { parseStatement } from '../../src/partiql/parser.js';

const MALFORMED = "Statement wasn't well formed, can't be processed: ";
const path = (...elements: (string | number)[]) => ({
  kind: 'path',
  elements: elements.map((e) => (typeof e === 'number' ? { kind: 'index', index: e } : { kind: 'name', name: e })),
});

describe('parseStatement', () => {
  it('parses SELECT with projections, an index source, WHERE and ORDER BY', () => {
    const { statement, parameterCount } = parseStatement(`select a, "b".c[2] from "t"."i" where x = ? and (y between 1 and ? or not z is missing) order by s desc`);
    expect(parameterCount).toBe(2);
    expect(statement).toEqual({
      kind: 'select',
      projection: [path('a'), path('b', 'c', 2)],
      source: { tableName: 't', indexName: 'i' },
      where: {
        kind: 'and',
        left: { kind: 'comparison', operator: '=', left: path('x'), right: { kind: 'parameter', index: 0 } },
        right: {
          kind: 'or',
          left: { kind: 'between', operand: path('y'), low: { kind: 'number', text: '1' }, high: { kind: 'parameter', index: 1 } },
          right: { kind: 'not', operand: { kind: 'isMissing', path: path('z') } },
        },
      },
      orderBy: { path: path('s'), descending: true },
    });
  });

  it("reads PartiQL values: strings with '' escapes, signed numbers, sets, lists, maps, booleans and NULL", () => {
    const { statement } = parseStatement(`INSERT INTO t VALUE {'s': 'it''s', 'n': -1.5e3, 'ss': <<'a'>>, 'l': [TRUE, NULL], 'm': {'k': [1]}}`);
    expect(statement).toEqual({
      kind: 'insert',
      source: { tableName: 't' },
      item: {
        kind: 'map',
        entries: [
          { key: 's', value: { kind: 'string', text: "it's" } },
          { key: 'n', value: { kind: 'number', text: '-1.5e3' } },
          { key: 'ss', value: { kind: 'set', members: [{ kind: 'string', text: 'a' }] } },
          { key: 'l', value: { kind: 'list', members: [{ kind: 'boolean', value: true }, { kind: 'null' }] } },
          { key: 'm', value: { kind: 'map', entries: [{ key: 'k', value: { kind: 'list', members: [{ kind: 'number', text: '1' }] } }] } },
        ],
      },
    });
  });

  it('parses UPDATE clauses in order and RETURNING', () => {
    const { statement } = parseStatement(`UPDATE t SET a = a + 1, b = list_append(b, [1]) REMOVE c SET d = 'x' WHERE k = 1 RETURNING MODIFIED NEW *`);
    expect(statement).toMatchObject({ kind: 'update', returning: 'MODIFIED_NEW' });
    expect((statement as unknown as { clauses: { kind: string }[] }).clauses.map((c) => c.kind)).toEqual(['set', 'set', 'remove', 'set']);
  });

  it('parses DELETE and EXISTS', () => {
    expect(parseStatement(`DELETE FROM t WHERE k = 1 RETURNING ALL OLD *`).statement).toMatchObject({ kind: 'delete', returning: 'ALL_OLD' });
    expect(parseStatement(`EXISTS(SELECT * FROM t WHERE k = 1 AND begins_with(a, 'x'))`).statement).toMatchObject({ kind: 'exists', select: { kind: 'select' } });
  });

  it.each([
    ['', 'Expected data manipulation'],
    ['CREATE TABLE t', 'Expected data manipulation'],
    ['SELECT * FROM', 'Unexpected end of statement: Expected identifier'],
    ["SELECT * FROM t WHERE a = 'x", 'Unterminated string literal'],
    ['SELECT * FROM t WHERE a', 'Unexpected end of statement: Expected a comparison'],
    ['SELECT * FROM t extra', "Unexpected token 'extra' at offset 16: Expected end of statement"],
    ['SELECT * FROM t WHERE a = 1 AND', 'Unexpected end of statement: Expected a value'],
    ['UPDATE t WHERE a = 1', "Unexpected keyword 'WHERE' at offset 9: Expected SET or REMOVE"],
    ["INSERT INTO t VALUE {'a': <<1, 'x'>>}", null],
  ])('refuses %j', (text, detail) => {
    if (detail === null) {
      expect(() => parseStatement(text)).not.toThrow();
      return;
    }
    const error = (() => {
      try {
        parseStatement(text);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toBe(MALFORMED + detail);
  });
});
