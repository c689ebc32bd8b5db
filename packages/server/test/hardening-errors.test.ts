/**
 * Client errors over raw HTTP are 400s with DynamoDB's exception, never a 500 (issue 14, finding 5),
 * in both HTTP modes: null RequestItems values, bodies nested deep enough to overflow a recursive
 * walk, constraint failures whose values nest deep, and bodies that are not UTF-8.
 */
import { request as httpRequest } from 'node:http';
import { startServer, type RunningServer } from '@magneto/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SERIALIZATION = { __type: 'com.amazon.coral.service#SerializationException' };
const VALIDATION = 'com.amazon.coral.validate#ValidationException';

function post(url: string, operation: string, body: string | Buffer): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const headers = {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
      'x-amz-date': '20260101T000000Z',
      authorization: 'AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
    };
    const req = httpRequest(new URL('/', url), { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An AttributeValue whose list nests `depth` levels. */
const deepList = (depth: number) => '{"L":['.repeat(depth) + '{"S":"x"}' + ']}'.repeat(depth);

describe.each(['fast', 'node'] as const)('client errors are 400s (http: %s)', (http) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, http });
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(['BatchGetItem', 'BatchWriteItem'])('%s › throws ValidationException for a table whose value is null', async (operation) => {
    expect(await post(server.url, operation, '{"RequestItems":{"tbl":null}}')).toEqual({
      status: 400,
      body: { __type: VALIDATION, message: "1 validation error detected: Value null at 'requestItems.tbl.member' failed to satisfy constraint: Member must not be null" },
    });
  });

  it('ListTables › throws SerializationException for a B member nested 50,000 levels deep', async () => {
    expect(await post(server.url, 'ListTables', `{"B":${'['.repeat(50_000)}${']'.repeat(50_000)}}`)).toEqual({ status: 400, body: SERIALIZATION });
  });

  it('BatchWriteItem, TransactWriteItems and BatchGetItem › throw SerializationException for too many entries with a list 20,000 deep', async () => {
    const deep = deepList(20_000);
    const writes = Array.from({ length: 26 }, (_, i) => `{"PutRequest":{"Item":{"pk":{"S":"${i}"},"d":${i === 0 ? deep : '{"S":"x"}'}}}}`);
    expect(await post(server.url, 'BatchWriteItem', `{"RequestItems":{"tbl":[${writes.join(',')}]}}`)).toEqual({ status: 400, body: SERIALIZATION });
    const actions = Array.from({ length: 101 }, (_, i) => `{"Put":{"TableName":"tbl","Item":{"pk":{"S":"${i}"},"d":${i === 0 ? deep : '{"S":"x"}'}}}}`);
    expect(await post(server.url, 'TransactWriteItems', `{"TransactItems":[${actions.join(',')}]}`)).toEqual({ status: 400, body: SERIALIZATION });
    const keys = Array.from({ length: 101 }, (_, i) => `{"pk":{"S":"${i}"},"d":${i === 0 ? deep : '{"S":"x"}'}}`);
    expect(await post(server.url, 'BatchGetItem', `{"RequestItems":{"tbl":{"Keys":[${keys.join(',')}]}}}`)).toEqual({ status: 400, body: SERIALIZATION });
  });

  it('PutItem › throws SerializationException for a body that is not UTF-8', async () => {
    const body = Buffer.concat([Buffer.from('{"TableName":"tbl","Item":{"pk":{"S":"'), Buffer.from([0xff]), Buffer.from('"}}}')]);
    expect(await post(server.url, 'PutItem', body)).toEqual({ status: 400, body: SERIALIZATION });
  });
});
