import { PolicyNotFoundException, ResourceNotFoundException, ValidationException } from '../errors.js';
import type { ModuleContext } from '../modules/module.js';
import { beginConstraints } from '../operations/validation/constraints.js';
import { BOOLEAN, checkShape, STRING, struct } from '../operations/validation/shapes.js';
import type { TableView } from '../tables/table-view.js';
import { compilePolicy, PolicyError, type CompiledStatement } from './compile-policy.js';

/** The module state key of a table's resource-based policies (the table's and its streams'), by resource ARN. */
export const RESOURCE_POLICIES = 'accessControl';

/** A stored resource-based policy: its JSON text as given, and its revision. */
interface StoredPolicy {
  readonly Policy: string;
  readonly RevisionId: string;
}
type StoredPolicies = Readonly<Record<string, StoredPolicy>>;

/** DynamoDB's limit on a resource-based policy document (Developer Guide, "Resource-based policy considerations"). */
const MAX_POLICY_BYTES = 20 * 1024;

export interface PutResourcePolicyInput {
  ResourceArn: string;
  Policy: string;
  ExpectedRevisionId?: string;
  ConfirmRemoveSelfResourceAccess?: boolean;
}
export interface ResourcePolicyOutput {
  RevisionId: string;
}
export interface GetResourcePolicyOutput extends ResourcePolicyOutput {
  Policy: string;
}

const PUT_SHAPE = struct('PutResourcePolicyInput', { ResourceArn: STRING, Policy: STRING, ExpectedRevisionId: STRING, ConfirmRemoveSelfResourceAccess: BOOLEAN });
const GET_SHAPE = struct('GetResourcePolicyInput', { ResourceArn: STRING });
const DELETE_SHAPE = struct('DeleteResourcePolicyInput', { ResourceArn: STRING, ExpectedRevisionId: STRING });

/**
 * Resource-based policies on tables, their indexes (through the table's policy) and streams:
 * PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy. Kept in the table's module state, so
 * they go with the table and persist with it. `compiled` reads a resource's statements for evaluation.
 */
export class ResourcePolicies {
  /** Compiled statements by the stored policy (a change stores a new one): no key is built per request. */
  private readonly compiledByPolicy = new WeakMap<StoredPolicy, CompiledResourcePolicy>();
  private lastRevision = 0;

  constructor(
    private readonly ctx: ModuleContext,
    /** Called after every change, so cached decisions are dropped. */
    private readonly changed: () => void,
  ) {}

  /** The policy ARN a resource falls under: a stream's own, or its table's (for the table and its indexes). */
  policyArn(resource: string, table: TableView): string {
    return resource === table.arn || !resource.includes('/stream/') ? table.arn : resource;
  }

  /** The statements and revision of the policy on `policyArn`, if any. */
  compiled(table: TableView, policyArn: string): CompiledResourcePolicy | undefined {
    const stored = (table.getModuleState(RESOURCE_POLICIES) as StoredPolicies | undefined)?.[policyArn];
    if (stored === undefined) return undefined;
    let compiled = this.compiledByPolicy.get(stored);
    if (compiled === undefined) {
      compiled = compiledPolicy(compilePolicy(stored.Policy, 'resource'));
      this.compiledByPolicy.set(stored, compiled);
    }
    return compiled;
  }

  put(input: PutResourcePolicyInput): ResourcePolicyOutput {
    checkShape(input as unknown as Record<string, unknown>, PUT_SHAPE);
    const c = beginConstraints();
    if (c.notNull('resourceArn', input.ResourceArn)) c.length('resourceArn', input.ResourceArn, 1, 1283);
    if (c.notNull('policy', input.Policy)) c.minLength('policy', input.Policy, 1);
    c.length('expectedRevisionId', input.ExpectedRevisionId, 1, 255);
    c.finish();
    const table = this.tableOf(input.ResourceArn);
    if (new TextEncoder().encode(input.Policy).length > MAX_POLICY_BYTES) {
      throw new ValidationException(`Policy document size exceeds the maximum allowed size of 20 KB for resource ${input.ResourceArn}`);
    }
    let statements: CompiledStatement[];
    try {
      statements = compilePolicy(input.Policy, 'resource');
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      throw new ValidationException(`Invalid policy document: ${error.message}`);
    }
    const current = this.stored(table)[input.ResourceArn];
    this.checkRevision(input.ResourceArn, table, current, input.ExpectedRevisionId);
    const RevisionId = this.nextRevision(current);
    const stored: StoredPolicy = { Policy: input.Policy, RevisionId };
    this.compiledByPolicy.set(stored, compiledPolicy(statements));
    this.store(table, input.ResourceArn, stored);
    return { RevisionId };
  }

