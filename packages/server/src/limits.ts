/**
 * What a client may hold of the server, in time and memory: the same limits for the fast path and for
 * node:http, so a slow or abusive client meets them whichever parses its bytes.
 */

/** The server's connection limits (`ServerOptions.limits`); every field has a default. */
export interface ServerLimits {
  /**
   * A request's head (request line and headers) must arrive whole within this many milliseconds of its
   * first byte, or the client gets `408 Request Timeout` and its connection closes (node:http's
   * `headersTimeout`). Default 60 000.
   */
  headersTimeoutMs: number;
  /** The same for the whole request, head and body (node:http's `requestTimeout`). Default 300 000. */
  requestTimeoutMs: number;
  /** A keep-alive connection idle this long is closed; advertised as `Keep-Alive: timeout=`. Default 60 000. */
  keepAliveTimeoutMs: number;
  /**
   * Bytes of request bodies still arriving that all connections together may hold in memory. A request
   * that would go past it has the rest of its body read and dropped (not buffered), is answered `503`
   * `ServiceUnavailable` (which SDKs retry) and its connection closes. Default 128 MB.
   */
  maxBufferedBytes: number;
}

/** The limits a server has unless told otherwise: node:http's timeouts, and room for eight 16 MB bodies. */
export const DEFAULT_LIMITS: Readonly<ServerLimits> = Object.freeze({
  headersTimeoutMs: 60_000,
  requestTimeoutMs: 300_000,
  keepAliveTimeoutMs: 60_000,
  maxBufferedBytes: 128 * 1024 * 1024,
});

/** `limits` over the defaults, checked: positive integers, and a head cannot be given longer than its request. */
export function resolveLimits(limits: Partial<ServerLimits> = {}): ServerLimits {
  const resolved = { ...DEFAULT_LIMITS, ...limits };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`limits.${name} must be a positive integer, got ${String(value)}`);
  }
  if (resolved.headersTimeoutMs > resolved.requestTimeoutMs) throw new RangeError('limits.headersTimeoutMs must not exceed limits.requestTimeoutMs');
  return resolved;
}

/** How often connections' timeouts are checked: often enough for the shortest of them. */
export function checkInterval(limits: ServerLimits): number {
  return Math.max(10, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.keepAliveTimeoutMs) / 4)));
}

/** The bytes of unfinished request bodies all connections hold, against `maxBufferedBytes`. */
export class BufferBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Counts `bytes` more held (fewer when negative); whether the total is within the limit. O(1). */
  hold(bytes: number): boolean {
    this.used += bytes;
    return this.used <= this.limit;
  }
}
