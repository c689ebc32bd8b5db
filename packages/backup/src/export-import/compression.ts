import { Decompress } from 'fzstd';

/**
 * GZIP through the platform's CompressionStream / DecompressionStream (Node 18+ and browsers), so the
 * package imports no Node built-in; ZSTD through fzstd (pure JavaScript: Node 20 and browsers have no
 * zstd of their own). Chunks stream through: an object is never held whole.
 */

/** ImportTable's InputCompressionType values. */
export type CompressionType = 'GZIP' | 'ZSTD' | 'NONE';

/** The chunks, gzipped. */
export function gzip(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncIterable<Uint8Array> {
  return through(chunks, new CompressionStream('gzip'));
}

/** The chunks, gunzipped (throws while iterating when they are not gzip). */
export function gunzip(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  return through(chunks, new DecompressionStream('gzip'));
}

/** An object's bytes as its compression type says. */
export function decompress(chunks: AsyncIterable<Uint8Array>, type: CompressionType): AsyncIterable<Uint8Array> {
  return type === 'GZIP' ? gunzip(chunks) : type === 'ZSTD' ? unzstd(chunks) : chunks;
}

/** The chunks, zstd-decompressed as they arrive (throws while iterating when they are not zstd, or end inside a frame). */
export async function* unzstd(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let out: Uint8Array[] = [];
  const stream = new Decompress((chunk) => out.push(chunk));
  let empty = true;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    empty = false;
    stream.push(chunk);
    if (out.length > 0) {
      yield* out;
      out = [];
    }
  }
  // The final push throws when the input ends inside a frame.
  if (!empty) stream.push(new Uint8Array(0), true);
  yield* out;
}

async function* through(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, transform: { readonly writable: WritableStream<BufferSource>; readonly readable: ReadableStream<Uint8Array> }): AsyncIterable<Uint8Array> {
  const writer = transform.writable.getWriter();
  // Feeding runs beside reading: the transform's queues are small, so a writer that waited for the
  // whole input before reading would stall.
  const feeding = (async () => {
    try {
      for await (const chunk of chunks) await writer.write(chunk as Uint8Array<ArrayBuffer>);
      await writer.close();
    } catch (error) {
      await writer.abort(error).catch(() => undefined);
      throw error;
    }
  })();
  // An unobserved rejection would crash Node; the reader sees the same failure as an errored stream.
  feeding.catch(() => undefined);
  const reader = transform.readable.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
  await feeding;
}
