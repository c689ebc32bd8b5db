/*
 * Attribute, table and index names are chosen by the client, and `__proto__`, `constructor` or `toString`
 * are legal ones: a record keyed by such names is read and written through these two helpers, never by
 * plain `record[name]` (which would find, or for `__proto__` set, Object.prototype's members).
 */

const hasOwn = Object.prototype.hasOwnProperty;

/** `out[name] = value`, also for a member named `__proto__` (which plain assignment would not create: it sets the prototype). */
export function setMember<V>(out: Record<string, V>, name: string, value: V): void {
  if (name === '__proto__') {
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    out[name] = value;
  }
}

/** `record[name]` if it is an own member, else undefined (never one of Object.prototype's). */
export function memberOf<V>(record: Readonly<Record<string, V>>, name: string): V | undefined {
  return hasOwn.call(record, name) ? record[name] : undefined;
}
