import type { Engine } from '../engine.js';
import { INVALID, ValidationException } from '../errors.js';
import type { ConditionNode, PathNode } from '../expressions/ast.js';
import { printCondition } from '../expressions/print.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { isMultiAttribute, keyAttributesOf, type PrimaryKeySchema } from '../model/key-schema.js';
import type { DeleteItemInput } from '../operations/delete-item.js';
import type { GetItemInput } from '../operations/get-item.js';
import type { PutItemInput } from '../operations/put-item.js';
import type { QueryInput } from '../operations/query.js';
import { readTarget } from '../operations/read-target.js';
import type { ScanInput } from '../operations/scan.js';
import type { UpdateItemInput, UpdateItemReturnValues } from '../operations/update-item.js';
import type { SecondaryIndex } from '../tables/secondary-index.js';
import type { Operand, Predicate, Returning, SelectStatement, Source, Statement, ValueNode } from './ast.js';
import { ExpressionBuilder } from './lower.js';
import { MSG_KEY_EQUALITY, MSG_PARAMETER_COUNT, malformed, unsupported } from './messages.js';
import { parseStatement } from './parser.js';
import { attributeValueOf } from './values.js';

/**
 * The planner: a statement as the one operation DynamoDB runs it as. A SELECT whose WHERE fixes the whole
 * primary key (and nothing else) is a GetItem; one that fixes the partition key a Query (a sort key
 * condition becomes its key condition, the rest its filter, ORDER BY its direction); any other a Scan
 * filtered by the WHERE. INSERT is a PutItem that must not find the key (DuplicateItemException), UPDATE
 * an UpdateItem that must find it, DELETE a DeleteItem; their WHERE names the key and anything beyond it
 * becomes the operation's condition.
 */
export type Plan =
  | { readonly operation: 'GetItem'; readonly input: GetItemInput; readonly projection: readonly PathNode[] | undefined }
  | { readonly operation: 'Query'; readonly input: QueryInput; readonly projection: readonly PathNode[] | undefined }
  | { readonly operation: 'Scan'; readonly input: ScanInput; readonly projection: readonly PathNode[] | undefined }
  | { readonly operation: 'PutItem'; readonly input: PutItemInput }
  | { readonly operation: 'UpdateItem'; readonly input: UpdateItemInput }
  | { readonly operation: 'DeleteItem'; readonly input: DeleteItemInput }
  /** EXISTS(SELECT …) in a transaction: a condition check on one item. */
  | { readonly operation: 'ConditionCheck'; readonly input: DeleteItemInput & { ConditionExpression: string } };

/** What every statement of a request shares. */
export interface PlanOptions {
  readonly consistentRead?: boolean | undefined;
  readonly returnConsumedCapacity?: 'INDEXES' | 'TOTAL' | 'NONE' | undefined;
  readonly returnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE' | undefined;
}

/** Parses a statement, checks its parameters and plans it. */
export function planStatement(engine: Engine, text: string, parameters: readonly AttributeValue[] | undefined, options: PlanOptions): Plan {
  const { statement, parameterCount } = parseStatement(text);
  if (parameterCount !== (parameters?.length ?? 0)) throw new ValidationException(MSG_PARAMETER_COUNT);
  return plan(engine, statement, parameters ?? [], options);
}

/** The table a statement names, without planning it (undefined when it does not parse). */
export function tableOfStatement(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const { statement } = parseStatement(text);
    return (statement.kind === 'exists' ? statement.select : statement).source.tableName;
  } catch {
    return undefined;
  }
}

