import { compilePolicy, type CompiledStatement, type PrincipalIdentity } from './compile-policy.js';
import type { DecisionPlan } from './decision-cache.js';
import type { PolicyDocument } from './policy-document.js';
import type { ContextValue } from './request-context-values.js';

/** A principal the access control module knows: who it is, its keys, its identity-based policies, its tags. */
export interface PrincipalOptions {
  /**
   * The principal's ARN, as denials name it: `arn:aws:iam::<account>:user/<name>`,
   * `arn:aws:sts::<account>:assumed-role/<role>/<session>`, or `arn:aws:iam::<account>:root`.
   */
  readonly arn: string;
  /** The access key ids its requests are signed with (SDK clients' `credentials.accessKeyId`). */
  readonly accessKeyIds?: readonly string[];
  /** Its identity-based policies (attached to the user or role). */
  readonly policies?: readonly PolicyDocument[];
  /** Its tags (`aws:PrincipalTag/<key>`). */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Other global condition keys its requests carry, by name: what its sign-in or organization gives it,
   * e.g. `{ 'aws:MultiFactorAuthPresent': 'true', 'aws:PrincipalOrgID': 'o-abc123' }` (IAM leaves a key
   * absent when the principal has none, as here when it is not given).
   */
  readonly conditionKeys?: Readonly<Record<string, string | readonly string[]>>;
}

/** A principal, resolved: its compiled policies and the condition keys it brings to every request. */
export interface Principal extends PrincipalIdentity {
  readonly name: string;
  /** The account's root user: every identity-based permission in its own account. */
  readonly root: boolean;
  readonly statements: readonly CompiledStatement[];
  /** `aws:username`, `aws:PrincipalArn`, `aws:PrincipalTag/*`, … by lower-case key. */
  readonly keys: ReadonlyMap<string, ContextValue>;
  /** Decisions already taken for it, by action, then resource (each with its plan), then the condition values the plan reads. */
  readonly decisions: Map<string, Map<string, DecisionPlan>>;
  /** The plan it used last (requests in a row mostly ask for the same action on the same resource). */
  lastPlan: DecisionPlan | undefined;
  /** How many decisions `decisions` holds. */
  decisionCount: number;
}

const ARN = /^arn:aws:(iam|sts)::(\d{12}):(.+)$/;

/** Resolves a principal's options; throws Error naming it when its ARN or a policy is malformed. */
export function resolvePrincipal(name: string, options: PrincipalOptions): Principal {
  const match = ARN.exec(options.arn);
  if (match === null) throw new Error(`accessControl: principal ${name} has no IAM ARN (arn:aws:iam::<account>:user/<name>): ${options.arn}`);
  const [, , accountId, resource] = match as unknown as [string, string, string, string];
  const keys = new Map<string, ContextValue>();
  keys.set('aws:principalarn', options.arn);
  keys.set('aws:principalaccount', accountId);
  const root = resource === 'root';
  if (resource.startsWith('user/')) {
    const username = resource.slice(resource.lastIndexOf('/') + 1);
    keys.set('aws:username', username);
    keys.set('aws:userid', username);
    keys.set('aws:principaltype', 'User');
  } else if (resource.startsWith('assumed-role/')) {
    keys.set('aws:userid', resource.slice(resource.indexOf('/') + 1).replace('/', ':'));
    keys.set('aws:principaltype', 'AssumedRole');
  } else if (root) {
    keys.set('aws:userid', accountId);
    keys.set('aws:principaltype', 'Account');
  }
  for (const [tag, value] of Object.entries(options.tags ?? {})) keys.set(`aws:principaltag/${tag.toLowerCase()}`, value);
  for (const [key, value] of Object.entries(options.conditionKeys ?? {})) keys.set(key.toLowerCase(), value);
  let statements: CompiledStatement[];
  try {
    statements = (options.policies ?? []).flatMap((policy) => compilePolicy(policy, 'identity'));
  } catch (error) {
    throw new Error(`accessControl: a policy of principal ${name} is malformed: ${(error as Error).message}`);
  }
  return { name, arn: options.arn, accountId, root, statements, keys, decisions: new Map(), lastPlan: undefined, decisionCount: 0 };
}
