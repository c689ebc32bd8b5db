import type { PrimaryKeySchema } from '../model/key-schema.js';
import type { RequestCaller } from '../modules/module.js';
import type { TableView } from '../tables/table-view.js';
import { AttributeNames, leadingKeyOf, partitionKeyPosition, partitionKeyValueOf, queryPartitionKeyValues, setPartitionKeyValues } from './fine-grained-keys.js';
import type { Principal } from './principals.js';
import type { ConditionContext, ContextValue } from './request-context-values.js';
import { statementAccess } from './statement-access.js';

/**
 * What one request asks IAM for: one authorization per action and resource (DynamoDB's service
 * authorization reference, "Actions defined by Amazon DynamoDB"): a batch asks once per table, a
 * transaction once per action (with `dynamodb:EnclosingOperation`), CreateTable with Tags also asks for
 * TagResource. Every one must be allowed for the request to run. It is its own condition context (the
 * request's keys, the principal's, the resource's tags, the clock's): one object per authorization.
 */
export interface Authorization extends ConditionContext {
  /** e.g. `dynamodb:GetItem`. */
  readonly action: string;
  /** The ARN of the table, index or stream (or `…:table/*` for ListTables). */
  readonly resource: string;
  /** The account the resource belongs to (cross-account access needs the resource's policy too). */
  readonly accountId: string;
  /** The table the resource belongs to (its tags and resource-based policy apply), if it exists. */
  readonly table: TableView | undefined;
}

/** What the mapping reads of the database: its region and account, its tables and their tags, its clock. */
export interface AuthorizationEnvironment {
  readonly region: string;
  readonly accountId: string;
  /** `arn:aws:dynamodb:<region>:<account>:`, the start of this database's ARNs. */
  readonly arnPrefix: string;
  getTable(nameOrArn: string): TableView | undefined;
  /** A table's tags by lower-case key (condition keys are case-insensitive). */
  tagsOf(table: TableView): Map<string, string>;
  /** The database clock's milliseconds. */
  now(): number;
}

/** A principal in one database: made once per principal, shared by all its requests' authorizations. */
export interface Requester {
  readonly env: AuthorizationEnvironment;
  readonly principal: Principal;
}

/** Who asks (the principal, and the caller's own details such as its address): what a request's authorizations share. */
export interface RequestParty {
  readonly requester: Requester;
  readonly caller: RequestCaller;
}

type Raw = Readonly<Record<string, unknown>>;
type Keys = Record<string, ContextValue | undefined>;

const NO_KEYS: Keys = {};

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

/**
 * An authorization's condition keys beyond the request's own: the principal's (`aws:username`,
 * `aws:PrincipalTag/*`, …), the resource's tags, the clock's, the caller's address. A class with one
 * subclass per way a request's own keys are found, so reading a key makes no closure.
 */
abstract class RequestAuthorization implements Authorization {
  private tags: Map<string, string> | undefined;

  constructor(
    protected readonly requester: Requester,
    protected readonly caller: RequestCaller,
    readonly action: string,
    readonly resource: string,
    readonly accountId: string,
    readonly table: TableView | undefined,
  ) {}

  /** The request's own condition keys (`dynamodb:*`, `aws:RequestTag/*`, `aws:TagKeys`) by lower-case name. */
  protected abstract own(key: string): ContextValue | undefined;

  get(key: string): ContextValue | undefined {
    const own = this.own(key);
    if (own !== undefined) return own;
    const { env, principal } = this.requester;
    const fromPrincipal = principal.keys.get(key);
    if (fromPrincipal !== undefined) return fromPrincipal;
    if (key.startsWith('aws:resourcetag/')) {
      if (this.table === undefined) return undefined;
      this.tags ??= env.tagsOf(this.table);
      return this.tags.get(key.slice(16));
    }
    switch (key) {
      case 'aws:currenttime':
        return new Date(env.now()).toISOString();
      case 'aws:epochtime':
        return String(Math.floor(env.now() / 1000));
      case 'aws:sourceip':
        return this.caller.sourceIp;
      case 'aws:requestedregion':
        return env.region;
      default:
        return undefined;
    }
  }
}