function plan(engine: Engine, statement: Statement, parameters: readonly AttributeValue[], options: PlanOptions): Plan {
  const builder = new ExpressionBuilder(parameters);
  const common = commonMembers(options);
  switch (statement.kind) {
    case 'select':
      return planSelect(engine, statement, builder, parameters, options);
    case 'insert': {
      const schema = tableSchema(engine, statement.source, 'INSERT');
      const item = attributeValueOf(statement.item, parameters);
      if (!('M' in item)) throw malformed('INSERT takes a tuple value: VALUE {...}');
      const condition = builder.itemExists(schema.partitionKeys[0].name, false);
      return { operation: 'PutItem', input: { TableName: statement.source.tableName, Item: item.M, ...expressionMembers(builder, condition), ...common } };
    }
    case 'update': {
      const schema = tableSchema(engine, statement.source, 'UPDATE');
      const { key, rest } = itemKey(schema, statement.where, parameters);
      const update = builder.updateText(statement.clauses);
      // UPDATE never creates an item: WHERE must match one (AWS: "If the WHERE clause … does not evaluate to
      // true for any item … ConditionalCheckFailedException").
      const exists = builder.itemExists(schema.partitionKeys[0].name, true);
      const extra = builder.conjunction(rest);
      const condition: ConditionNode = extra === undefined ? exists : { kind: 'and', left: exists, right: extra };
      const input: UpdateItemInput = { TableName: statement.source.tableName, Key: key, UpdateExpression: update, ...expressionMembers(builder, condition), ...common };
      if (statement.returning !== undefined) input.ReturnValues = UPDATE_RETURN_VALUES[statement.returning];
      return { operation: 'UpdateItem', input };
    }
    case 'delete': {
      if (statement.returning !== undefined && statement.returning !== 'ALL_OLD') {
        throw new ValidationException(`Invalid returning clause: RETURNING ${statement.returning.replace('_', ' ')} *. Only RETURNING ALL OLD * is allowed in DELETE statements.`);
      }
      const schema = tableSchema(engine, statement.source, 'DELETE');
      const { key, rest } = itemKey(schema, statement.where, parameters);
      // A missing item is deleted as a no-op; the rest of the WHERE is checked against an item that exists.
      const extra = builder.conjunction(rest);
      const condition: ConditionNode | undefined = extra === undefined ? undefined : { kind: 'or', left: builder.itemExists(schema.partitionKeys[0].name, false), right: extra };
      const input: DeleteItemInput = { TableName: statement.source.tableName, Key: key, ...expressionMembers(builder, condition), ...common };
      if (statement.returning === 'ALL_OLD') input.ReturnValues = 'ALL_OLD';
      return { operation: 'DeleteItem', input };
    }
    case 'exists': {
      const select = statement.select;
      const schema = tableSchema(engine, select.source, 'EXISTS');
      const { key, rest } = itemKey(schema, select.where, parameters);
      const condition = builder.conjunction(rest) ?? builder.itemExists(schema.partitionKeys[0].name, true);
      return { operation: 'ConditionCheck', input: { TableName: select.source.tableName, Key: key, ...expressionMembers(builder, condition), ConditionExpression: printCondition(condition), ...common } };
    }
  }
}

const UPDATE_RETURN_VALUES: Readonly<Record<Returning, UpdateItemReturnValues>> = {
  ALL_OLD: 'ALL_OLD',
  MODIFIED_OLD: 'UPDATED_OLD',
  ALL_NEW: 'ALL_NEW',
  MODIFIED_NEW: 'UPDATED_NEW',
};

