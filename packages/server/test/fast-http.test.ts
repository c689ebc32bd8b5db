/**
 * The fast HTTP path (node:net) against raw byte streams: pipelining, requests split across writes, what
 * it hands to node:http (chunked bodies, Expect, HTTP/1.0, malformed or oversize heads…) answered exactly
 * as the node:http-only server answers them, clients going away mid-body, close(), and a fuzz of random
 * byte streams.
 */
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { startServer, type RunningServer } from '@magneto/server';
import { FastConnection, plausiblePrefix, type FastHost } from '../src/fast-http.js';
import CRC32 from 'crc-32';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const AUTH = 'AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00';

/** A POST / as an SDK sends it (head and body as one string). */
function post(target: string, body: string, extra = '', contentType = 'application/x-amz-json-1.0'): string {
  return (
    `POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${contentType}\r\nX-Amz-Target: DynamoDB_20120810.${target}\r\n` +
    `X-Amz-Date: 20260101T000000Z\r\nAuthorization: ${AUTH}\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}
const HEALTH = 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n';
const HEALTH_AND_CLOSE = 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n';

interface Parsed {
  status: number;
  headers: Map<string, string>;
  body: Buffer;
}

/** Splits a response stream into Content-Length-framed responses; `rest` is what follows the last whole one. */
function parseResponses(data: Buffer): { responses: Parsed[]; rest: Buffer } {
  const responses: Parsed[] = [];
  let at = 0;
  for (;;) {
    const end = data.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const lines = data.toString('latin1', at, end).split('\r\n');
    const status = Number(lines[0]!.split(' ')[1]);
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
    }
    if (status === 100) {
      at = end + 4;
      continue;
    }
    const length = Number(headers.get('content-length') ?? 0);
    if (data.length < end + 4 + length) break;
    responses.push({ status, headers, body: data.subarray(end + 4, end + 4 + length) });
    at = end + 4 + length;
  }
  return { responses, rest: data.subarray(at) };
}

function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.setNoDelay(true);
    socket.once('error', reject);
  });
}

/**
 * Writes `chunks` one write each (waiting for each to be flushed, so they arrive apart), and resolves with
 * every byte received once `done(received)` holds or the server closes the connection.
 */
async function exchange(
  url: string,
  chunks: (string | Buffer | { responses: number })[],
  done: (received: Buffer) => boolean = () => false,
): Promise<{ received: Buffer; closed: boolean }> {
  const socket = await open(url);
  let received = Buffer.alloc(0);
  let closed = false;
  let waiting: { count: number; resolve: () => void } | undefined;
  const finished = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (waiting && parseResponses(received).responses.length >= waiting.count) waiting.resolve();
      if (done(received)) resolve();
    });
    socket.on('close', () => {
      closed = true;
      resolve();
    });
    socket.on('error', () => undefined);
  });
  for (const chunk of chunks) {
    if (socket.destroyed) break;
    if (typeof chunk === 'object' && 'responses' in chunk) {
      // Waits until the server answered that many requests (or closed the connection).
      const count = chunk.responses;
      if (parseResponses(received).responses.length < count) {
        await Promise.race([new Promise<void>((resolve) => (waiting = { count, resolve })), finished]);
      }
      continue;
    }
    await new Promise<void>((resolve) => socket.write(chunk, () => resolve()));
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (done(received)) socket.destroy();
  await finished;
  socket.destroy();
  return { received, closed };
}

const responsesDone = (count: number) => (received: Buffer) => parseResponses(received).responses.length >= count;

/** The bytes of an exchange with what differs from run to run (dates, request ids, crc of them) masked. */
function normalized(received: Buffer): string {
  return received
    .toString('latin1')
    .replace(/\r\nDate: [^\r]+/gi, '\r\nDate: <date>')
    .replace(/\r\nx-amzn-RequestId: [A-Z0-9]+/gi, '\r\nx-amzn-RequestId: <id>');
}

describe('fast HTTP path', () => {
  let server: RunningServer;
  let reference: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0 });
    reference = await startServer({ port: 0, http: 'node' });
    for (const s of [server, reference]) {
      const create = post(
        'CreateTable',
        JSON.stringify({
          TableName: 'fuzz',
          KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      const { received } = await exchange(s.url, [create], responsesDone(1));
      expect(parseResponses(received).responses[0]?.status).toBe(200);
    }
  });
  afterAll(async () => {
    await server.close();
    await reference.close();
  });

  it('answers byte for byte as node:http does (dates and request ids aside)', async () => {
    // (node:http refuses bytes after a Connection: close request: none are sent after it.)
    const requests = [[HEALTH, HEALTH_AND_CLOSE], [post('ListTables', '{}'), HEALTH_AND_CLOSE], [post('ListTables', '{}', 'Connection: close\r\n')]];
    for (const request of requests) {
      const [fast, node] = await Promise.all([server, reference].map((s) => exchange(s.url, request)));
      expect(normalized(fast!.received)).toBe(normalized(node!.received));
      expect(parseResponses(fast!.received).responses.length).toBeGreaterThan(0);
    }
  });

  it('answers pipelined requests in order, several in one write', async () => {
    const batch = [
      post('PutItem', JSON.stringify({ TableName: 'fuzz', Item: { k: { S: 'p1' }, v: { S: 'one' } } })),
      post('GetItem', JSON.stringify({ TableName: 'fuzz', Key: { k: { S: 'p1' } } })),
      HEALTH,
      post('DescribeTable', JSON.stringify({ TableName: 'missing' }), '', 'application/x-amz-json-1.1'),
      post('ListTables', '{}'),
    ].join('');
    const { received } = await exchange(server.url, [batch], responsesDone(5));
    const responses = parseResponses(received).responses;
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 400, 200]);
    expect(JSON.parse(responses[1]!.body.toString())).toEqual({ Item: { k: { S: 'p1' }, v: { S: 'one' } } });
    expect(responses[2]!.body.toString()).toBe('healthy: dynamodb.us-east-1.amazonaws.com ');
    expect(responses[3]!.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(JSON.parse(responses[3]!.body.toString()).__type).toBe('com.amazonaws.dynamodb.v20120810#ResourceNotFoundException');
    for (const r of responses) expect(r.headers.get('x-amz-crc32')).toBe(String(CRC32.buf(r.body) >>> 0));
  });

  it('answers thousands of pipelined requests in order, waiting for the client to read when its buffers fill', async () => {
    const count = 4000;
    const stream = Array.from({ length: count }, (_, n) => (n % 2 === 0 ? HEALTH : post('ListTables', '{}'))).join('');
    const { received } = await exchange(server.url, [stream], responsesDone(count));
    const responses = parseResponses(received).responses;
    expect(responses.length).toBe(count);
    responses.forEach((r, n) => expect(r.body.toString()).toBe(n % 2 === 0 ? 'healthy: dynamodb.us-east-1.amazonaws.com ' : '{"TableNames":["fuzz"]}'));
  });

  it('serves requests split byte by byte across writes', async () => {
    const request = Buffer.from(post('PutItem', JSON.stringify({ TableName: 'fuzz', Item: { k: { S: 'split' }, v: { S: 'héllo ✓' } } })) + HEALTH);
    const bytes = Array.from(request, (b) => Buffer.from([b]));
    const { received } = await exchange(server.url, bytes, responsesDone(2));
    expect(parseResponses(received).responses.map((r) => r.status)).toEqual([200, 200]);
    const got = await exchange(server.url, [post('GetItem', JSON.stringify({ TableName: 'fuzz', Key: { k: { S: 'split' } } }))], responsesDone(1));
    expect(JSON.parse(parseResponses(got.received).responses[0]!.body.toString()).Item.v).toEqual({ S: 'héllo ✓' });
  });

  it('serves a large body arriving in many chunks', async () => {
    const value = 'v'.repeat(350 * 1024);
    const request = Buffer.from(post('PutItem', JSON.stringify({ TableName: 'fuzz', Item: { k: { S: 'large' }, v: { S: value } } })));
    const chunks = Array.from({ length: Math.ceil(request.length / 8192) }, (_, n) => request.subarray(n * 8192, (n + 1) * 8192));
    const put = await exchange(server.url, [...chunks, post('GetItem', JSON.stringify({ TableName: 'fuzz', Key: { k: { S: 'large' } } }))], responsesDone(2));
    const [written, got] = parseResponses(put.received).responses;
    expect(written!.status).toBe(200);
    expect(JSON.parse(got!.body.toString()).Item.v.S).toBe(value);
  });

  it('hands what it does not serve to node:http, which answers as the node:http-only server does', async () => {
    const chunkedBody = '{"TableName":"fuzz","Key":{"k":{"S":"nobody"}}}';
    const head = (extra: string) =>
      `POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.GetItem\r\nX-Amz-Date: 20260101T000000Z\r\nAuthorization: ${AUTH}\r\n${extra}`;
    const cases: Record<string, string> = {
      chunked: `${head('Transfer-Encoding: chunked\r\n\r\n')}${chunkedBody.length.toString(16)}\r\n${chunkedBody}\r\n0\r\n\r\n`,
      'Expect: 100-continue': `${head(`Expect: 100-continue\r\nContent-Length: ${chunkedBody.length}\r\n\r\n`)}${chunkedBody}`,
      'malformed request line': 'GARBAGE\r\n\r\n',
      'lower-case method': 'get / HTTP/1.1\r\nHost: x\r\n\r\n',
      'HTTP/1.0': 'GET / HTTP/1.0\r\n\r\n',
      'HTTP/1.0 keep-alive': 'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n',
      'absolute-form target': `POST http://localhost/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}`,
      'other methods': 'PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}DELETE / HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.1\r\nHost: x\r\n\r\n',
      'no Host': 'GET / HTTP/1.1\r\n\r\n',
      'header without a colon': 'GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n',
      'folded header': 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n',
      'control byte in a value': 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n',
      'bare LF': 'GET / HTTP/1.1\nHost: x\n\n',
      'garbage without an end of head': 'GARBAGE',
      'an unfinished head with a bad line': 'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n',
      'an unfinished head with a control byte': 'POST / HTTP/1.1\r\nHost: x\r\nX-A: \x00',
      'duplicate Content-Length': `${head('Content-Length: 2\r\nContent-Length: 2\r\n\r\n')}{}`,
      'conflicting Content-Length': `${head('Content-Length: 2\r\nContent-Length: 3\r\n\r\n')}{}`,
      'non-numeric Content-Length': `${head('Content-Length: 2x\r\n\r\n')}{}`,
      'duplicate headers': `${head('X-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: 2\r\n\r\n')}{}`,
      'Connection: upgrade': 'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
      'a 12 KB head': `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(12 * 1024)}\r\n\r\n`,
      'an oversize head (20 KB)': `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`,
      'a body over 16 MB': `${head(`Content-Length: ${16 * 1024 * 1024 + 1}\r\n\r\n`)}{}`,
    };
    for (const [name, request] of Object.entries(cases)) {
      // First on a fresh connection, then after a request the fast path served on the same connection.
      for (const before of ['', HEALTH]) {
        // The last request once the case is answered (node:http reads bytes after an upgrade request as the new protocol's).
        const steps = before ? [before, { responses: 1 }, request, { responses: 2 }, HEALTH_AND_CLOSE] : [request, { responses: 1 }, HEALTH_AND_CLOSE];
        const [fast, node] = await Promise.all([server, reference].map((s) => exchange(s.url, steps)));
        expect(normalized(fast!.received), `${name}${before ? ' after a request' : ''}`).toBe(normalized(node!.received));
        expect(fast!.closed).toBe(true);
      }
    }
  });

  it('keeps serving a connection node:http took over', async () => {
    const body = '{}';
    const chunked = `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\nAuthorization: ${AUTH}\r\nX-Amz-Date: 20260101T000000Z\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n${body}\r\n0\r\n\r\n`;
    const { received } = await exchange(server.url, [HEALTH, chunked, post('ListTables', '{}'), HEALTH], responsesDone(4));
    const responses = parseResponses(received).responses;
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(JSON.parse(responses[1]!.body.toString())).toEqual({ TableNames: ['fuzz'] });
  });

  it('answers Expect: 100-continue before the body is sent', async () => {
    const body = '{}';
    const head = `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\nAuthorization: ${AUTH}\r\nX-Amz-Date: 20260101T000000Z\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n`;
    const socket = await open(server.url);
    let received = Buffer.alloc(0);
    const got = (predicate: (text: string) => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (predicate(received.toString('latin1'))) {
            socket.off('data', onData);
            resolve();
          }
        };
        const onData = (chunk: Buffer) => {
          received = Buffer.concat([received, chunk]);
          check();
        };
        socket.on('data', onData);
        check();
      });
    socket.write(head);
    await got((text) => text.startsWith('HTTP/1.1 100 Continue\r\n\r\n'));
    socket.write(body);
    await got(() => parseResponses(received).responses.length === 1);
    expect(JSON.parse(parseResponses(received).responses[0]!.body.toString())).toEqual({ TableNames: ['fuzz'] });
    socket.destroy();
  });

  it('does not serve a request whose client closes mid-body (400, as node:http answers)', async () => {
    const request = post('PutItem', JSON.stringify({ TableName: 'fuzz', Item: { k: { S: 'cut' } } }));
    for (const s of [server, reference]) {
      const socket = await open(s.url);
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.end(request.slice(0, request.length - 5));
      await closed;
      expect(received).toBe('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      const got = await exchange(s.url, [post('GetItem', JSON.stringify({ TableName: 'fuzz', Key: { k: { S: 'cut' } } }))], responsesDone(1));
      expect(JSON.parse(parseResponses(got.received).responses[0]!.body.toString())).toEqual({});
    }
  });

  it('answers a request the client half-closed after, then closes', async () => {
    const socket = await open(server.url);
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.end(HEALTH);
    await closed;
    expect(parseResponses(received).responses.map((r) => r.status)).toEqual([200]);
  });

  it('answers each well-formed request of a random byte stream correctly, and survives what follows', async () => {
    const model = new Map<string, string>();
    const key = fc.constantFrom('a', 'b', 'c', 'ü');
    const contentType = fc.constantFrom('application/x-amz-json-1.0', 'application/x-amz-json-1.1');
    const extra = fc.constantFrom('', 'User-Agent: fuzz\r\n', 'x-custom:   padded value  \r\n', 'Connection: keep-alive\r\n', 'X-EMPTY:\r\n');
    const request = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), k: key, v: fc.string({ maxLength: 20 }), type: contentType, extra }),
      fc.record({ kind: fc.constant('get' as const), k: key, type: contentType, extra }),
      fc.record({ kind: fc.constant('health' as const) }),
      fc.record({ kind: fc.constant('missing' as const), type: contentType, extra }),
    );
    const template = post('GetItem', JSON.stringify({ TableName: 'fuzz', Key: { k: { S: 'a' } } }));
    const tail = fc.oneof(
      fc.constant(Buffer.alloc(0)),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      fc.tuple(fc.nat(template.length - 1), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => {
        const bytes = Buffer.from(template, 'latin1');
        bytes[at] = byte;
        return bytes;
      }),
      fc.nat(template.length - 1).map((at) => Buffer.from(template.slice(0, at), 'latin1')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(request, { maxLength: 6 }), tail, fc.array(fc.nat(), { maxLength: 8 }), async (requests, garbage, cuts) => {
        const texts = requests.map((r) => {
          if (r.kind === 'health') return HEALTH;
          if (r.kind === 'put') return post('PutItem', JSON.stringify({ TableName: 'fuzz', Item: { k: { S: r.k }, v: { S: r.v } } }), r.extra, r.type);
          if (r.kind === 'get') return post('GetItem', JSON.stringify({ TableName: 'fuzz', Key: { k: { S: r.k } } }), r.extra, r.type);
          return post('GetItem', JSON.stringify({ TableName: 'nope', Key: { k: { S: 'x' } } }), r.extra, r.type);
        });
        // The cuts fall in the well-formed requests; the garbage goes whole with the last piece (bytes written
        // after the server refused some and closed would only meet a reset, which may drop answers in flight).
        const wellFormed = texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0);
        const stream = Buffer.concat([...texts.map((t) => Buffer.from(t)), garbage]);
        const points = [...new Set(cuts.map((c) => c % (wellFormed + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let from = 0;
        for (const p of [...points, stream.length]) {
          if (p > from) chunks.push(stream.subarray(from, p));
          from = p;
        }
        const { received } = await exchange(server.url, chunks, responsesDone(requests.length));
        const responses = parseResponses(received).responses.slice(0, requests.length);
        expect(responses.length).toBe(requests.length);
        requests.forEach((r, n) => {
          const res = responses[n]!;
          expect(res.headers.get('x-amz-crc32')).toBe(String(CRC32.buf(res.body) >>> 0));
          expect(res.headers.get('x-amzn-requestid')).toMatch(/^[A-Z0-9]{20,}$/);
          if (r.kind === 'health') return expect(res.body.toString()).toBe('healthy: dynamodb.us-east-1.amazonaws.com ');
          expect(res.headers.get('content-type')).toBe(r.type);
          const body = JSON.parse(res.body.toString()) as unknown;
          if (r.kind === 'missing') return expect(res.status).toBe(400);
          expect(res.status).toBe(200);
          if (r.kind === 'put') {
            model.set(r.k, r.v);
            expect(body).toEqual({});
          } else {
            const v = model.get(r.k);
            expect(body).toEqual(v === undefined ? {} : { Item: { k: { S: r.k }, v: { S: v } } });
          }
        });
      }),
      { numRuns: 300 },
    );
    expect(model.size).toBeGreaterThan(0);
    const { received } = await exchange(server.url, [HEALTH_AND_CLOSE]);
    expect(parseResponses(received).responses[0]?.status).toBe(200);
  }, 60_000);
});