/** An authorization whose own keys were worked out with it. */
class KeysAuthorization extends RequestAuthorization {
  constructor(requester: Requester, caller: RequestCaller, action: string, resource: string, accountId: string, table: TableView | undefined, private readonly keys: Keys) {
    super(requester, caller, action, resource, accountId, table);
  }

  protected own(key: string): ContextValue | undefined {
    return this.keys[key];
  }

  /** The same resource and keys for another action. */
  withAction(action: string): KeysAuthorization {
    return new KeysAuthorization(this.requester, this.caller, action, this.resource, this.accountId, this.table, this.keys);
  }
}

/** An authorization of this database's account (or the resource ARN's) with the given own keys. */
function authorization(party: RequestParty, action: string, resource: string, table: TableView | undefined, keys: Keys): KeysAuthorization {
  return new KeysAuthorization(party.requester, party.caller, action, resource, accountOf(party.requester.env, resource), table, keys);
}

/** The account of a resource ARN (ours for the ARNs built here). */
function accountOf(env: AuthorizationEnvironment, resource: string): string {
  if (resource.startsWith(arnPrefix(env))) return env.accountId;
  return /^arn:[^:]*:dynamodb:[^:]*:(\d*):/.exec(resource)?.[1] || env.accountId;
}

/** A transaction's item actions, by their member name. */
const ITEM_ACTIONS: Readonly<Record<string, string>> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };

/**
 * The one authorization of GetItem, PutItem, UpdateItem and DeleteItem (the commonest requests: no list
 * is made for them); undefined for other operations (see authorizationsOf).
 */
export function singleAuthorizationOf(requester: Requester, caller: RequestCaller, operation: string, input: Raw): Authorization | undefined {
  switch (operation) {
    case 'GetItem':
      // Its action as a literal, not looked up.
      return itemAuthorization(requester, caller, 'dynamodb:GetItem', operation, input, undefined);
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return itemAuthorization(requester, caller, actionOf(operation), operation, input, undefined);
    default:
      return undefined;
  }
}

