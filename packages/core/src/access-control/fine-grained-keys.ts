import type { ConditionNode, Operand, PathNode, SetOperand, SetValue } from '../expressions/ast.js';
import { parseConditionExpression, parseProjectionExpression, parseUpdateExpression, type ConditionParameter } from '../expressions/parse-expressions.js';
import { keyAttributesOf, type PrimaryKeySchema } from '../model/key-schema.js';
import type { ContextValue } from './request-context-values.js';

/*
 * DynamoDB's fine-grained condition keys, filled from a request as the Developer Guide describes them
 * ("Using IAM policy conditions for fine-grained access control"): `dynamodb:LeadingKeys` (the partition
 * key values a request touches), `dynamodb:Attributes` (every top-level attribute name it reads or
 * writes: key attributes, projections, expressions, items), `dynamodb:Select`, `dynamodb:ReturnValues`.
 * The request is raw: what cannot be read here (a malformed expression) is left out, and the operation
 * then refuses the request with DynamoDB's ValidationException before touching anything.
 */

type Raw = Readonly<Record<string, unknown>>;

/** A key value as IAM compares it: the string of an S, N or B (base64) partition key. */
export function keyValueString(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as { S?: unknown; N?: unknown; B?: unknown };
  if (typeof v.S === 'string') return v.S;
  if (typeof v.N === 'string') return v.N;
  if (typeof v.B === 'string') return v.B;
  if (v.B instanceof Uint8Array) {
    let binary = '';
    for (const byte of v.B) binary += String.fromCharCode(byte);
    return btoa(binary);
  }
  return undefined;
}

/** The partition key value of a Key or an Item, if it has one (the first attribute's, for a multi-attribute key). */
export function leadingKeyOf(key: unknown, schema: PrimaryKeySchema): string | undefined {
  if (key === null || typeof key !== 'object') return undefined;
  return keyValueString((key as Record<string, unknown>)[schema.partitionKeys[0].name]);
}

/** The condition keys of a partition key's attributes by position: IAM defines four (Service Authorization Reference). */
const PARTITION_KEY_VALUES = ['dynamodb:firstpartitionkeyvalues', 'dynamodb:secondpartitionkeyvalues', 'dynamodb:thirdpartitionkeyvalues', 'dynamodb:fourthpartitionkeyvalues'];

/** The position of the partition key attribute a lower-case condition key names (LeadingKeys: the first), or -1. */
export function partitionKeyPosition(conditionKey: string): number {
  return conditionKey === 'dynamodb:leadingkeys' ? 0 : PARTITION_KEY_VALUES.indexOf(conditionKey);
}

/** The value of the partition key attribute at `position` of a Key or an Item, if it has one. */
export function partitionKeyValueOf(key: unknown, schema: PrimaryKeySchema, position: number): string | undefined {
  const attribute = schema.partitionKeys[position];
  if (attribute === undefined || key === null || typeof key !== 'object') return undefined;
  return keyValueString((key as Record<string, unknown>)[attribute.name]);
}

/**
 * Sets `dynamodb:LeadingKeys` and `dynamodb:First…FourthPartitionKeyValues` from the values of each
 * partition key attribute (`values[position]`); the keys of positions the schema lacks stay absent.
 */
export function setPartitionKeyValues(keys: Record<string, ContextValue | undefined>, values: readonly (readonly string[] | undefined)[]): void {
  keys['dynamodb:leadingkeys'] = values[0];
  for (let position = 0; position < values.length && position < PARTITION_KEY_VALUES.length; position++) keys[PARTITION_KEY_VALUES[position]!] = values[position];
}

/**
 * A Query's partition key values, one list per partition key attribute (empty when the request does not
 * fix it): the `=` condition on the attribute among the KeyConditionExpression's top-level ANDs (or the
 * legacy KeyConditions' EQ).
 */
