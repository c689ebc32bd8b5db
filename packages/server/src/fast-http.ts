/**
 * The fast path: HTTP/1.1 keep-alive on `node:net` for the requests DynamoDB clients send (POST / with a
 * Content-Length, GET / health checks). node:http's parser, IncomingMessage/ServerResponse objects and
 * header machinery cost more CPU per request than a GetItem itself; this path parses the head with a few
 * regular expressions and writes each response with one `socket.write`.
 *
 * It serves only what it fully understands. Anything else (Transfer-Encoding, Expect, Upgrade, HTTP/1.0,
 * other methods, absolute-form targets, duplicate headers, odd bytes, heads over MAX_HEAD_BYTES, bodies
 * over the 16 MB limit, …) is handed, at a request boundary and with every unconsumed byte, to a regular
 * node:http server, which keeps node:http's behaviour for it and for the rest of that connection.
 *
 * It keeps the server's limits as node:http does (`ServerLimits`): head, request and keep-alive timeouts,
 * and the budget of body bytes all connections may hold.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { crc32 } from 'node:zlib';
import { responseHeaders } from '@magneto/core';
import { BufferBudget, DEFAULT_LIMITS, type ServerLimits } from './limits.js';

/** A request as the dispatcher reads it: node:http's `req` fields it uses. */
export interface ServedRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  /** Lower-case names, values trimmed, as node:http's `req.headers` (the fast path takes no duplicates). */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The body was read and dropped, not kept: the server's budget for body bytes was spent (answered 503). */
  bodyDropped?: boolean;
  /** The client's IP address (`aws:SourceIp` for access control). */
  sourceIp?: string | undefined;
}

/** Where a request's answer goes; `send` is called once per request. */
export interface Reply {
  send(status: number, contentType: string, body: Buffer, requestId: string): void;
}

/** What the fast path needs from the server. */
export interface FastHost {
  /** Serves one request; answers through `reply` (now or later). */
  serve(request: ServedRequest, reply: Reply): void;
  /** Hands a socket and its unconsumed bytes to node:http. */
  handover(socket: Socket, unconsumed: Buffer): void;
  /** Whether the server is shutting down: answers then close their connection. */
  readonly closing: boolean;
}

/** Head sections larger than this go to node:http (its limit is 16 KB; SDK requests send ~1 KB). */
export const MAX_HEAD_BYTES = 8 * 1024;
const MAX_HEADERS = 100;

