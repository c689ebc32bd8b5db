import { CONDITION_OPERATORS } from './condition-operators.js';
import { listOf, type PolicyDocument, type PolicyPrincipal, type PolicyStatement } from './policy-document.js';
import { hasVariables, substituteVariables, variableKeys } from './policy-variables.js';
import type { ConditionContext } from './request-context-values.js';
import { compileWildcard, escapeRegExp, wildcardSource } from './wildcard.js';

/** Where a statement comes from: the denial message names it. */
export type PolicySource = 'identity' | 'resource';

/** Who a resource-based policy's Principal is tested against. */
export interface PrincipalIdentity {
  readonly arn: string;
  readonly accountId: string;
}

/** One statement, ready to evaluate: its matchers compiled once. */
export interface CompiledStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly source: PolicySource;
  matchesAction(action: string): boolean;
  matchesResource(resource: string, context: ConditionContext): boolean;
  /** Whether `matchesResource` reads the context (a Resource with policy variables); if not, it is the same for every request. */
  readonly readsContextForResource: boolean;
  matchesPrincipal(principal: PrincipalIdentity): boolean;
  matchesConditions(context: ConditionContext): boolean;
  /** Its conditions, one per operator and key (a plan resolves those it can once: ItemDecision). */
  readonly conditions: readonly Condition[];
  /** Every condition key its conditions and policy variables read, lower-case (the decision cache keys on them). */
  readonly keys: readonly string[];
  /**
   * Whether deciding it per request is as cheap as finding a cached decision: its Resource has no policy
   * variables, and no condition compiles a policy value per request (a `*Like`, `Arn*` or `IpAddress`
   * value with variables).
   */
  readonly evaluatesCheaply: boolean;
}

/** A policy that breaks IAM's grammar. */
export class PolicyError extends Error {}

/**
 * Compiles a policy document (an object, or its JSON text). Throws PolicyError naming what is wrong:
 * an Effect other than Allow/Deny, a statement without Action/NotAction or Resource/NotResource (or
 * with both of a pair), a resource-based statement without Principal, an unknown condition operator.
 */
export function compilePolicy(document: PolicyDocument | string, source: PolicySource): CompiledStatement[] {
  let parsed: unknown = document;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document);
    } catch {
      throw new PolicyError('Policy document is not valid JSON');
    }
  }
  if (parsed === null || typeof parsed !== 'object' || !('Statement' in parsed)) throw new PolicyError('Policy document must have a Statement');
  const policy = parsed as PolicyDocument;
  const variables = policy.Version === '2012-10-17';
  return listOf(policy.Statement).map((statement) => compileStatement(statement, source, variables));
}

function compileStatement(statement: PolicyStatement, source: PolicySource, variables: boolean): CompiledStatement {
  if (statement === null || typeof statement !== 'object') throw new PolicyError('Each Statement must be an object');
  const { Effect } = statement;
  if (Effect !== 'Allow' && Effect !== 'Deny') throw new PolicyError(`Invalid Effect: ${String(Effect)}`);
  const actions = pair(statement, 'Action', 'NotAction');
  const resources = pair(statement, 'Resource', 'NotResource');
  if (source === 'resource' && statement.Principal === undefined && statement.NotPrincipal === undefined) {
    throw new PolicyError('A resource-based policy statement must have a Principal');
  }
  const keys = new Set<string>();
  const action = anyOf(actions.values.map((a) => compileWildcard(a, true)));
  const resource = compileResources(resources.values, variables, keys);
  const readsContextForResource = variables && resources.values.some(hasVariables);
  const costly = { found: false };
  const conditions = compileConditions(statement.Condition, variables, keys, costly);
  const principal = compilePrincipal(statement);
  return {
    effect: Effect,
    source,
    matchesAction: actions.negated ? (a) => !action(a) : action,
    matchesResource: resources.negated ? (r, c) => !resource(r, c) : resource,
    readsContextForResource,
    matchesPrincipal: principal,
    matchesConditions: (context) => {
      for (const condition of conditions) if (!condition.matches(context)) return false;
      return true;
    },
    conditions,
    keys: [...keys],
    evaluatesCheaply: !readsContextForResource && !costly.found,
  };
}

