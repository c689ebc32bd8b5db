/**
 * The condition keys of one authorization, by lower-case name (IAM's condition key names are case
 * insensitive): a string, a list (multivalued keys such as `dynamodb:LeadingKeys`), or absent.
 */
export type ContextValue = string | readonly string[];

/** Reads a request's condition keys; `undefined` when the request does not have the key. */
export interface ConditionContext {
  get(key: string): ContextValue | undefined;
}
