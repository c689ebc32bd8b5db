/**
 * The server under abusive or broken clients, in both HTTP modes (the fast path and node:http): a valid
 * request followed by garbage is answered before the refusal; heads, requests and idle connections are
 * closed on their timeouts; the memory all connections may hold for bodies is bounded (503 past it); a
 * body over 16 MB gets DynamoDB's 413 — through the SDK too, not a reset. Limits are set small (ms, 1 MB)
 * so each behaviour shows quickly; no assertion depends on how long anything takes.
 */
import { connect, type Socket } from 'node:net';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startServer, type RunningServer } from '@magneto/server';
import { afterEach, describe, expect, it } from 'vitest';

const AUTH = 'AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00';
const TABLE = 'hardening';

function head(target: string, extra: string): string {
  return (
    `POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.${target}\r\n` +
    `X-Amz-Date: 20260101T000000Z\r\nAuthorization: ${AUTH}\r\n${extra}`
  );
}
function post(target: string, body: string): string {
  return head(target, `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`) + body;
}
function chunked(target: string, body: string): string {
  return head(target, 'Transfer-Encoding: chunked\r\n\r\n') + `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`;
}
const putItem = (k: string, v = 'x') => JSON.stringify({ TableName: TABLE, Item: { k: { S: k }, v: { S: v } } });

/** The status codes of the responses in `data`, in order (Content-Length framed). */
function statuses(data: Buffer): number[] {
  const found: number[] = [];
  let at = 0;
  for (;;) {
    const end = data.indexOf('\r\n\r\n', at);
    if (end < 0) return found;
    const text = data.toString('latin1', at, end);
    found.push(Number(text.split(' ')[1]));
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text)?.[1] ?? 0);
    at = end + 4 + length;
  }
}

/** A raw connection: what it received, and a promise of its close. */
async function open(server: RunningServer, allowHalfOpen = false): Promise<{ socket: Socket; received: () => Buffer; closed: Promise<void> }> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ port: server.port, host: '127.0.0.1', allowHalfOpen }, () => resolve(s));
    s.once('error', reject);
  });
  let received = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => received, closed };
}

/** Writes `data` and resolves once the server has answered `count` requests. */
async function exchange(server: RunningServer, data: string | Buffer, count: number): Promise<number[]> {
  const connection = await open(server);
  connection.socket.write(data);
  await until(() => statuses(connection.received()).length >= count, connection.closed);
  connection.socket.destroy();
  return statuses(connection.received());
}

/** Resolves when `done()` holds (checked on every event-loop turn) or `stop` settles. */
async function until(done: () => boolean, stop: Promise<void>): Promise<void> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  while (!done() && !stopped) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function item(server: RunningServer, k: string): Promise<unknown> {
  const connection = await open(server);
  connection.socket.write(post('GetItem', JSON.stringify({ TableName: TABLE, Key: { k: { S: k } } })));
  await until(() => statuses(connection.received()).length >= 1, connection.closed);
  connection.socket.destroy();
  const text = connection.received().toString();
  return JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
}

