import { SerializationException } from './errors.js';
import { setMember } from './model/set-member.js';
import { START_OF_STRUCTURE } from './operations/validation/shapes.js';

/*
 * A `Database` method receives a JS value, DynamoDB a JSON document: the operations are written for what
 * JSON can carry. wireInput turns a method's input into the request DynamoDB would receive, so every
 * input meets DynamoDB's own checks and only DynamoDB's exceptions come out:
 *
 *  - no input (undefined, null) is `{}`, as the AWS SDK sends; any other non-object input is a body
 *    DynamoDB cannot read: SerializationException "Start of structure or map found where not expected";
 *  - a bigint is the JSON number of its value (the AWS SDK writes bigints as JSON numbers);
 *  - NaN and ±Infinity are null (absent), as JSON.stringify writes them;
 *  - functions, symbols and undefined are dropped from objects and are null in arrays (JSON.stringify),
 *    so an optional member set to undefined is absent;
 *  - an object other than a plain object, array, Uint8Array (binary) or Date is its own enumerable
 *    members (JSON.stringify's view: a Map or a class instance's prototype getters carry nothing);
 *  - a member whose getter throws makes the request unserializable: SerializationException naming it;
 *  - a request nested deeper than MAX_INPUT_DEPTH levels (the request object is the first), or a cycle,
 *    is the message-less SerializationException the wire answers for such a body (aws/wire-json.ts);
 *    within that depth, AttributeValues deeper than DynamoDB's 32 levels get its nesting ValidationException
 *    from the item checks.
 *
 * Plain data (every request an application or the wire builds) is returned as is after one walk that
 * allocates nothing; only input that needs changing is copied.
 */

/** The deepest nesting a request may have, in-process and on the wire alike (aws/wire-json.ts' MAX_REQUEST_DEPTH is this one). */
export const MAX_INPUT_DEPTH = 1000;

/** The request DynamoDB would receive for the JS value `input` (see above). */
export function wireInput(input: unknown): Record<string, unknown> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input) || input instanceof Uint8Array || input instanceof Date) {
    throw new SerializationException(START_OF_STRUCTURE);
  }
  let clean: boolean;
  try {
    clean = isWireValue(input, 0);
  } catch {
    clean = false; // a getter threw: toWire names it
  }
  if (clean) return input as Record<string, unknown>;
  return toWire(input, 0, '') as Record<string, unknown>;
}

/** Whether `value` is already what JSON would carry, within the depth limit. */
function isWireValue(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      // Plain objects first: nearly every node of a request is one.
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype === Object.prototype || prototype === null) {
        if (depth >= MAX_INPUT_DEPTH) return false;
        const record = value as Record<string, unknown>;
        for (const name in record) {
          // An undefined member is no member on the wire: copied away, as code iterating members would meet it.
          const member = record[name];
          if (member === undefined || !isWireValue(member, depth + 1)) return false;
        }
        return true;
      }
      if (Array.isArray(value)) {
        if (depth >= MAX_INPUT_DEPTH) return false;
        for (let i = 0; i < value.length; i++) {
          const element: unknown = value[i];
          if (element === undefined || !isWireValue(element, depth + 1)) return false;
        }
        return true;
      }
      return value instanceof Uint8Array || value instanceof Date;
    }
    default:
      return value === undefined;
  }
}

/** JSON's view of `value` (undefined: no member); `path` names it in errors. */
function toWire(value: unknown, depth: number, path: string): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return Number(value);
    case 'object': {
      if (value === null || value instanceof Uint8Array || value instanceof Date) return value;
      if (depth >= MAX_INPUT_DEPTH) throw new SerializationException('');
      if (Array.isArray(value)) {
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) out[i] = toWire(read(value, String(i), path), depth + 1, `${path}[${i}]`) ?? null;
        return out;
      }
      const out: Record<string, unknown> = {};
      for (const name of Object.keys(value)) {
        const member = toWire(read(value, name, path), depth + 1, path === '' ? name : `${path}.${name}`);
        if (member !== undefined) setMember(out, name, member);
      }
      return out;
    }
    default:
      return undefined; // undefined, function, symbol
  }
}

/** `holder[name]`; a getter that throws makes the request unserializable. */
function read(holder: object, name: string, path: string): unknown {
  try {
    return (holder as Record<string, unknown>)[name];
  } catch (error) {
    const member = path === '' ? name : /^\d+$/.test(name) ? `${path}[${name}]` : `${path}.${name}`;
    throw new SerializationException(`Could not read member ${member}: ${errorText(error)}`);
  }
}

function errorText(error: unknown): string {
  try {
    return error instanceof Error ? String(error.message) : String(error);
  } catch {
    return 'an unprintable error';
  }
}
