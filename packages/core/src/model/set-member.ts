/** `out[name] = value`, also for a member named `__proto__` (which plain assignment would not create: it sets the prototype). */
export function setMember<V>(out: Record<string, V>, name: string, value: V): void {
  if (name === '__proto__') {
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    out[name] = value;
  }
}