describe.each(['fast', 'node'] as const)('HTTP mode %s', (http) => {
  let server: RunningServer;
  async function start(limits: Parameters<typeof startServer>[0] = {}): Promise<RunningServer> {
    server = await startServer({ port: 0, http, ...limits });
    const create = JSON.stringify({
      TableName: TABLE,
      KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    expect(await exchange(server, post('CreateTable', create), 1)).toEqual([200]);
    return server;
  }
  afterEach(async () => {
    await server.close();
  });

  describe('a valid request followed by garbage on the same connection', () => {
    for (const [framing, request] of [
      ['Content-Length', post],
      ['chunked', chunked],
    ] as const) {
      it(`answers the ${framing} PutItem (and applies it), then refuses the garbage with 400 and closes`, async () => {
        await start();
        const connection = await open(server);
        connection.socket.write(request('PutItem', putItem(framing)) + 'GARBAGE\r\n\r\n');
        await connection.closed;
        expect(statuses(connection.received())).toEqual([200, 400]);
        expect(await item(server, framing)).toEqual({ Item: { k: { S: framing }, v: { S: 'x' } } });
      });
    }
  });

  describe('timeouts', () => {
    it('closes a connection whose head trickles in past the headers timeout', async () => {
      await start({ limits: { headersTimeoutMs: 200, requestTimeoutMs: 60_000 } });
      const connection = await open(server);
      const request = post('PutItem', putItem('trickle'));
      let at = 0;
      const trickle = setInterval(() => connection.socket.write(request.slice(at, ++at)), 20);
      await connection.closed;
      clearInterval(trickle);
      expect(at).toBeLessThan(request.indexOf('\r\n\r\n'));
      expect(await item(server, 'trickle')).toEqual({});
    });

    it('closes a connection whose body trickles in past the request timeout', async () => {
      await start({ limits: { headersTimeoutMs: 100, requestTimeoutMs: 300 } });
      const connection = await open(server);
      const body = putItem('slow body');
      connection.socket.write(head('PutItem', `Content-Length: ${body.length}\r\n\r\n`));
      let at = 0;
      const trickle = setInterval(() => connection.socket.write(body.slice(at, ++at)), 20);
      await connection.closed;
      clearInterval(trickle);
      expect(at).toBeLessThan(body.length);
      expect(await item(server, 'slow body')).toEqual({});
    });

    it('closes a keep-alive connection idle past the keep-alive timeout, advertising it', async () => {
      await start({ limits: { keepAliveTimeoutMs: 200 } });
      const connection = await open(server);
      connection.socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
      await connection.closed;
      expect(statuses(connection.received())).toEqual([200]);
      expect(connection.received().toString()).toContain('\r\nKeep-Alive: timeout=0\r\n');
    });
  });

  describe('memory for request bodies', () => {
    const value = 'v'.repeat(1024 * 1024 + 300 * 1024);

    it('answers 503 ServiceUnavailable to a body past the budget once it is read, closes its connection, and frees the budget', async () => {
      await start({ limits: { maxBufferedBytes: 1024 * 1024 } });
      const big = Buffer.from(post('PutItem', putItem('big', value)));
      const connection = await open(server);
      // In pieces, so the server holds the body between reads.
      for (let at = 0; at < big.length; at += 64 * 1024) connection.socket.write(big.subarray(at, at + 64 * 1024));
      await connection.closed;
      const received = connection.received().toString();
      expect(statuses(connection.received())).toEqual([503]);
      expect(received).toContain('\r\nConnection: close\r\n');
      expect(received.slice(received.indexOf('\r\n\r\n') + 4)).toBe('{"__type":"com.amazon.coral.service#ServiceUnavailable"}');
      expect(await item(server, 'big')).toEqual({});
      // Nothing of the dropped body is still counted: a body of 900 KB in pieces fits again.
      const fits = Buffer.from(post('PutItem', putItem('fits', 'v'.repeat(300 * 1024))));
      const pieces = await open(server);
      for (let at = 0; at < fits.length; at += 16 * 1024) pieces.socket.write(fits.subarray(at, at + 16 * 1024));
      await until(() => statuses(pieces.received()).length >= 1, pieces.closed);
      pieces.socket.destroy();
      expect(statuses(pieces.received())).toEqual([200]);
    });
  });

  describe('a body over 16 MB', () => {
    it("gets DynamoDB's 413 with an empty body while it is still being sent, and the client can finish sending", async () => {
      await start();
      // Half-open allowed: the client writes on after the server's FIN, as an SDK still sending its body does.
      const connection = await open(server, true);
      connection.socket.write(head('PutItem', `Content-Length: ${16 * 1024 * 1024 + 1}\r\n\r\n`));
      await until(() => statuses(connection.received()).length >= 1, connection.closed);
      const received = connection.received().toString();
      expect(statuses(connection.received())).toEqual([413]);
      expect(received).toMatch(/\r\nContent-Length: 0\r\n/);
      // The rest of the body is still read (and dropped): writing it does not meet a reset.
      const written = await new Promise<Error | null | undefined>((resolve) => connection.socket.write(Buffer.alloc(4 * 1024 * 1024, 'x'), resolve));
      expect(written ?? null).toBeNull();
      connection.socket.destroy();
    });

    it('reaches an SDK client as a 413 error, not a broken connection (EPIPE)', async () => {
      await start();
      const sdk = new DynamoDBClient({
        endpoint: server.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      });
      try {
        const error = await sdk
          .send(new PutItemCommand({ TableName: TABLE, Item: { k: { S: 'huge' }, v: { S: 'v'.repeat(17 * 1024 * 1024) } } }))
          .then(() => undefined, (e: unknown) => e as { $metadata?: { httpStatusCode?: number }; code?: string });
        expect(error?.code).toBeUndefined();
        expect(error?.$metadata?.httpStatusCode).toBe(413);
        // The client's next request is served.
        expect((await sdk.send(new GetItemCommand({ TableName: TABLE, Key: { k: { S: 'huge' } } }))).Item).toBeUndefined();
      } finally {
        sdk.destroy();
      }
    }, 20_000);
  });
});
