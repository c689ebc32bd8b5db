import type { PathNode } from '../expressions/ast.js';
import type { AttributeValue } from '../model/attribute-value.js';
import { keyAttributesOf, type PrimaryKeySchema } from '../model/key-schema.js';
import type { Operand, Predicate, SetSource, Statement, ValueNode } from '../partiql/ast.js';
import { parseStatement } from '../partiql/parser.js';
import { attributeValueOf } from '../partiql/values.js';
import type { TableView } from '../tables/table-view.js';
import { keyValueString, setPartitionKeyValues } from './fine-grained-keys.js';
import type { ContextValue } from './request-context-values.js';

/*
 * What a PartiQL statement asks IAM for (Developer Guide, "IAM security policies with PartiQL for
 * DynamoDB"; Service Authorization Reference, PartiQLSelect/Insert/Update/Delete): SELECT (and a
 * transaction's EXISTS) `dynamodb:PartiQLSelect` on the table or index, INSERT `PartiQLInsert`, UPDATE
 * `PartiQLUpdate`, DELETE `PartiQLDelete` on the table, with the condition keys those actions list:
 * `dynamodb:LeadingKeys` (the partition key values its WHERE fixes, or its item's), `dynamodb:Attributes`,
 * `dynamodb:EnclosingOperation` (`ExecuteTransaction`), `dynamodb:Select` and `dynamodb:FullTableScan`
 * (SELECT), `dynamodb:ReturnValues` (UPDATE, DELETE).
 */

/** One statement's access: its action, table, index and condition keys by lower-case name. */
export interface StatementAccess {
  readonly action: string;
  readonly tableName: string;
  readonly indexName: string | undefined;
  readonly keys: Record<string, ContextValue | undefined>;
}

const ACTIONS: Readonly<Record<Statement['kind'], string>> = {
  select: 'dynamodb:PartiQLSelect',
  exists: 'dynamodb:PartiQLSelect',
  insert: 'dynamodb:PartiQLInsert',
  update: 'dynamodb:PartiQLUpdate',
  delete: 'dynamodb:PartiQLDelete',
};

/**
 * The access a statement needs, or undefined when it does not parse (the operation then refuses it with
 * DynamoDB's ValidationException, having run nothing). `getTable` finds the table it names, if it exists.
 */
export function statementAccess(text: unknown, parameters: unknown, enclosing: string | undefined, getTable: (name: string) => TableView | undefined): StatementAccess | undefined {
  if (typeof text !== 'string') return undefined;
  let statement: Statement;
  try {
    statement = parseStatement(text).statement;
  } catch {
    return undefined;
  }
  const values = Array.isArray(parameters) ? (parameters as AttributeValue[]) : [];
  const read = statement.kind === 'exists' ? statement.select : statement;
  const { tableName, indexName } = read.source;
  const keys: Record<string, ContextValue | undefined> = { 'dynamodb:enclosingoperation': enclosing };
  const table = getTable(tableName);
  const schema = table === undefined ? undefined : indexName === undefined ? table.keySchema : table.indexes.find((i) => i.name === indexName)?.keySchema;
  const names = new Set<string>();
  if (schema !== undefined) for (const attribute of keyAttributesOf(schema)) names.add(attribute.name);
  // Each partition key attribute's values (LeadingKeys holds the first's).
  const partitionKeys = schema === undefined ? [] : schema.partitionKeys.map((attribute) => attribute.name);
  const leading = partitionKeys.map((): string[] => []);
  switch (read.kind) {
    case 'select':
      for (const path of read.projection ?? []) addPath(names, path);
      if (read.orderBy !== undefined) addPath(names, read.orderBy.path);
      keys['dynamodb:select'] = read.projection !== undefined ? 'SPECIFIC_ATTRIBUTES' : indexName !== undefined ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES';
      // An EXISTS checks one item by its key; a SELECT reads the whole table unless its WHERE fixes the partition key.
      keys['dynamodb:fulltablescan'] = statement.kind === 'exists' || (schema !== undefined && fixesPartition(read.where, schema)) ? 'false' : 'true';
      break;
    case 'insert':
      if (read.item.kind === 'map') {
        for (const entry of read.item.entries) {
          names.add(entry.key);
          const position = partitionKeys.indexOf(entry.key);
          if (position >= 0) pushValue(leading[position]!, entry.value, values);
        }
      }
      break;
    case 'update':
      for (const clause of read.clauses) {
        addPath(names, clause.path);
        if (clause.kind === 'set') addSetSource(names, clause.value);
      }
      keys['dynamodb:returnvalues'] = read.returning ?? 'NONE';
      break;
    case 'delete':
      keys['dynamodb:returnvalues'] = read.returning ?? 'NONE';
      break;
  }
  if (read.kind !== 'insert' && read.where !== undefined) {
    addPredicate(names, read.where);
    partitionKeys.forEach((name, position) => partitionValues(read.where!, name, values, leading[position]!));
  }
  if (schema !== undefined) {
    setPartitionKeyValues(keys, leading);
    keys['dynamodb:attributes'] = [...names];
  }
  return { action: ACTIONS[statement.kind], tableName, indexName, keys };
}

