import { createServer, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { crc32 } from 'node:zlib';
import { capacity, controlFaults, createRequestHandler, Database, nextRequestId, replyContentType, responseHeaders, ttl, unknownOperation, type DatabaseModule, type FaultControlAnswer, type FaultsModule, type RequestCaller, type TtlOptions } from '@magneto/core';
import { streams } from '@magneto/streams';
import { backup, type ObjectStores } from '@magneto/backup';
import { dax, type DaxOptions } from '@magneto/dax';
import { REPLICATION_PATH, SIGNATURE_HEADER } from '@magneto/global-tables';
import { accessKeyIdOf, checkSignatureShape, header, isAuthFailure, verifySignature, type AuthFailure, type ServerCredentials, type SignatureParts } from './auth.js';
import { FastConnection, refuseConnection, type FastHost, type Reply, type ServedRequest } from './fast-http.js';
import { BufferBudget, checkInterval, resolveLimits, type ServerLimits } from './limits.js';
/** Options of `startServer`. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 8000. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** The database to serve. Default: a fresh one with every module Magneto has (`defaultModules()`). */
  database?: Database;
  /** The region the health check names. Default us-east-1. */
  region?: string;
  /** Strict mode: only these keys are accepted and SigV4 signatures are verified. */
  credentials?: readonly ServerCredentials[];
  /**
   * The HTTP implementation. `'fast'` (default): a lean HTTP/1.1 keep-alive path on node:net for the
   * requests SDKs send, handing anything else to node:http. `'node'`: node:http only.
   */
  http?: 'fast' | 'node';
  /** Timeouts and the memory budget for request bodies (`ServerLimits`); unset fields keep their defaults. */
  limits?: Partial<ServerLimits>;
  /**
   * Serve through a DAX-style accelerator (`dax(database, options)` from `@magneto/dax`): GetItem,
   * BatchGetItem, Query and Scan answered from DAX's caches, writes written through. Default: none.
   */
  dax?: DaxOptions;
  /**
   * The `faults()` module installed in `database`, to control over HTTP at `/_magneto/faults` (GET the rules
   * and what fired, POST rules, DELETE them all; see `controlFaults`). Served only on a loopback host.
   */
  faults?: FaultsModule;
  /**
   * More control endpoints for tests, by path under `/_magneto/` (e.g. `/_magneto/reset`): each request to
   * one is answered by its handler (`{ status, body }`, body sent as JSON). Served only on a loopback host.
   */
  controls?: Readonly<Record<string, ControlHandler>>;
  /**
   * Global-table replication from peer servers (an `HttpTransport` of `@magneto/global-tables`): POSTs to
   * its path (`/magneto/replication`) are handed to it. Absent: that path is an unknown one, as on DynamoDB.
   */
  replication?: { handle(body: string, signature?: string): string | Promise<string> };
}

/** A control endpoint's handler: the request's method and body in, the answer's status and JSON body out. */
export type ControlHandler = (method: string, body: string) => FaultControlAnswer;

/** A running server. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:8000` — the SDK's `endpoint`. */
  url: string;
  port: number;
  /** Stops accepting connections, closes idle keep-alive sockets and resolves once closed. */
  close(): Promise<void>;
}

/**
 * The modules a server's database installs unless given one: DynamoDB Streams (with triggers and
 * Kinesis destinations), Time to Live, and backups with point-in-time recovery, so every DynamoDB and
 * DynamoDB Streams operation Magneto implements is served. `options.ttl` sets Time to Live's timings (`magneto serve --ttl-sweep-interval-ms`).
 * Capacity is installed observing only (metrics, WarmThroughput / OnDemandThroughput; nothing throttled)
 * unless `options.enforceCapacity` (`magneto serve --enforce-capacity`). `options.objectStores` are the
 * buckets of ExportTableToPointInTime and ImportTable (`magneto serve --object-store`).
 */
export function defaultModules(options: { ttl?: TtlOptions; enforceCapacity?: boolean; objectStores?: ObjectStores } = {}): DatabaseModule[] {
  return [streams(), ttl(options.ttl), capacity({ enforce: options.enforceCapacity === true }), backup(options.objectStores === undefined ? {} : { objectStores: options.objectStores })];
}

