import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createRequestHandler, type Database } from '@magneto/core';

/** An SDK client served in-process by `db`, counting the requests that reach it. */
export function countingClient(db: Database): { client: DynamoDBClient; sent: string[] } {
  const handler = createRequestHandler(db);
  const sent: string[] = [];
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: {
      handle(request: { headers: Record<string, string> }, options?: unknown) {
        sent.push((request.headers['x-amz-target'] ?? '').replace('DynamoDB_20120810.', ''));
        return handler.handle(request, options);
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
      destroy() {},
    } as never,
  });
  return { client, sent };
}
