import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
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
import CRC32 from 'crc-32';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

describe('@magneto/server over the AWS SDK', () => {
  let server: RunningServer;
  let sdk: DynamoDBClient;
  beforeAll(async () => {
    server = await startServer({ port: 0 });
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

  it("answers DynamoDB's errors with their SDK class and message", async () => {
    const error = await sdk.send(new GetItemCommand({ TableName: 'Missing', Key: { id: { S: '1' } } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toBe('Requested resource not found');
  });
});

describe('protocol', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, region: 'eu-west-1' });
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
    expect(JSON.parse(unknown.body.toString())).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException' });
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
    const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--host', '127.0.0.1', '--region', 'us-west-2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
          if (match) resolve(match[0]);
        });
        child.once('exit', (code) => reject(new Error(`magneto serve exited with ${code}: ${out}`)));
      });
      const res = await raw(url, { method: 'GET' });
      expect(res.body.toString()).toBe('healthy: dynamodb.us-west-2.amazonaws.com ');
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 20_000);
});