describe('close()', () => {
  it('closes idle connections (fast or handed to node:http) at once and lets a request being received finish', async () => {
    const server = await startServer({ port: 0 });
    const idle = await open(server.url);
    const idleClosed = new Promise<void>((resolve) => idle.on('close', () => resolve()));
    idle.write(HEALTH);
    await new Promise<void>((resolve) => idle.once('data', () => resolve()));

    const busy = await open(server.url);
    let received = Buffer.alloc(0);
    busy.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    const busyClosed = new Promise<void>((resolve) => busy.on('close', () => resolve()));
    const request = post('ListTables', '{}');
    await new Promise<void>((resolve) => busy.write(request.slice(0, -1), () => resolve()));
    // Let the server read the partial request before closing.
    const probe = await exchange(server.url, [HEALTH], responsesDone(1));
    expect(parseResponses(probe.received).responses.length).toBe(1);

    // A connection node:http took over (a chunked request), idle after its answer.
    const handed = await open(server.url);
    const handedClosed = new Promise<void>((resolve) => handed.on('close', () => resolve()));
    handed.write(`GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`);
    await new Promise<void>((resolve) => handed.once('data', () => resolve()));

    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await idleClosed;
    await handedClosed;
    expect(closed).toBe(false);
    busy.write(request.slice(-1));
    await busyClosed;
    await closing;
    const responses = parseResponses(received).responses;
    expect(responses.map((r) => r.status)).toEqual([200]);
    expect(responses[0]!.headers.get('connection')).toBe('close');
    expect(JSON.parse(responses[0]!.body.toString())).toEqual({ TableNames: [] });
  });
});

