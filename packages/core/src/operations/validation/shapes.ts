import { SerializationException } from '../../errors.js';

/**
 * Request shapes for the type check DynamoDB's JSON deserializer does before any constraint:
 * a member of the wrong JSON type is a SerializationException with the deserializer's message
 * (messages from dynalite's test/helpers.js `assertType`, verified against DynamoDB).
 *
 * Null members count as absent. Unknown members are ignored, as DynamoDB ignores them.
 * The deserializer reads the body in document order, so the first wrong member in the input's
 * own key order is the one reported.
 */
export type Shape =
  | { readonly kind: 'string' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'integer' }
  | { readonly kind: 'long' }
  /** An AttributeValue or anything else checked elsewhere: only its being an object is checked by the parent. */
  | { readonly kind: 'opaque' }
  | { readonly kind: 'list'; readonly member: Shape }
  | { readonly kind: 'map'; readonly value: Shape; readonly valueClass: string }
  | StructShape;

export interface StructShape {
  readonly kind: 'struct';
  /** The Java class name DynamoDB prints, e.g. `ProvisionedThroughput`. */
  readonly name: string;
  readonly members: Readonly<Record<string, Shape>>;
}

const DDB_PACKAGE = 'com.amazonaws.dynamodb.v20120810.';

export const STRING: Shape = { kind: 'string' };
export const BOOLEAN: Shape = { kind: 'boolean' };
export const INTEGER: Shape = { kind: 'integer' };
export const LONG: Shape = { kind: 'long' };
export const OPAQUE: Shape = { kind: 'opaque' };

export function listOf(member: Shape): Shape {
  return { kind: 'list', member };
}

export function struct(name: string, members: Record<string, Shape>): StructShape {
  return { kind: 'struct', name, members };
}

/** `Map<String, AttributeValue>` (Item, Key, ExpressionAttributeValues). */
export const ATTRIBUTE_MAP: Shape = { kind: 'map', value: OPAQUE, valueClass: `${DDB_PACKAGE}AttributeValue` };
/** `Map<String, String>` (ExpressionAttributeNames). */
export const STRING_MAP: Shape = { kind: 'map', value: STRING, valueClass: 'java.lang.String' };

/** The deserializer's message for an object where another JSON type belongs (or a body that is no object). */
export const START_OF_STRUCTURE = 'Start of structure or map found where not expected';

function scalarToken(value: unknown): string {
  if (value === true) return 'TRUE_VALUE';
  if (value === false) return 'FALSE_VALUE';
  if (typeof value === 'string') return 'STRING_VALUE';
  return typeof value === 'number' && !Number.isInteger(value) ? 'DECIMAL_VALUE' : 'NUMBER_VALUE';
}

/** The deserializer's message for `value` not fitting `shape`, or undefined when it fits. */
function mismatch(value: unknown, shape: Shape, asListMember: boolean): string | undefined {
  const isArray = Array.isArray(value);
  const isObject = !isArray && typeof value === 'object' && !(value instanceof Uint8Array);
  switch (shape.kind) {
    case 'string':
      if (typeof value === 'string') return undefined;
      if (isArray) return 'Unrecognized collection type class java.lang.String';
      if (isObject) return START_OF_STRUCTURE;
      return `${scalarToken(value)} cannot be converted to String`;
    case 'boolean':
      if (typeof value === 'boolean') return undefined;
      if (isArray) return 'Unrecognized collection type class java.lang.Boolean';
      if (isObject) return START_OF_STRUCTURE;
      if (typeof value === 'string') return 'Unexpected token received from parser';
      return `${scalarToken(value)} cannot be converted to Boolean`;
    case 'integer':
    case 'long': {
      if (typeof value === 'number' || typeof value === 'bigint') return undefined;
      const cls = shape.kind === 'integer' ? 'Integer' : 'Long';
      if (isArray) return `Unrecognized collection type class java.lang.${cls}`;
      if (isObject) return START_OF_STRUCTURE;
      return `${scalarToken(value)} cannot be converted to ${cls}`;
    }
    case 'opaque':
      return undefined;
    case 'list':
      if (isArray) return undefined;
      return isObject ? START_OF_STRUCTURE : 'Unexpected field type';
    case 'map':
      if (isObject) return undefined;
      return isArray ? `Unrecognized collection type java.util.Map<java.lang.String, ${shape.valueClass}>` : 'Unexpected field type';
    case 'struct':
      if (isObject) return undefined;
      if (isArray) return `Unrecognized collection type class ${DDB_PACKAGE}${shape.name}`;
      return asListMember ? 'Unexpected value type in payload' : 'Unexpected field type';
  }
}

/** The first type mismatch inside `value` in document order, or undefined. */
function firstMismatch(value: unknown, shape: Shape, asListMember: boolean): string | undefined {
  if (value === null || value === undefined) return undefined;
  const own = mismatch(value, shape, asListMember);
  if (own !== undefined) return own;
  switch (shape.kind) {
    case 'list': {
      const list = value as unknown[];
      for (let i = 0; i < list.length; i++) {
        const m = firstMismatch(list[i], shape.member, true);
        if (m !== undefined) return m;
      }
      return undefined;
    }
    case 'map': {
      if (shape.value.kind === 'opaque') return undefined;
      const map = value as Record<string, unknown>;
      for (const key in map) {
        const m = firstMismatch(map[key], shape.value, true);
        if (m !== undefined) return m;
      }
      return undefined;
    }
    case 'struct':
      return firstStructMismatch(value as Record<string, unknown>, shape);
    default:
      return undefined;
  }
}

function firstStructMismatch(value: Record<string, unknown>, shape: StructShape): string | undefined {
  const members = shape.members;
  for (const key in value) {
    const memberShape = members[key];
    if (memberShape === undefined) continue;
    const m = firstMismatch(value[key], memberShape, false);
    if (m !== undefined) return m;
  }
  return undefined;
}

/**
 * Throws a SerializationException for the first member of `input` (in document order) whose JSON
 * type does not fit `shape`.
 */
export function checkShape(input: Record<string, unknown>, shape: StructShape): void {
  const m = firstStructMismatch(input, shape);
  if (m !== undefined) throw new SerializationException(m);
}
