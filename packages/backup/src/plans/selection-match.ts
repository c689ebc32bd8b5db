import type { BackupSelection } from './plan-document.js';

/**
 * Whether a backup selection picks a resource, as AWS Backup assigns resources: the resource is in
 * Resources (ARNs, `*` wildcards) or carries one of ListOfTags' tags (OR between them), every one of
 * Conditions holds (AND), and it is in none of NotResources. Tag keys are written `aws:ResourceTag/KEY`
 * (ListOfTags also takes the bare KEY). `tags` is read only when a tag is asked about.
 */
export function resourceSelected(selection: BackupSelection, arn: string, tags: () => Record<string, string>): boolean {
  let known: Record<string, string> | undefined;
  const tagOf = (key: string): string | undefined => (known ??= tags())[key.replace(/^aws:ResourceTag\//, '')];
  const inResources = (selection.Resources ?? []).some((pattern) => like(pattern, arn));
  const byTags = (selection.ListOfTags ?? []).some((c) => tagOf(c.ConditionKey) === c.ConditionValue);
  if (!inResources && !byTags) return false;
  if ((selection.NotResources ?? []).some((pattern) => like(pattern, arn))) return false;
  const conditions = selection.Conditions ?? {};
  return (
    (conditions.StringEquals ?? []).every((c) => tagOf(c.ConditionKey) === c.ConditionValue) &&
    (conditions.StringNotEquals ?? []).every((c) => tagOf(c.ConditionKey) !== c.ConditionValue) &&
    (conditions.StringLike ?? []).every((c) => like(c.ConditionValue, tagOf(c.ConditionKey))) &&
    (conditions.StringNotLike ?? []).every((c) => !like(c.ConditionValue, tagOf(c.ConditionKey)))
  );
}

/** A `*`-wildcard match of the whole value. */
function like(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(value);
}
