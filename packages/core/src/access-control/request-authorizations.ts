import type { PrimaryKeySchema } from '../model/key-schema.js';
import type { TableView } from '../tables/table-view.js';
import { AttributeNames, leadingKeyOf, queryLeadingKey } from './fine-grained-keys.js';
import type { ContextValue } from './request-context-values.js';
import { statementAccess } from './statement-access.js';

/**
 * What one request asks IAM for: one authorization per action and resource (DynamoDB's service
 * authorization reference, "Actions defined by Amazon DynamoDB"): a batch asks once per table, a
 * transaction once per action (with `dynamodb:EnclosingOperation`), CreateTable with Tags also asks for
 * TagResource. Every one must be allowed for the request to run.
 */
export interface Authorization {
  /** e.g. `dynamodb:GetItem`. */
  readonly action: string;
  /** The ARN of the table, index or stream (or `…:table/*` for ListTables). */
  readonly resource: string;
  /** The account the resource belongs to (cross-account access needs the resource's policy too). */
  readonly accountId: string;
  /** The table the resource belongs to (its tags and resource-based policy apply), if it exists. */
  readonly table: TableView | undefined;
  /** The request's own condition keys (`dynamodb:*`, `aws:RequestTag/*`, `aws:TagKeys`) by lower-case name, computed when first read. */
  keys(key: string): ContextValue | undefined;
}

/** What the mapping reads of the database: its region and account, and its tables. */
export interface AuthorizationEnvironment {
  readonly region: string;
  readonly accountId: string;
  /** `arn:aws:dynamodb:<region>:<account>:`, the start of this database's ARNs. */
  readonly arnPrefix: string;
  getTable(nameOrArn: string): TableView | undefined;
}

type Raw = Readonly<Record<string, unknown>>;
type Keys = Record<string, ContextValue | undefined>;

const NO_KEYS = (): undefined => undefined;

/** `dynamodb:<operation>`, one string per operation (decision caches look them up by it). */
const ACTION_NAMES = new Map<string, string>();
function actionOf(operation: string): string {
  let name = ACTION_NAMES.get(operation);
  if (name === undefined) {
    name = `dynamodb:${operation}`;
    ACTION_NAMES.set(operation, name);
  }
  return name;
}

/** Reads a record of keys. */
function keysOf(keys: Keys): (key: string) => ContextValue | undefined {
  return (key) => keys[key];
}

/** The account of a resource ARN (ours for the ARNs built here). */
function accountOf(env: AuthorizationEnvironment, resource: string): string {
  if (resource.startsWith(arnPrefix(env))) return env.accountId;
  return /^arn:[^:]*:dynamodb:[^:]*:(\d*):/.exec(resource)?.[1] || env.accountId;
}

/** A transaction's item actions, by their member name. */
const ITEM_ACTIONS: Readonly<Record<string, string>> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };

/** The authorizations a request needs, in the order its parts appear. */
export function authorizationsOf(env: AuthorizationEnvironment, operation: string, input: Raw): Authorization[] {
  switch (operation) {
    case 'GetItem':
      // The commonest request: its action as a literal, not looked up.
      return [itemAuthorization(env, 'dynamodb:GetItem', operation, input, undefined)];
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [itemAuthorization(env, actionOf(operation), operation, input, undefined)];
    case 'Query':
    case 'Scan':
      return [readAuthorization(env, operation, input)];
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return batchAuthorizations(env, operation, input);
    case 'TransactGetItems':
    case 'TransactWriteItems':
      return transactAuthorizations(env, operation, input);
    case 'CreateTable': {
      const tags = tagKeys(input.Tags);
      const create = tableAuthorization(env, 'CreateTable', input.TableName, tags);
      return Array.isArray(input.Tags) && input.Tags.length > 0 ? [create, { ...create, action: 'dynamodb:TagResource' }] : [create];
    }
    case 'TagResource':
      return [tableAuthorization(env, operation, input.ResourceArn, tagKeys(input.Tags))];
    case 'UntagResource':
      return [tableAuthorization(env, operation, input.ResourceArn, { 'aws:tagkeys': stringList(input.TagKeys) })];
    case 'ListTables':
      return [{ action: 'dynamodb:ListTables', resource: `${arnPrefix(env)}table/*`, accountId: env.accountId, table: undefined, keys: NO_KEYS }];
    case 'ListStreams':
      return [{ action: 'dynamodb:ListStreams', resource: `${arnPrefix(env)}table/*/stream/*`, accountId: env.accountId, table: undefined, keys: NO_KEYS }];
    case 'DescribeStream':
    case 'GetShardIterator':
      return [streamAuthorization(env, operation, input.StreamArn)];
    case 'GetRecords': {
      // An iterator starts with its stream's ARN, as DynamoDB's do.
      const iterator = typeof input.ShardIterator === 'string' ? input.ShardIterator : '';
      return [streamAuthorization(env, operation, iterator.split('|', 1)[0])];
    }
    case 'ExecuteStatement':
      return statementAuthorizations(env, [input], undefined);
    case 'BatchExecuteStatement':
      return statementAuthorizations(env, Array.isArray(input.Statements) ? input.Statements : [], undefined);
    case 'ExecuteTransaction':
      return statementAuthorizations(env, Array.isArray(input.TransactStatements) ? input.TransactStatements : [], 'ExecuteTransaction');
    case 'DescribeBackup':
    case 'DeleteBackup':
      return [arnAuthorization(env, operation, input.BackupArn, '/backup/')];
    case 'RestoreTableFromBackup':
      // The backup and the new table; restoring writes its items (the reference lists the item actions too).
      return [arnAuthorization(env, operation, input.BackupArn, '/backup/'), ...restoreAuthorizations(env, operation, input.TargetTableName)];
    case 'RestoreTableToPointInTime':
      return [tableAuthorization(env, operation, input.SourceTableArn ?? input.SourceTableName, {}), ...restoreAuthorizations(env, operation, input.TargetTableName)];
    case 'ExportTableToPointInTime':
      return [tableAuthorization(env, operation, input.TableArn, {})];
    case 'DescribeExport':
      return [arnAuthorization(env, operation, input.ExportArn, '/export/')];
    case 'DescribeImport':
      return [arnAuthorization(env, operation, input.ImportArn, '/import/')];
    case 'ImportTable': {
      const parameters = input.TableCreationParameters as Raw | undefined;
      return [tableAuthorization(env, operation, parameters?.TableName, {})];
    }
    case 'ListExports':
    case 'ListImports':
      return [tableAuthorization(env, operation, input.TableArn, {})];
    case 'CreateGlobalTable':
    case 'DescribeGlobalTable':
    case 'DescribeGlobalTableSettings':
    case 'UpdateGlobalTable':
    case 'UpdateGlobalTableSettings': {
      // The global table, and (when it changes) this region's table of its name.
      const name = input.GlobalTableName;
      const global = { action: actionOf(operation), resource: `arn:aws:dynamodb::${env.accountId}:global-table/${typeof name === 'string' ? name : '*'}`, accountId: env.accountId, table: undefined, keys: NO_KEYS };
      return operation.startsWith('Describe') ? [global] : [global, tableAuthorization(env, operation, name, {})];
    }
    default: {
      const named = input.TableName ?? input.ResourceArn ?? input.TableArn;
      return [tableAuthorization(env, operation, named, {})];
    }
  }
}

/** A backup, export or import named by its ARN (`<table ARN>/backup/…`): its table's account, no condition keys. */
function arnAuthorization(env: AuthorizationEnvironment, operation: string, arn: unknown, kind: string): Authorization {
  const resource = typeof arn === 'string' && arn.startsWith('arn:') ? arn : `${arnPrefix(env)}table/*${kind}*`;
  return { action: actionOf(operation), resource, accountId: accountOf(env, resource), table: undefined, keys: NO_KEYS };
}

