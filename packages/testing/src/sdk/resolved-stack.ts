/**
 * The middleware stacks the AWS SDK builds on every `send`, made cheap for the in-process fast path.
 *
 * On every send, a command merges the client's middleware stack with its own (`clientStack.concat(...)`,
 * twice for a DocumentClient command) and resolves the merged stack into a chain of handlers: smithy
 * copies every entry, normalizes, sorts and expands them all again — about a third of an in-process
 * GetItem's CPU time. The order it comes to depends only on the entries' names, steps, priorities and
 * relations, which are the same on every send of a command class. So the merged stacks here record their
 * entries, ask a real smithy stack for the order once per shape of stack (a key of those fields), and
 * later build the handler chain from that order directly. Every middleware still runs, in the order the
 * SDK would run it, with the context the SDK made for this send: the DocumentClient's marshalling (whose
 * middleware belong to each command instance), the retry strategy, the caller's own middleware.
 *
 * The SDK's own `cacheMiddleware` option would skip the rebuild too, but it keeps the first command's
 * handler per command class, and a DocumentClient command's handler holds its first command's input.
 */

/** The options of a middleware stack entry, as smithy passes them on (`add`, `addRelativeTo`, `applyToStack`). */
interface EntryOptions {
  readonly name?: string;
  readonly aliases?: readonly string[];
  readonly step?: string;
  readonly priority?: string;
  readonly relation?: string;
  readonly toMiddleware?: string;
  readonly override?: boolean;
  readonly tags?: readonly string[];
  readonly [key: string]: unknown;
}
type Middleware = (next: unknown, context: unknown) => unknown;

/** One recorded entry: absolute (`add`) or relative (`addRelativeTo`). */
interface Entry {
  readonly relative: boolean;
  readonly middleware: Middleware;
  readonly options: EntryOptions;
}

/** A smithy middleware stack, as far as the SDK's commands and plugins use one (structurally typed: the SDK is the caller's peer). */
export interface MiddlewareStack {
  add(middleware: unknown, options?: Record<string, unknown>): void;
  addRelativeTo(middleware: unknown, options: Record<string, unknown>): void;
  concat(from: unknown): MiddlewareStack;
  remove(nameOrMiddleware: unknown): boolean;
  removeByTag(tag: string): boolean;
  use(plugin: { applyToStack(stack: MiddlewareStack): void }): void;
  clone(): MiddlewareStack;
  applyToStack(stack: MiddlewareStack): void;
  identify(): string[];
  identifyOnResolve(toggle?: boolean): boolean;
  resolve(handler: unknown, context: unknown): unknown;
}

/** What the merged stacks of one client share: an empty real stack to clone, the orders found, the names left out. */
interface Shared {
  readonly emptyStack: MiddlewareStack;
  /** Per stack shape (see keyOf): the entries' indexes, innermost first, as smithy's resolve applies them. */
  readonly orders: Map<string, readonly number[]>;
  /** Entries left out of every merged stack (endpoint resolution: there is no endpoint in-process). */
  readonly skip: ReadonlySet<string>;
}

/** The fields that decide where smithy puts an entry (and whether it refuses it), as one string. */
function keyOf(entry: Entry): string {
  const o = entry.options;
  return `${entry.relative ? 'r' : 'a'}\u0001${o.name ?? ''}\u0001${o.aliases?.join(',') ?? ''}\u0001${o.step ?? ''}\u0001${o.priority ?? ''}\u0001${o.relation ?? ''}\u0001${o.toMiddleware ?? ''}\u0001${o.override === true ? 1 : 0}\n`;
}

function namesOf(options: EntryOptions): string[] {
  const names = options.name === undefined ? [] : [options.name];
  if (options.aliases !== undefined) names.push(...options.aliases);
  return names;
}

/** A merged stack: its entries in the order they were added, and the key of their shape. */
class RecordingStack implements MiddlewareStack {
  private identifying = false;

  /** The middleware recorded, in the order they were added. */
  get middlewares(): Middleware[] {
    return this.entries.map((entry) => entry.middleware);
  }

  constructor(
    private readonly shared: Shared,
    private entries: Entry[],
    private key: string,
  ) {}

  add(middleware: unknown, options: Record<string, unknown> = {}): void {
    this.record(false, middleware as Middleware, options);
  }

  addRelativeTo(middleware: unknown, options: Record<string, unknown>): void {
    this.record(true, middleware as Middleware, options);
  }

