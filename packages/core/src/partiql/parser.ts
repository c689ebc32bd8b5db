import { ValidationException } from '../errors.js';
import type { PathElement, PathNode } from '../expressions/ast.js';
import type {
  Comparator,
  DeleteStatement,
  InsertStatement,
  Operand,
  ParsedStatement,
  Predicate,
  Returning,
  SelectStatement,
  SetSource,
  Source,
  Statement,
  UpdateClause,
  UpdateStatement,
  ValueNode,
} from './ast.js';
import { tokenize, type Token } from './lexer.js';
import { MSG_EXPECTED_DML, malformed, unsupported } from './messages.js';

/**
 * Parses one PartiQL for DynamoDB statement into its typed AST (recursive descent, one token of
 * lookahead). Throws ValidationException "Statement wasn't well formed, can't be processed: …".
 *
 * @example
 * parseStatement(`SELECT a, b.c[0] FROM "t" WHERE pk = ? AND sk BETWEEN 1 AND 9`).parameterCount; // 1
 */
export function parseStatement(text: string): ParsedStatement {
  const parser = new Parser(tokenize(text));
  const statement = parser.statement();
  parser.expectEnd();
  return { statement, parameterCount: parser.parameters };
}

const COMPARATORS: Readonly<Record<string, Comparator>> = { '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const RETURNING: Readonly<Record<string, Returning>> = { 'ALL OLD': 'ALL_OLD', 'MODIFIED OLD': 'MODIFIED_OLD', 'ALL NEW': 'ALL_NEW', 'MODIFIED NEW': 'MODIFIED_NEW' };
const SET_FUNCTIONS = new Set(['list_append', 'if_not_exists', 'set_add', 'set_delete']);

class Parser {
  private position = 0;
  /** `?` parameters read so far. */
  parameters = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  // ─── tokens ──────────────────────────────────────────────────────────────────────────────────────

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.position + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.position++;
    return token;
  }

  /** Whether the next token is the keyword (a bare identifier, any case). */
  private isKeyword(keyword: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'identifier' && token.text.toUpperCase() === keyword;
  }

  private acceptKeyword(keyword: string): boolean {
    if (!this.isKeyword(keyword)) return false;
    this.position++;
    return true;
  }

  private expectKeyword(keyword: string): void {
    if (!this.acceptKeyword(keyword)) throw this.unexpected(`Expected ${keyword}`);
  }

  private isPunctuation(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punctuation' && token.text === text;
  }

  private acceptPunctuation(text: string): boolean {
    if (!this.isPunctuation(text)) return false;
    this.position++;
    return true;
  }

  private expectPunctuation(text: string): void {
    if (!this.acceptPunctuation(text)) throw this.unexpected(`Expected '${text}'`);
  }

  private unexpected(expected: string): Error {
    const token = this.peek();
    if (token.kind === 'end') return malformed(`Unexpected end of statement: ${expected}`);
    const found = token.kind === 'identifier' && KEYWORDS.has(token.text.toUpperCase()) ? 'keyword' : 'token';
    return malformed(`Unexpected ${found} '${token.text}' at offset ${token.at}: ${expected}`);
  }

  expectEnd(): void {
    if (this.peek().kind !== 'end') throw this.unexpected('Expected end of statement');
  }

  // ─── statements ──────────────────────────────────────────────────────────────────────────────────

  statement(): Statement {
    if (this.isKeyword('SELECT')) return this.select();
    if (this.isKeyword('INSERT')) return this.insert();
    if (this.isKeyword('UPDATE')) return this.update();
    if (this.isKeyword('DELETE')) return this.delete();
    if (this.acceptKeyword('EXISTS')) {
      this.expectPunctuation('(');
      const select = this.select();
      this.expectPunctuation(')');
      return { kind: 'exists', select };
    }
    throw malformed(MSG_EXPECTED_DML);
  }

  private select(): SelectStatement {
    this.expectKeyword('SELECT');
    let projection: PathNode[] | undefined;
    if (!this.acceptPunctuation('*')) {
      if (this.isKeyword('DISTINCT') || this.isKeyword('VALUE')) throw unsupported(`SELECT ${this.next().text.toUpperCase()}`);
      projection = [this.path()];
      while (this.acceptPunctuation(',')) projection.push(this.path());
    }
    this.expectKeyword('FROM');
    const source = this.source();
    const where = this.acceptKeyword('WHERE') ? this.predicate() : undefined;
    let orderBy: SelectStatement['orderBy'];
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      const path = this.path();
      const descending = this.acceptKeyword('DESC');
      if (!descending) this.acceptKeyword('ASC');
      orderBy = { path, descending };
    }
    return { kind: 'select', projection, source, where, orderBy };
  }

  private insert(): InsertStatement {
    this.expectKeyword('INSERT');
    this.expectKeyword('INTO');
    const source = this.source();
    if (!this.acceptKeyword('VALUE')) throw this.unexpected('Expected VALUE');
    const item = this.value();
    return { kind: 'insert', source, item };
  }

  private update(): UpdateStatement {
    this.expectKeyword('UPDATE');
    const source = this.source();
    const clauses: UpdateClause[] = [];
    for (;;) {
      if (this.acceptKeyword('SET')) {
        do {
          const path = this.path();
          this.expectPunctuation('=');
          clauses.push({ kind: 'set', path, value: this.setSource() });
        } while (this.acceptPunctuation(','));
      } else if (this.acceptKeyword('REMOVE')) {
        do clauses.push({ kind: 'remove', path: this.path() });
        while (this.acceptPunctuation(','));
      } else break;
    }
    if (clauses.length === 0) throw this.unexpected('Expected SET or REMOVE');
    const where = this.acceptKeyword('WHERE') ? this.predicate() : undefined;
    return { kind: 'update', source, clauses, where, returning: this.returning() };
  }

  private delete(): DeleteStatement {
    this.expectKeyword('DELETE');
    this.expectKeyword('FROM');
    const source = this.source();
    const where = this.acceptKeyword('WHERE') ? this.predicate() : undefined;
    return { kind: 'delete', source, where, returning: this.returning() };
  }

  private returning(): Returning | undefined {
    if (!this.acceptKeyword('RETURNING')) return undefined;
    const which = this.next().text.toUpperCase();
    const when = this.next().text.toUpperCase();
    const returning = RETURNING[`${which} ${when}`];
    if (returning === undefined) throw malformed('Expected ALL OLD, MODIFIED OLD, ALL NEW or MODIFIED NEW after RETURNING');
    this.expectPunctuation('*');
    return returning;
  }

  /** `"table"` or `"table"."index"` (nubo-db/dynamodb-conformance records both messages against DynamoDB). */
  private source(): Source {
    const names = [this.name()];
    while (this.acceptPunctuation('.')) names.push(this.name());
    if (names.length > 2) throw new ValidationException('A path may contain at most 2 components in the FROM clause');
    if (names.includes('')) throw new ValidationException('Path component cannot be an empty string');
    const [tableName, indexName] = names as [string, string | undefined];
    return indexName === undefined ? { tableName } : { tableName, indexName };
  }

  /** A bare or "quoted" identifier. */
  private name(): string {
    const token = this.peek();
    if (token.kind === 'quoted' || (token.kind === 'identifier' && !KEYWORDS.has(token.text.toUpperCase()))) {
      this.position++;
      return token.text;
    }
    throw this.unexpected('Expected identifier');
  }

  /** `a.b[0]."c"` */
  private path(): PathNode {
    const elements: PathElement[] = [{ kind: 'name', name: this.name() }];
    for (;;) {
      if (this.acceptPunctuation('.')) elements.push({ kind: 'name', name: this.name() });
      else if (this.acceptPunctuation('[')) {
        const token = this.next();
        if (token.kind === 'number' && /^\d+$/.test(token.text)) elements.push({ kind: 'index', index: Number(token.text) });
        else if (token.kind === 'string') elements.push({ kind: 'name', name: token.text });
        else throw malformed('Expected a list index or a quoted map key between [ and ]');
        this.expectPunctuation(']');
      } else return { kind: 'path', elements };
    }
  }

  // ─── WHERE ───────────────────────────────────────────────────────────────────────────────────────

  predicate(): Predicate {
    let left = this.conjunction();
    while (this.acceptKeyword('OR')) left = { kind: 'or', left, right: this.conjunction() };
    return left;
  }

  private conjunction(): Predicate {
    let left = this.negation();
    while (this.acceptKeyword('AND')) left = { kind: 'and', left, right: this.negation() };
    return left;
  }

  private negation(): Predicate {
    if (this.acceptKeyword('NOT')) return { kind: 'not', operand: this.negation() };
    return this.condition();
  }

  private condition(): Predicate {
    if (this.acceptPunctuation('(')) {
      const inner = this.predicate();
      this.expectPunctuation(')');
      return inner;
    }
    const token = this.peek();
    if (token.kind === 'identifier' && this.peek(1).kind === 'punctuation' && this.peek(1).text === '(') {
      const name = token.text.toLowerCase();
      if (name === 'begins_with' || name === 'contains' || name === 'attribute_type') {
        this.position += 2;
        const path = this.path();
        this.expectPunctuation(',');
        const argument = this.operand();
        this.expectPunctuation(')');
        return { kind: 'function', name, path, argument };
      }
    }
    const operand = this.operand();
    const comparator = this.peek().kind === 'punctuation' ? COMPARATORS[this.peek().text] : undefined;
    if (comparator !== undefined) {
      this.position++;
      return { kind: 'comparison', operator: comparator, left: operand, right: this.operand() };
    }
    if (this.acceptKeyword('IS')) {
      const negated = this.acceptKeyword('NOT');
      const path = operandPath(operand, 'IS');
      let tested: Predicate;
      if (this.acceptKeyword('MISSING')) tested = { kind: 'isMissing', path };
      else if (this.acceptKeyword('NULL')) tested = { kind: 'isNull', path };
      else throw this.unexpected('Expected MISSING or NULL');
      return negated ? { kind: 'not', operand: tested } : tested;
    }
    const negated = this.acceptKeyword('NOT');
    let tested: Predicate;
    if (this.acceptKeyword('BETWEEN')) {
      const low = this.operand();
      this.expectKeyword('AND');
      tested = { kind: 'between', operand, low, high: this.operand() };
    } else if (this.acceptKeyword('IN')) {
      const close = this.acceptPunctuation('[') ? ']' : (this.expectPunctuation('('), ')');
      const candidates = [this.operand()];
      while (this.acceptPunctuation(',')) candidates.push(this.operand());
      this.expectPunctuation(close);
      tested = { kind: 'in', operand, candidates };
    } else throw this.unexpected('Expected a comparison');
    return negated ? { kind: 'not', operand: tested } : tested;
  }

  private operand(): Operand {
    const token = this.peek();
    if (token.kind === 'identifier' && !KEYWORDS.has(token.text.toUpperCase()) && this.peek(1).text === '(' && this.peek(1).kind === 'punctuation') {
      if (token.text.toLowerCase() !== 'size') throw unsupported(`function ${token.text}`);
      this.position += 2;
      const path = this.path();
      this.expectPunctuation(')');
      return { kind: 'size', path };
    }
    if ((token.kind === 'identifier' && !VALUE_KEYWORDS.has(token.text.toUpperCase())) || token.kind === 'quoted') return this.path();
    return this.value();
  }

  // ─── values ──────────────────────────────────────────────────────────────────────────────────────

  private setSource(): SetSource {
    const token = this.peek();
    if (token.kind === 'identifier' && SET_FUNCTIONS.has(token.text.toLowerCase()) && this.isPunctuationAt(1, '(')) {
      this.position += 2;
      const args = [this.operand()];
      while (this.acceptPunctuation(',')) args.push(this.operand());
      this.expectPunctuation(')');
      return { kind: 'call', name: token.text.toLowerCase() as 'list_append', args };
    }
    const left = this.operand();
    if (this.isPunctuation('+') || this.isPunctuation('-')) {
      const operator = this.next().text as '+' | '-';
      return { kind: 'arithmetic', operator, left, right: this.operand() };
    }
    return left;
  }

  private isPunctuationAt(ahead: number, text: string): boolean {
    const token = this.peek(ahead);
    return token.kind === 'punctuation' && token.text === text;
  }

  private value(): ValueNode {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', text: token.text };
      case 'number':
        return { kind: 'number', text: token.text };
      case 'parameter':
        return { kind: 'parameter', index: this.parameters++ };
      case 'identifier': {
        const word = token.text.toUpperCase();
        if (word === 'TRUE' || word === 'FALSE') return { kind: 'boolean', value: word === 'TRUE' };
        if (word === 'NULL') return { kind: 'null' };
        break;
      }
      case 'punctuation':
        if (token.text === '-' || token.text === '+') {
          const number = this.next();
          if (number.kind !== 'number') break;
          return { kind: 'number', text: token.text === '-' ? `-${number.text}` : number.text };
        }
        if (token.text === '[') return { kind: 'list', members: this.members(']') };
        if (token.text === '<<') return { kind: 'set', members: this.members('>>') };
        if (token.text === '{') return this.map();
        break;
    }
    if (token.kind !== 'end') this.position--;
    throw this.unexpected('Expected a value');
  }

  private members(close: string): ValueNode[] {
    const members: ValueNode[] = [];
    if (this.acceptPunctuation(close)) return members;
    do members.push(this.value());
    while (this.acceptPunctuation(','));
    this.expectPunctuation(close);
    return members;
  }

  private map(): ValueNode {
    const entries: { key: string; value: ValueNode }[] = [];
    if (this.acceptPunctuation('}')) return { kind: 'map', entries };
    do {
      const key = this.next();
      if (key.kind !== 'string' && key.kind !== 'quoted') {
        this.position--;
        throw this.unexpected('Expected a string literal as a map key');
      }
      this.expectPunctuation(':');
      entries.push({ key: key.text, value: this.value() });
    } while (this.acceptPunctuation(','));
    this.expectPunctuation('}');
    return { kind: 'map', entries };
  }
}

/** The words that end a path or an operand where one could go on. */
const KEYWORDS = new Set([
  'SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'IS', 'MISSING', 'NULL', 'TRUE', 'FALSE', 'ORDER', 'BY', 'ASC', 'DESC',
  'INSERT', 'INTO', 'VALUE', 'UPDATE', 'SET', 'REMOVE', 'DELETE', 'RETURNING', 'EXISTS',
]);
/** Bare words that are values, not attribute names. */
const VALUE_KEYWORDS = new Set(['TRUE', 'FALSE', 'NULL']);

function operandPath(operand: Operand, keyword: string): PathNode {
  if (operand.kind !== 'path') throw malformed(`${keyword} applies to an attribute path`);
  return operand;
}
