import { malformed } from './messages.js';

/**
 * The tokens of PartiQL for DynamoDB: bare identifiers (keywords are bare identifiers the parser
 * recognises, case-insensitively), "quoted identifiers" (case-sensitive names), 'string literals'
 * (`''` is a quote inside one), numbers, `?` parameters and punctuation.
 */
export type TokenKind = 'identifier' | 'quoted' | 'string' | 'number' | 'parameter' | 'punctuation' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The text: the identifier, the quoted name or string without its quotes, the number, or the punctuation. */
  readonly text: string;
  /** Offset in the statement. */
  readonly at: number;
}

/** Two-character punctuation first, so `<=` is not `<` then `=`. */
const PUNCTUATION = ['<<', '>>', '<=', '>=', '<>', '!=', '(', ')', '[', ']', '{', '}', ',', '.', ':', '*', '=', '<', '>', '+', '-', '?'];

function isIdentifierStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Splits a statement into tokens, ending with an `end` token. O(n). */
export function tokenize(statement: string): Token[] {
  const tokens: Token[] = [];
  const n = statement.length;
  let i = 0;
  while (i < n) {
    const c = statement[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    // -- comments run to the end of the line
    if (c === '-' && statement[i + 1] === '-') {
      while (i < n && statement[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (isIdentifierStart(c)) {
      while (i < n && (isIdentifierStart(statement[i]!) || isDigit(statement[i]))) i++;
      tokens.push({ kind: 'identifier', text: statement.slice(start, i), at: start });
    } else if (c === '"' || c === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= n) throw malformed(c === '"' ? 'Unterminated quoted identifier' : 'Unterminated string literal');
        const d = statement[i]!;
        if (d === c) {
          if (statement[i + 1] === c) {
            text += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += d;
        i++;
      }
      tokens.push({ kind: c === '"' ? 'quoted' : 'string', text, at: start });
    } else if (isDigit(c) || (c === '.' && isDigit(statement[i + 1]))) {
      while (isDigit(statement[i])) i++;
      if (statement[i] === '.' && isDigit(statement[i + 1])) {
        i++;
        while (isDigit(statement[i])) i++;
      }
      if ((statement[i] === 'e' || statement[i] === 'E') && (isDigit(statement[i + 1]) || ((statement[i + 1] === '+' || statement[i + 1] === '-') && isDigit(statement[i + 2])))) {
        i += 2;
        while (isDigit(statement[i])) i++;
      }
      tokens.push({ kind: 'number', text: statement.slice(start, i), at: start });
    } else {
      const punctuation = PUNCTUATION.find((p) => statement.startsWith(p, i));
      if (punctuation === undefined) throw malformed(`Unexpected character '${c}'`);
      i += punctuation.length;
      tokens.push({ kind: punctuation === '?' ? 'parameter' : 'punctuation', text: punctuation, at: start });
    }
  }
  tokens.push({ kind: 'end', text: '', at: n });
  return tokens;
}
