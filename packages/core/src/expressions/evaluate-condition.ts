import type { AttributeValue, Item } from '../model/attribute-value.js';
import { attributeTypeOf } from '../model/attribute-value.js';
import { equalBytes, equalValues } from '../model/equal-values.js';
import type { ConditionNode, FunctionNode, Operand } from './ast.js';
import { compareOrderable, includesBytes, sizeOf, startsWithBytes } from './compare-values.js';
import { readPath, unresolved } from './document-path.js';

/**
 * Whether a resolved condition holds for an item (`undefined`: no item). DynamoDB's semantics: comparisons
 * of different types are false, not errors; numbers by value; strings and binary by unsigned bytes.
 *
 * A missing operand (an absent attribute, or `size()` of a value without a size) equals nothing: `=`,
 * `<`, `<=`, `>`, `>=`, BETWEEN, IN and the functions are false, and `<>` is true — even between two
 * missing attributes. `<`, `<=`, `>`, `>=` and BETWEEN order only N, S and B values of one type.
 * AND and OR short-circuit.
 */
export function evaluateCondition(condition: ConditionNode, item: Item | undefined): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluateCondition(condition.left, item) && evaluateCondition(condition.right, item);
    case 'or':
      return evaluateCondition(condition.left, item) || evaluateCondition(condition.right, item);
    case 'not':
      return !evaluateCondition(condition.operand, item);
    case 'comparison': {
      const left = operandValue(condition.left, item);
      const right = operandValue(condition.right, item);
      switch (condition.operator) {
        case '=':
          return left !== undefined && right !== undefined && equalValues(left, right);
        case '<>':
          return left === undefined || right === undefined || !equalValues(left, right);
        case '<':
          return ordered(left, right, -1, -1);
        case '<=':
          return ordered(left, right, -1, 0);
        case '>':
          return ordered(left, right, 1, 1);
        default:
          return ordered(left, right, 0, 1);
      }
    }
    case 'between': {
      const value = operandValue(condition.operand, item);
      if (value === undefined) return false;
      const low = operandValue(condition.low, item);
      if (low === undefined) return false;
      const high = operandValue(condition.high, item);
      if (high === undefined) return false;
      const fromLow = compareOrderable(value, low);
      if (fromLow === undefined || fromLow < 0) return false;
      const toHigh = compareOrderable(value, high);
      return toHigh !== undefined && toHigh <= 0;
    }
    case 'in': {
      const value = operandValue(condition.operand, item);
      if (value === undefined) return false;
      for (const candidate of condition.candidates) {
        const other = operandValue(candidate, item);
        if (other !== undefined && equalValues(value, other)) return true;
      }
      return false;
    }
    case 'function':
      return evaluateFunction(condition, item);
  }
}

/** Whether both values exist, are orderable and of one type, and compare within [min, max]. */
function ordered(a: AttributeValue | undefined, b: AttributeValue | undefined, min: number, max: number): boolean {
  if (a === undefined || b === undefined) return false;
  const c = compareOrderable(a, b);
  if (c === undefined) return false;
  const sign = c < 0 ? -1 : c > 0 ? 1 : 0;
  return sign >= min && sign <= max;
}

function evaluateFunction(node: FunctionNode, item: Item | undefined): boolean {
  const args = node.args;
  switch (node.name) {
    case 'attribute_exists':
      return operandValue(argument(args, 0), item) !== undefined;
    case 'attribute_not_exists':
      return operandValue(argument(args, 0), item) === undefined;
    case 'attribute_type': {
      const value = operandValue(argument(args, 0), item);
      if (value === undefined) return false;
      const type = operandValue(argument(args, 1), item);
      return type !== undefined && 'S' in type && attributeTypeOf(value) === type.S;
    }
    case 'begins_with': {
      const value = operandValue(argument(args, 0), item);
      if (value === undefined) return false;
      const prefix = operandValue(argument(args, 1), item);
      if (prefix === undefined) return false;
      if ('S' in value) return 'S' in prefix && value.S.startsWith(prefix.S);
      if ('B' in value) return 'B' in prefix && startsWithBytes(value.B, prefix.B);
      return false;
    }
    case 'contains': {
      const value = operandValue(argument(args, 0), item);
      if (value === undefined) return false;
      const operand = operandValue(argument(args, 1), item);
      if (operand === undefined) return false;
      return contains(value, operand);
    }
  }
}

/**
 * `contains(value, operand)`: a substring of a String, a run of bytes of a Binary, a member of a set
 * (of the operand's type), an element of a List (of any type, compared deeply).
 */
function contains(value: AttributeValue, operand: AttributeValue): boolean {
  if ('S' in value) return 'S' in operand && value.S.includes(operand.S);
  if ('B' in value) return 'B' in operand && includesBytes(value.B, operand.B);
  if ('SS' in value) return 'S' in operand && value.SS.includes(operand.S);
  if ('NS' in value) return 'N' in operand && value.NS.includes(operand.N); // normalized: equal text ⇔ equal value
  if ('BS' in value) {
    if (!('B' in operand)) return false;
    for (const member of value.BS) if (equalBytes(member, operand.B)) return true;
    return false;
  }
  if ('L' in value) {
    for (const element of value.L) if (equalValues(element, operand)) return true;
    return false;
  }
  return false;
}

function argument(args: readonly Operand[], index: number): Operand {
  const arg = args[index];
  if (arg === undefined) throw new Error(`condition function is missing argument ${index + 1}`);
  return arg;
}

/** The value of an operand for an item; undefined when missing (or a size() of a value without one). */
function operandValue(operand: Operand, item: Item | undefined): AttributeValue | undefined {
  switch (operand.kind) {
    case 'literal':
      return operand.value;
    case 'path':
      return readPath(item, operand.elements);
    case 'size': {
      // Of an attribute or of a value alike (resolution rejects values without a size).
      const value = operandValue(operand.operand, item);
      if (value === undefined) return undefined;
      const size = sizeOf(value);
      return size === undefined ? undefined : { N: String(size) };
    }
    case 'valuePlaceholder':
      throw unresolved(`value placeholder ${operand.token}`);
  }
}