/** The item actions a restore needs on the table it creates (Service Authorization Reference, RestoreTableFromBackup). */
const RESTORE_ITEM_ACTIONS = ['BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem'];

function restoreAuthorizations(env: AuthorizationEnvironment, operation: string, targetTableName: unknown): Authorization[] {
  const target = tableAuthorization(env, operation, targetTableName, {});
  return [target, ...RESTORE_ITEM_ACTIONS.map((action) => ({ ...target, action: actionOf(action) }))];
}

/** ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: one authorization per statement (statement-access.ts). */
function statementAuthorizations(env: AuthorizationEnvironment, statements: readonly unknown[], enclosing: string | undefined): Authorization[] {
  const out: Authorization[] = [];
  for (const request of statements) {
    if (request === null || typeof request !== 'object') continue;
    const { Statement, Parameters } = request as Raw;
    const access = statementAccess(Statement, Parameters, enclosing, (name) => env.getTable(name));
    if (access === undefined) continue;
    let resource = tableArn(env, access.tableName);
    if (access.indexName !== undefined) resource += `/index/${access.indexName}`;
    out.push({ action: access.action, resource, accountId: accountOf(env, resource), table: env.getTable(access.tableName), keys: keysOf(access.keys) });
  }
  return out;
}

function arnPrefix(env: AuthorizationEnvironment): string {
  return env.arnPrefix;
}

/** The ARN a TableName or ResourceArn names (an ARN as given; a name as this database's table ARN). */
function tableArn(env: AuthorizationEnvironment, named: unknown): string {
  if (typeof named !== 'string') return `${arnPrefix(env)}table/*`;
  return named.startsWith('arn:') ? named : `${arnPrefix(env)}table/${named}`;
}

function tableAuthorization(env: AuthorizationEnvironment, operation: string, named: unknown, keys: Keys): Authorization {
  const resource = tableArn(env, named);
  return { action: actionOf(operation), resource, accountId: accountOf(env, resource), table: typeof named === 'string' ? env.getTable(named) : undefined, keys: keysOf(keys) };
}

function streamAuthorization(env: AuthorizationEnvironment, operation: string, streamArn: unknown): Authorization {
  const arn = typeof streamArn === 'string' && streamArn.startsWith('arn:') ? streamArn : `${arnPrefix(env)}table/*/stream/*`;
  const tableOf = /^(arn:[^:]*:dynamodb:[^:]*:[^:]*:table\/[^/]+)\/stream\//.exec(arn);
  return { action: actionOf(operation), resource: arn, accountId: accountOf(env, arn), table: tableOf === null ? undefined : env.getTable(tableOf[1]!), keys: NO_KEYS };
}

