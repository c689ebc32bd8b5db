import type { CompiledStatement } from './compile-policy.js';
import type { ConditionContext, ContextValue } from './request-context-values.js';
import type { CompiledResourcePolicy } from './resource-policies.js';
import type { ItemDecision } from './item-decision.js';
import type { Principal } from './principals.js';
import type { TableView } from '../tables/table-view.js';

/** Reads no condition key: a Resource without policy variables matches without one. */
const NO_CONTEXT: ConditionContext = { get: () => undefined };

/**
 * What a principal's decisions on one action and resource can depend on, worked out once: the statements
 * that can apply (their Action matches, their Resource matches when it has no policy variables, a
 * resource-based one names the principal) and the condition keys those read. Others never apply, so
 * the decision is the same whatever the condition keys they read hold; its cache keys on the rest only.
 * When every statement that can apply evaluates cheaply (`direct`), a request decides from the plan alone:
 * comparing a condition value with the policy's costs less than hashing it into the cache.
 */
export class DecisionPlan {
  readonly statements: readonly CompiledStatement[];
  readonly resourceStatements: readonly CompiledStatement[];
  /** The condition keys the applicable statements read, once each, lower-case. */
  readonly keys: readonly string[];
  /** Whether requests decide from the statements themselves, not from `decisions`. */
  readonly direct: boolean;
  /** Decisions by the values of `keys`, in order. */
  readonly decisions = new ValueNode();
  /** Its decision for single item requests, once worked out (null: its statements read other keys). */
  itemDecision: ItemDecision | null | undefined;

  constructor(
    principal: Principal,
    readonly action: string,
    readonly resource: string,
    /** The table and resource-based policy it was planned with: another one means another plan. */
    readonly table: TableView | undefined,
    readonly resourcePolicy: CompiledResourcePolicy | undefined,
  ) {
    const applicable = (statement: CompiledStatement): boolean => statement.matchesAction(action) && (statement.readsContextForResource || statement.matchesResource(resource, NO_CONTEXT));
    this.statements = principal.statements.filter(applicable);
    this.resourceStatements = (resourcePolicy?.statements ?? []).filter((statement) => statement.matchesPrincipal(principal) && applicable(statement));
    const planned = [...this.statements, ...this.resourceStatements];
    this.keys = [...new Set(planned.flatMap((statement) => statement.keys))];
    this.direct = planned.every((statement) => statement.evaluatesCheaply);
  }
}

/**
 * One level of a plan's decision tree: the next key's value picks the child (no cache key is built for
 * the common values: absent, a string, a one-string list such as `dynamodb:LeadingKeys`); the last
 * level holds the decision, null when allowed, else the denial's reason.
 */
export class ValueNode {
  decision: string | null | undefined;
  private absent: ValueNode | undefined;
  private strings: Map<string, ValueNode> | undefined;
  private singles: Map<string, ValueNode> | undefined;
  /** Other lists, by their values length-prefixed (no two lists share one). */
  private lists: Map<string, ValueNode> | undefined;

  /** The child for a value, made when missing. */
  child(value: ContextValue | undefined): ValueNode {
    if (value === undefined) return (this.absent ??= new ValueNode());
    if (typeof value === 'string') return childIn((this.strings ??= new Map()), value);
    if (value.length === 1) return childIn((this.singles ??= new Map()), value[0]!);
    let key = `${value.length}`;
    for (const v of value) key += `|${v.length}:${v}`;
    return childIn((this.lists ??= new Map()), key);
  }
}

function childIn(map: Map<string, ValueNode>, key: string): ValueNode {
  let node = map.get(key);
  if (node === undefined) map.set(key, (node = new ValueNode()));
  return node;
}
