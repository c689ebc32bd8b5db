import { ValidationException } from '../../errors.js';

/**
 * Coral-style member constraints: "Value X at 'path' failed to satisfy constraint: …".
 *
 * DynamoDB checks every constraint of every member, then reports them together as
 * "N validation error(s) detected: a; b; …" (at most 10). A validator starts a pass with
 * {@link beginConstraints}, calls the checks in DynamoDB's member order, and ends it with
 * {@link Constraints.finish}, which throws if anything failed.
 *
 * The checks allocate nothing when the value is valid: a message (and a path, when the caller
 * passes a path builder) is only built for a failure. The collector is a shared module-level
 * instance; validation is synchronous and never nested, so that is safe and saves an allocation
 * per request.
 *
 * @example
 * const RETURN_CONSUMED_CAPACITY = defineEnum(['INDEXES', 'TOTAL', 'NONE']);
 * const input = { TableName: 'users', Key: { id: { S: 'ada' } }, ReturnConsumedCapacity: 'TOTAL' };
 * const c = beginConstraints();
 * c.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
 * c.tableName('tableName', input.TableName);
 * c.notNull('key', input.Key);
 * c.finish(); // all pass: throws nothing
 */

/** Coral stops collecting after this many messages. */
const MAX_ERRORS = 10;

/** A member path: a constant string, or a function building it (only called on failure). */
export type MemberPath = string | (() => string);

/** A closed set of strings, printed the way DynamoDB prints it. */
export interface EnumSet {
  readonly values: readonly string[];
  /** "Member must satisfy enum value set: [A, B]" */
  readonly message: string;
}

/** Defines an enum in the order DynamoDB lists it in its message. */
export function defineEnum(values: readonly string[]): EnumSet {
  return { values, message: `Member must satisfy enum value set: [${values.join(', ')}]` };
}

/** A regular-expression constraint with a fast, allocation-free test. */
export interface PatternSet {
  readonly test: (value: string) => boolean;
  /** "Member must satisfy regular expression pattern: …" */
  readonly message: string;
}

export function definePattern(source: string, test: (value: string) => boolean): PatternSet {
  return { test, message: `Member must satisfy regular expression pattern: ${source}` };
}

/** `[a-zA-Z0-9_.-]+`, the pattern of table and index names, as a char loop. */
export const NAME_PATTERN = definePattern('[a-zA-Z0-9_.-]+', (s) => {
  const n = s.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    // 0-9 a-z A-Z _ . -
    if (c >= 97 ? c > 122 : c >= 65 ? c > 90 && c !== 95 : c >= 48 ? c > 57 : c !== 45 && c !== 46) return false;
  }
  return true;
});

/**
 * The most characters of a value a message quotes; a longer value is cut there and ends in `...`.
 * DynamoDB prints a list member that is a structure as Java's `Class@hash` (moto records
 * `[com.amazonaws.dynamodb.v20120810.TransactGetItem@10000001, …]` for 101 TransactGetItems), so its
 * messages grow with a list's length but never with what its members hold; its cut-off for long
 * values is not recorded. Magneto prints members' contents, so it bounds the whole text instead: a
 * 16 MB request's error stays small and cheap to build, and every value a test quotes is far shorter.
 */
export const MAX_PRINTED_VALUE = 4096;

const ELLIPSIS = '...';

/** One list or structure being printed: its members so far. */
interface OpenValue {
  readonly list: readonly unknown[] | undefined;
  readonly record: Readonly<Record<string, unknown>> | undefined;
  readonly keys: readonly string[] | undefined;
  next: number;
  printed: number;
}

/**
 * Prints a value the way Coral does in "Value X at …": null bare, everything else quoted
 * (the quotes are added by the caller). Lists print Java-style `[a, b]`; structures print as
 * `{Member: value, …}` (DynamoDB prints its Java toString here, which is not reproducible
 * exactly; for a list of structures the real message shows class names and hashes). At most
 * {@link MAX_PRINTED_VALUE} characters, built without recursion (the value's depth is the client's).
 */
