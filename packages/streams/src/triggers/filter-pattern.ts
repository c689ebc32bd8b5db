import { InvalidParameterValueException } from './errors.js';

/** Lambda's `FilterCriteria`: a record is delivered when it matches any one of the filters. */
export interface FilterCriteria {
  Filters: readonly { Pattern: string }[];
}

/** A compiled `FilterCriteria`: true when the record matches at least one filter. */
export type CompiledFilters = (record: unknown) => boolean;

const MAX_FILTERS = 5;
const MAX_PATTERN_LENGTH = 4096;

type Matcher = (value: unknown, present: boolean) => boolean;
type NodeTest = (event: unknown) => boolean;

/**
 * Compiles Lambda's event-filter patterns (the EventBridge-style syntax Lambda accepts): exact values, `null`,
 * `""`, `prefix`, `suffix`, `equals-ignore-case`, `anything-but`, `numeric` ranges, `exists`, nested fields,
 * and `$or`. Throws InvalidParameterValueException for a pattern Lambda would refuse.
 *
 * @example
 * const matches = parseFilterCriteria({ Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] });
 * matches({ eventName: 'INSERT' }); // true
 */
export function parseFilterCriteria(criteria: FilterCriteria): CompiledFilters {
  if (typeof criteria !== 'object' || criteria === null || !Array.isArray(criteria.Filters)) {
    throw new InvalidParameterValueException('filterCriteria must be { Filters: [{ Pattern: string }] }');
  }
  if (criteria.Filters.length > MAX_FILTERS) {
    throw new InvalidParameterValueException(`filterCriteria may hold at most ${MAX_FILTERS} filters, got ${criteria.Filters.length}`);
  }
  const tests = criteria.Filters.map((filter) => {
    const pattern: unknown = (filter as { Pattern?: unknown } | null)?.Pattern;
    if (typeof pattern !== 'string') throw invalid('each filter needs a Pattern string');
    if (pattern.length > MAX_PATTERN_LENGTH) throw invalid(`a Pattern is at most ${MAX_PATTERN_LENGTH} characters`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(pattern);
    } catch {
      throw invalid('a Pattern must be JSON');
    }
    if (!isPlainObject(parsed)) throw invalid('a Pattern must be a JSON object');
    return compileObject(parsed);
  });
  // No filters at all means no filtering.
  if (tests.length === 0) return () => true;
  return (record) => tests.some((test) => test(record));
}

function invalid(detail: string): InvalidParameterValueException {
  return new InvalidParameterValueException(`Invalid filter pattern definition: ${detail}`);
}

function compileObject(pattern: Record<string, unknown>): NodeTest {
  const tests: NodeTest[] = [];
  for (const [key, value] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isPlainObject)) {
        throw invalid('$or takes an array of at least two patterns');
      }
      const alternatives = (value as Record<string, unknown>[]).map(compileObject);
      tests.push((event) => alternatives.some((alternative) => alternative(event)));
    } else if (isPlainObject(value)) {
      const nested = compileObject(value);
      tests.push((event) => nested(field(event, key)));
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw invalid(`"${key}" must list at least one value`);
      const matchers = value.map(compileMatcher);
      tests.push((event) => matchLeaf(matchers, event, key));
    } else {
      throw invalid(`"${key}" must be an object or an array of values`);
    }
  }
  return (event) => tests.every((test) => test(event));
}

function field(event: unknown, key: string): unknown {
  return isPlainObject(event) ? event[key] : undefined;
}

// A leaf matches when any matcher matches the field, or any element of it when the field is an array.
function matchLeaf(matchers: readonly Matcher[], event: unknown, key: string): boolean {
  const present = isPlainObject(event) && Object.prototype.hasOwnProperty.call(event, key) && event[key] !== undefined;
  const value = present ? (event as Record<string, unknown>)[key] : undefined;
  if (Array.isArray(value)) return value.some((element) => matchers.some((m) => m(element, true)));
  return matchers.some((m) => m(value, present));
}

