import * as btreeModule from 'sorted-btree';
import type { asSet } from 'sorted-btree';

// sorted-btree is CommonJS. Under Node's ESM loader (and TypeScript's NodeNext view of it) its class is
// `default.default`; bundlers and vitest hand over the class itself as `default`. Unwrap whichever arrives.
type BTreeConstructor = typeof btreeModule.default.default;
const loaded = btreeModule as unknown as { default: BTreeConstructor | { default: BTreeConstructor } };
/** sorted-btree's B+ tree class, unwrapped from its CommonJS module. @internal */
export const BTree: BTreeConstructor = typeof loaded.default === 'function' ? loaded.default : loaded.default.default;

// The instance type, spelled through a named export: its shape is the same under every module resolution,
// where the default export's is not (a user's `moduleResolution: "bundler"` sees the class as `default`).
/** A sorted-btree B+ tree from K to V. */
export type BTree<K, V> = Parameters<typeof asSet<K, V>>[0];
