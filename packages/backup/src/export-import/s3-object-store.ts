import type { ObjectStore, ObjectSummary } from './object-store.js';

/** What `s3ObjectStore` needs of the caller's client: an `S3Client` of `@aws-sdk/client-s3` (v3). */
export interface S3ObjectStoreClient {
  send(...args: never[]): Promise<unknown>;
}

/** Options of {@link s3ObjectStore}. */
export interface S3ObjectStoreOptions {
  /** The S3 bucket the store reads and writes. */
  readonly bucket: string;
  /**
   * Objects larger than this go up as a multipart upload of parts this size (S3 allows 5 MiB to 5 GiB;
   * only the last part may be smaller), so a put holds one part in memory. Default: 8 MiB.
   */
  readonly partSizeBytes?: number;
  /** Keys per ListObjectsV2 page (S3 answers at most 1,000). Default: 1,000. */
  readonly pageSize?: number;
}

type S3Module = typeof import('@aws-sdk/client-s3');
// Loaded from the caller's install when first needed, never bundled: the SDK is the caller's (an optional
// peer dependency), and @magneto/backup must load without it.
const SDK = '@aws-sdk/client-s3';
let sdk: Promise<S3Module> | undefined;
const commands = (): Promise<S3Module> => (sdk ??= import(SDK) as Promise<S3Module>);

const MIN_PART_SIZE = 5 * 1024 * 1024;
const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

/**
 * An object store in an S3 bucket, through the caller's `S3Client` (any S3-compatible endpoint the client
 * points at). A put goes up as one PutObject, or as a multipart upload of `partSizeBytes` parts when the
 * object is larger (aborted if a part fails, so no half object appears); a get streams the object's body;
 * a listing pages through ListObjectsV2. S3's NoSuchBucket and AccessDenied surface with the codes an
 * export's FailureCode carries (S3NoSuchBucket, S3AccessDenied).
 *
 * @example
 * import { S3Client } from '@aws-sdk/client-s3';
 * const s3 = new S3Client({ region: 'us-east-1' });
 * // Every S3Bucket an export or import names is that bucket in S3.
 * const db = new Database({ modules: [backup({ objectStores: (bucket) => s3ObjectStore(s3, { bucket }) })] });
 */
export function s3ObjectStore(client: S3ObjectStoreClient, options: S3ObjectStoreOptions): ObjectStore {
  const { bucket } = options;
  const partSize = options.partSizeBytes ?? DEFAULT_PART_SIZE;
  if (!Number.isInteger(partSize) || partSize < MIN_PART_SIZE) throw new RangeError(`partSizeBytes must be a whole number of at least ${MIN_PART_SIZE} (S3's least part size), got ${partSize}`);
  const pageSize = options.pageSize ?? 1000;
  const send = async <T>(command: unknown): Promise<T> => {
    try {
      return (await (client.send as (command: unknown) => Promise<T>)(command));
    } catch (error) {
      throw withExportCode(error);
    }
  };

  return {
    async put(key, body) {
      const s3 = await commands();
      let uploadId: string | undefined;
      const parts: Array<{ ETag?: string; PartNumber: number }> = [];
      const upload = async (bytes: Uint8Array): Promise<void> => {
        if (uploadId === undefined) uploadId = (await send<{ UploadId?: string }>(new s3.CreateMultipartUploadCommand({ Bucket: bucket, Key: key }))).UploadId;
        const PartNumber = parts.length + 1;
        const { ETag } = await send<{ ETag?: string }>(new s3.UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber, Body: bytes, ContentLength: bytes.length }));
        parts.push({ PartNumber, ...(ETag === undefined ? {} : { ETag }) });
      };
      const buffer = new PartBuffer(partSize);
      try {
        for await (const chunk of body) {
          for (const part of buffer.add(chunk)) await upload(part);
        }
        const rest = buffer.rest();
        if (uploadId === undefined) {
          // The whole object fit in one part: one PutObject, as S3's own tools do for small objects.
          await send(new s3.PutObjectCommand({ Bucket: bucket, Key: key, Body: rest, ContentLength: rest.length }));
          return;
        }
        if (rest.length > 0) await upload(rest);
        await send(new s3.CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
      } catch (error) {
        // S3 keeps (and bills) the parts of an upload never completed: abort it.
        if (uploadId !== undefined) await send(new s3.AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
        throw error;
      }
    },
    async *get(key) {
      const s3 = await commands();
      const { Body } = await send<{ Body?: unknown }>(new s3.GetObjectCommand({ Bucket: bucket, Key: key }));
      if (Body === undefined) return;
      yield* chunksOf(Body);
    },
    async *list(prefix): AsyncIterable<ObjectSummary> {
      const s3 = await commands();
      let ContinuationToken: string | undefined;
      do {
        const page = await send<{ Contents?: Array<{ Key?: string; Size?: number }>; NextContinuationToken?: string; IsTruncated?: boolean }>(
          new s3.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: pageSize, ...(ContinuationToken === undefined ? {} : { ContinuationToken }) }),
        );
        for (const object of page.Contents ?? []) {
          if (object.Key !== undefined) yield { key: object.Key, size: object.Size ?? 0 };
        }
        ContinuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (ContinuationToken !== undefined);
    },
    async delete(key) {
      const s3 = await commands();
      await send(new s3.DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
}

/** Gathers chunks into parts of exactly `size` bytes (the last one, `rest()`, may be smaller). */
class PartBuffer {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  constructor(private readonly size: number) {}

  /** Takes a chunk; answers the parts it completed. */
  add(chunk: Uint8Array): Uint8Array[] {
    this.chunks.push(chunk);
    this.length += chunk.length;
    const parts: Uint8Array[] = [];
    while (this.length >= this.size) parts.push(this.take(this.size));
    return parts;
  }

  /** What is left, as one array. */
  rest(): Uint8Array {
    return this.take(this.length);
  }

  private take(count: number): Uint8Array {
    const out = new Uint8Array(count);
    let at = 0;
    while (at < count) {
      const chunk = this.chunks[0]!;
      const used = Math.min(chunk.length, count - at);
      out.set(used === chunk.length ? chunk : chunk.subarray(0, used), at);
      at += used;
      if (used === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(used);
    }
    this.length -= count;
    return out;
  }
}

/** A GetObject body's chunks: a Node stream (async iterable) or a web ReadableStream (browsers). */
async function* chunksOf(body: unknown): AsyncIterable<Uint8Array> {
  if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    yield* body as AsyncIterable<Uint8Array>;
    return;
  }
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** S3's errors an export reports by FailureCode get that code (the export job reads `code`). */
function withExportCode(error: unknown): unknown {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'NoSuchBucket') return Object.assign(error as object, { code: 'S3NoSuchBucket' });
  if (name === 'AccessDenied') return Object.assign(error as object, { code: 'S3AccessDenied' });
  return error;
}
