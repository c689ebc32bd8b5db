import * as btreeModule from 'sorted-btree';

// sorted-btree is CommonJS. Under Node's ESM loader (and TypeScript's NodeNext view of it) its class is
// `default.default`; bundlers and vitest hand over the class itself as `default`. Unwrap whichever arrives.
type BTreeConstructor = typeof btreeModule.default.default;
const loaded = btreeModule as unknown as { default: BTreeConstructor | { default: BTreeConstructor } };
/** sorted-btree's B+ tree class, unwrapped from its CommonJS module. */
export const BTree: BTreeConstructor = typeof loaded.default === 'function' ? loaded.default : loaded.default.default;

// The instance type, spelled through an instantiation expression (the class is only reachable as a value).
declare const createTree: <K, V>() => InstanceType<typeof btreeModule.default.default<K, V>>;
/** A sorted-btree B+ tree from K to V. */
export type BTree<K, V> = ReturnType<typeof createTree<K, V>>;