export function queryPartitionKeyValues(input: Raw, schema: PrimaryKeySchema): string[][] {
  const attributes = schema.partitionKeys;
  const out = attributes.map((): string[] => []);
  const push = (position: number, value: unknown): void => {
    const text = keyValueString(value);
    if (text !== undefined && out[position]!.length === 0) out[position]!.push(text);
  };
  const legacy = input.KeyConditions as Record<string, { AttributeValueList?: unknown[] }> | undefined;
  if (legacy !== null && typeof legacy === 'object') {
    attributes.forEach((attribute, position) => push(position, legacy[attribute.name]?.AttributeValueList?.[0]));
    return out;
  }
  const node = parsed(input.KeyConditionExpression, 'KeyConditionExpression');
  if (node === undefined) return out;
  const names = input.ExpressionAttributeNames as Record<string, string> | undefined;
  const values = input.ExpressionAttributeValues as Record<string, unknown> | undefined;
  const stack: ConditionNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.kind === 'and') stack.push(n.left, n.right);
    else if (n.kind === 'comparison' && n.operator === '=') {
      const [path, value] = n.left.kind === 'path' ? [n.left, n.right] : [n.right, n.left];
      if (path.kind !== 'path' || path.elements.length !== 1 || value.kind !== 'valuePlaceholder') continue;
      const name = headName(path, names);
      const position = attributes.findIndex((attribute) => attribute.name === name);
      if (position >= 0) push(position, values?.[value.token]);
    }
  }
  return out;
}

function parsed(text: unknown, parameter: ConditionParameter): ConditionNode | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return parseConditionExpression(text, parameter);
  } catch {
    return undefined;
  }
}

function headName(path: PathNode, names: Record<string, string> | undefined): string | undefined {
  const first = path.elements[0];
  if (first === undefined) return undefined;
  if (first.kind === 'name') return first.name;
  if (first.kind === 'namePlaceholder') return names?.[first.token];
  return undefined;
}

/** Collects the top-level attribute names a request reads or writes (dynamodb:Attributes). */
export class AttributeNames {
  readonly names = new Set<string>();
  constructor(private readonly expressionNames: Record<string, string> | undefined) {}

  /** Every key attribute name of the table (DynamoDB counts them in every item request). */
  keys(schema: PrimaryKeySchema): this {
    for (const attribute of keyAttributesOf(schema)) this.names.add(attribute.name);
    return this;
  }

  /** The names of a map (an Item, AttributeUpdates, Expected) or a list (AttributesToGet). */
  members(value: unknown): this {
    if (Array.isArray(value)) for (const name of value) typeof name === 'string' && this.names.add(name);
    else if (value !== null && typeof value === 'object') for (const name of Object.keys(value)) this.names.add(name);
    return this;
  }

  projection(text: unknown): this {
    if (typeof text !== 'string') return this;
    try {
      for (const path of parseProjectionExpression(text).paths) this.path(path);
    } catch {
      // Malformed: the operation refuses it.
    }
    return this;
  }

  condition(text: unknown, parameter: ConditionParameter): this {
    const node = parsed(text, parameter);
    if (node !== undefined) this.conditionNode(node);
    return this;
  }

  update(text: unknown): this {
    if (typeof text !== 'string') return this;
    try {
      for (const action of parseUpdateExpression(text).actions) {
        this.path(action.path);
        if (action.kind === 'set') this.setValue(action.value);
      }
    } catch {
      // Malformed: the operation refuses it.
    }
    return this;
  }

  /** The names as dynamodb:Attributes holds them. */
  list(): string[] {
    return [...this.names];
  }

  private path(path: PathNode): void {
    const name = headName(path, this.expressionNames);
    if (name !== undefined) this.names.add(name);
  }

  private conditionNode(node: ConditionNode): void {
    switch (node.kind) {
      case 'and':
      case 'or':
        this.conditionNode(node.left);
        this.conditionNode(node.right);
        return;
      case 'not':
        this.conditionNode(node.operand);
        return;
      case 'comparison':
        this.operand(node.left);
        this.operand(node.right);
        return;
      case 'between':
        this.operand(node.operand);
        this.operand(node.low);
        this.operand(node.high);
        return;
      case 'in':
        this.operand(node.operand);
        for (const candidate of node.candidates) this.operand(candidate);
        return;
      case 'function':
        for (const arg of node.args) this.operand(arg);
        return;
    }
  }

  private operand(operand: Operand): void {
    if (operand.kind === 'path') this.path(operand);
    else if (operand.kind === 'size') this.operand(operand.operand);
  }

  private setValue(value: SetValue | SetOperand): void {
    switch (value.kind) {
      case 'path':
        this.path(value);
        return;
      case 'arithmetic':
        this.setValue(value.left);
        this.setValue(value.right);
        return;
      case 'ifNotExists':
      case 'listAppend':
        for (const arg of value.args) this.setValue(arg);
        return;
      default:
        return;
    }
  }
}
