import type { ConditionNode, Operand, PathNode, SetOperand, SetValue } from '../expressions/ast.js';
import { parseConditionExpression, parseProjectionExpression, parseUpdateExpression, type ConditionParameter } from '../expressions/parse-expressions.js';
import { keyAttributesOf, type PrimaryKeySchema } from '../model/key-schema.js';

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

/** The partition key value of a Key or an Item, if it has one. */
export function leadingKeyOf(key: unknown, schema: PrimaryKeySchema): string | undefined {
  if (key === null || typeof key !== 'object') return undefined;
  return keyValueString((key as Record<string, unknown>)[schema.partitionKeys[0].name]);
}

/**
 * A Query's partition key value: the `=` condition on the partition key among the KeyConditionExpression's
 * top-level ANDs (or the legacy KeyConditions' EQ).
 */
export function queryLeadingKey(input: Raw, schema: PrimaryKeySchema): string | undefined {
  const name = schema.partitionKeys[0].name;
  const legacy = input.KeyConditions as Record<string, { AttributeValueList?: unknown[] }> | undefined;
  if (legacy !== null && typeof legacy === 'object') return keyValueString(legacy[name]?.AttributeValueList?.[0]);
  const node = parsed(input.KeyConditionExpression, 'KeyConditionExpression');
  if (node === undefined) return undefined;
  const names = input.ExpressionAttributeNames as Record<string, string> | undefined;
  const values = input.ExpressionAttributeValues as Record<string, unknown> | undefined;
  const stack: ConditionNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.kind === 'and') stack.push(n.left, n.right);
    else if (n.kind === 'comparison' && n.operator === '=') {
      const [path, value] = n.left.kind === 'path' ? [n.left, n.right] : [n.right, n.left];
      if (path.kind !== 'path' || path.elements.length !== 1 || headName(path, names) !== name) continue;
      if (value.kind === 'valuePlaceholder') return keyValueString(values?.[value.token]);
    }
  }
  return undefined;
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