/** DynamoDB refuses request bodies larger than this with 413 (and an empty body). */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
const CONTENT_TYPES = new Set(['application/x-amz-json-1.0', 'application/x-amz-json-1.1', 'application/json']);
const CORAL = 'com.amazon.coral.service';
/** Where a server with `faults` serves their control endpoint, and the hosts it may (loopback). */
const FAULT_CONTROL_PATH = '/_magneto/faults';
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Serves a Magneto database over DynamoDB's HTTP protocol (JSON 1.0 / 1.1 over POST /), so any AWS SDK,
 * the AWS CLI or other tools can use it with `endpoint: url`, as with DynamoDB Local.
 *
 * @example
 * const server = await startServer({ port: 0 });
 * const client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 * await server.close();
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const { port = 8000, host = '127.0.0.1', region = 'us-east-1', credentials } = options;
  const database = options.database ?? new Database({ region, modules: defaultModules() });
  const db = options.dax === undefined ? database : dax(database, options.dax);
  const handler = createRequestHandler(db);
  const health = Buffer.from(`healthy: dynamodb.${region}.amazonaws.com `);
  if (options.faults !== undefined && !LOOPBACK.has(host)) throw new Error(`The fault control endpoint is served on a loopback host only, not ${host}`);
  const faultControl = options.faults;
  const controls = new Map(Object.entries(options.controls ?? {}));
  for (const path of controls.keys()) {
    if (!path.startsWith('/_magneto/')) throw new Error(`A control endpoint's path starts with /_magneto/, not ${path}`);
    if (!LOOPBACK.has(host)) throw new Error(`Control endpoints are served on a loopback host only, not ${host}`);
  }

  const limits = resolveLimits(options.limits);
  const budget = new BufferBudget(limits.maxBufferedBytes);
  const every = checkInterval(limits);

  const server = createServer(
    { keepAlive: true, headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: every },
    (req, res) => {
      track(req.socket, res);
      // Callbacks rather than a promise per request: most bodies arrive in one chunk and are served at once.
      let chunks: Buffer[] | undefined;
      let first: Buffer | undefined;
      let length = 0;
      let held = 0;
      // Over 16 MB (answered at once), or past the budget (answered once the body is read): the rest of
      // the body is read without being kept.
      let tooLarge = false;
      let dropped = false;
      const release = () => {
        budget.hold(-held);
        held = 0;
      };
      const refuseTooLarge = () => {
        tooLarge = true;
        first = undefined;
        chunks = undefined;
        release();
        answerTooLarge(res, limits.keepAliveTimeoutMs);
      };
      const declared = req.headers['content-length'];
      if (declared !== undefined && Number(declared) > MAX_REQUEST_BYTES) refuseTooLarge();
      req.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (tooLarge || dropped) return;
        if (length > MAX_REQUEST_BYTES) return refuseTooLarge();
        if (!budget.hold(chunk.length)) {
          budget.hold(-chunk.length);
          dropped = true;
          first = undefined;
          chunks = undefined;
          return release();
        }
        if (held === 0) req.once('close', release);
        held += chunk.length;
        if (chunks) chunks.push(chunk);
        else if (first) {
          chunks = [first, chunk];
          first = undefined;
        } else first = chunk;
      });
      req.on('end', () => {
        release();
        if (tooLarge) return;
        if (dropped) res.shouldKeepAlive = false;
        const body = first ?? (chunks ? Buffer.concat(chunks, length) : EMPTY);
        serve({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body, bodyDropped: dropped, sourceIp: req.socket.remoteAddress }, nodeReply(res));
      });
      // A request whose client went away (truncated body) is not served: it must not change data.
    },
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;

  // A request node:http cannot parse is refused with the connection, but only after the answers to the
  // requests received whole before it: node:http would write its 400 at once and close, and an earlier
  // request, already applied, would never be answered. (Its parser reads on while a request is served: a
  // valid request and garbage in one write meet the parse error before the request's body is even read.)
  const unanswered = new WeakMap<Duplex, Set<ServerResponse>>();
  const refused = new WeakSet<Duplex>();
  function track(socket: Duplex, res: ServerResponse): void {
    let answers = unanswered.get(socket);
    if (!answers) unanswered.set(socket, (answers = new Set()));
    answers.add(res);
    res.once('close', () => answers.delete(res));
  }
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A request too slow to arrive (headers or request timeout) is not answered, as on the fast path.
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return void socket.destroy();
    // node:http reports a refused connection again for each chunk it reads after.
    if (refused.has(socket)) return;
    refused.add(socket);
    // Requests cut short by the error are never answered; those received whole are, then the refusal.
    const owed = [...(unanswered.get(socket) ?? [])].filter((res) => res.req.complete);
    let left = owed.length;
    if (left === 0) return refuseConnection(socket);
    for (const res of owed) res.once('close', () => --left === 0 && refuseConnection(socket));
  });

  function serve(req: ServedRequest, reply: Reply): void {
    try {
      if (req.bodyDropped) return sendError(reply, replyTypeOf(req.headers), 'ServiceUnavailable');
      dispatch(req, reply);
    } catch (error) {
      // The reply type is not known yet when dispatch itself fails: it follows the request's all the same.
      internalFailure(reply, replyTypeOf(req.headers), error);
    }
  }

  /** DynamoDB's checks in its order: method, path and content type; JSON; target; signature; then the operation. */
  function dispatch(req: ServedRequest, reply: Reply): void {
    if (faultControl !== undefined && req.url === FAULT_CONTROL_PATH) {
      const answer = controlFaults(faultControl, req.method, req.body.toString('utf8'));
      return reply.send(answer.status, 'application/json', Buffer.from(JSON.stringify(answer.body)), nextRequestId());
    }
    const control = controls.size === 0 ? undefined : controls.get(req.url);
    if (control !== undefined) {
      const answer = control(req.method, req.body.toString('utf8'));
      return reply.send(answer.status, 'application/json', Buffer.from(JSON.stringify(answer.body)), nextRequestId());
    }
    if (req.method === 'GET') return reply.send(200, 'text/plain', health, nextRequestId());

    const contentType = mediaType(header(req.headers, 'content-type'));
    const url = req.url;
    const queryStart = url.indexOf('?');
    const path = queryStart < 0 ? url : url.slice(0, queryStart);
    const body = req.body;
    if (options.replication !== undefined && req.method === 'POST' && path === REPLICATION_PATH) {
      const replication = options.replication;
      // A peer secret's signature check is asynchronous; a request it refuses is answered 403.
      return void Promise.resolve()
        .then(() => replication.handle(body.toString('utf8'), header(req.headers, SIGNATURE_HEADER) || undefined))
        .then(
          (answer) => reply.send(200, 'application/json', Buffer.from(answer), nextRequestId()),
          () => reply.send(403, 'application/json', Buffer.from('{"message":"Replication request refused"}'), nextRequestId()),
        );
    }
    if (req.method !== 'POST' || path !== '/' || (body.length > 0 && !CONTENT_TYPES.has(contentType))) {
      return reply.send(404, 'text/plain', UNKNOWN_OPERATION_XML, nextRequestId());
    }
    const replyType = replyContentType(contentType);

    const target = header(req.headers, 'x-amz-target') ?? '';
    const dot = target.indexOf('.');
    // The catalog decides: core's services and any a module registered operations of.
    const knownTarget = dot > 0 && target.indexOf('.', dot + 1) < 0 && db.hasOperation(target.slice(0, dot), target.slice(dot + 1));
    const shape = knownTarget ? checkSignatureShape({ url, headers: req.headers }) : undefined;
    const refused = shape && isAuthFailure(shape) ? shape : undefined;
    // The body is parsed once, by the operation; only a refused request is parsed here (a strict one
    // whose signature fails, below), so invalid JSON is still answered before the target and signature
    // errors, as DynamoDB does.
    if ((!knownTarget || refused) && body.length > 0 && !isJson(body)) return sendSerializationError(reply, replyType);
    if (!knownTarget) return sendUnknownOperation(reply, replyType, target);
    if (refused) return sendFailure(reply, replyType, refused);
    const parts = shape as SignatureParts;
    // Who sends it, for access control: the key the request was signed with (verified in strict mode).
    const caller: RequestCaller = { accessKeyId: accessKeyIdOf(parts), sourceIp: req.sourceIp };
    if (!credentials) return execute(reply, replyType, target, body, caller);

    verifySignature({ method: req.method, url, headers: req.headers, body }, parts, credentials, region, Date.now()).then(
      (failure) => {
        if (!failure) return execute(reply, replyType, target, body, caller);
        if (body.length > 0 && !isJson(body)) return sendSerializationError(reply, replyType);
        sendFailure(reply, replyType, failure);
      },
      (error: unknown) => internalFailure(reply, replyType, error),
    );
  }

  function execute(reply: Reply, replyType: string, target: string, body: Buffer, caller: RequestCaller): void {
    // The core handler reads only the target header; no copy of the others.
    handler.handle({ headers: { 'x-amz-target': target }, body: new Uint8Array(body.buffer, body.byteOffset, body.length), caller }).then(
      ({ response }) => {
        // Invalid JSON is core's message-less SerializationException, as the checks above send it: no parse here.
        const out = Buffer.from(response.body.buffer, response.body.byteOffset, response.body.length);
        reply.send(response.statusCode, replyType, out, response.headers['x-amzn-requestid'] ?? nextRequestId());
      },
      (error: unknown) => internalFailure(reply, replyType, error),
    );
  }

  // The fast path owns the port and hands node:http what it does not serve; 'node' mode listens with node:http.
  let closing = false;
  let listener: NetServer = server;
  const fast = new Set<FastConnection>();
  if (options.http !== 'node') {
    const fastHost: FastHost = {
      serve,
      handover(socket: Socket, unconsumed: Buffer) {
        // node:http reads the socket's handle directly from now on; the bytes already read go first.
        server.emit('connection', socket);
        if (unconsumed.length > 0) socket.unshift(unconsumed);
      },
      get closing() {
        return closing;
      },
    };
    listener = createNetServer({ allowHalfOpen: true, noDelay: true, keepAlive: true }, (socket) => {
      const connection = new FastConnection(socket, fastHost, MAX_REQUEST_BYTES, limits, budget);
      fast.add(connection);
      socket.once('close', () => fast.delete(connection));
    });
    // Keep-alive, headers and request timeouts of every fast connection, checked once a second (or more
    // often for shorter timeouts).
    const timeouts = setInterval(() => {
      const now = Date.now();
      for (const connection of fast) connection.expire(now);
    }, every).unref();
    listener.once('close', () => clearInterval(timeouts));
    // node:http tracks its connections (idle ones for close(), header and request timeouts) from 'listening'.
    server.emit('listening');
  }

  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(port, host, () => {
      listener.off('error', reject);
      resolve();
    });
  });
  const actualPort = (listener.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing = true;
        // Resolves once every connection (fast or handed to node:http) has closed.
        listener.close((error) => (error ? reject(error) : resolve()));
        if (listener === server) server.closeIdleConnections();
        else {
          // Idle sockets close now; busy ones after their answer (sent with Connection: close).
          for (const connection of fast) connection.endIfIdle();
          // Closes node:http's idle connections (those handed over) and stops its timeout checks.
          server.close();
        }
      }),
  };
}

