/**
 * `@magneto/core/access-control`: IAM-style access control for DynamoDB requests (see `accessControl`).
 *
 * @example
 * import { accessControl } from '@magneto/core/access-control';
 */
export { accessControl, type AccessControlOptions } from './access-control.js';
export type { PrincipalOptions } from './principals.js';
export type { PolicyDocument, PolicyStatement, PolicyPrincipal, OneOrMany } from './policy-document.js';
export type { PutResourcePolicyInput, ResourcePolicyOutput, GetResourcePolicyOutput } from './resource-policies.js';