function headName(path: PathNode): string | undefined {
  const first = path.elements[0];
  return first?.kind === 'name' ? first.name : undefined;
}

function addPath(names: Set<string>, path: PathNode): void {
  const name = headName(path);
  if (name !== undefined) names.add(name);
}

function addOperand(names: Set<string>, operand: Operand): void {
  if (operand.kind === 'path') addPath(names, operand);
  else if (operand.kind === 'size') addPath(names, operand.path);
}

function addSetSource(names: Set<string>, value: SetSource): void {
  if (value.kind === 'arithmetic') {
    addOperand(names, value.left);
    addOperand(names, value.right);
  } else if (value.kind === 'call') {
    for (const arg of value.args) addOperand(names, arg);
  } else {
    addOperand(names, value);
  }
}

function addPredicate(names: Set<string>, predicate: Predicate): void {
  switch (predicate.kind) {
    case 'and':
    case 'or':
      addPredicate(names, predicate.left);
      addPredicate(names, predicate.right);
      return;
    case 'not':
      addPredicate(names, predicate.operand);
      return;
    case 'comparison':
      addOperand(names, predicate.left);
      addOperand(names, predicate.right);
      return;
    case 'between':
      addOperand(names, predicate.operand);
      addOperand(names, predicate.low);
      addOperand(names, predicate.high);
      return;
    case 'in':
      addOperand(names, predicate.operand);
      for (const candidate of predicate.candidates) addOperand(names, candidate);
      return;
    case 'isMissing':
    case 'isNull':
      addPath(names, predicate.path);
      return;
    case 'function':
      addPath(names, predicate.path);
      addOperand(names, predicate.argument);
      return;
  }
}

function isAttribute(operand: Operand, name: string): boolean {
  return operand.kind === 'path' && operand.elements.length === 1 && headName(operand) === name;
}

function isValue(operand: Operand): operand is ValueNode {
  return operand.kind !== 'path' && operand.kind !== 'size';
}

/** The values a term `pk = v` (either way round) or `pk IN [..]` fixes the attribute to, else undefined. */
function fixedValues(predicate: Predicate, name: string): ValueNode[] | undefined {
  if (predicate.kind === 'comparison' && predicate.operator === '=') {
    if (isAttribute(predicate.left, name) && isValue(predicate.right)) return [predicate.right];
    if (isAttribute(predicate.right, name) && isValue(predicate.left)) return [predicate.left];
  }
  if (predicate.kind === 'in' && isAttribute(predicate.operand, name) && predicate.candidates.every(isValue)) return predicate.candidates as ValueNode[];
  return undefined;
}

/**
 * Whether a WHERE fixes every partition key attribute by equality or IN (through ANDs, and through ORs
 * whose every branch fixes it): DynamoDB then reads only those partitions, not the whole table.
 */
function fixesPartition(where: Predicate | undefined, schema: PrimaryKeySchema): boolean {
  if (where === undefined) return false;
  return schema.partitionKeys.every((attribute) => fixes(where, attribute.name));
}

function fixes(predicate: Predicate, name: string): boolean {
  if (predicate.kind === 'and') return fixes(predicate.left, name) || fixes(predicate.right, name);
  if (predicate.kind === 'or') return fixes(predicate.left, name) && fixes(predicate.right, name);
  return fixedValues(predicate, name) !== undefined;
}

/** The partition key values a WHERE names by equality or IN (through ANDs and ORs). */
function partitionValues(predicate: Predicate, name: string, parameters: readonly AttributeValue[], out: string[]): void {
  if (predicate.kind === 'and' || predicate.kind === 'or') {
    partitionValues(predicate.left, name, parameters, out);
    partitionValues(predicate.right, name, parameters, out);
    return;
  }
  for (const value of fixedValues(predicate, name) ?? []) pushValue(out, value, parameters);
}

function pushValue(out: string[], node: ValueNode, parameters: readonly AttributeValue[]): void {
  if (node.kind === 'parameter' && node.index >= parameters.length) return;
  let value: AttributeValue;
  try {
    value = attributeValueOf(node, parameters);
  } catch {
    return; // A malformed literal: the operation refuses it.
  }
  const text = keyValueString(value);
  if (text !== undefined && !out.includes(text)) out.push(text);
}