const EMPTY = Buffer.alloc(0);
const UNKNOWN_OPERATION_XML = Buffer.from('<UnknownOperationException/>\n');

/**
 * DynamoDB's answer to a body over 16 MB: 413 with an empty body, at once. The connection closes, but
 * only once the client has closed its side (or after `lingerMs`): the rest of the body is read and
 * dropped meanwhile, since a client still sending when the socket closed would get a reset (EPIPE)
 * instead of the answer.
 */
function answerTooLarge(res: ServerResponse, lingerMs: number): void {
  const socket = res.req.socket;
  res.shouldKeepAlive = false;
  res.once('finish', () => {
    // node:http ends a connection after its last answer with destroySoon(), which destroys the socket
    // once our FIN is flushed; the client's FIN (or the linger) closes it instead.
    socket.removeListener('finish', socket.destroy);
    setTimeout(() => socket.destroy(), lingerMs).unref();
  });
  send(res, 413, replyTypeOf(res.req.headers), EMPTY, nextRequestId());
}

function internalFailure(reply: Reply, contentType: string, error: unknown): void {
  console.error('magneto: internal error while serving a request', error);
  sendError(reply, contentType, 'InternalFailure');
}

function sendSerializationError(reply: Reply, contentType: string): void {
  sendError(reply, contentType, 'SerializationException');
}