/** The authorizations a request needs, in the order its parts appear. */
export function authorizationsOf(party: RequestParty, operation: string, input: Raw): Authorization[] {
  const { env } = party.requester;
  switch (operation) {
    case 'GetItem':
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [singleAuthorizationOf(party.requester, party.caller, operation, input)!];
    case 'Query':
    case 'Scan':
      return [readAuthorization(party, operation, input)];
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return batchAuthorizations(party, operation, input);
    case 'TransactGetItems':
    case 'TransactWriteItems':
      return transactAuthorizations(party, operation, input);
    case 'CreateTable': {
      const create = tableAuthorization(party, 'CreateTable', input.TableName, tagKeys(input.Tags));
      return Array.isArray(input.Tags) && input.Tags.length > 0 ? [create, create.withAction('dynamodb:TagResource')] : [create];
    }
    case 'TagResource':
      return [tableAuthorization(party, operation, input.ResourceArn, tagKeys(input.Tags))];
    case 'UntagResource':
      return [tableAuthorization(party, operation, input.ResourceArn, { 'aws:tagkeys': stringList(input.TagKeys) })];
    case 'ListTables':
      return [authorization(party, 'dynamodb:ListTables', `${arnPrefix(env)}table/*`, undefined, NO_KEYS)];
    case 'ListStreams':
      return [authorization(party, 'dynamodb:ListStreams', `${arnPrefix(env)}table/*/stream/*`, undefined, NO_KEYS)];
    // The Service Authorization Reference gives these list actions no resource type: as for ListTables
    // (`table/*`, AWS's denials show), the resource is every resource of the kind listed, in its ARN format
    // (a backup's `table/<name>/backup/<name>`, a global table's region-less `global-table/<name>`). A table
    // named in ListBackups only filters the list: it does not narrow the resource.
    case 'ListBackups':
      return [authorization(party, 'dynamodb:ListBackups', `${arnPrefix(env)}table/*/backup/*`, undefined, NO_KEYS)];
    case 'ListGlobalTables':
      return [authorization(party, 'dynamodb:ListGlobalTables', `arn:aws:dynamodb::${env.accountId}:global-table/*`, undefined, NO_KEYS)];
    case 'DescribeStream':
    case 'GetShardIterator':
      return [streamAuthorization(party, operation, input.StreamArn)];
    case 'GetRecords': {
      // An iterator starts with its stream's ARN, as DynamoDB's do.
      const iterator = typeof input.ShardIterator === 'string' ? input.ShardIterator : '';
      return [streamAuthorization(party, operation, iterator.split('|', 1)[0])];
    }
    case 'ExecuteStatement':
      return statementAuthorizations(party, [input], undefined);
    case 'BatchExecuteStatement':
      return statementAuthorizations(party, Array.isArray(input.Statements) ? input.Statements : [], undefined);
    case 'ExecuteTransaction':
      return statementAuthorizations(party, Array.isArray(input.TransactStatements) ? input.TransactStatements : [], 'ExecuteTransaction');
    case 'DescribeBackup':
    case 'DeleteBackup':
      return [arnAuthorization(party, operation, input.BackupArn, '/backup/')];
    case 'RestoreTableFromBackup':
      // The backup and the new table; restoring writes its items (the reference lists the item actions too).
      return [arnAuthorization(party, operation, input.BackupArn, '/backup/'), ...restoreAuthorizations(party, operation, input.TargetTableName)];
    case 'RestoreTableToPointInTime':
      return [tableAuthorization(party, operation, input.SourceTableArn ?? input.SourceTableName, NO_KEYS), ...restoreAuthorizations(party, operation, input.TargetTableName)];
    case 'ExportTableToPointInTime':
      return [tableAuthorization(party, operation, input.TableArn, NO_KEYS)];
    case 'DescribeExport':
      return [arnAuthorization(party, operation, input.ExportArn, '/export/')];
    case 'DescribeImport':
      return [arnAuthorization(party, operation, input.ImportArn, '/import/')];
    case 'ImportTable': {
      const parameters = input.TableCreationParameters as Raw | undefined;
      return [tableAuthorization(party, operation, parameters?.TableName, NO_KEYS)];
    }
    case 'ListExports':
    case 'ListImports':
      return [tableAuthorization(party, operation, input.TableArn, NO_KEYS)];
    case 'CreateGlobalTable':
    case 'DescribeGlobalTable':
    case 'DescribeGlobalTableSettings':
    case 'UpdateGlobalTable':
    case 'UpdateGlobalTableSettings': {
      // The global table, and (when it changes) this region's table of its name.
      const name = input.GlobalTableName;
      const global = authorization(party, actionOf(operation), `arn:aws:dynamodb::${env.accountId}:global-table/${typeof name === 'string' ? name : '*'}`, undefined, NO_KEYS);
      return operation.startsWith('Describe') ? [global] : [global, tableAuthorization(party, operation, name, NO_KEYS)];
    }
    default: {
      const named = input.TableName ?? input.ResourceArn ?? input.TableArn;
      return [tableAuthorization(party, operation, named, NO_KEYS)];
    }
  }
}

/** A backup, export or import named by its ARN (`<table ARN>/backup/…`): its table's account, no condition keys. */
function arnAuthorization(party: RequestParty, operation: string, arn: unknown, kind: string): Authorization {
  const resource = typeof arn === 'string' && arn.startsWith('arn:') ? arn : `${arnPrefix(party.requester.env)}table/*${kind}*`;
  return authorization(party, actionOf(operation), resource, undefined, NO_KEYS);
}

/** The item actions a restore needs on the table it creates (Service Authorization Reference, RestoreTableFromBackup). */
const RESTORE_ITEM_ACTIONS = ['BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem'];

