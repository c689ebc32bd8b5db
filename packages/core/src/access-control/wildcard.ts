/** Escapes every character RegExp gives a meaning to. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** IAM's wildcards as a RegExp source: `*` any run of characters, `?` one character, the rest literal. */
export function wildcardSource(pattern: string): string {
  let source = '';
  for (const ch of pattern) source += ch === '*' ? '.*' : ch === '?' ? '.' : escapeRegExp(ch);
  return source;
}

/** A matcher for one Action, Resource or `*Like` pattern: a string comparison when it has no wildcard. */
export function compileWildcard(pattern: string, ignoreCase: boolean): (value: string) => boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) {
    if (!ignoreCase) return (value) => value === pattern;
    const lower = pattern.toLowerCase();
    return (value) => value.toLowerCase() === lower;
  }
  const regexp = new RegExp(`^${wildcardSource(pattern)}$`, ignoreCase ? 'is' : 's');
  return (value) => regexp.test(value);
}
