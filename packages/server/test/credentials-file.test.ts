/**
 * `magneto serve --credentials FILE`: the file's principals, keys and policies become strict SigV4 and
 * access control; requests over HTTP are authorized with the client's address as `aws:SourceIp`.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { accessControl, Database } from '@magneto/core';
import { parseCredentialsFile } from '../src/auth.js';
import { startServer } from '../src/server.js';

const FILE = JSON.stringify({
  principals: {
    app: {
      arn: 'arn:aws:iam::000000000000:user/app',
      accessKeys: [{ accessKeyId: 'AKIAAPP', secretAccessKey: 'app-secret' }],
      policies: [
        {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } },
            { Effect: 'Deny', Action: 'dynamodb:PutItem', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '127.0.0.1/32' } } },
          ],
        },
      ],
    },
    remote: {
      arn: 'arn:aws:iam::000000000000:user/remote',
      accessKeys: [{ accessKeyId: 'AKIAREMOTE', secretAccessKey: 'remote-secret' }],
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }] }],
    },
  },
});

describe('--credentials FILE', () => {
  it('reads principals into strict-mode keys and access control options', () => {
    const { credentials, accessControl: options } = parseCredentialsFile(FILE);
    expect(credentials).toEqual([
      { accessKeyId: 'AKIAAPP', secretAccessKey: 'app-secret' },
      { accessKeyId: 'AKIAREMOTE', secretAccessKey: 'remote-secret' },
    ]);
    expect(options.principals.app).toMatchObject({ arn: 'arn:aws:iam::000000000000:user/app', accessKeyIds: ['AKIAAPP'] });
    expect(() => parseCredentialsFile('{"principals":{"x":{}}}')).toThrow('principal x of the credentials file needs an "arn"');
    expect(() => parseCredentialsFile('[')).toThrow(/^the credentials file is not JSON/);
  });

  it('authorizes each signed request as the principal of its key, with aws:SourceIp', async () => {
    const { credentials, accessControl: options } = parseCredentialsFile(FILE);
    const database = new Database({ modules: [accessControl(options)] });
    await database.createTable({ TableName: 'items', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
    const server = await startServer({ port: 0, database, credentials });
    const client = (accessKeyId: string, secretAccessKey: string) => new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey } });
    const app = client('AKIAAPP', 'app-secret');
    const remote = client('AKIAREMOTE', 'remote-secret');
    try {
      await app.send(new PutItemCommand({ TableName: 'items', Item: { id: { S: 'a' } } }));
      expect((await app.send(new GetItemCommand({ TableName: 'items', Key: { id: { S: 'a' } } }))).Item).toEqual({ id: { S: 'a' } });
      await expect(remote.send(new GetItemCommand({ TableName: 'items', Key: { id: { S: 'a' } } }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: 'User: arn:aws:iam::000000000000:user/remote is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/items because no identity-based policy allows the dynamodb:GetItem action',
      });
      // A key the file does not hold fails strict mode's check before access control.
      await expect(client('AKIAAPP', 'wrong').send(new GetItemCommand({ TableName: 'items', Key: { id: { S: 'a' } } }))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    } finally {
      app.destroy();
      remote.destroy();
      await server.close();
    }
  });
});
