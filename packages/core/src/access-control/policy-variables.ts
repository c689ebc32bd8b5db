import type { ConditionContext } from './request-context-values.js';

const VARIABLE = /\$\{([^}]*)\}/g;

/** Whether a policy string holds a policy variable (`${aws:username}`). */
export function hasVariables(text: string): boolean {
  return text.includes('${');
}

/** The condition keys a policy string's variables read, lower-case (`${*}`, `${?}`, `${$}` read none). */
export function variableKeys(text: string): string[] {
  const keys: string[] = [];
  for (const match of text.matchAll(VARIABLE)) {
    const name = match[1]!.trim();
    if (name !== '*' && name !== '?' && name !== '$') keys.push(name.toLowerCase());
  }
  return keys;
}

/**
 * A policy string with its variables replaced by the request's values (IAM User Guide, "IAM policy
 * elements: Variables and tags"): `${*}`, `${?}` and `${$}` stand for those characters; a variable the
 * request lacks (or a multivalued one) makes the string match nothing, so undefined.
 */
export function substituteVariables(text: string, context: ConditionContext): string | undefined {
  let missing = false;
  const out = text.replace(VARIABLE, (_whole, raw: string) => {
    const name = raw.trim();
    if (name === '*' || name === '?' || name === '$') return name;
    const value = context.get(name.toLowerCase());
    if (typeof value !== 'string') {
      missing = true;
      return '';
    }
    return value;
  });
  return missing ? undefined : out;
}
