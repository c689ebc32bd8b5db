import type { CompiledStatement } from './compile-policy.js';
import { IDENTITY_DENY, noPolicyAllows, RESOURCE_DENY } from './decide.js';
import type { Principal } from './principals.js';
import type { ConditionContext } from './request-context-values.js';

/** Whether a statement applies to an item request with this partition key value (undefined: the item has none). */
type StatementTest = (leadingKey: string | undefined) => boolean;

/** The statements of one effect and source that can apply: all of them always (true), or any whose test passes. */
type Group = true | readonly StatementTest[];

/** The condition keys holding an item request's partition key value (as a one-string list). */
const LEADING_KEYS = new Set(['dynamodb:leadingkeys', 'dynamodb:firstpartitionkeyvalues']);

/**
 * A plan's decision for single item requests (GetItem, PutItem, UpdateItem, DeleteItem on an existing
 * table), resolved once, when every statement that can apply reads nothing but the principal's own keys
 * (`aws:username`, `aws:PrincipalTag/*`, …: the same for all its requests, so decided here) and the
 * item's partition key value (`dynamodb:LeadingKeys`, a policy variable read from the principal's keys).
 * A request then decides from the key value alone, as `decide` would: no authorization object, no
 * condition context, no cache key — the common fine-grained policy costs a few string comparisons.
 */
export class ItemDecision {
  private constructor(
    private readonly rootAllows: boolean,
    private readonly sameAccount: boolean,
    private readonly identityDeny: Group,
    private readonly identityAllow: Group,
    private readonly resourceDeny: Group,
    private readonly resourceAllow: Group,
    private readonly noIdentityAllows: string,
    private readonly noResourceAllows: string,
  ) {}

  /** The decision for the plan's statements, or undefined when one of them reads more than these keys. */
  static of(principal: Principal, action: string, identity: readonly CompiledStatement[], resource: readonly CompiledStatement[], resourceAccountId: string): ItemDecision | undefined {
    const groups: StatementTest[][] = [[], [], [], []];
    const always = [false, false, false, false];
    const principalKeys: ConditionContext = { get: (key) => principal.keys.get(key) };
    const constant = (key: string): boolean => !key.startsWith('dynamodb:') && principal.keys.has(key);
    for (const [offset, statements] of [[0, identity] as const, [2, resource] as const]) {
      for (const statement of statements) {
        if (statement.readsContextForResource) return undefined;
        const tests: StatementTest[] = [];
        let applies = true;
        for (const condition of statement.conditions) {
          if (!condition.variableKeys.every(constant)) return undefined;
          if (LEADING_KEYS.has(condition.key)) tests.push(condition.forOneValue(principalKeys));
          else if (constant(condition.key)) applies &&= condition.matches(principalKeys);
          else return undefined;
        }
        if (!applies) continue;
        const group = offset + (statement.effect === 'Deny' ? 0 : 1);
        if (tests.length === 0) always[group] = true;
        else groups[group]!.push(tests.length === 1 ? tests[0]! : (value) => allPass(tests, value));
      }
    }
    const group = (i: number): Group => (always[i] ? true : groups[i]!);
    const sameAccount = principal.accountId === resourceAccountId;
    return new ItemDecision(principal.root && sameAccount, sameAccount, group(0), group(1), group(2), group(3), noPolicyAllows('identity', action), noPolicyAllows('resource', action));
  }

  /** Undefined when allowed, else the end of AWS's AccessDeniedException message. */
  decide(leadingKey: string | undefined): string | undefined {
    if (applies(this.identityDeny, leadingKey)) return IDENTITY_DENY;
    const identityAllows = this.rootAllows || applies(this.identityAllow, leadingKey);
    if (applies(this.resourceDeny, leadingKey)) return RESOURCE_DENY;
    if (this.sameAccount) return identityAllows || applies(this.resourceAllow, leadingKey) ? undefined : this.noIdentityAllows;
    if (!identityAllows) return this.noIdentityAllows;
    return applies(this.resourceAllow, leadingKey) ? undefined : this.noResourceAllows;
  }
}

function allPass(tests: readonly StatementTest[], leadingKey: string | undefined): boolean {
  for (let i = 0; i < tests.length; i++) if (!tests[i]!(leadingKey)) return false;
  return true;
}

function applies(group: Group, leadingKey: string | undefined): boolean {
  if (group === true) return true;
  for (let i = 0; i < group.length; i++) if (group[i]!(leadingKey)) return true;
  return false;
}
