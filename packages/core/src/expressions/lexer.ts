/**
 * The lexer of DynamoDB's expression language: expression text → tokens (kind, start, end), kept in
 * parallel arrays for speed. Token text is sliced from the source only when the parser needs it.
 *
 * Tokens, as DynamoDB reads them:
 * - a name: a letter, then letters, digits and `_` (`_a` and `1a` are not names);
 * - `#` / `:` then one or more of [A-Za-z0-9_]: a name / value placeholder (a lone `#` or `:` is a bad token);
 * - an integer: `0`, or a non-zero digit then digits (so `01` is two tokens);
 * - the keywords AND OR NOT BETWEEN IN SET REMOVE ADD DELETE, in any letter case;
 * - `=` `<>` `<` `<=` `>` `>=` `(` `)` `[` `]` `,` `.` `+` `-`;
 * - any other character is a token of its own that no rule accepts (a syntax error naming it).
 * Space, tab, CR and LF separate tokens.
 */

export const T_NAME = 1;
export const T_NAME_PLACEHOLDER = 2;
export const T_VALUE_PLACEHOLDER = 3;
export const T_INT = 4;
export const T_AND = 5;
export const T_OR = 6;
export const T_NOT = 7;
export const T_BETWEEN = 8;
export const T_IN = 9;
export const T_SET = 10;
export const T_REMOVE = 11;
export const T_ADD = 12;
export const T_DELETE = 13;
export const T_EQ = 14;
export const T_NE = 15;
export const T_LT = 16;
export const T_LE = 17;
export const T_GT = 18;
export const T_GE = 19;
export const T_LPAREN = 20;
export const T_RPAREN = 21;
export const T_LBRACKET = 22;
export const T_RBRACKET = 23;
export const T_COMMA = 24;
export const T_DOT = 25;
export const T_PLUS = 26;
export const T_MINUS = 27;
/** A character no rule accepts. */
export const T_BAD = 28;
/** The end of the text (always the last token). */
export const T_EOF = 29;

/** The token kinds as one object, for modules that copy them into local constants (fast under any module transform). */
export const TOKEN = {
  NAME: T_NAME,
  NAME_PLACEHOLDER: T_NAME_PLACEHOLDER,
  VALUE_PLACEHOLDER: T_VALUE_PLACEHOLDER,
  INT: T_INT,
  AND: T_AND,
  OR: T_OR,
  NOT: T_NOT,
  BETWEEN: T_BETWEEN,
  IN: T_IN,
  SET: T_SET,
  REMOVE: T_REMOVE,
  ADD: T_ADD,
  DELETE: T_DELETE,
  EQ: T_EQ,
  NE: T_NE,
  LT: T_LT,
  LE: T_LE,
  GT: T_GT,
  GE: T_GE,
  LPAREN: T_LPAREN,
  RPAREN: T_RPAREN,
  LBRACKET: T_LBRACKET,
  RBRACKET: T_RBRACKET,
  COMMA: T_COMMA,
  DOT: T_DOT,
  PLUS: T_PLUS,
  MINUS: T_MINUS,
  BAD: T_BAD,
  EOF: T_EOF,
} as const;

/** The tokens of one expression text. Token i spans `text.slice(starts[i], ends[i])`. */
export interface Tokens {
  readonly text: string;
  readonly kinds: number[];
  readonly starts: number[];
  readonly ends: number[];
  /** Number of tokens, including the final EOF. */
  readonly count: number;
}

// Character classes, by char code (ASCII only; everything else is "other").
const C_OTHER = 0;
const C_LETTER = 1;
const C_DIGIT = 2;
const C_UNDERSCORE = 3;
const C_SPACE = 4;
const CLASS = new Uint8Array(128);
for (let c = 65; c <= 90; c++) CLASS[c] = C_LETTER;
for (let c = 97; c <= 122; c++) CLASS[c] = C_LETTER;
for (let c = 48; c <= 57; c++) CLASS[c] = C_DIGIT;
CLASS[95] = C_UNDERSCORE;
CLASS[32] = C_SPACE;
CLASS[9] = C_SPACE;
CLASS[10] = C_SPACE;
CLASS[13] = C_SPACE;

function classOf(code: number): number {
  return code < 128 ? (CLASS[code] as number) : C_OTHER;
}
function isWordChar(code: number): boolean {
  const c = code < 128 ? (CLASS[code] as number) : C_OTHER;
  return c === C_LETTER || c === C_DIGIT || c === C_UNDERSCORE;
}

