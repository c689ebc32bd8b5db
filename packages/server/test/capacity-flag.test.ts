/**
 * `magneto serve` installs capacity() observing only, and enforcing with --enforce-capacity: the flag
 * is parsed, and over HTTP a default server never throttles while an enforcing one does.
 */
import { CreateTableCommand, DynamoDBClient, ProvisionedThroughputExceededException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { Database, ManualClock } from '@magneto/core';
import { defaultModules, startServer } from '@magneto/server';
import { describe, expect, it } from 'vitest';
import { parseServeOptions } from '../src/cli-options.js';

async function putsOverHttp(enforceCapacity: boolean | undefined): Promise<unknown> {
  const server = await startServer({ port: 0, database: new Database({ clock: new ManualClock(Date.UTC(2024, 0, 1)), modules: defaultModules(enforceCapacity === undefined ? {} : { enforceCapacity }) }) });
  const client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: 'things',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      }),
    );
    // 1 WCU with 300 s of burst credit: a 350 KB item (350 WCU) is admitted and spends it all; on the
    // database's clock (which stands still) the next write is throttled if enforced.
    const blob = { S: 'x'.repeat(350 * 1024) };
    for (let i = 0; i < 3; i++) await client.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: `k${i}` }, blob } }));
    return undefined;
  } catch (error) {
    return error;
  } finally {
    client.destroy();
    await server.close();
  }
}

describe('magneto serve --enforce-capacity', () => {
  it('parses the flag (absent: false)', () => {
    expect(parseServeOptions([])).toMatchObject({ enforceCapacity: false });
    expect(parseServeOptions(['--enforce-capacity'])).toMatchObject({ enforceCapacity: true });
    expect(() => parseServeOptions(['--enforce-capacity=yes'])).toThrow('option --enforce-capacity takes no value');
  });

  it('the default modules measure capacity but never throttle', async () => {
    expect(await putsOverHttp(undefined)).toBeUndefined();
  });

  it('enforcing, the server throttles writes beyond the table capacity with ProvisionedThroughputExceededException', async () => {
    const error = await putsOverHttp(true);
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect((error as ProvisionedThroughputExceededException).ThrottlingReasons?.[0]?.reason).toBe('TableWriteProvisionedThroughputExceeded');
  });
});