export function printValue(value: unknown): string {
  let text = '';
  const add = (piece: string): boolean => {
    const room = MAX_PRINTED_VALUE - text.length;
    if (piece.length <= room) {
      text += piece;
      return true;
    }
    text += piece.slice(0, room) + ELLIPSIS;
    return false;
  };
  const open: OpenValue[] = [];
  let pending: { value: unknown } | undefined = { value };
  for (;;) {
    if (pending !== undefined) {
      const v = pending.value;
      pending = undefined;
      if (Array.isArray(v)) {
        if (!add('[')) break;
        open.push({ list: v, record: undefined, keys: undefined, next: 0, printed: 0 });
      } else if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
        if (!add('{')) break;
        const record = v as Record<string, unknown>;
        open.push({ list: undefined, record, keys: Object.keys(record), next: 0, printed: 0 });
      } else if (!add(printScalar(v))) break;
    }
    const top = open[open.length - 1];
    if (top === undefined) break;
    if (top.list !== undefined) {
      if (top.next === top.list.length) {
        open.pop();
        if (!add(']')) break;
        continue;
      }
      if (top.next > 0 && !add(', ')) break;
      pending = { value: top.list[top.next++] };
      continue;
    }
    const keys = top.keys!;
    let member: unknown;
    while (top.next < keys.length && ((member = top.record![keys[top.next]!]) === null || member === undefined)) top.next++;
    if (top.next === keys.length) {
      open.pop();
      if (!add('}')) break;
      continue;
    }
    if (!add(`${top.printed++ > 0 ? ',' : ''}${keys[top.next++]}: `)) break;
    pending = { value: member };
  }
  return text;
}

function printScalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return `java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]`;
  return String(value);
}

function sizeOf(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return 0;
}

