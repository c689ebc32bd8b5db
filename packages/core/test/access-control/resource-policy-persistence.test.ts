/**
 * Resource-based policies are kept with their table: they survive a restart of durable storage, and go
 * away with the table (a table re-created under the name starts without one).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessControl, Database, type DatabaseOptions } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { attributes, keys } from '../support/tables.js';
import { denied, policy, tableArn, user, userArn } from './support.js';

const ARN = tableArn('orders');
const POLICY = JSON.stringify(policy({ Effect: 'Allow', Principal: { AWS: userArn('bob') }, Action: 'dynamodb:GetItem', Resource: ARN }));
const get = { TableName: 'orders', Key: { id: { S: 'a' } } };
const options = (dir: string): DatabaseOptions => ({ storage: fileStorage(dir), modules: [accessControl({ principals: { bob: user('bob', []) } })] });
const create = (db: Database) => db.createTable({ TableName: 'orders', KeySchema: keys('id'), AttributeDefinitions: attributes({ id: 'S' }), BillingMode: 'PAY_PER_REQUEST' });

describe('resource-based policies and durable storage', () => {
  it('a policy survives a restart; deleting the table deletes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'magneto-policy-'));
    try {
      const first = new Database(options(dir));
      await create(first);
      const { RevisionId } = (await first.execute('DynamoDB_20120810', 'PutResourcePolicy', { ResourceArn: ARN, Policy: POLICY })) as { RevisionId: string };
      await first.close();

      const second = new Database(options(dir));
      expect(await second.execute('DynamoDB_20120810', 'GetResourcePolicy', { ResourceArn: ARN })).toEqual({ Policy: POLICY, RevisionId });
      await expect(second.as('bob').getItem(get)).resolves.toEqual({});
      await second.deleteTable({ TableName: 'orders' });
      await create(second);
      await expect(second.as('bob').getItem(get)).rejects.toThrow(denied('bob', 'GetItem', ARN));
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
