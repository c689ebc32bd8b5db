import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequestHandler, Database } from '@magneto/core';
import CRC32 from 'crc-32';
import { authenticate, type AuthFailure, type ServerCredentials } from './auth.js';

/** Options of `startServer`. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 8000. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** The database to serve; a fresh `new Database()` when omitted. */
  database?: Database;
  /** The region the health check names. Default us-east-1. */
  region?: string;
  /** Strict mode: only these keys are accepted and SigV4 signatures are verified. */
  credentials?: readonly ServerCredentials[];
}

/** A running server. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:8000` — the SDK's `endpoint`. */
  url: string;
  port: number;
  /** Stops accepting connections, closes idle keep-alive sockets and resolves once closed. */
  close(): Promise<void>;
}

/** DynamoDB refuses request bodies larger than this with 413. */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
const CONTENT_TYPES = new Set(['application/x-amz-json-1.0', 'application/x-amz-json-1.1', 'application/json']);
const SERVICES = new Set(['DynamoDB_20120810', 'DynamoDBStreams_20120810']);
const CORAL = 'com.amazon.coral.service';

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
  const db = options.database ?? new Database({ region });
  const handler = createRequestHandler(db);
  const health = Buffer.from(`healthy: dynamodb.${region}.amazonaws.com `);

  const server = createServer({ keepAlive: true }, (req, res) => {
    serve(req, res).catch((error: unknown) => {
      console.error('magneto: internal error while serving a request', error);
      if (!res.headersSent) sendJson(res, 500, 'application/x-amz-json-1.0', { __type: `${CORAL}#InternalFailure` });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === undefined) {
      res.writeHead(413, { 'content-length': '0', connection: 'close' });
      res.end();
      req.resume();
      return;
    }
    res.setHeader('x-amzn-RequestId', requestId());

    if (req.method === 'GET') return send(res, 200, 'text/plain', health);

    const contentType = (headerOf(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'POST' || path !== '/' || (body.length > 0 && !CONTENT_TYPES.has(contentType))) {
      return send(res, 404, 'text/plain', Buffer.from('<UnknownOperationException/>\n'));
    }
    const replyType = contentType === 'application/x-amz-json-1.1' ? contentType : 'application/x-amz-json-1.0';

    if (body.length > 0 && !isJson(body)) return sendJson(res, 400, replyType, { __type: `${CORAL}#SerializationException` });

    const target = (headerOf(req, 'x-amz-target') ?? '').split('.');
    if (target.length !== 2 || !SERVICES.has(target[0]!) || !db.hasOperation(target[0] as never, target[1]!)) {
      return sendJson(res, 400, replyType, { __type: `${CORAL}#UnknownOperationException` });
    }

    const failure: AuthFailure | undefined = await authenticate(
      { method: req.method, url: req.url ?? '/', headers: req.headers, body },
      credentials,
    );
    if (failure) return sendJson(res, 400, replyType, { __type: `${CORAL}#${failure.type}`, message: failure.message });

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const { response } = await handler.handle({ headers, body: new Uint8Array(body.buffer, body.byteOffset, body.length) });
    const id = response.headers['x-amzn-requestid'];
    if (id) res.setHeader('x-amzn-RequestId', id);
    send(res, response.statusCode, replyType, Buffer.from(response.body.buffer, response.body.byteOffset, response.body.length));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

/** Reads the whole body; undefined once it passes MAX_REQUEST_BYTES. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const declared = Number(headerOf(req, 'content-length') ?? 0);
    if (declared > MAX_REQUEST_BYTES) return resolve(undefined);
    const chunks: Buffer[] = [];
    let length = 0;
    let done = false;
    const finish = (value: Buffer | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      length += chunk.length;
      if (length > MAX_REQUEST_BYTES) return finish(undefined);
      chunks.push(chunk);
    });
    req.on('end', () => finish(Buffer.concat(chunks, length)));
    req.on('error', () => finish(Buffer.concat(chunks)));
    req.on('aborted', () => finish(Buffer.concat(chunks)));
  });
}

function sendJson(res: ServerResponse, status: number, contentType: string, body: Record<string, unknown>): void {
  send(res, status, contentType, Buffer.from(JSON.stringify(body)));
}

function send(res: ServerResponse, status: number, contentType: string, body: Buffer): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': String(body.length),
    'x-amz-crc32': String(CRC32.buf(body) >>> 0),
  });
  res.end(body);
}

function isJson(body: Buffer): boolean {
  try {
    JSON.parse(body.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function requestId(): string {
  return randomBytes(39).toString('base64').toUpperCase().replace(/[+/]/g, '0');
}