function pair(statement: PolicyStatement, name: 'Action' | 'Resource', notName: 'NotAction' | 'NotResource'): { values: string[]; negated: boolean } {
  const value = statement[name];
  const notValue = statement[notName];
  if ((value === undefined) === (notValue === undefined)) throw new PolicyError(`Each Statement must have exactly one of ${name} and ${notName}`);
  const values = listOf(value ?? notValue);
  if (values.some((v) => typeof v !== 'string')) throw new PolicyError(`${name} values must be strings`);
  return { values: [...values], negated: value === undefined };
}

function anyOf(matchers: readonly ((value: string) => boolean)[]): (value: string) => boolean {
  return (value) => {
    for (const match of matchers) if (match(value)) return true;
    return false;
  };
}

/** Resource patterns; one with policy variables is compiled per request, once its variables are known. */
function compileResources(patterns: readonly string[], variables: boolean, keys: Set<string>): (resource: string, context: ConditionContext) => boolean {
  const matchers = patterns.map((pattern): ((resource: string, context: ConditionContext) => boolean) => {
    if (!variables || !hasVariables(pattern)) {
      const match = compileWildcard(pattern, false);
      return (resource) => match(resource);
    }
    for (const key of variableKeys(pattern)) keys.add(key);
    return resourceWithVariables(pattern);
  });
  return (resource, context) => {
    for (const match of matchers) if (match(resource, context)) return true;
    return false;
  };
}

/**
 * A Resource pattern with policy variables: its literal parts keep their wildcards, the values the
 * variables take match only themselves (as `${*}`, `${?}` and `${$}` do); a variable the request lacks
 * matches nothing.
 */
function resourceWithVariables(pattern: string): (resource: string, context: ConditionContext) => boolean {
  const parts = pattern.split(/(\$\{[^}]*\})/);
  return (resource, context) => {
    let source = '^';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (i % 2 === 0) {
        source += wildcardSource(part);
        continue;
      }
      const name = part.slice(2, -1).trim();
      const value = name === '*' || name === '?' || name === '$' ? name : context.get(name.toLowerCase());
      if (typeof value !== 'string') return false;
      source += escapeRegExp(value);
    }
    return new RegExp(`${source}$`, 's').test(resource);
  };
}

/** `ForAllValues:StringEquals`, `StringLikeIfExists`, … → its parts. */
function parseOperator(name: string): { set: 'all' | 'any' | undefined; base: string; ifExists: boolean } {
  let rest = name;
  let set: 'all' | 'any' | undefined;
  if (rest.startsWith('ForAllValues:')) [set, rest] = ['all', rest.slice(13)];
  else if (rest.startsWith('ForAnyValue:')) [set, rest] = ['any', rest.slice(12)];
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  return { set, base: ifExists ? rest.slice(0, -8) : rest, ifExists };
}

/** One operator on one condition key. */
export interface Condition {
  /** The condition key it tests, lower-case. */
  readonly key: string;
  /** The condition keys its policy values' variables read, lower-case. */
  readonly variableKeys: readonly string[];
  matches(context: ConditionContext): boolean;
  /**
   * The condition with its policy values' variables read once from `variables`: whether one request
   * value (a string, or a one-string list such as an item request's `dynamodb:LeadingKeys`; undefined:
   * the key is absent) matches, as `matches` would decide it.
   */
  forOneValue(variables: ConditionContext): (value: string | undefined) => boolean;
}

/** A Condition block: every operator, every key within it, must match (values of one key: any). */
function compileConditions(block: PolicyStatement['Condition'], variables: boolean, keys: Set<string>, costly: { found: boolean }): Condition[] {
  if (block === undefined) return [];
  const conditions: Condition[] = [];
  for (const [name, entries] of Object.entries(block)) {
    const { set, base, ifExists } = parseOperator(name);
    if (base !== 'Null' && CONDITION_OPERATORS[base] === undefined) throw new PolicyError(`Invalid Condition operator: ${name}`);
    for (const [rawKey, rawValues] of Object.entries(entries)) {
      const key = rawKey.toLowerCase();
      keys.add(key);
      const values = listOf(rawValues).map(String);
      const read = variables ? values.flatMap(variableKeys) : [];
      for (const k of read) keys.add(k);
      if (base !== 'Null' && variables && CONDITION_OPERATORS[base]!.compiles && values.some(hasVariables)) costly.found = true;
      conditions.push(base === 'Null' ? nullCondition(key, values) : operatorCondition(key, base, set, ifExists, values, variables, read));
    }
  }
  return conditions;
}

