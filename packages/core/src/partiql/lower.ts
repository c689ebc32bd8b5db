import type * as E from '../expressions/ast.js';
import { printUpdate } from '../expressions/print.js';
import type { AttributeValue } from '../model/attribute-value.js';
import type { Operand, Predicate, SetSource, UpdateClause } from './ast.js';
import { malformed } from './messages.js';
import { attributeValueOf } from './values.js';

/**
 * Lowers PartiQL's WHERE and SET/REMOVE onto DynamoDB's expressions: every name becomes a `#n`
 * placeholder (so reserved words and any characters pass) and every value a `:v` placeholder, so the
 * operation a statement runs as parses, validates and evaluates them as it does its own requests.
 */
export class ExpressionBuilder {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private readonly placeholderOf = new Map<string, string>();
  private valueCount = 0;

  constructor(private readonly parameters: readonly AttributeValue[]) {}

  /** `#nK` for a name, the same placeholder each time. */
  name(name: string): string {
    let placeholder = this.placeholderOf.get(name);
    if (placeholder === undefined) {
      placeholder = `#n${this.placeholderOf.size}`;
      this.placeholderOf.set(name, placeholder);
      this.names[placeholder] = name;
    }
    return placeholder;
  }

  /** `:vK` for a value. */
  value(value: AttributeValue): string {
    const placeholder = `:v${this.valueCount++}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  path(path: E.PathNode): E.PathNode {
    return { kind: 'path', elements: path.elements.map((e) => (e.kind === 'name' ? { kind: 'namePlaceholder', token: this.name(e.name) } : e)) };
  }

  operand(operand: Operand): E.Operand {
    switch (operand.kind) {
      case 'path':
        return this.path(operand);
      case 'size':
        return { kind: 'size', operand: this.path(operand.path) };
      default:
        return { kind: 'valuePlaceholder', token: this.value(attributeValueOf(operand, this.parameters)) };
    }
  }

  condition(predicate: Predicate): E.ConditionNode {
    switch (predicate.kind) {
      case 'comparison':
        return { kind: 'comparison', operator: predicate.operator, left: this.operand(predicate.left), right: this.operand(predicate.right) };
      case 'between':
        return { kind: 'between', operand: this.operand(predicate.operand), low: this.operand(predicate.low), high: this.operand(predicate.high) };
      case 'in':
        return { kind: 'in', operand: this.operand(predicate.operand), candidates: predicate.candidates.map((c) => this.operand(c)) };
      case 'isMissing':
        return { kind: 'function', name: 'attribute_not_exists', args: [this.path(predicate.path)] };
      case 'isNull': {
        // PartiQL: a NULL value IS NULL, and so is no value at all (MISSING IS NULL).
        const path = this.path(predicate.path);
        const nullType: E.Operand = { kind: 'valuePlaceholder', token: this.value({ S: 'NULL' }) };
        return {
          kind: 'or',
          left: { kind: 'function', name: 'attribute_not_exists', args: [path] },
          right: { kind: 'function', name: 'attribute_type', args: [path, nullType] },
        };
      }
      case 'function':
        return { kind: 'function', name: predicate.name, args: [this.path(predicate.path), this.operand(predicate.argument)] };
      case 'and':
        return { kind: 'and', left: this.condition(predicate.left), right: this.condition(predicate.right) };
      case 'or':
        return { kind: 'or', left: this.condition(predicate.left), right: this.condition(predicate.right) };
      case 'not':
        return { kind: 'not', operand: this.condition(predicate.operand) };
    }
  }

  /** The predicates joined by AND, lowered; undefined for none. */
  conjunction(predicates: readonly Predicate[]): E.ConditionNode | undefined {
    let node: E.ConditionNode | undefined;
    for (const predicate of predicates) {
      const lowered = this.condition(predicate);
      node = node === undefined ? lowered : { kind: 'and', left: node, right: lowered };
    }
    return node;
  }

  /** `attribute_exists(#k)` or `attribute_not_exists(#k)`: whether the item with a key exists. */
  itemExists(keyName: string, exists: boolean): E.ConditionNode {
    const path: E.PathNode = { kind: 'path', elements: [{ kind: 'namePlaceholder', token: this.name(keyName) }] };
    return { kind: 'function', name: exists ? 'attribute_exists' : 'attribute_not_exists', args: [path] };
  }

  /** UpdateExpression text of an UPDATE's SET and REMOVE clauses (`SET p = set_add(p, v)` is `ADD p v`). */
  updateText(clauses: readonly UpdateClause[]): string {
    const actions: E.UpdateAction[] = clauses.map((clause) => {
      const path = this.path(clause.path);
      if (clause.kind === 'remove') return { kind: 'remove', path };
      const value = clause.value;
      if (value.kind === 'call' && (value.name === 'set_add' || value.name === 'set_delete')) {
        const [target, members] = value.args;
        if (value.args.length !== 2 || target?.kind !== 'path' || !samePath(target, clause.path) || members === undefined || members.kind === 'path' || members.kind === 'size') {
          throw malformed(`${value.name} takes the attribute being set and a set of values`);
        }
        const placeholder: E.ValuePlaceholderNode = { kind: 'valuePlaceholder', token: this.value(attributeValueOf(members, this.parameters)) };
        return { kind: value.name === 'set_add' ? 'add' : 'delete', path, value: placeholder };
      }
      return { kind: 'set', path, value: this.setValue(value) };
    });
    // DynamoDB's UpdateExpression groups actions by clause, each clause once.
    const order = { set: 0, remove: 1, add: 2, delete: 3 } as const;
    actions.sort((a, b) => order[a.kind] - order[b.kind]);
    return printUpdate({ kind: 'update', actions });
  }

  private setValue(value: SetSource): E.SetValue {
    switch (value.kind) {
      case 'arithmetic':
        return { kind: 'arithmetic', operator: value.operator, left: this.setOperand(value.left), right: this.setOperand(value.right) };
      case 'call':
        return { kind: value.name === 'list_append' ? 'listAppend' : 'ifNotExists', args: value.args.map((a) => this.setOperand(a)) };
      default:
        return this.setOperand(value);
    }
  }

  private setOperand(operand: Operand): E.SetOperand {
    const lowered = this.operand(operand);
    if (lowered.kind === 'size') throw malformed('size() cannot be used in SET');
    return lowered;
  }
}

function samePath(a: E.PathNode, b: E.PathNode): boolean {
  return a.elements.length === b.elements.length && a.elements.every((e, i) => JSON.stringify(e) === JSON.stringify(b.elements[i]));
}