describe('fast connection timeouts', () => {
  it("closes a connection idle past node:http's keep-alive timeout, and one whose request takes past its request timeout", async () => {
    const connections: FastConnection[] = [];
    const host: FastHost = {
      serve: (_request, reply) => reply.send(200, 'text/plain', Buffer.from('ok'), 'ID'),
      handover: (socket) => socket.destroy(),
      closing: false,
    };
    const listener = createNetServer({ allowHalfOpen: true }, (socket) => connections.push(new FastConnection(socket, host, 1024)));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    try {
      const idle = await open(url);
      const partial = await open(url);
      const closed = (socket: Socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()));
      const idleClosed = closed(idle);
      const partialClosed = closed(partial);
      idle.write(HEALTH);
      await new Promise<void>((resolve) => idle.once('data', () => resolve()));
      partial.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{}');
      // Wait until the server has read the partial request (a request on another connection is answered after it).
      const probe = await exchange(url, [HEALTH], responsesDone(1));
      expect(parseResponses(probe.received).responses.length).toBe(1);
      const [first, second] = connections as [FastConnection, FastConnection];
      const now = Date.now();
      first.expire(now + 59_000);
      second.expire(now + 61_000);
      expect(idle.destroyed || partial.destroyed).toBe(false);
      first.expire(now + 61_000);
      await idleClosed;
      second.expire(now + 299_000);
      expect(partial.destroyed).toBe(false);
      second.expire(now + 301_000);
      await partialClosed;
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
  });
});

describe('plausiblePrefix', () => {
  it('accepts every prefix of a head the fast path serves, and refuses malformed ones at once', () => {
    const head = post('ListTables', '{}', 'X-Empty:\r\nX-Pad:  a b  \r\n');
    const end = head.indexOf('\r\n\r\n') + 4;
    for (let n = 1; n < end; n++) expect(plausiblePrefix(Buffer.from(head.slice(0, n))), JSON.stringify(head.slice(0, n))).toBe(true);
    for (const bad of ['GARBAGE', 'GET  /', 'GET / HTTP/1.0', 'POST / HTTP/1.1\r\nNo Colon', 'GET / HTTP/1.1\r\nX: a\x00', 'GET / HTTP/1.1\r\n x', 'GET / HTTP/1.1\nHost']) {
      expect(plausiblePrefix(Buffer.from(bad)), JSON.stringify(bad)).toBe(false);
    }
  });
});
