import { AccessDeniedException, UnrecognizedClientException } from '../errors.js';
import type { DatabaseModule, ModuleContext, OperationRequest, RequestCaller } from '../modules/module.js';
import type { PersistentModule } from '../persistence/persistent-module.js';
import type { TableView } from '../tables/table-view.js';
import { accessDeniedMessage, decide } from './decide.js';
import { resolvePrincipal, type Principal, type PrincipalOptions } from './principals.js';
import { authorizationsOf, singleAuthorizationOf, type Authorization, type AuthorizationEnvironment, type Requester } from './request-authorizations.js';
import { DecisionPlan } from './decision-cache.js';
import { leadingKeyOf } from './fine-grained-keys.js';
import { ItemDecision } from './item-decision.js';
import { RESOURCE_POLICIES, ResourcePolicies, type CompiledResourcePolicy, type GetResourcePolicyOutput, type PutResourcePolicyInput, type ResourcePolicyOutput } from './resource-policies.js';

/** Options of `accessControl(options)`. */
export interface AccessControlOptions {
  /** The principals requests may run as, by name (`db.as(name)`, `createRequestHandler(db, { principal: name })`). */
  readonly principals: Readonly<Record<string, PrincipalOptions>>;
}

/** How many decisions a principal keeps before its cache starts over. */
const MAX_CACHED_DECISIONS = 10_000;
const INVALID_TOKEN = 'The security token included in the request is invalid.';

/**
 * Access control as IAM does it for DynamoDB: every request runs as a principal (named by
 * `db.as(name)`, `createRequestHandler(db, { principal })`, or mapped from the access key id its
 * SigV4 credentials carry, in-process or on the server) and is authorized action by action against the
 * principal's identity-based policies and the resource-based policies on tables and streams
 * (PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy): explicit Deny wins, then an Allow, else
 * an implicit deny. Condition keys are filled as DynamoDB fills them (`dynamodb:LeadingKeys`,
 * `dynamodb:Attributes`, `dynamodb:Select`, `dynamodb:ReturnValues`, `dynamodb:EnclosingOperation`,
 * `aws:ResourceTag/*`, `aws:RequestTag/*`, `aws:TagKeys`, `aws:PrincipalTag/*`, `aws:username`,
 * `aws:CurrentTime` on the database clock, `aws:SourceIp` on the server). A denied request fails with
 * AccessDeniedException, worded as AWS words it, and changes nothing; a batch or transaction with one
 * denied part does nothing. Requests without a caller (`Database` methods, `execute`) run as the
 * database's owner and are not checked. Decisions are cached per principal, action, resource and the
 * values of the condition keys its policies read.
 *
 * @example
 * const db = new Database({
 *   modules: [
 *     accessControl({
 *       principals: {
 *         alice: {
 *           arn: 'arn:aws:iam::000000000000:user/alice',
 *           accessKeyIds: ['AKIAALICE'],
 *           policies: [{
 *             Version: '2012-10-17',
 *             Statement: [{
 *               Effect: 'Allow',
 *               Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
 *               Resource: 'arn:aws:dynamodb:*:*:table/notes',
 *               Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:username}'] } },
 *             }],
 *           }],
 *         },
 *       },
 *     }),
 *   ],
 * });
 * await db.createTable({ TableName: 'notes', KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'owner', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
 * await db.as('alice').putItem({ TableName: 'notes', Item: { owner: { S: 'alice' } } }); // allowed
 * await db.as('alice').putItem({ TableName: 'notes', Item: { owner: { S: 'bob' } } }).catch((e) => console.log(e.name)); // AccessDeniedException
 */
