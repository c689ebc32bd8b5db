/**
 * An operation nobody serves — a typo, another API version, or a DynamoDB operation Magneto does not
 * implement yet (bulk operations, vector search, …) — answers UnknownOperationException (400, `com.amazon.coral.service`),
 * as DynamoDB does, with a `Message` (Coral's service exceptions spell it with a capital M) naming the
 * X-Amz-Target so the caller can tell which; the answer's Content-Type is the request's. The same answer
 * comes from the in-process SDK handler and from the server in both HTTP modes.
 */
import { DescribeBulkOperationCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createRequestHandler, Database } from '@magneto/core';
import { startServer, type RunningServer } from '@magneto/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const UNKNOWN = 'com.amazon.coral.service#UnknownOperationException';

async function expectUnknown(client: DynamoDBClient): Promise<void> {
  await expect(client.send(new DescribeBulkOperationCommand({ BulkOperationArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/tab/bulk-operation/1' }))).rejects.toMatchObject({
    name: 'UnknownOperationException',
    message: 'Unknown operation: DynamoDB_20120810.DescribeBulkOperation',
    $metadata: { httpStatusCode: 400 },
  });
  await expect(client.send(new DescribeBulkOperationCommand({ BulkOperationArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/ttt/bulk-operation/2' }))).rejects.toMatchObject({
    name: 'UnknownOperationException',
    message: 'Unknown operation: DynamoDB_20120810.DescribeBulkOperation',
  });
}

describe('the in-process request handler', () => {
  it('names the operation it does not serve, through the SDK', async () => {
    await expectUnknown(new DynamoDBClient({ region: 'us-east-1', credentials, requestHandler: createRequestHandler(new Database()) }));
  });

  it('names the whole target, or its absence', async () => {
    const handler = createRequestHandler(new Database());
    const answer = async (headers: Record<string, string>): Promise<unknown> => {
      const { response } = await handler.handle({ headers, body: '{}' });
      expect(response.statusCode).toBe(400);
      return JSON.parse(new TextDecoder().decode(response.body));
    };
    expect(await answer({ 'X-Amz-Target': 'DynamoDB_20111205.GetItem' })).toEqual({ __type: UNKNOWN, Message: 'Unknown operation: DynamoDB_20111205.GetItem' });
    expect(await answer({})).toEqual({ __type: UNKNOWN, Message: 'Unknown operation: (no X-Amz-Target header)' });
  });
});

describe.each(['fast', 'node'] as const)('the server (%s HTTP)', (http) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, http });
  });
  afterAll(() => server.close());

  it('names the operation it does not serve, through the SDK', async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', credentials, endpoint: server.url });
    try {
      await expectUnknown(client);
    } finally {
      client.destroy();
    }
  });

  it('names the target in JSON 1.0 and 1.1 answers, with no signature needed to be told', async () => {
    for (const contentType of ['application/x-amz-json-1.0', 'application/x-amz-json-1.1', 'application/json']) {
      const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': contentType, 'x-amz-target': 'DynamoDB_20120810.Nope' }, body: '{}' });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe(contentType);
      expect(await response.json()).toEqual({ __type: UNKNOWN, Message: 'Unknown operation: DynamoDB_20120810.Nope' });
    }
    const untargeted = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
    expect(await untargeted.json()).toEqual({ __type: UNKNOWN, Message: 'Unknown operation: (no X-Amz-Target header)' });
  });
});