/** Builds the joined message DynamoDB sends for a list of constraint failures. */
export function constraintMessage(errors: readonly string[]): string {
  const n = errors.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${errors.join('; ')}`;
}

export class Constraints {
  private readonly errors: string[] = [];

  /** Clears the collected failures (called by {@link beginConstraints}). */
  reset(): this {
    this.errors.length = 0;
    return this;
  }

  /** Whether any check failed so far. */
  get failed(): boolean {
    return this.errors.length > 0;
  }

  /** Records a failure of any constraint. */
  fail(path: MemberPath, value: unknown, constraint: string): void {
    if (this.errors.length >= MAX_ERRORS) return;
    this.failShown(path, value === null || value === undefined ? 'null' : `'${printValue(value)}'`, constraint);
  }

  /**
   * Records a failure whose value DynamoDB prints its own way: `shown` as it appears after "Value"
   * (quotes included), or undefined for DynamoDB's "Value at '…'" with no value at all.
   */
  failShown(path: MemberPath, shown: string | undefined, constraint: string): void {
    if (this.errors.length >= MAX_ERRORS) return;
    const at = typeof path === 'string' ? path : path();
    this.errors.push(`Value ${shown === undefined ? '' : `${shown} `}at '${at}' failed to satisfy constraint: ${constraint}`);
  }

  /** "Member must not be null". Returns whether the value is present. */
  notNull(path: MemberPath, value: unknown): boolean {
    if (value === undefined || value === null) {
      this.fail(path, value, 'Member must not be null');
      return false;
    }
    return true;
  }

  /** Length (string), size (list) or key count (map) at least `min`. Absent values pass. */
  minLength(path: MemberPath, value: unknown, min: number): void {
    if (value === undefined || value === null) return;
    if (sizeOf(value) < min) this.fail(path, value, `Member must have length greater than or equal to ${min}`);
  }

  /** Length (string), size (list) or key count (map) at most `max`. Absent values pass. */
  maxLength(path: MemberPath, value: unknown, max: number): void {
    if (value === undefined || value === null) return;
    if (sizeOf(value) > max) this.fail(path, value, `Member must have length less than or equal to ${max}`);
  }

  /** `minLength` then `maxLength`, the order Coral reports them in. */
  length(path: MemberPath, value: unknown, min: number, max: number): void {
    if (value === undefined || value === null) return;
    const n = sizeOf(value);
    if (n < min) this.fail(path, value, `Member must have length greater than or equal to ${min}`);
    if (n > max) this.fail(path, value, `Member must have length less than or equal to ${max}`);
  }

  /** Numeric value at least `min`. Absent values pass. */
  min(path: MemberPath, value: unknown, min: number): void {
    if (typeof value === 'number' && value < min) this.fail(path, value, `Member must have value greater than or equal to ${min}`);
  }

  /** Numeric value at most `max`. Absent values pass. */
  max(path: MemberPath, value: unknown, max: number): void {
    if (typeof value === 'number' && value > max) this.fail(path, value, `Member must have value less than or equal to ${max}`);
  }

  /** String matching a pattern. Absent values pass. */
  pattern(path: MemberPath, value: unknown, pattern: PatternSet): void {
    if (typeof value === 'string' && !pattern.test(value)) this.fail(path, value, pattern.message);
  }

  /** String in an enum. Absent values pass. */
  oneOf(path: MemberPath, value: unknown, set: EnumSet): void {
    if (typeof value !== 'string') return;
    const values = set.values;
    for (let i = 0; i < values.length; i++) if (values[i] === value) return;
    this.fail(path, value, set.message);
  }

  /**
   * A table or index name: pattern `[a-zA-Z0-9_.-]+`, then length 3..255 (Coral's order).
   * With `allowArn`, a value starting with `arn:` is a table ARN instead and only has to be at
   * most 1024 characters; resolving it is the table lookup's job.
   */
  tableName(path: MemberPath, value: unknown, allowArn = false): void {
    if (typeof value !== 'string') return;
    if (allowArn && isArnLike(value)) {
      this.maxLength(path, value, 1024);
      return;
    }
    const n = value.length;
    if (!NAME_PATTERN.test(value)) this.fail(path, value, NAME_PATTERN.message);
    if (n < 3) this.fail(path, value, 'Member must have length greater than or equal to 3');
    if (n > 255) this.fail(path, value, 'Member must have length less than or equal to 255');
  }

  /** Throws the collected failures as one ValidationException, if there are any. */
  finish(): void {
    if (this.errors.length > 0) {
      const message = constraintMessage(this.errors);
      this.errors.length = 0;
      throw new ValidationException(message);
    }
  }
}

/** `arn:` prefix check without allocating. */
export function isArnLike(value: string): boolean {
  return value.length > 4 && value.charCodeAt(0) === 97 && value.charCodeAt(1) === 114 && value.charCodeAt(2) === 110 && value.charCodeAt(3) === 58;
}

const shared = new Constraints();

/** Starts a constraint pass on the shared collector. */
export function beginConstraints(): Constraints {
  return shared.reset();
}

// ---- Enums, in the order DynamoDB prints them -------------------------------------------------

export const RETURN_CONSUMED_CAPACITY = defineEnum(['INDEXES', 'TOTAL', 'NONE']);
export const RETURN_VALUES = defineEnum(['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW']);
export const RETURN_ITEM_COLLECTION_METRICS = defineEnum(['SIZE', 'NONE']);
export const RETURN_VALUES_ON_CONDITION_CHECK_FAILURE = defineEnum(['ALL_OLD', 'NONE']);
export const ATTRIBUTE_TYPE = defineEnum(['B', 'N', 'S']);
export const KEY_TYPE = defineEnum(['HASH', 'RANGE']);
export const PROJECTION_TYPE = defineEnum(['ALL', 'INCLUDE', 'KEYS_ONLY']);
export const BILLING_MODE = defineEnum(['PROVISIONED', 'PAY_PER_REQUEST']);
export const TABLE_CLASS = defineEnum(['STANDARD', 'STANDARD_INFREQUENT_ACCESS']);
export const STREAM_VIEW_TYPE = defineEnum(['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY']);
export const CONDITIONAL_OPERATOR = defineEnum(['OR', 'AND']);
export const COMPARISON_OPERATOR = defineEnum(['IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS']);
/** AttributeValueUpdate.Action (the enum's printed order is unconfirmed). */
export const ATTRIBUTE_ACTION = defineEnum(['ADD', 'PUT', 'DELETE']);