export function accessControl(options: AccessControlOptions): DatabaseModule & PersistentModule {
  const principals = Object.entries(options.principals).map(([name, principal]) => ({ principal: resolvePrincipal(name, principal), options: principal }));
  const dropDecisions = (): void => {
    for (const { principal } of principals) {
      principal.decisions.clear();
      principal.lastPlan = undefined;
      principal.decisionCount = 0;
    }
  };

  return {
    name: 'accessControl',
    persistentTableState: [RESOURCE_POLICIES],
    install(ctx: ModuleContext) {
      const policies = new ResourcePolicies(ctx, dropDecisions);
      const env: AuthorizationEnvironment = {
        region: ctx.region,
        accountId: ctx.accountId,
        arnPrefix: `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:`,
        getTable: tableLookup(ctx),
        tagsOf: (table) => tagsOf(ctx, table),
        now: () => ctx.clock.now(),
      };
      // Each principal as a requester of this database, by name, ARN and access key id.
      const byName = new Map<string, Requester>();
      const byKey = new Map<string, Requester>();
      for (const { principal, options: given } of principals) {
        const requester: Requester = { env, principal };
        byName.set(principal.name, requester);
        byName.set(principal.arn, requester);
        for (const key of given.accessKeyIds ?? []) byKey.set(key, requester);
      }
      // The caller resolved last: a `db.as()` view or a handler bound to a principal passes the same one every time.
      let lastCaller: RequestCaller | undefined;
      let lastRequester: Requester | undefined;
      const resolve = (caller: RequestCaller): Requester => {
        if (caller === lastCaller) return lastRequester!;
        const requester = caller.principal !== undefined ? byName.get(caller.principal) : caller.accessKeyId !== undefined ? byKey.get(caller.accessKeyId) : undefined;
        if (requester === undefined) throw new UnrecognizedClientException(INVALID_TOKEN);
        lastCaller = caller;
        lastRequester = requester;
        return requester;
      };
      const resourceTables = (input: Readonly<Record<string, unknown>>): readonly string[] | undefined => {
        const arn = typeof input.ResourceArn === 'string' ? input.ResourceArn : undefined;
        return arn === undefined ? undefined : [arn.replace(/\/stream\/.*$/, '')];
      };
      const service = 'DynamoDB_20120810';
      ctx.registerOperation({ service, name: 'PutResourcePolicy', effect: 'catalog', tablesOf: resourceTables, handler: (input: PutResourcePolicyInput): ResourcePolicyOutput => policies.put(input) });
      ctx.registerOperation({ service, name: 'GetResourcePolicy', effect: 'read', tablesOf: resourceTables, handler: (input: { ResourceArn: string }): GetResourcePolicyOutput => policies.get(input) });
      ctx.registerOperation({
        service,
        name: 'DeleteResourcePolicy',
        effect: 'catalog',
        tablesOf: resourceTables,
        handler: (input: { ResourceArn: string; ExpectedRevisionId?: string }): ResourcePolicyOutput => policies.delete(input),
      });
      // A table deleted and re-created under its name starts without the old policies: drop what was decided.
      ctx.onTableEvent((event) => event.type === 'deleted' && dropDecisions());

      ctx.addAdmissionHook({
        readsConsumedCapacity: false,
        beforeOperation(request: OperationRequest) {
          const caller = request.caller;
          // DynamoDB's and DynamoDB Streams' operations are authorized (as `dynamodb:` actions); other services' are not.
          if (caller === undefined || (request.service !== service && request.service !== 'DynamoDBStreams_20120810')) return;
          const requester = resolve(caller);
          if (authorizeItem(policies, requester, request.operation, request.input)) return;
          const single = singleAuthorizationOf(requester, caller, request.operation, request.input);
          if (single !== undefined) check(policies, requester.principal, single);
          else for (const authorization of authorizationsOf({ requester, caller }, request.operation, request.input)) check(policies, requester.principal, authorization);
        },
      });
    },
  };
}

/** Throws AccessDeniedException, worded as AWS words it, unless the authorization is allowed. */
function check(policies: ResourcePolicies, principal: Principal, authorization: Authorization): void {
  const reason = authorize(policies, principal, authorization);
  if (reason !== undefined) throw new AccessDeniedException(accessDeniedMessage(principal.arn, authorization.action, authorization.resource, reason));
}

/**
 * One authorization, decided from the plan of the principal's statements for its action and resource
 * (DecisionPlan): directly when they evaluate cheaply, else through the plan's cache, as the decision
 * depends only on the action, the resource, its table and resource-based policy, and the values of the
 * condition keys the statements that can apply read.
 */
function authorize(policies: ResourcePolicies, principal: Principal, authorization: Authorization): string | undefined {
  const { action, resource, table } = authorization;
  const resourcePolicy = table === undefined ? undefined : policies.compiled(table, resource);
  const plan = currentPlan(principal, action, resource, table, resourcePolicy);
  if (plan.direct) return decide(principal, action, resource, authorization, plan.statements, plan.resourceStatements, authorization.accountId);
  let node = plan.decisions;
  for (const key of plan.keys) node = node.child(authorization.get(key));
  const cached = node.decision;
  if (cached !== undefined) return cached === null ? undefined : cached;
  const reason = decide(principal, action, resource, authorization, plan.statements, plan.resourceStatements, authorization.accountId);
  if (principal.decisionCount >= MAX_CACHED_DECISIONS) {
    principal.decisions.clear();
    principal.lastPlan = undefined;
    principal.decisionCount = 0;
  }
  node.decision = reason ?? null;
  principal.decisionCount++;
  return reason;
}