const KEYWORDS: ReadonlyMap<string, number> = new Map([
  ['AND', T_AND],
  ['OR', T_OR],
  ['NOT', T_NOT],
  ['BETWEEN', T_BETWEEN],
  ['IN', T_IN],
  ['SET', T_SET],
  ['REMOVE', T_REMOVE],
  ['ADD', T_ADD],
  ['DELETE', T_DELETE],
]);

/** Splits expression text into tokens. Never throws: characters nothing accepts become T_BAD tokens. */
export function tokenize(text: string): Tokens {
  const kinds: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    const cls = classOf(code);
    if (cls === C_SPACE) {
      i++;
      continue;
    }
    const start = i;
    let kind: number;
    if (cls === C_LETTER) {
      i++;
      while (i < n && isWordChar(text.charCodeAt(i))) i++;
      kind = T_NAME;
      const len = i - start;
      if (len >= 2 && len <= 7) {
        const keyword = KEYWORDS.get(text.slice(start, i).toUpperCase());
        if (keyword !== undefined) kind = keyword;
      }
    } else if (cls === C_DIGIT) {
      i++;
      if (code !== 48) while (i < n && classOf(text.charCodeAt(i)) === C_DIGIT) i++;
      kind = T_INT;
    } else {
      switch (code) {
        case 35: // #
        case 58: // :
          i++;
          while (i < n && isWordChar(text.charCodeAt(i))) i++;
          kind = i === start + 1 ? T_BAD : code === 35 ? T_NAME_PLACEHOLDER : T_VALUE_PLACEHOLDER;
          break;
        case 61: // =
          i++;
          kind = T_EQ;
          break;
        case 60: {
          // <  <=  <>
          const next = text.charCodeAt(i + 1);
          if (next === 62) {
            i += 2;
            kind = T_NE;
          } else if (next === 61) {
            i += 2;
            kind = T_LE;
          } else {
            i++;
            kind = T_LT;
          }
          break;
        }
        case 62: // >  >=
          if (text.charCodeAt(i + 1) === 61) {
            i += 2;
            kind = T_GE;
          } else {
            i++;
            kind = T_GT;
          }
          break;
        case 40:
          i++;
          kind = T_LPAREN;
          break;
        case 41:
          i++;
          kind = T_RPAREN;
          break;
        case 91:
          i++;
          kind = T_LBRACKET;
          break;
        case 93:
          i++;
          kind = T_RBRACKET;
          break;
        case 44:
          i++;
          kind = T_COMMA;
          break;
        case 46:
          i++;
          kind = T_DOT;
          break;
        case 43:
          i++;
          kind = T_PLUS;
          break;
        case 45:
          i++;
          kind = T_MINUS;
          break;
        default: {
          // One character (a whole code point, so a surrogate pair stays together).
          i += code >= 0xd800 && code <= 0xdbff && i + 1 < n ? 2 : 1;
          kind = T_BAD;
        }
      }
    }
    kinds.push(kind);
    starts.push(start);
    ends.push(i);
  }
  // The end sits right after the last token: DynamoDB's `near` text leaves trailing whitespace out.
  const end = ends.length > 0 ? (ends[ends.length - 1] as number) : 0;
  kinds.push(T_EOF);
  starts.push(end);
  ends.push(end);
  return { text, kinds, starts, ends, count: kinds.length };
}

/** The text of token i as DynamoDB's messages show it (`<EOF>` for the end). */
function tokenText(tokens: Tokens, i: number): string {
  if (tokens.kinds[i] === T_EOF) return '<EOF>';
  return tokens.text.slice(tokens.starts[i], tokens.ends[i]);
}

/**
 * DynamoDB's syntax error detail for token i: the token, and the text from the start of the token before
 * it to the end of the token after it (spacing as written).
 *
 * @example syntaxErrorDetail(tokenize('a = list_append(a, 0)'), 8) // 'Syntax error; token: "0", near: ", 0)"'
 */
export function syntaxErrorDetail(tokens: Tokens, i: number): string {
  const from = i > 0 ? (tokens.starts[i - 1] as number) : (tokens.starts[i] as number);
  const to = i + 1 < tokens.count ? (tokens.ends[i + 1] as number) : (tokens.ends[i] as number);
  return `Syntax error; token: "${tokenText(tokens, i)}", near: "${tokens.text.slice(from, to)}"`;
}