/** `Null: { key: "true" }`: the key is absent; `"false"`: it is present. */
function nullCondition(key: string, values: readonly string[]): Condition {
  const whenAbsent = values.some((v) => v.toLowerCase() === 'true');
  const whenPresent = values.some((v) => v.toLowerCase() !== 'true');
  const test = (value: unknown): boolean => (value === undefined ? whenAbsent : whenPresent);
  return { key, variableKeys: [], matches: (context) => test(context.get(key)), forOneValue: () => test };
}

function operatorCondition(
  key: string,
  base: string,
  set: 'all' | 'any' | undefined,
  ifExists: boolean,
  values: readonly string[],
  variables: boolean,
  variableKeysRead: readonly string[],
): Condition {
  const op = CONDITION_OPERATORS[base]!;
  const dynamic = variables && values.some(hasVariables);
  const fixed = dynamic ? undefined : values.map((v) => op.prepare(v)).filter((m) => m !== undefined);
  // IAM: IfExists and ForAllValues match a missing key, ForAnyValue does not; a negated operator
  // matches it (no value equals the policy's); any other operator does not.
  const whenAbsent = ifExists || set === 'all' ? true : set === 'any' ? false : op.negated;
  return {
    key,
    variableKeys: variableKeysRead,
    matches: (context) => {
      const found = context.get(key);
      if (found === undefined) return whenAbsent;
      const matchers = fixed ?? preparedWithVariables(values, op.prepare, context);
      // One value: every form asks whether it matches. A list: ForAnyValue asks for one match; ForAllValues,
      // and a negated operator without a set qualifier, for every value; the rest for one. Loops, not
      // closures: this runs on every authorization that is not cached.
      if (typeof found === 'string') return matchesAny(matchers, found) !== op.negated;
      const every = set === 'all' || (set === undefined && op.negated);
      for (const value of found) if ((matchesAny(matchers, value) !== op.negated) !== every) return !every;
      return every;
    },
    forOneValue: (context) => {
      const matchers = fixed ?? preparedWithVariables(values, op.prepare, context);
      const negated = op.negated;
      // A one-string list decides as that string does, under every set qualifier.
      if (matchers.length === 1) {
        const only = matchers[0]!;
        return (value) => (value === undefined ? whenAbsent : only(value) !== negated);
      }
      return (value) => (value === undefined ? whenAbsent : matchesAny(matchers, value) !== negated);
    },
  };
}

function matchesAny(matchers: readonly ((v: string) => boolean)[], value: string): boolean {
  for (const match of matchers) if (match(value)) return true;
  return false;
}

function preparedWithVariables(values: readonly string[], prepare: (p: string) => ((v: string) => boolean) | undefined, context: ConditionContext): ((v: string) => boolean)[] {
  const out: ((v: string) => boolean)[] = [];
  for (const value of values) {
    const text = substituteVariables(value, context);
    const match = text === undefined ? undefined : prepare(text);
    if (match !== undefined) out.push(match);
  }
  return out;
}

/** Principal / NotPrincipal: `"*"`, `{ AWS: "*" }`, an account id or its root ARN (every principal of it), a principal ARN. */
function compilePrincipal(statement: PolicyStatement): (principal: PrincipalIdentity) => boolean {
  const negated = statement.Principal === undefined && statement.NotPrincipal !== undefined;
  const spec: PolicyPrincipal | undefined = statement.Principal ?? statement.NotPrincipal;
  if (spec === undefined) return () => true;
  const entries = spec === '*' ? ['*'] : listOf(spec.AWS);
  const match = (principal: PrincipalIdentity): boolean =>
    entries.some((entry) => entry === '*' || entry === principal.arn || entry === principal.accountId || entry === `arn:aws:iam::${principal.accountId}:root`);
  return negated ? (p) => !match(p) : match;
}
