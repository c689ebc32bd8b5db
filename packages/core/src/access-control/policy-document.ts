/**
 * IAM's JSON policy language, as identity-based and resource-based policies write it (IAM User Guide,
 * "IAM JSON policy elements reference"). Only the elements DynamoDB's authorization reads.
 */

/** A value or a list of values: IAM accepts either wherever a list is allowed. */
export type OneOrMany<T> = T | readonly T[];

/** `Principal` / `NotPrincipal` of a resource-based policy: `"*"` or `{ AWS: arn | account id | "*" }`. */
export type PolicyPrincipal = '*' | { readonly AWS?: OneOrMany<string>; readonly [kind: string]: OneOrMany<string> | undefined };

/** One statement: Effect, Action/NotAction, Resource/NotResource, Principal, Condition. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: OneOrMany<string>;
  readonly NotAction?: OneOrMany<string>;
  readonly Resource?: OneOrMany<string>;
  readonly NotResource?: OneOrMany<string>;
  readonly Principal?: PolicyPrincipal;
  readonly NotPrincipal?: PolicyPrincipal;
  /** `{ operator: { conditionKey: value(s) } }`, e.g. `{ StringEquals: { 'aws:username': 'alice' } }`. */
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, OneOrMany<string | number | boolean>>>>>;
}

/** A policy document. Policy variables (`${aws:username}`) need Version `2012-10-17`. */
export interface PolicyDocument {
  readonly Version?: '2012-10-17' | '2008-10-17';
  readonly Id?: string;
  readonly Statement: OneOrMany<PolicyStatement>;
}

/** A list of what IAM accepts as one value or a list. */
export function listOf<T>(value: OneOrMany<T> | undefined): readonly T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}
