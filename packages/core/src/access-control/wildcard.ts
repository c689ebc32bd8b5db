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

/**
 * A matcher for one Action, Resource or `*Like` pattern: a string comparison when it has no wildcard, a
 * prefix or suffix test when its one wildcard is a `*` at an end (`user#*`, the common fine-grained form),
 * else a RegExp.
 */
export function compileWildcard(pattern: string, ignoreCase: boolean): (value: string) => boolean {
  const star = pattern.indexOf('*');
  if (!pattern.includes('?') && star === pattern.lastIndexOf('*')) {
    const literal = ignoreCase ? pattern.toLowerCase() : pattern;
    if (star === -1) return ignoreCase ? (value) => value.toLowerCase() === literal : (value) => value === literal;
    if (star === pattern.length - 1) {
      const prefix = literal.slice(0, -1);
      return ignoreCase ? (value) => value.toLowerCase().startsWith(prefix) : (value) => value.startsWith(prefix);
    }
    if (star === 0) {
      const suffix = literal.slice(1);
      return ignoreCase ? (value) => value.toLowerCase().endsWith(suffix) : (value) => value.endsWith(suffix);
    }
  }
  const regexp = new RegExp(`^${wildcardSource(pattern)}$`, ignoreCase ? 'is' : 's');
  return (value) => regexp.test(value);
}