  private record(relative: boolean, middleware: Middleware, options: EntryOptions): void {
    if (options.name !== undefined && this.shared.skip.has(options.name)) return;
    const entry: Entry = { relative, middleware, options };
    this.entries.push(entry);
    this.key += keyOf(entry);
  }

  concat(from: unknown): MiddlewareStack {
    const merged = this.clone() as RecordingStack;
    (from as MiddlewareStack).applyToStack(merged);
    merged.identifying ||= this.identifying || ((from as Partial<MiddlewareStack>).identifyOnResolve?.() ?? false);
    return merged;
  }

  clone(): MiddlewareStack {
    const copy = new RecordingStack(this.shared, [...this.entries], this.key);
    copy.identifying = this.identifying;
    return copy;
  }

  use(plugin: { applyToStack(stack: MiddlewareStack): void }): void {
    plugin.applyToStack(this);
  }

  applyToStack(stack: MiddlewareStack): void {
    for (const { relative, middleware, options } of this.entries) {
      if (relative) stack.addRelativeTo(middleware, { ...options });
      else stack.add(middleware, { ...options });
    }
    stack.identifyOnResolve?.(this.identifying);
  }

  remove(nameOrMiddleware: unknown): boolean {
    return this.keep((entry) => (typeof nameOrMiddleware === 'string' ? !namesOf(entry.options).includes(nameOrMiddleware) : entry.middleware !== nameOrMiddleware));
  }

  removeByTag(tag: string): boolean {
    return this.keep((entry) => !(entry.options.tags?.includes(tag) ?? false));
  }

  private keep(predicate: (entry: Entry) => boolean): boolean {
    const kept = this.entries.filter(predicate);
    if (kept.length === this.entries.length) return false;
    this.entries = kept;
    this.key = kept.map(keyOf).join('');
    return true;
  }

  identify(): string[] {
    return this.real((entry) => entry.middleware).identify();
  }

  identifyOnResolve(toggle?: boolean): boolean {
    if (typeof toggle === 'boolean') this.identifying = toggle;
    return this.identifying;
  }

  resolve(handler: unknown, context: unknown): unknown {
    let order = this.shared.orders.get(this.key);
    if (order === undefined) {
      order = this.orderOf();
      this.shared.orders.set(this.key, order);
    }
    const entries = this.entries;
    for (let i = 0; i < order.length; i++) handler = entries[order[i]!]!.middleware(handler, context);
    if (this.identifying) console.log(this.identify());
    return handler;
  }

  /** The order smithy resolves these entries in (innermost first), found by resolving a real stack of stand-ins. */
  private orderOf(): number[] {
    const order: number[] = [];
    const standIns = this.real((_entry, index) => (next: unknown) => {
      order.push(index);
      return next;
    });
    standIns.resolve(undefined, undefined);
    return order;
  }

  /** A real smithy stack of these entries, each middleware as `as` makes it (it throws as smithy does on a bad stack). */
  private real(as: (entry: Entry, index: number) => unknown): MiddlewareStack {
    const stack = this.shared.emptyStack.clone();
    this.entries.forEach((entry, index) => {
      // Options copied from a smithy stack carry its middleware too, which would win over the stand-in.
      const options = { ...entry.options, middleware: as(entry, index) };
      if (entry.relative) stack.addRelativeTo(options.middleware, options);
      else stack.add(options.middleware, options);
    });
    return stack;
  }
}

const MUTATORS = ['add', 'addRelativeTo', 'remove', 'removeByTag'] as const;

/**
 * Makes every stack merged from the client's `stack` (on each send) a recording stack that resolves from a
 * cached order, leaving out the entries named in `skip`. The client's own stack stays smithy's: the caller
 * may still add and remove middleware; its entries are read again after any change.
 */
export function resolveFromCachedOrder(stack: MiddlewareStack, skip: readonly string[]): void {
  // An empty real stack: a clone of the client's with every entry removed (by reference: some have no name).
  const emptyStack = stack.clone();
  const collected = new RecordingStack({ emptyStack, orders: new Map(), skip: new Set() }, [], '');
  stack.applyToStack(collected);
  for (const middleware of collected.middlewares) emptyStack.remove(middleware);
  const shared: Shared = { emptyStack, orders: new Map(), skip: new Set(skip) };
  let base: RecordingStack | undefined;
  for (const name of MUTATORS) {
    const original = stack[name].bind(stack) as (...args: unknown[]) => unknown;
    (stack as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      base = undefined;
      return original(...args);
    };
  }
  stack.concat = (from) => {
    if (base === undefined) {
      base = new RecordingStack(shared, [], '');
      stack.applyToStack(base);
    }
    return base.concat(from);
  };
}
