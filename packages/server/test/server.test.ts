import { request as httpRequest } from 'node:http';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  DynamoDBServiceException,
} from '@aws-sdk/client-dynamodb';
import { startServer, type RunningServer } from '@magneto/server';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import CRC32 from 'crc-32';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveCli } from './support/serve-cli.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function raw(url: string, options: { method?: string; path?: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(options.path ?? '/', url);
    const req = httpRequest(target, { method: options.method ?? 'POST', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const SIGNED = {
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-target': 'DynamoDB_20120810.ListTables',
  'x-amz-date': '20260101T000000Z',
  authorization: 'AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
};

function client(url: string, accessKeyId = 'local', secretAccessKey = 'local'): DynamoDBClient {
  return new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
}

describe.each(['fast', 'node'] as const)('@magneto/server over the AWS SDK (http: %s)', (http) => {
  let server: RunningServer;
  let sdk: DynamoDBClient;
  beforeAll(async () => {
    server = await startServer({ port: 0, http });
    sdk = client(server.url);
  });
  afterAll(async () => {
    sdk.destroy();
    await server.close();
  });

  it('creates a table, puts, gets and queries', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    await sdk.send(
      new CreateTableCommand({
        TableName: 'Music',
        KeySchema: [
          { AttributeName: 'artist', KeyType: 'HASH' },
          { AttributeName: 'song', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'artist', AttributeType: 'S' },
          { AttributeName: 'song', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await sdk.send(new PutItemCommand({ TableName: 'Music', Item: { artist: { S: 'A' }, song: { S: 'x' }, bin: { B: new Uint8Array([1, 2, 3]) } } }));
    await sdk.send(new PutItemCommand({ TableName: 'Music', Item: { artist: { S: 'A' }, song: { S: 'y' } } }));
    const got = await sdk.send(new GetItemCommand({ TableName: 'Music', Key: { artist: { S: 'A' }, song: { S: 'x' } } }));
    expect(got.Item).toEqual({ artist: { S: 'A' }, song: { S: 'x' }, bin: { B: new Uint8Array([1, 2, 3]) } });
    const query = await sdk.send(
      new QueryCommand({ TableName: 'Music', KeyConditionExpression: 'artist = :a', ExpressionAttributeValues: { ':a': { S: 'A' } } }),
    );
    expect(query.Items?.map((i) => i.song?.S)).toEqual(['x', 'y']);
    expect((await sdk.send(new ListTablesCommand({}))).TableNames).toEqual(['Music']);
  });

  it('round-trips non-ASCII strings byte for byte', async () => {
    const text = 'héllo ✓ 😀 — ünïcode';
    await sdk.send(new PutItemCommand({ TableName: 'Music', Item: { artist: { S: text }, song: { S: text } } }));
    const got = await sdk.send(new GetItemCommand({ TableName: 'Music', Key: { artist: { S: text }, song: { S: text } } }));
    expect(got.Item).toEqual({ artist: { S: text }, song: { S: text } });
  });

  it("answers DynamoDB's errors with their SDK class and message", async () => {
    const error = await sdk.send(new GetItemCommand({ TableName: 'Missing', Key: { id: { S: '1' } } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toBe('Requested resource not found');
  });
});

describe.each(['fast', 'node'] as const)('protocol (http: %s)', (http) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, region: 'eu-west-1', http });
  });
  afterAll(() => server.close());

  it('answers GET / with the health check', async () => {
    const res = await raw(server.url, { method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('healthy: dynamodb.eu-west-1.amazonaws.com ');
    expect(res.headers['x-amz-crc32']).toBe(String(CRC32.buf(res.body) >>> 0));
  });

  it('sends a correct x-amz-crc32, a request id and the request content type', async () => {
    for (const type of ['application/x-amz-json-1.0', 'application/x-amz-json-1.1']) {
      const res = await raw(server.url, { headers: { ...SIGNED, 'content-type': type }, body: '{}' });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body.toString())).toEqual({ TableNames: [] });
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['x-amz-crc32']).toBe(String(CRC32.buf(res.body) >>> 0));
      expect(res.headers['x-amzn-requestid']).toMatch(/^[A-Z0-9]{20,}$/);
    }
  });

  it('refuses bodies over 16 MB with 413', async () => {
    const res = await raw(server.url, { headers: SIGNED, body: Buffer.alloc(16 * 1024 * 1024 + 1, 32) });
    expect(res.status).toBe(413);
  });

  it('answers other methods, paths and content types like DynamoDB', async () => {
    for (const options of [
      { method: 'PUT', body: '{}' },
      { method: 'DELETE' },
      { path: '/other', body: '{}' },
      { body: '{}', headers: { ...SIGNED, 'content-type': 'text/plain' } },
    ]) {
      const res = await raw(server.url, { headers: SIGNED, ...options });
      expect(res.status).toBe(404);
      expect(res.body.toString()).toBe('<UnknownOperationException/>\n');
    }
  });

  it('answers invalid JSON and unknown operations with their exceptions', async () => {
    const bad = await raw(server.url, { headers: SIGNED, body: '{"TableName":' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body.toString())).toEqual({ __type: 'com.amazon.coral.service#SerializationException' });
    const unknown = await raw(server.url, { headers: { ...SIGNED, 'x-amz-target': 'DynamoDB_20120810.Nope' }, body: '{}' });
    expect(JSON.parse(unknown.body.toString())).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException', Message: 'Unknown operation: DynamoDB_20120810.Nope' });
  });

  it('requires an Authorization header', async () => {
    const { authorization: _, ...unsigned } = SIGNED;
    const missing = await raw(server.url, { headers: unsigned, body: '{}' });
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body.toString())).toEqual({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
    const malformed = await raw(server.url, { headers: { ...SIGNED, authorization: 'AWS4-HMAC-SHA256 Signature=abc' }, body: '{}' });
    expect(JSON.parse(malformed.body.toString())).toEqual({
      __type: 'com.amazon.coral.service#IncompleteSignatureException',
      message:
        "Authorization header requires 'Credential' parameter. Authorization header requires 'SignedHeaders' parameter. " +
        'Authorization=AWS4-HMAC-SHA256 Signature=abc',
    });
  });

  it('survives random malformed requests, answering each with a DynamoDB JSON error', async () => {
    const target = fc.constantFrom('DynamoDB_20120810.PutItem', 'DynamoDB_20120810.Query', 'DynamoDB_20120810.Bad', 'x', '');
    const auth = fc.constantFrom(SIGNED.authorization, 'AWS4-', 'AWS4-HMAC-SHA256 Credential', 'Bearer x', '');
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify({ TableName: v, Item: v, Key: v })),
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
    );
    await fc.assert(
      fc.asyncProperty(target, auth, body, async (t, a, b) => {
        const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-date': SIGNED['x-amz-date'] };
        if (t) headers['x-amz-target'] = t;
        if (a) headers.authorization = a;
        const res = await raw(server.url, { headers, body: b });
        expect(res.headers['x-amz-crc32']).toBe(String(CRC32.buf(res.body) >>> 0));
        if (res.status === 200) return;
        expect([400, 500]).toContain(res.status);
        const json = JSON.parse(res.body.toString()) as { __type?: unknown };
        expect(json.__type).toMatch(/^com\.amazon(aws)?\.[a-z0-9.]+#[A-Za-z]+(Exception|Failure)$/);
      }),
      { numRuns: 150 },
    );
    expect((await raw(server.url, { method: 'GET' })).status).toBe(200);
  });
});

describe('strict credentials', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, credentials: [{ accessKeyId: 'AKIDSTRICT', secretAccessKey: 'right-secret' }] });
  });
  afterAll(() => server.close());

  async function listWith(accessKeyId: string, secretAccessKey: string): Promise<unknown> {
    const sdk = client(server.url, accessKeyId, secretAccessKey);
    try {
      return await sdk.send(new ListTablesCommand({}));
    } catch (error) {
      return error;
    } finally {
      sdk.destroy();
    }
  }

  it('accepts the right key and refuses wrong secrets and unknown keys', async () => {
    expect(await listWith('AKIDSTRICT', 'right-secret')).toMatchObject({ TableNames: [] });

    const wrong = await listWith('AKIDSTRICT', 'wrong-secret');
    expect(wrong).toBeInstanceOf(DynamoDBServiceException);
    expect((wrong as DynamoDBServiceException).name).toBe('InvalidSignatureException');
    expect((wrong as Error).message).toBe(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );

    const unknown = await listWith('AKIDUNKNOWN', 'right-secret');
    expect((unknown as DynamoDBServiceException).name).toBe('UnrecognizedClientException');
    expect((unknown as Error).message).toBe('The security token included in the request is invalid.');
  });
});