/**
 * A single item request (GetItem, PutItem, UpdateItem, DeleteItem) on an existing table, decided by its
 * plan's ItemDecision from the item's partition key value alone, when the plan has one: the commonest
 * request under the commonest fine-grained policy, with nothing made per request. Throws
 * AccessDeniedException when denied; false when the request needs the general path.
 */
function authorizeItem(policies: ResourcePolicies, requester: Requester, operation: string, input: Readonly<Record<string, unknown>>): boolean {
  let action: string;
  let item: unknown;
  switch (operation) {
    case 'GetItem':
      action = 'dynamodb:GetItem';
      item = input.Key;
      break;
    case 'PutItem':
      action = 'dynamodb:PutItem';
      item = input.Item;
      break;
    case 'UpdateItem':
      action = 'dynamodb:UpdateItem';
      item = input.Key;
      break;
    case 'DeleteItem':
      action = 'dynamodb:DeleteItem';
      item = input.Key;
      break;
    default:
      return false;
  }
  const tableName = input.TableName;
  if (typeof tableName !== 'string') return false;
  const { env, principal } = requester;
  const table = env.getTable(tableName);
  if (table === undefined) return false;
  // An existing table's own ARN, of this account (as itemAuthorization names it).
  const resource = table.arn;
  const plan = currentPlan(principal, action, resource, table, policies.compiled(table, resource));
  let decision = plan.itemDecision;
  if (decision === undefined) decision = plan.itemDecision = ItemDecision.of(principal, action, plan.statements, plan.resourceStatements, env.accountId) ?? null;
  if (decision === null) return false;
  const reason = decision.decide(leadingKeyOf(item, table.keySchema));
  if (reason !== undefined) throw new AccessDeniedException(accessDeniedMessage(principal.arn, action, resource, reason));
  return true;
}

/** The principal's plan for an action on a resource: the one it used last when it fits (requests in a row mostly share it). */
function currentPlan(principal: Principal, action: string, resource: string, table: TableView | undefined, resourcePolicy: CompiledResourcePolicy | undefined): DecisionPlan {
  let plan = principal.lastPlan;
  if (plan === undefined || plan.action !== action || plan.resource !== resource || plan.table !== table || plan.resourcePolicy !== resourcePolicy) {
    plan = planOf(principal, action, resource, table, resourcePolicy);
    principal.lastPlan = plan;
  }
  return plan;
}

/** The principal's plan for an action on a resource (a new one when the table or its resource-based policy changed). */
function planOf(principal: Principal, action: string, resource: string, table: TableView | undefined, resourcePolicy: CompiledResourcePolicy | undefined): DecisionPlan {
  let byResource = principal.decisions.get(action);
  if (byResource === undefined) principal.decisions.set(action, (byResource = new Map()));
  let plan = byResource.get(resource);
  if (plan === undefined || plan.table !== table || plan.resourcePolicy !== resourcePolicy) {
    plan = new DecisionPlan(principal, action, resource, table, resourcePolicy);
    byResource.set(resource, plan);
  }
  return plan;
}

/**
 * ModuleContext.getTable by a request's TableName (a name or an ARN), remembering the last answer while
 * the database's tables stay as they are (ModuleContext.tablesVersion): requests in a row mostly name
 * the same table, and then cost two comparisons instead of two look-ups.
 */
function tableLookup(ctx: ModuleContext): (nameOrArn: string) => TableView | undefined {
  let lastName: string | undefined;
  let lastVersion = -1;
  let lastTable: TableView | undefined;
  return (nameOrArn) => {
    const version = ctx.tablesVersion();
    if (nameOrArn === lastName && version === lastVersion) return lastTable;
    lastTable = ctx.getTable(ctx.tableNameOf(nameOrArn));
    lastName = nameOrArn;
    lastVersion = version;
    return lastTable;
  };
}

/** A table's tags by lower-case key (condition keys are case-insensitive), read as ListTagsOfResource reads them. */
function tagsOf(ctx: ModuleContext, table: TableView | undefined): Map<string, string> {
  const tags = new Map<string, string>();
  if (table === undefined) return tags;
  const { Tags } = ctx.execute('DynamoDB_20120810', 'ListTagsOfResource', { ResourceArn: table.arn }) as { Tags: Array<{ Key: string; Value: string }> };
  for (const tag of Tags) tags.set(tag.Key.toLowerCase(), tag.Value);
  return tags;
}
