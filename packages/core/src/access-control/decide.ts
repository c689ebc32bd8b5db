import type { CompiledStatement } from './compile-policy.js';
import type { Principal } from './principals.js';
import type { ConditionContext } from './request-context-values.js';

/**
 * IAM's policy evaluation logic for one action on one resource (IAM User Guide, "Policy evaluation
 * logic"): an explicit Deny in any applicable policy wins; else an Allow from the identity-based or the
 * resource-based policy allows it (within one account; across accounts both must allow); else it is
 * implicitly denied. Returns undefined when allowed, else the end of AWS's AccessDeniedException message.
 * The statements are those that can apply, in order (DecisionPlan): their Action matches, and their
 * Resource matches or has policy variables (then it is matched here, with the request's values); a
 * resource-based one names the principal.
 */
export function decide(
  principal: Principal,
  action: string,
  resource: string,
  context: ConditionContext,
  identityStatements: readonly CompiledStatement[],
  resourceStatements: readonly CompiledStatement[],
  resourceAccountId: string,
): string | undefined {
  let identityAllows = principal.root && principal.accountId === resourceAccountId;
  for (const statement of identityStatements) {
    if (!applies(statement, resource, context)) continue;
    if (statement.effect === 'Deny') return IDENTITY_DENY;
    identityAllows = true;
  }
  let resourceAllows = false;
  for (const statement of resourceStatements) {
    if (!applies(statement, resource, context)) continue;
    if (statement.effect === 'Deny') return RESOURCE_DENY;
    resourceAllows = true;
  }
  if (principal.accountId === resourceAccountId) {
    return identityAllows || resourceAllows ? undefined : noPolicyAllows('identity', action);
  }
  if (!identityAllows) return noPolicyAllows('identity', action);
  return resourceAllows ? undefined : noPolicyAllows('resource', action);
}

/** The ends of AWS's denial messages (accessDeniedMessage). */
export const IDENTITY_DENY = 'with an explicit deny in an identity-based policy';
export const RESOURCE_DENY = 'with an explicit deny in a resource-based policy';
export function noPolicyAllows(kind: 'identity' | 'resource', action: string): string {
  return `because no ${kind}-based policy allows the ${action} action`;
}

function applies(statement: CompiledStatement, resource: string, context: ConditionContext): boolean {
  return (!statement.readsContextForResource || statement.matchesResource(resource, context)) && statement.matchesConditions(context);
}

/** AWS's AccessDeniedException message for a denial `decide` explained. */
export function accessDeniedMessage(principalArn: string, action: string, resource: string, reason: string): string {
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${reason}`;
}