/** Statuses of the errors the server answers itself that are not 400. */
const ERROR_STATUS: Record<string, number> = { InternalFailure: 500, ServiceUnavailable: 503 };

function sendError(reply: Reply, contentType: string, type: string): void {
  reply.send(ERROR_STATUS[type] ?? 400, contentType, Buffer.from(`{"__type":"${CORAL}#${type}"}`), nextRequestId());
}

/** UnknownOperationException naming the target, worded as the in-process request handler words it. */
function sendUnknownOperation(reply: Reply, contentType: string, target: string): void {
  const failure = unknownOperation(target);
  reply.send(failure.statusCode, contentType, Buffer.from(JSON.stringify(failure.wireBody())), nextRequestId());
}

function sendFailure(reply: Reply, contentType: string, failure: AuthFailure): void {
  reply.send(400, contentType, Buffer.from(JSON.stringify({ __type: `${CORAL}#${failure.type}`, message: failure.message })), nextRequestId());
}

/** node:http's answer path as a Reply. */
function nodeReply(res: ServerResponse): Reply {
  return { send: (status, contentType, body, requestId) => send(res, status, contentType, body, requestId) };
}

/**
 * One writeHead with a flat header list (no header object to build) and one end(body). The body goes
 * as a latin1 string of its bytes: node:http then writes head and body in one write instead of a writev.
 */
function send(res: ServerResponse, status: number, contentType: string, body: Buffer, requestId: string): void {
  if (res.destroyed) return;
  // An error after the answer began (e.g. thrown while writing it): nothing else can be sent.
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, responseHeaders(contentType, body, requestId, crc32).flat());
  res.end(body.toString('latin1'), 'latin1');
}

function isJson(body: Buffer): boolean {
  try {
    JSON.parse(body.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/** The content type of answers the server makes itself: the request's JSON type (core's rule). */
function replyTypeOf(headers: ServedRequest['headers']): string {
  return replyContentType(header(headers, 'content-type'));
}

/** `application/x-amz-json-1.0; charset=utf-8` → `application/x-amz-json-1.0`. */
function mediaType(value: string | undefined): string {
  if (value === undefined) return '';
  const semi = value.indexOf(';');
  return (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
}