function commonMembers(options: PlanOptions): { ReturnConsumedCapacity?: 'INDEXES' | 'TOTAL' | 'NONE'; ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE' } {
  const members: { ReturnConsumedCapacity?: 'INDEXES' | 'TOTAL' | 'NONE'; ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE' } = {};
  if (options.returnConsumedCapacity !== undefined) members.ReturnConsumedCapacity = options.returnConsumedCapacity;
  if (options.returnValuesOnConditionCheckFailure !== undefined) members.ReturnValuesOnConditionCheckFailure = options.returnValuesOnConditionCheckFailure;
  return members;
}

/** ConditionExpression and the placeholders the builder handed out (none when there are none). */
function expressionMembers(
  builder: ExpressionBuilder,
  condition: ConditionNode | undefined,
): { ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> } {
  const members: { ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> } = {};
  if (condition !== undefined) members.ConditionExpression = printCondition(condition);
  if (Object.keys(builder.names).length > 0) members.ExpressionAttributeNames = builder.names;
  if (Object.keys(builder.values).length > 0) members.ExpressionAttributeValues = builder.values;
  return members;
}

/** The key schema of a write's table: writes go to tables, never to an index. */
function tableSchema(engine: Engine, source: Source, verb: string): PrimaryKeySchema {
  if (source.indexName !== undefined) throw unsupported(`${verb} on an index`);
  return engine.itemTable(source.tableName).keySchema;
}

/** The top-level AND terms of a WHERE. */
function conjunctsOf(where: Predicate | undefined): Predicate[] {
  if (where === undefined) return [];
  if (where.kind !== 'and') return [where];
  return [...conjunctsOf(where.left), ...conjunctsOf(where.right)];
}

/** A term `attribute = value` (either way round): the value, when it is on this top-level attribute. */
function equalityOn(term: Predicate, attribute: string): ValueNode | undefined {
  if (term.kind !== 'comparison' || term.operator !== '=') return undefined;
  const { left, right } = term;
  if (isAttribute(left, attribute) && isValue(right)) return right;
  if (isAttribute(right, attribute) && isValue(left)) return left;
  return undefined;
}

function isAttribute(operand: { kind: string }, attribute: string): boolean {
  if (operand.kind !== 'path') return false;
  const elements = (operand as PathNode).elements;
  return elements.length === 1 && elements[0]!.kind === 'name' && elements[0]!.name === attribute;
}

function isValue(operand: { kind: string }): operand is ValueNode {
  return operand.kind !== 'path' && operand.kind !== 'size';
}

/** The item a write or a transaction's read names: equality on every key attribute; the other terms. */
function itemKey(schema: PrimaryKeySchema, where: Predicate | undefined, parameters: readonly AttributeValue[]): { key: Item; rest: Predicate[] } {
  const rest = conjunctsOf(where);
  const key: Item = {};
  for (const attribute of keyAttributesOf(schema)) {
    const at = rest.findIndex((term) => equalityOn(term, attribute.name) !== undefined);
    if (at < 0) throw new ValidationException(MSG_KEY_EQUALITY);
    key[attribute.name] = attributeValueOf(equalityOn(rest[at]!, attribute.name)!, parameters);
    rest.splice(at, 1);
  }
  return { key, rest };
}

/** A sort key term a Query can use as its key condition: a comparison with a value, BETWEEN values, begins_with a value. */
function isSortKeyCondition(term: Predicate, attribute: string): boolean {
  switch (term.kind) {
    case 'comparison':
      return term.operator !== '<>' && ((isAttribute(term.left, attribute) && isValue(term.right)) || (isAttribute(term.right, attribute) && isValue(term.left)));
    case 'between':
      return isAttribute(term.operand, attribute) && isValue(term.low) && isValue(term.high);
    case 'function':
      return term.name === 'begins_with' && isAttribute(term.path, attribute) && isValue(term.argument);
    default:
      return false;
  }
}

/**
 * What an index read may not ask for (nubo-db/dynamodb-conformance tier3 partiql, against DynamoDB): a
 * strongly consistent read of a GSI, a filter on an attribute the index does not project (GSI or LSI),
 * a projection of one a GSI does not project. PartiQL words them apart from Query.
 */
function checkIndexRead(index: SecondaryIndex, select: SelectStatement, options: PlanOptions): void {
  if (index.kind === 'GSI' && options.consistentRead === true) throw new ValidationException('Strongly consistent read is not supported on Global Secondary Indexes');
  const projected = index.projectedAttributes;
  if (projected === undefined) return;
  const missing = (names: Iterable<string>) => [...new Set(names)].filter((name) => !projected.has(name));
  const filtered = missing(rootNames(select.where));
  if (filtered.length > 0) {
    throw new ValidationException(`${INVALID}Secondary index ${index.name} does not project one or more filter attributes: [${filtered.join(', ')}]`);
  }
  const selected = index.kind === 'GSI' ? missing((select.projection ?? []).map((path) => (path.elements[0] as { name: string }).name)) : [];
  if (selected.length > 0) throw new ValidationException(`${INVALID}Global secondary index ${index.name} does not project [${selected.join(', ')}]`);
}

/** The top-level attribute names a WHERE reads. */
function rootNames(predicate: Predicate | undefined): string[] {
  if (predicate === undefined) return [];
  const names: string[] = [];
  const operand = (o: Operand): void => {
    if (o.kind === 'path') names.push((o.elements[0] as { name: string }).name);
    else if (o.kind === 'size') operand(o.path);
  };
  const visit = (p: Predicate): void => {
    switch (p.kind) {
      case 'comparison':
        operand(p.left);
        operand(p.right);
        return;
      case 'between':
        [p.operand, p.low, p.high].forEach(operand);
        return;
      case 'in':
        [p.operand, ...p.candidates].forEach(operand);
        return;
      case 'isMissing':
      case 'isNull':
        operand(p.path);
        return;
      case 'function':
        operand(p.path);
        operand(p.argument);
        return;
      case 'and':
      case 'or':
        visit(p.left);
        visit(p.right);
        return;
      case 'not':
        visit(p.operand);
    }
  };
  visit(predicate);
  return names;
}

const MIRRORED = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;

/** `5 < sk` as `sk > 5`: a key condition names the key first. */
function attributeFirst(term: Predicate): Predicate {
  if (term.kind !== 'comparison' || term.left.kind === 'path') return term;
  return { kind: 'comparison', operator: MIRRORED[term.operator], left: term.right, right: term.left };
}

function planSelect(engine: Engine, select: SelectStatement, builder: ExpressionBuilder, parameters: readonly AttributeValue[], options: PlanOptions): Plan {
  const { tableName, indexName } = select.source;
  const table = engine.itemTable(tableName);
  // PartiQL's message names no index (nubo-db/dynamodb-conformance); Query's does.
  if (indexName !== undefined && table.index(indexName) === undefined) throw new ValidationException('The table does not have the specified index');
  const schema = readTarget(table, indexName, false).keySchema;
  if (indexName !== undefined) checkIndexRead(table.index(indexName)!, select, options);
  const terms = conjunctsOf(select.where);
  const reads: { ConsistentRead?: boolean; ReturnConsumedCapacity?: 'INDEXES' | 'TOTAL' | 'NONE' } = {};
  if (options.consistentRead !== undefined) reads.ConsistentRead = options.consistentRead;
  if (options.returnConsumedCapacity !== undefined) reads.ReturnConsumedCapacity = options.returnConsumedCapacity;
  const partitionKeys = schema.partitionKeys;
  const fixesPartition = partitionKeys.every((attribute) => terms.some((term) => equalityOn(term, attribute.name) !== undefined));

  // The whole primary key of the table and nothing else: one item.
  if (indexName === undefined && fixesPartition && select.orderBy === undefined && terms.length === keyAttributesOf(schema).length) {
    try {
      const { key, rest } = itemKey(schema, select.where, parameters);
      if (rest.length === 0) return { operation: 'GetItem', input: { TableName: tableName, Key: key, ...reads }, projection: select.projection };
    } catch (error) {
      if (!(error instanceof ValidationException)) throw error;
    }
  }

  if (!fixesPartition) {
    if (select.orderBy !== undefined) throw new ValidationException('ORDER BY requires a WHERE clause with an equality on the partition key');
    const input: ScanInput = { TableName: tableName, ...reads };
    if (indexName !== undefined) input.IndexName = indexName;
    const filter = builder.conjunction(terms);
    if (filter !== undefined) input.FilterExpression = printCondition(filter);
    return { operation: 'Scan', input: withPlaceholders(input, builder), projection: select.projection };
  }

  // A Query: the partition key, at most one sort key condition, the rest a filter.
  const rest = [...terms];
  const keyTerms: Predicate[] = [];
  for (const attribute of partitionKeys) {
    const at = rest.findIndex((term) => equalityOn(term, attribute.name) !== undefined);
    keyTerms.push(...rest.splice(at, 1));
  }
  // Conditions on a multi-attribute sort key stay in the filter (not planned as key conditions yet).
  const sortKey = isMultiAttribute(schema) ? undefined : schema.sortKeys[0];
  if (sortKey !== undefined) {
    const at = rest.findIndex((term) => isSortKeyCondition(term, sortKey.name));
    if (at >= 0) keyTerms.push(attributeFirst(rest.splice(at, 1)[0]!));
  }
  if (select.orderBy !== undefined) {
    const elements = select.orderBy.path.elements;
    const onKey = elements.length === 1 && elements[0]!.kind === 'name' && (elements[0]!.name === sortKey?.name || partitionKeys.some((a) => a.name === (elements[0] as { name: string }).name));
    if (!onKey) throw new ValidationException('ORDER BY is only supported on the key attributes of the table or index');
  }
  const input: QueryInput = { TableName: tableName, KeyConditionExpression: printCondition(builder.conjunction(keyTerms)!), ...reads };
  if (indexName !== undefined) input.IndexName = indexName;
  const filter = builder.conjunction(rest);
  if (filter !== undefined) input.FilterExpression = printCondition(filter);
  if (select.orderBy?.descending === true) input.ScanIndexForward = false;
  return { operation: 'Query', input: withPlaceholders(input, builder), projection: select.projection };
}

function withPlaceholders<T extends { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> }>(input: T, builder: ExpressionBuilder): T {
  if (Object.keys(builder.names).length > 0) input.ExpressionAttributeNames = builder.names;
  if (Object.keys(builder.values).length > 0) input.ExpressionAttributeValues = builder.values;
  return input;
}
