/**
 * Where exports are written and imports are read: one bucket of an object store (S3, a directory, memory,
 * a browser store), as keys to whole objects. Objects travel as async iterables of byte chunks, so a
 * large object is never held whole by the store's caller.
 *
 * @example
 * const store = memoryObjectStore();
 * await store.put('a/b.json', [new TextEncoder().encode('{}')]);
 * for await (const { key, size } of store.list('a/')) console.log(key, size);
 */
export interface ObjectStore {
  /** Writes (or replaces) the object at `key` from its chunks, in order. */
  put(key: string, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void>;
  /** The object's bytes, in chunks; rejects (or throws while iterating) when it does not exist. */
  get(key: string): AsyncIterable<Uint8Array>;
  /** The objects whose keys start with `prefix`, in ascending key order. */
  list(prefix: string): AsyncIterable<ObjectSummary>;
  /** Deletes the object at `key` (nothing when it does not exist). */
  delete(key: string): Promise<void>;
}

/** One object of a listing. */
export interface ObjectSummary {
  readonly key: string;
  /** Bytes. */
  readonly size: number;
}

/**
 * The stores ExportTableToPointInTime and ImportTable reach by S3Bucket: a map of bucket names to stores,
 * or a function answering a bucket (and its S3BucketOwner) with its store, or undefined when there is none.
 */
export type ObjectStores = Readonly<Record<string, ObjectStore>> | ((bucket: string, bucketOwner?: string) => ObjectStore | undefined);

/** The store of a bucket, or undefined. */
export function storeOf(stores: ObjectStores | undefined, bucket: string, bucketOwner?: string): ObjectStore | undefined {
  if (stores === undefined) return undefined;
  if (typeof stores === 'function') return stores(bucket, bucketOwner);
  return Object.hasOwn(stores, bucket) ? stores[bucket] : undefined;
}

/** Every chunk of an object, joined into one byte array (for small objects: manifests, checksums). */
export async function readObject(store: ObjectStore, key: string): Promise<Uint8Array> {
  return concatBytes(await collect(store.get(key)));
}

/** Collects an async iterable's chunks. */
export async function collect(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

/** The chunks, joined. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