/** aws:RequestTag/<key> and aws:TagKeys of a request's Tags. */
function tagKeys(tags: unknown): Keys {
  const keys: Keys = {};
  if (!Array.isArray(tags)) return keys;
  const names: string[] = [];
  for (const tag of tags as Array<{ Key?: unknown; Value?: unknown } | null>) {
    if (typeof tag?.Key !== 'string') continue;
    names.push(tag.Key);
    if (typeof tag.Value === 'string') keys[`aws:requesttag/${tag.Key.toLowerCase()}`] = tag.Value;
  }
  keys['aws:tagkeys'] = names;
  return keys;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function names(input: Raw): Record<string, string> | undefined {
  const n = input.ExpressionAttributeNames;
  return n !== null && typeof n === 'object' ? (n as Record<string, string>) : undefined;
}

/** GetItem, PutItem, UpdateItem, DeleteItem and ConditionCheckItem, alone or inside a transaction. */
function itemAuthorization(env: AuthorizationEnvironment, action: string, operation: string, input: Raw, enclosing: string | undefined): Authorization {
  const table = typeof input.TableName === 'string' ? env.getTable(input.TableName) : undefined;
  // An existing table's own ARN: the same string every time (its hash is kept), and of this account.
  const resource = table !== undefined ? table.arn : tableArn(env, input.TableName);
  return new ItemAuthorization(action, resource, table !== undefined ? env.accountId : accountOf(env, resource), table, operation, input, enclosing);
}

/**
 * An item action's authorization. Its keys are worked out when read (most policies read none of them,
 * or only LeadingKeys); a class, so a request makes no closures.
 */
class ItemAuthorization implements Authorization {
  private leadingKeys: string[] | undefined | null = null;
  private attributes: string[] | undefined;

  constructor(
    readonly action: string,
    readonly resource: string,
    readonly accountId: string,
    readonly table: TableView | undefined,
    private readonly operation: string,
    private readonly input: Raw,
    private readonly enclosing: string | undefined,
  ) {}

  keys(key: string): ContextValue | undefined {
    const { operation, input, enclosing, table } = this;
    switch (key) {
      case 'dynamodb:enclosingoperation':
        return enclosing;
      case 'dynamodb:returnconsumedcapacity':
        if (enclosing !== undefined) return undefined;
        return typeof input.ReturnConsumedCapacity === 'string' ? input.ReturnConsumedCapacity : 'NONE';
      case 'dynamodb:leadingkeys':
        if (this.leadingKeys === null) {
          const leading = table === undefined ? undefined : leadingKeyOf(operation === 'PutItem' ? input.Item : input.Key, table.keySchema);
          this.leadingKeys = leading === undefined ? undefined : [leading];
        }
        return this.leadingKeys;
      case 'dynamodb:attributes':
        if (table === undefined) return undefined;
        return (this.attributes ??= itemAttributes(operation, input, table.keySchema));
      case 'dynamodb:select':
        if (operation !== 'GetItem') return undefined;
        return input.ProjectionExpression !== undefined || input.AttributesToGet !== undefined ? 'SPECIFIC_ATTRIBUTES' : 'ALL_ATTRIBUTES';
      case 'dynamodb:returnvalues':
        if (operation === 'GetItem' || operation === 'ConditionCheckItem' || enclosing !== undefined) return undefined;
        return typeof input.ReturnValues === 'string' ? input.ReturnValues : 'NONE';
      default:
        return undefined;
    }
  }
}

function itemAttributes(action: string, input: Raw, schema: PrimaryKeySchema): string[] {
  const attributes = new AttributeNames(names(input)).keys(schema);
  if (action === 'PutItem') attributes.members(input.Item);
  if (action === 'GetItem') attributes.projection(input.ProjectionExpression).members(input.AttributesToGet);
  if (action === 'UpdateItem') attributes.update(input.UpdateExpression).members(input.AttributeUpdates);
  return attributes.condition(input.ConditionExpression, 'ConditionExpression').members(input.Expected).list();
}

/** Query and Scan, on the table or an index (the index's ARN, its partition key for LeadingKeys). */
function readAuthorization(env: AuthorizationEnvironment, operation: 'Query' | 'Scan', input: Raw): Authorization {
  const table = typeof input.TableName === 'string' ? env.getTable(input.TableName) : undefined;
  const indexName = typeof input.IndexName === 'string' ? input.IndexName : undefined;
  let resource = tableArn(env, input.TableName);
  if (indexName !== undefined) resource += `/index/${indexName}`;
  const keys: Keys = { 'dynamodb:returnconsumedcapacity': typeof input.ReturnConsumedCapacity === 'string' ? input.ReturnConsumedCapacity : 'NONE' };
  const specific = input.ProjectionExpression !== undefined || input.AttributesToGet !== undefined;
  keys['dynamodb:select'] = typeof input.Select === 'string' ? input.Select : specific ? 'SPECIFIC_ATTRIBUTES' : indexName !== undefined ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES';
  if (table !== undefined) {
    const schema = indexName === undefined ? table.keySchema : table.indexes.find((i) => i.name === indexName)?.keySchema;
    const attributes = new AttributeNames(names(input)).keys(table.keySchema).projection(input.ProjectionExpression).members(input.AttributesToGet);
    attributes.condition(input.FilterExpression, 'FilterExpression').members(operation === 'Query' ? input.QueryFilter : input.ScanFilter);
    if (operation === 'Query') {
      attributes.condition(input.KeyConditionExpression, 'KeyConditionExpression').members(input.KeyConditions);
      const leading = schema === undefined ? undefined : queryLeadingKey(input, schema);
      if (leading !== undefined) keys['dynamodb:leadingkeys'] = [leading];
    }
    if (schema !== undefined) attributes.keys(schema);
    keys['dynamodb:attributes'] = attributes.list();
  }
  return { action: actionOf(operation), resource, accountId: accountOf(env, resource), table, keys: keysOf(keys) };
}

/** BatchGetItem and BatchWriteItem: one authorization per table, its keys those of every item. */
function batchAuthorizations(env: AuthorizationEnvironment, operation: 'BatchGetItem' | 'BatchWriteItem', input: Raw): Authorization[] {
  const requestItems = input.RequestItems;
  if (requestItems === null || typeof requestItems !== 'object') return [];
  const out: Authorization[] = [];
  for (const [tableName, request] of Object.entries(requestItems as Record<string, unknown>)) {
    const table = env.getTable(tableName);
    const keys: Keys = { 'dynamodb:returnconsumedcapacity': typeof input.ReturnConsumedCapacity === 'string' ? input.ReturnConsumedCapacity : 'NONE' };
    if (table !== undefined) {
      const schema = table.keySchema;
      const leading: string[] = [];
      if (operation === 'BatchGetItem') {
        const read = (request ?? {}) as Raw;
        const attributes = new AttributeNames(names(read)).keys(schema).projection(read.ProjectionExpression).members(read.AttributesToGet);
        for (const key of Array.isArray(read.Keys) ? read.Keys : []) pushDefined(leading, leadingKeyOf(key, schema));
        keys['dynamodb:attributes'] = attributes.list();
        keys['dynamodb:select'] = read.ProjectionExpression !== undefined || read.AttributesToGet !== undefined ? 'SPECIFIC_ATTRIBUTES' : 'ALL_ATTRIBUTES';
      } else {
        const attributes = new AttributeNames(undefined).keys(schema);
        for (const write of Array.isArray(request) ? (request as Array<Raw | null>) : []) {
          const put = write?.PutRequest as Raw | undefined;
          const del = write?.DeleteRequest as Raw | undefined;
          if (put?.Item !== undefined) {
            pushDefined(leading, leadingKeyOf(put.Item, schema));
            attributes.members(put.Item);
          }
          if (del?.Key !== undefined) pushDefined(leading, leadingKeyOf(del.Key, schema));
        }
        keys['dynamodb:attributes'] = attributes.list();
      }
      keys['dynamodb:leadingkeys'] = leading;
    }
    const resource = tableArn(env, tableName);
    out.push({ action: actionOf(operation), resource, accountId: accountOf(env, resource), table, keys: keysOf(keys) });
  }
  return out;
}

function pushDefined(list: string[], value: string | undefined): void {
  if (value !== undefined) list.push(value);
}

/** TransactGetItems and TransactWriteItems: one authorization per action, as its own item action. */
function transactAuthorizations(env: AuthorizationEnvironment, operation: string, input: Raw): Authorization[] {
  if (!Array.isArray(input.TransactItems)) return [];
  const out: Authorization[] = [];
  for (const item of input.TransactItems as Array<Raw | null>) {
    if (item === null || typeof item !== 'object') continue;
    for (const [kind, action] of Object.entries(item)) {
      const name = ITEM_ACTIONS[kind];
      if (name !== undefined && action !== null && typeof action === 'object') out.push(itemAuthorization(env, actionOf(name), name, action as Raw, operation));
    }
  }
  return out;
}