describe('magneto serve', () => {
  it('starts, answers GET / and stops on SIGTERM', async () => {
    const { child, url: served, exit } = serveCli(['--port', '0', '--host', '127.0.0.1', '--region', 'us-west-2']);
    try {
      const url = await served;
      const res = await raw(url, { method: 'GET' });
      expect(res.body.toString()).toBe('healthy: dynamodb.us-west-2.amazonaws.com ');
      child.kill('SIGTERM');
      expect((await exit).code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 20_000);
});

describe('signatures: presigned queries, dates and credential scopes', () => {
  const KEY = { accessKeyId: 'AKIDSTRICT', secretAccessKey: 'right-secret' };
  let strict: RunningServer;
  let open: RunningServer;
  beforeAll(async () => {
    strict = await startServer({ port: 0, credentials: [KEY] });
    open = await startServer({ port: 0 });
  });
  afterAll(async () => {
    await strict.close();
    await open.close();
  });

  const BODY = '{}';
  function unsignedRequest(url: string, contentType = 'application/x-amz-json-1.0') {
    const { host } = new URL(url);
    return {
      method: 'POST',
      protocol: 'http:',
      hostname: host,
      path: '/',
      query: {},
      headers: { host, 'content-type': contentType, 'x-amz-target': 'DynamoDB_20120810.ListTables' },
      body: BODY,
    };
  }
  function signer(key = KEY, region = 'us-east-1', service = 'dynamodb'): SignatureV4 {
    return new SignatureV4({ service, region, credentials: key, sha256: Hash.bind(null, 'sha256') });
  }

  it('answers invalid JSON with SerializationException in strict mode, whether the signature holds or not', async () => {
    for (const key of [KEY, { accessKeyId: 'AKIDSTRICT', secretAccessKey: 'wrong-secret' }]) {
      const request = { ...unsignedRequest(strict.url), body: '{"TableName":' };
      const signed = await signer(key).sign(request, { signingDate: new Date() });
      const answer = await raw(strict.url, { headers: signed.headers, body: request.body });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body.toString()).__type).toBe('com.amazon.coral.service#SerializationException');
    }
  });

  /** Sends a header-signed request as signed: every header the signer set. */
  async function sendSigned(url: string, options: { key?: typeof KEY; region?: string; service?: string; date?: Date } = {}) {
    const signed = await signer(options.key, options.region, options.service).sign(unsignedRequest(url), { signingDate: options.date ?? new Date() });
    return raw(url, { headers: signed.headers, body: BODY });
  }

  /** Sends a presigned request: the signature travels in the query string. */
  async function sendPresigned(url: string, options: { key?: typeof KEY; date?: Date; expiresIn?: number; drop?: string } = {}) {
    const presigned = await signer(options.key).presign(unsignedRequest(url), {
      signingDate: options.date ?? new Date(),
      expiresIn: options.expiresIn ?? 300,
      // The target stays a header, as DynamoDB reads it from there.
      unhoistableHeaders: new Set(['x-amz-target']),
    });
    const query = new URLSearchParams(presigned.query as Record<string, string>);
    if (options.drop) query.delete(options.drop);
    return raw(url, { path: `/?${query.toString()}`, headers: presigned.headers, body: BODY });
  }

  const errorOf = (res: RawResponse) => JSON.parse(res.body.toString()) as { __type: string; message?: string };

  it('accepts presigned requests of the right shape, and verifies them in strict mode', async () => {
    expect((await sendPresigned(open.url)).status).toBe(200);
    const ok = await sendPresigned(strict.url);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body.toString())).toEqual({ TableNames: [] });

    const wrong = await sendPresigned(strict.url, { key: { ...KEY, secretAccessKey: 'wrong' } });
    expect(errorOf(wrong)).toEqual({
      __type: 'com.amazon.coral.service#InvalidSignatureException',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    });
    const unknown = await sendPresigned(strict.url, { key: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'x' } });
    expect(errorOf(unknown).__type).toBe('com.amazon.coral.service#UnrecognizedClientException');
  });

  it('refuses presigned queries missing a parameter, or with an Authorization header too', async () => {
    for (const server of [open, strict]) {
      const missing = await sendPresigned(server.url, { drop: 'X-Amz-Credential' });
      expect(errorOf(missing)).toEqual({
        __type: 'com.amazon.coral.service#IncompleteSignatureException',
        message: "AWS query-string parameters must include 'X-Amz-Credential'. Re-examine the query-string parameters.",
      });
    }
    const both = await raw(open.url, { path: '/?X-Amz-Algorithm=AWS4-HMAC-SHA256', headers: SIGNED, body: BODY });
    expect(errorOf(both)).toEqual({
      __type: 'com.amazon.coral.service#InvalidSignatureException',
      message: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    });
  });

  it('refuses expired presigned requests in strict mode', async () => {
    const res = await sendPresigned(strict.url, { date: new Date(Date.now() - 120_000), expiresIn: 60 });
    const error = errorOf(res);
    expect(error.__type).toBe('com.amazon.coral.service#InvalidSignatureException');
    expect(error.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 60 sec\.\)$/);
  });

  it('refuses signatures dated more than 15 minutes from the server clock in strict mode', async () => {
    const old = errorOf(await sendSigned(strict.url, { date: new Date(Date.now() - 20 * 60_000) }));
    expect(old.__type).toBe('com.amazon.coral.service#InvalidSignatureException');
    expect(old.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
    const future = errorOf(await sendSigned(strict.url, { date: new Date(Date.now() + 20 * 60_000) }));
    expect(future.message).toMatch(/^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/);
    expect((await sendSigned(strict.url, { date: new Date(Date.now() - 5 * 60_000) })).status).toBe(200);
    // Without credentials the server checks shapes only: any date goes.
    expect((await sendSigned(open.url, { date: new Date(Date.now() - 24 * 3600_000) })).status).toBe(200);
  });

  it("refuses a credential scope of another region or service in strict mode", async () => {
    expect(errorOf(await sendSigned(strict.url, { region: 'eu-west-1' }))).toEqual({
      __type: 'com.amazon.coral.service#InvalidSignatureException',
      message: "Credential should be scoped to a valid region, not 'eu-west-1'. ",
    });
    expect(errorOf(await sendSigned(strict.url, { service: 's3' }))).toEqual({
      __type: 'com.amazon.coral.service#InvalidSignatureException',
      message: "Credential should be scoped to correct service: 'dynamodb'. ",
    });
  });

  it('answers JSON 1.1 requests like JSON 1.0 ones, errors included, in the request content type', async () => {
    const type = 'application/x-amz-json-1.1';
    const ok = await raw(strict.url, {
      headers: (await signer().sign(unsignedRequest(strict.url, type), { signingDate: new Date() })).headers,
      body: BODY,
    });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe(type);
    const missing = await raw(open.url, {
      headers: { ...SIGNED, 'content-type': type, 'x-amz-target': 'DynamoDB_20120810.DescribeTable' },
      body: '{"TableName":"Missing"}',
    });
    expect(missing.status).toBe(400);
    expect(missing.headers['content-type']).toBe(type);
    expect(errorOf(missing).__type).toBe('com.amazonaws.dynamodb.v20120810#ResourceNotFoundException');
    const invalid = await raw(open.url, { headers: { ...SIGNED, 'content-type': type }, body: '{' });
    expect(invalid.headers['content-type']).toBe(type);
    expect(errorOf(invalid)).toEqual({ __type: 'com.amazon.coral.service#SerializationException' });
  });
});