function compileMatcher(spec: unknown): Matcher {
  if (spec === null) return (value, present) => present && value === null;
  if (typeof spec === 'string') return (value) => value === spec;
  if (typeof spec === 'number') return (value) => typeof value === 'number' && value === spec;
  if (typeof spec === 'boolean') return (value) => value === spec;
  if (!isPlainObject(spec)) throw invalid(`unsupported value ${JSON.stringify(spec)}`);
  const keys = Object.keys(spec);
  if (keys.length !== 1) throw invalid(`a comparison object takes exactly one operator, got ${JSON.stringify(spec)}`);
  const operator = keys[0] as string;
  const operand = spec[operator];
  switch (operator) {
    case 'prefix':
      return stringOperand(operator, operand, (s, value) => value.startsWith(s));
    case 'suffix':
      return stringOperand(operator, operand, (s, value) => value.endsWith(s));
    case 'equals-ignore-case':
      return stringOperand(operator, operand, (s, value) => value.toLowerCase() === s.toLowerCase());
    case 'exists':
      if (typeof operand !== 'boolean') throw invalid('exists takes true or false');
      // exists matches leaf values only (not objects), as in Lambda's and EventBridge's patterns.
      return operand ? (value, present) => present && !isPlainObject(value) : (_value, present) => !present;
    case 'numeric':
      return compileNumeric(operand);
    case 'anything-but':
      return compileAnythingBut(operand);
    default:
      throw invalid(`unsupported operator "${operator}"`);
  }
}

function stringOperand(operator: string, operand: unknown, test: (operand: string, value: string) => boolean): Matcher {
  if (typeof operand !== 'string') throw invalid(`${operator} takes a string`);
  return (value) => typeof value === 'string' && test(operand, value);
}

const LOWER = new Set(['>', '>=']);
const UPPER = new Set(['<', '<=']);

function compileNumeric(operand: unknown): Matcher {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    throw invalid('numeric takes [operator, number] or [lower operator, number, upper operator, number]');
  }
  const checks: ((n: number) => boolean)[] = [];
  for (let i = 0; i < operand.length; i += 2) {
    const op: unknown = operand[i];
    const bound: unknown = operand[i + 1];
    if (typeof bound !== 'number' || !Number.isFinite(bound)) throw invalid('numeric bounds must be numbers');
    if (operand.length === 4 && !(i === 0 ? LOWER : UPPER).has(op as string)) {
      throw invalid('a numeric range is [">" or ">=", number, "<" or "<=", number]');
    }
    switch (op) {
      case '=': checks.push((n) => n === bound); break;
      case '>': checks.push((n) => n > bound); break;
      case '>=': checks.push((n) => n >= bound); break;
      case '<': checks.push((n) => n < bound); break;
      case '<=': checks.push((n) => n <= bound); break;
      default: throw invalid(`unsupported numeric operator ${JSON.stringify(op)}`);
    }
  }
  return (value) => typeof value === 'number' && checks.every((check) => check(value));
}

function compileAnythingBut(operand: unknown): Matcher {
  if (isPlainObject(operand)) {
    const inner = compileMatcher(operand);
    const key = Object.keys(operand)[0];
    if (key !== 'prefix' && key !== 'suffix' && key !== 'equals-ignore-case') {
      throw invalid('anything-but takes values, or a prefix, suffix or equals-ignore-case object');
    }
    return (value, present) => present && typeof value === 'string' && !inner(value, true);
  }
  const excluded: unknown[] = Array.isArray(operand) ? operand : [operand];
  if (excluded.length === 0 || !excluded.every((v) => typeof v === 'string' || typeof v === 'number')) {
    throw invalid('anything-but takes strings or numbers');
  }
  // Like every other matcher, anything-but needs the field to be there.
  return (value, present) => present && value !== null && !isPlainObject(value) && !excluded.includes(value as string | number);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