const REQUEST_LINE = /^(GET|POST) (\/[\x21-\x7e]*) HTTP\/1\.1\r\n/;
// A header line: token name, colon, optional whitespace, a value of visible characters, spaces, tabs
// and obs-text (what llhttp accepts), optional whitespace, CRLF. Sticky: lines are matched back to back.
const HEADER_LINE = /([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*((?:[\x21-\x7e\x80-\xff](?:[\t \x21-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?)?)[ \t]*\r\n/y;
const DIGITS = /^\d{1,16}$/;
const STATUS_LINES = new Map<number, string>();
function statusLine(status: number): string {
  let line = STATUS_LINES.get(status);
  if (line === undefined) {
    line = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'unknown'}\r\n`;
    STATUS_LINES.set(status, line);
  }
  return line;
}
/** The end of a keep-alive answer's head, as node:http writes it for its keepAliveTimeout. */
function keepAliveTail(keepAliveTimeoutMs: number): string {
  return `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(keepAliveTimeoutMs / 1000)}\r\n\r\n`;
}
const CLOSE_TAIL = 'Connection: close\r\n\r\n';
const EMPTY = Buffer.alloc(0);
/** node:http's answer (as the server words it) to a request it cannot parse. */
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/**
 * Refuses a connection whose request node:http cannot parse: 400, then the end of the connection, closed
 * once the answer is flushed whatever the client sends on.
 */
export function refuseConnection(socket: Duplex): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(BAD_REQUEST, () => socket.destroy());
}

/** A parsed head: the request without its body, and where the body starts and how long it is. */
interface Head {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  bodyStart: number;
  bodyLength: number;
  close: boolean;
}

/**
 * Parses the head ending at `end` (the index of its CRLFCRLF) of `buffer`; undefined when anything in it
 * is outside what the fast path serves (node:http then takes the request).
 */
export function parseHead(buffer: Buffer, end: number, maxBody: number): Head | undefined {
  const text = buffer.toString('latin1', 0, end + 2);
  const line = REQUEST_LINE.exec(text);
  if (!line) return undefined;
  const headers: Record<string, string | undefined> = {};
  let count = 0;
  let contentLength: string | undefined;
  let close = false;
  let host = false;
  HEADER_LINE.lastIndex = line[0].length;
  while (HEADER_LINE.lastIndex < text.length) {
    const start = HEADER_LINE.lastIndex;
    const match = HEADER_LINE.exec(text);
    if (!match || match.index !== start || ++count > MAX_HEADERS) return undefined;
    const name = match[1]!.toLowerCase();
    const value = match[2]!;
    if (headers[name] !== undefined) return undefined;
    headers[name] = value;
    switch (name) {
      case 'content-length':
        if (!DIGITS.test(value)) return undefined;
        contentLength = value;
        break;
      case 'host':
        host = true;
        break;
      case 'connection': {
        const token = value.toLowerCase();
        if (token === 'close') close = true;
        else if (token !== 'keep-alive') return undefined;
        break;
      }
      case 'transfer-encoding':
      case 'expect':
      case 'upgrade':
      case 'http2-settings':
        return undefined;
    }
  }
  // node:http (requireHostHeader) answers 400 to an HTTP/1.1 request without Host.
  if (!host) return undefined;
  const bodyLength = contentLength === undefined ? 0 : Number(contentLength);
  if (bodyLength > maxBody) return undefined;
  return { method: line[1]!, url: line[2]!, headers, bodyStart: end + 4, bodyLength, close };
}

const PARTIAL_REQUEST_LINE = /^(?:G(?:E(?:T(?: (?:\/[\x21-\x7e]*(?: (?:H(?:T(?:T(?:P(?:\/(?:1(?:\.(?:1\r?)?)?)?)?)?)?)?)?)?)?)?)?)?|P(?:O(?:S(?:T(?: (?:\/[\x21-\x7e]*(?: (?:H(?:T(?:T(?:P(?:\/(?:1(?:\.(?:1\r?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)$/;
// A header line's beginning, or the CR of the CRLF that ends the head.
const PARTIAL_HEADER_LINE = /^(?:[!#$%&'*+.^_`|~0-9A-Za-z-]*(?::[\t \x21-\x7e\x80-\xff]*\r?)?|\r)$/;

/**
 * Whether an incomplete head may still become one the fast path serves. When it cannot, node:http takes
 * it at once: it answers malformed bytes as soon as it sees them, without waiting for the end of the head.
 */
export function plausiblePrefix(buffer: Buffer): boolean {
  const text = buffer.toString('latin1', 0, Math.min(buffer.length, MAX_HEAD_BYTES));
  const lineEnd = text.indexOf('\r\n');
  if (lineEnd < 0) return PARTIAL_REQUEST_LINE.test(text);
  const line = REQUEST_LINE.exec(text);
  if (!line) return false;
  let at = line[0].length;
  HEADER_LINE.lastIndex = at;
  for (let match = HEADER_LINE.exec(text); match && match.index === at; match = HEADER_LINE.exec(text)) at = HEADER_LINE.lastIndex;
  return PARTIAL_HEADER_LINE.test(text.slice(at));
}

let dateSecond = -1;
let dateText = '';
/** The Date header's value, formatted once a second (as node:http does). */
function httpDate(now: number): string {
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

/**
 * One keep-alive connection on the fast path. Requests are served one at a time, in order: the next one
 * is parsed once the previous answer is written, so pipelined answers keep their order.
 */
export class FastConnection implements Reply {
  /** Received bytes not yet consumed; `chunks` while a body is still arriving (concatenated once). */
  private buffered: Buffer = EMPTY;
  private chunks: Buffer[] | undefined;
  private chunksLength = 0;
  /** Bytes the request being received needs in `buffered` (head and body); 0 while its head is incomplete. */
  private need = 0;
  /** The head of the request whose body is arriving (`need > 0`), or whose body is being dropped. */
  private head: Head | undefined;
  /** Bytes of a dropped body still to arrive (read and thrown away; the budget was spent). */
  private discarding = 0;
  /** Bytes of `buffered` and `chunks` counted against the server's budget. */
  private held = 0;
  private busy = false;
  private parsing = false;
  private closeAfter = false;
  private ended = false;
  private paused = false;
  private requestStartedAt = 0;
  /** When the connection last became idle (opened, or an answer written). */
  private lastActive = Date.now();
  /** An answer waits in the socket's buffer for the client to read it: the next request waits too. */
  private draining = false;
  private readonly keepAliveTail: string;

  /**
   * `limits` and `budget` are the server's; by default node:http's timeouts and a budget of this
   * connection's own.
   */
  constructor(
    private readonly socket: Socket,
    private readonly host: FastHost,
    private readonly maxBody: number,
    private readonly limits: ServerLimits = DEFAULT_LIMITS,
    private readonly budget = new BufferBudget(limits.maxBufferedBytes),
  ) {
    this.keepAliveTail = keepAliveTail(limits.keepAliveTimeoutMs);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.once('close', this.onClose);
  }

  /**
   * Called every second or so by the server (one timer for all connections rather than a socket timeout
   * refreshed on every read and write): closes a connection idle for longer than the keep-alive timeout,
   * or whose request's head or whole has taken longer than its timeout to arrive (unanswered, as the
   * server's node:http does).
   */
  expire(now: number): void {
    if (this.busy || this.draining) return;
    if (this.idle) {
      if (now - this.lastActive > this.limits.keepAliveTimeoutMs) this.socket.destroy();
    } else if (this.requestStartedAt > 0) {
      const timeout = this.need > 0 || this.discarding > 0 ? this.limits.requestTimeoutMs : this.limits.headersTimeoutMs;
      if (now - this.requestStartedAt > timeout) this.socket.destroy();
    }
  }

  /** Idle: no request being received or served. The server's close() ends idle connections at once. */
  get idle(): boolean {
    return !this.busy && this.buffered.length === 0 && this.chunks === undefined && this.discarding === 0;
  }

  /** Ends an idle connection (the server is closing). */
  endIfIdle(): void {
    if (this.idle) this.socket.destroy();
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.discarding > 0) return this.discard(chunk);
    this.receive(chunk);
    this.account();
  };

  private receive(chunk: Buffer): void {
    if (this.buffered.length === 0 && this.chunks === undefined) this.buffered = chunk;
    else if (this.need > 0) {
      // A body arriving in pieces: collected, concatenated once it is whole.
      if (this.chunks) this.chunks.push(chunk);
      else this.chunks = [this.buffered, chunk];
      this.chunksLength += chunk.length;
      if (this.chunksLength < this.need) return this.waitForMore();
      this.buffered = Buffer.concat(this.chunks, this.chunksLength);
      this.chunks = undefined;
    } else this.buffered = Buffer.concat([this.buffered, chunk]);
    if (this.busy || this.draining) {
      // A client pipelining far ahead: stop reading until the requests before are answered (and read).
      if (this.buffered.length + this.chunksLength > this.maxBody + MAX_HEAD_BYTES) this.pause();
      return;
    }
    this.parse();
  }

  /**
   * Counts what the connection holds between reads against the server's budget (O(1); nothing for a
   * request that arrived whole). Past the budget, a body being received is dropped, and a client
   * pipelining while its answer is pending is not read from until then.
   */
  private account(): void {
    const held = this.chunks ? this.chunksLength : this.buffered.length;
    const more = held - this.held;
    if (more === 0) return;
    this.held = held;
    if (this.budget.hold(more) || more < 0) return;
    if (this.busy || this.draining) this.pause();
    else if (this.need > 0) this.dropBody();
  }

  /** Serves every whole request buffered, one at a time. */
  private parse(): void {
    if (this.parsing) return;
    this.parsing = true;
    try {
      while (!this.busy && !this.draining && this.buffered.length > 0 && !this.socket.destroyed) {
        const buffer = this.buffered;
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0 || end + 4 > MAX_HEAD_BYTES) {
          if (end >= 0 || buffer.length > MAX_HEAD_BYTES || !plausiblePrefix(buffer)) return this.handover();
          this.need = 0;
          return this.waitForMore();
        }
        const head = parseHead(buffer, end, this.maxBody);
        if (!head) return this.handover();
        const total = head.bodyStart + head.bodyLength;
        if (buffer.length < total) {
          this.need = total;
          this.head = head;
          this.chunksLength = buffer.length;
          return this.waitForMore();
        }
        this.need = 0;
        this.head = undefined;
        this.chunksLength = 0;
        const body = head.bodyLength === 0 ? EMPTY : buffer.subarray(head.bodyStart, total);
        this.buffered = total === buffer.length ? EMPTY : buffer.subarray(total);
        this.busy = true;
        this.requestStartedAt = 0;
        this.closeAfter = head.close;
        this.host.serve({ method: head.method, url: head.url, headers: head.headers, body, sourceIp: this.socket.remoteAddress }, this);
      }
      if (!this.busy && !this.draining && this.buffered.length === 0 && this.ended) this.socket.end();
    } finally {
      this.parsing = false;
    }
  }

  /** A request is partly received: read on (`expire` ends it if it takes too long). */
  private waitForMore(): void {
    if (this.requestStartedAt === 0) this.requestStartedAt = Date.now();
    this.resume();
    // The client closed its side in the middle of a request: it is not served (it must not change data).
    if (this.ended) this.refuseTruncated();
  }

  /** The budget is spent: the body arriving is read on but not kept, then answered 503 (and the connection closed). */
  private dropBody(): void {
    this.discarding = this.need - this.chunksLength;
    this.buffered = EMPTY;
    this.chunks = undefined;
    this.chunksLength = 0;
    this.need = 0;
    this.account();
  }

  private discard(chunk: Buffer): void {
    if (chunk.length < this.discarding) {
      this.discarding -= chunk.length;
      return;
    }
    // The body is over; what follows it is not read (the connection closes after the answer).
    this.discarding = 0;
    const head = this.head!;
    this.head = undefined;
    this.busy = true;
    this.requestStartedAt = 0;
    this.closeAfter = true;
    this.host.serve({ method: head.method, url: head.url, headers: head.headers, body: EMPTY, bodyDropped: true }, this);
  }

  send(status: number, contentType: string, body: Buffer, requestId: string): void {
    if (!this.busy) return;
    this.busy = false;
    const socket = this.socket;
    if (socket.destroyed) return;
    const close = this.closeAfter || this.host.closing;
    const now = Date.now();
    this.lastActive = now;
    let head = statusLine(status);
    for (const [name, value] of responseHeaders(contentType, body, requestId, crc32)) head += `${name}: ${value}\r\n`;
    head += `Date: ${httpDate(now)}\r\n${close ? CLOSE_TAIL : this.keepAliveTail}`;
    const headLength = head.length;
    const out = Buffer.allocUnsafe(headLength + body.length);
    out.write(head, 0, 'latin1');
    body.copy(out, headLength);
    const flushed = socket.write(out);
    if (close) {
      // Nothing after this answer is served: what the client sends on is dropped.
      socket.off('data', this.onData);
      this.buffered = EMPTY;
      this.account();
      this.resume();
      socket.end();
      return;
    }
    this.resume();
    // Requests pipelined behind this one (once the client reads what it was sent, as node:http waits too);
    // or the client's FIN, which waited for this answer.
    if (this.buffered.length > 0) {
      if (flushed) this.parse();
      else {
        this.draining = true;
        socket.once('drain', this.onDrain);
      }
    } else if (this.ended) socket.end();
    this.account();
  }

  private pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.socket.pause();
  }

  private resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.socket.resume();
  }

  /** Gives the socket, with the bytes of the request at hand and after, to node:http. */
  private handover(): void {
    const socket = this.socket;
    socket.off('data', this.onData);
    socket.off('end', this.onEnd);
    socket.off('error', this.onError);
    socket.off('drain', this.onDrain);
    const unconsumed = this.buffered;
    this.buffered = EMPTY;
    this.chunks = undefined;
    this.busy = true; // never again served here
    if (this.paused) socket.resume();
    this.host.handover(socket, unconsumed);
  }

  private readonly onEnd = (): void => {
    this.ended = true;
    if (this.busy || this.draining) return;
    if (this.idle) this.socket.end();
    else this.refuseTruncated();
  };

  /** A request cut short by the client's FIN: node:http's answer to it (its parser fails at the end). */
  private refuseTruncated(): void {
    this.buffered = EMPTY;
    this.chunks = undefined;
    this.discarding = 0;
    this.account();
    if (this.socket.writable) this.socket.end(BAD_REQUEST);
    else this.socket.destroy();
  }

  private readonly onDrain = (): void => {
    this.draining = false;
    this.parse();
    this.account();
  };

  private readonly onError = (): void => {
    this.socket.destroy();
  };

  /** What the connection held no longer counts against the budget. */
  private readonly onClose = (): void => {
    this.buffered = EMPTY;
    this.chunks = undefined;
    this.account();
  };
}
