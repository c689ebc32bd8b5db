import { describe, expect, it } from 'vitest';
import { syntaxErrorDetail, T_AND, T_BAD, T_EOF, T_INT, T_LE, T_NAME, T_NAME_PLACEHOLDER, T_NE, T_VALUE_PLACEHOLDER, tokenize } from './lexer.js';

const kinds = (text: string): number[] => tokenize(text).kinds;

describe('tokenize', () => {
  it('splits names, placeholders, integers, keywords and operators, ignoring whitespace', () => {
    expect(kinds('a1_b\t#x_1 :v\n12 aNd <> <=')).toEqual([T_NAME, T_NAME_PLACEHOLDER, T_VALUE_PLACEHOLDER, T_INT, T_AND, T_NE, T_LE, T_EOF]);
  });

  it('reads a lone # or : and unknown characters as bad tokens', () => {
    expect(kinds('# : ~ é')).toEqual([T_BAD, T_BAD, T_BAD, T_BAD, T_EOF]);
  });

  it('reads 0 as an integer of its own, so 01 is two tokens', () => {
    expect(kinds('01')).toEqual([T_INT, T_INT, T_EOF]);
    expect(kinds('10')).toEqual([T_INT, T_EOF]);
  });

  it('keeps a surrogate pair together as one bad token', () => {
    const t = tokenize('😀a');
    expect(t.kinds).toEqual([T_BAD, T_NAME, T_EOF]);
    expect(t.ends[0]).toBe(2);
  });

  it('places the end right after the last token', () => {
    const t = tokenize('a   ');
    expect(t.starts[1]).toBe(1);
  });
});

describe('syntaxErrorDetail', () => {
  it('shows the token and the text from the token before to the token after', () => {
    expect(syntaxErrorDetail(tokenize('a = list_append(a,   0)'), 6)).toBe('Syntax error; token: "0", near: ",   0)"');
  });

  it('shows <EOF> near the last token', () => {
    expect(syntaxErrorDetail(tokenize('a =  '), 2)).toBe('Syntax error; token: "<EOF>", near: "="');
  });
});