  get(input: { ResourceArn: string }): GetResourcePolicyOutput {
    checkShape(input as unknown as Record<string, unknown>, GET_SHAPE);
    const table = this.tableOf(input.ResourceArn);
    const current = this.stored(table)[input.ResourceArn];
    if (current === undefined) throw notFound(input.ResourceArn);
    return { Policy: current.Policy, RevisionId: current.RevisionId };
  }

  delete(input: { ResourceArn: string; ExpectedRevisionId?: string }): ResourcePolicyOutput {
    checkShape(input as unknown as Record<string, unknown>, DELETE_SHAPE);
    const table = this.tableOf(input.ResourceArn);
    const current = this.stored(table)[input.ResourceArn];
    if (current === undefined) throw notFound(input.ResourceArn);
    this.checkRevision(input.ResourceArn, table, current, input.ExpectedRevisionId);
    this.store(table, input.ResourceArn, undefined);
    return { RevisionId: current.RevisionId };
  }

  /** The table a table or stream ARN belongs to. */
  private tableOf(resourceArn: unknown): TableView {
    const arn = typeof resourceArn === 'string' ? resourceArn : '';
    const match = /^(arn:aws:dynamodb:[^:]+:\d{12}:table\/[^/]+)(\/stream\/[^/]+)?$/.exec(arn);
    if (match === null) throw new ValidationException(`Invalid ResourceArn: ${arn}`);
    const table = this.ctx.getTable(this.ctx.tableNameOf(match[1]!));
    if (table === undefined || table.arn !== match[1]) throw new ResourceNotFoundException(`Requested resource not found: Table: ${match[1]!.slice(match[1]!.indexOf('/') + 1)} not found`);
    return table;
  }

  private stored(table: TableView): StoredPolicies {
    return (table.getModuleState(RESOURCE_POLICIES) as StoredPolicies | undefined) ?? {};
  }

  private checkRevision(arn: string, table: TableView, current: StoredPolicy | undefined, expected: string | undefined): void {
    if (expected === undefined || expected === current?.RevisionId) return;
    if (current === undefined) throw notFound(arn);
    throw new PolicyNotFoundException(
      `Resource-based policy not found for the provided ResourceArn: Requested update for policy with revision id ${expected}, but the policy associated to target table ${table.name} has revision id ${current.RevisionId}.`,
    );
  }

  private store(table: TableView, arn: string, policy: StoredPolicy | undefined): void {
    const next: Record<string, StoredPolicy> = { ...this.stored(table) };
    if (policy === undefined) delete next[arn];
    else next[arn] = policy;
    table.setModuleState(RESOURCE_POLICIES, Object.keys(next).length === 0 ? undefined : next);
    this.changed();
  }

  /** A RevisionId: the clock's milliseconds, past every earlier one (DynamoDB's are numeric strings). */
  private nextRevision(current: StoredPolicy | undefined): string {
    this.lastRevision = Math.max(this.lastRevision + 1, this.ctx.clock.now(), Number(current?.RevisionId ?? 0) + 1);
    return String(this.lastRevision);
  }
}

/** A resource's policy ready to evaluate: its statements (one object per stored revision: decision plans compare it). */
export interface CompiledResourcePolicy {
  readonly statements: readonly CompiledStatement[];
}

function compiledPolicy(statements: readonly CompiledStatement[]): CompiledResourcePolicy {
  return { statements };
}

function notFound(arn: string): PolicyNotFoundException {
  return new PolicyNotFoundException(`Resource-based policy not found for the provided ResourceArn: ${arn}`);
}