function restoreAuthorizations(party: RequestParty, operation: string, targetTableName: unknown): Authorization[] {
  const target = tableAuthorization(party, operation, targetTableName, NO_KEYS);
  return [target, ...RESTORE_ITEM_ACTIONS.map((action) => target.withAction(actionOf(action)))];
}

/** ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: one authorization per statement (statement-access.ts). */
function statementAuthorizations(party: RequestParty, statements: readonly unknown[], enclosing: string | undefined): Authorization[] {
  const { env } = party.requester;
  const out: Authorization[] = [];
  for (const request of statements) {
    if (request === null || typeof request !== 'object') continue;
    const { Statement, Parameters } = request as Raw;
    const access = statementAccess(Statement, Parameters, enclosing, (name) => env.getTable(name));
    if (access === undefined) continue;
    let resource = tableArn(env, access.tableName);
    if (access.indexName !== undefined) resource += `/index/${access.indexName}`;
    out.push(authorization(party, access.action, resource, env.getTable(access.tableName), access.keys));
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

function tableAuthorization(party: RequestParty, operation: string, named: unknown, keys: Keys): KeysAuthorization {
  const table = typeof named === 'string' ? party.requester.env.getTable(named) : undefined;
  return authorization(party, actionOf(operation), tableArn(party.requester.env, named), table, keys);
}

function streamAuthorization(party: RequestParty, operation: string, streamArn: unknown): Authorization {
  const arn = typeof streamArn === 'string' && streamArn.startsWith('arn:') ? streamArn : `${arnPrefix(party.requester.env)}table/*/stream/*`;
  const tableOf = /^(arn:[^:]*:dynamodb:[^:]*:[^:]*:table\/[^/]+)\/stream\//.exec(arn);
  return authorization(party, actionOf(operation), arn, tableOf === null ? undefined : party.requester.env.getTable(tableOf[1]!), NO_KEYS);
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
function itemAuthorization(requester: Requester, caller: RequestCaller, action: string, operation: string, input: Raw, enclosing: string | undefined): Authorization {
  const { env } = requester;
  const table = typeof input.TableName === 'string' ? env.getTable(input.TableName) : undefined;
  // An existing table's own ARN: the same string every time (its hash is kept), and of this account.
  const resource = table !== undefined ? table.arn : tableArn(env, input.TableName);
  return new ItemAuthorization(requester, caller, action, resource, table !== undefined ? env.accountId : accountOf(env, resource), table, operation, input, enclosing);
}

/**
 * An item action's authorization. Its keys are worked out when read (most policies read none of them,
 * or only LeadingKeys).
 */
class ItemAuthorization extends RequestAuthorization {
  private leadingKeys: string[] | undefined | null = null;
  private attributes: string[] | undefined;

  constructor(
    requester: Requester,
    caller: RequestCaller,
    action: string,
    resource: string,
    accountId: string,
    table: TableView | undefined,
    private readonly operation: string,
    private readonly input: Raw,
    private readonly enclosing: string | undefined,
  ) {
    super(requester, caller, action, resource, accountId, table);
  }

  protected own(key: string): ContextValue | undefined {
    const { operation, input, enclosing, table } = this;
    switch (key) {
      case 'dynamodb:enclosingoperation':
        return enclosing;
      case 'dynamodb:returnconsumedcapacity':
        if (enclosing !== undefined) return undefined;
        return typeof input.ReturnConsumedCapacity === 'string' ? input.ReturnConsumedCapacity : 'NONE';
      case 'dynamodb:leadingkeys':
      case 'dynamodb:firstpartitionkeyvalues':
        if (this.leadingKeys === null) {
          const leading = table === undefined ? undefined : leadingKeyOf(operation === 'PutItem' ? input.Item : input.Key, table.keySchema);
          this.leadingKeys = leading === undefined ? undefined : [leading];
        }
        return this.leadingKeys;
      case 'dynamodb:secondpartitionkeyvalues':
      case 'dynamodb:thirdpartitionkeyvalues':
      case 'dynamodb:fourthpartitionkeyvalues': {
        const value = table === undefined ? undefined : partitionKeyValueOf(operation === 'PutItem' ? input.Item : input.Key, table.keySchema, partitionKeyPosition(key));
        return value === undefined ? undefined : [value];
      }
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
function readAuthorization(party: RequestParty, operation: 'Query' | 'Scan', input: Raw): Authorization {
  const { env } = party.requester;
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
      // A partition key attribute the query does not fix leaves its key absent.
      if (schema !== undefined) setPartitionKeyValues(keys, queryPartitionKeyValues(input, schema).map((values) => (values.length === 0 ? undefined : values)));
    }
    if (schema !== undefined) attributes.keys(schema);
    keys['dynamodb:attributes'] = attributes.list();
  }
  return authorization(party, actionOf(operation), resource, table, keys);
}

/** BatchGetItem and BatchWriteItem: one authorization per table, its keys those of every item. */
function batchAuthorizations(party: RequestParty, operation: 'BatchGetItem' | 'BatchWriteItem', input: Raw): Authorization[] {
  const { env } = party.requester;
  const requestItems = input.RequestItems;
  if (requestItems === null || typeof requestItems !== 'object') return [];
  const out: Authorization[] = [];
  for (const [tableName, request] of Object.entries(requestItems as Record<string, unknown>)) {
    const table = env.getTable(tableName);
    const keys: Keys = { 'dynamodb:returnconsumedcapacity': typeof input.ReturnConsumedCapacity === 'string' ? input.ReturnConsumedCapacity : 'NONE' };
    if (table !== undefined) {
      const schema = table.keySchema;
      // Each partition key attribute's values, of every item (LeadingKeys holds the first's).
      const values = schema.partitionKeys.map((): string[] => []);
      const addKey = (key: unknown): void => values.forEach((list, position) => pushDefined(list, partitionKeyValueOf(key, schema, position)));
      if (operation === 'BatchGetItem') {
        const read = (request ?? {}) as Raw;
        const attributes = new AttributeNames(names(read)).keys(schema).projection(read.ProjectionExpression).members(read.AttributesToGet);
        for (const key of Array.isArray(read.Keys) ? read.Keys : []) addKey(key);
        keys['dynamodb:attributes'] = attributes.list();
        keys['dynamodb:select'] = read.ProjectionExpression !== undefined || read.AttributesToGet !== undefined ? 'SPECIFIC_ATTRIBUTES' : 'ALL_ATTRIBUTES';
      } else {
        const attributes = new AttributeNames(undefined).keys(schema);
        for (const write of Array.isArray(request) ? (request as Array<Raw | null>) : []) {
          const put = write?.PutRequest as Raw | undefined;
          const del = write?.DeleteRequest as Raw | undefined;
          if (put?.Item !== undefined) {
            addKey(put.Item);
            attributes.members(put.Item);
          }
          if (del?.Key !== undefined) addKey(del.Key);
        }
        keys['dynamodb:attributes'] = attributes.list();
      }
      setPartitionKeyValues(keys, values);
    }
    out.push(authorization(party, actionOf(operation), tableArn(env, tableName), table, keys));
  }
  return out;
}

function pushDefined(list: string[], value: string | undefined): void {
  if (value !== undefined) list.push(value);
}

/** TransactGetItems and TransactWriteItems: one authorization per action, as its own item action. */
function transactAuthorizations(party: RequestParty, operation: string, input: Raw): Authorization[] {
  if (!Array.isArray(input.TransactItems)) return [];
  const out: Authorization[] = [];
  for (const item of input.TransactItems as Array<Raw | null>) {
    if (item === null || typeof item !== 'object') continue;
    for (const [kind, action] of Object.entries(item)) {
      const name = ITEM_ACTIONS[kind];
      if (name !== undefined && action !== null && typeof action === 'object') out.push(itemAuthorization(party.requester, party.caller, actionOf(name), name, action as Raw, operation));
    }
  }
  return out;
}
