/**
 * TagResource, UntagResource, ListTagsOfResource and CreateTable's Tags through the unchanged AWS SDK,
 * in-process and over HTTP: DynamoDB's tag rules (50 per table, lengths, characters, `aws:` reserved).
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ListTagsOfResourceCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { Database } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeTransports, expectSdkError, hashTable } from '../support/sdk.js';

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/users';
const tag = (Key: string, Value = 'v') => ({ Key, Value });

describeTransports((sdkClient) => {
  async function tagged() {
    const { db, client } = await sdkClient();
    await client.send(new CreateTableCommand({ ...hashTable('users'), Tags: [tag('team', 'core')] }));
    return { db, client };
  }

  describe('TagResource', () => {
    it('adds tags, replaces the value of a key the table has, and ListTagsOfResource lists them', async () => {
      const { client } = await tagged();
      await client.send(new TagResourceCommand({ ResourceArn: ARN, Tags: [tag('env', 'test'), tag('team', 'storage'), tag('empty', '')] }));
      const { Tags } = await client.send(new ListTagsOfResourceCommand({ ResourceArn: ARN }));
      expect(Tags).toEqual([tag('team', 'storage'), tag('env', 'test'), tag('empty', '')]);
    });

    it('throws ValidationException when the table would have more than 50 tags, and changes nothing', async () => {
      const { client } = await tagged();
      await client.send(new TagResourceCommand({ ResourceArn: ARN, Tags: Array.from({ length: 49 }, (_, i) => tag(`k${i}`)) }));
      await expectSdkError(client.send(new TagResourceCommand({ ResourceArn: ARN, Tags: [tag('k0', 'again'), tag('one-too-many')] })), {
        name: 'ValidationException',
        message: 'One or more parameter values were invalid: Too many tags: a resource can have at most 50 tags',
      });
      const { Tags } = await client.send(new ListTagsOfResourceCommand({ ResourceArn: ARN }));
      expect(Tags).toHaveLength(50);
      expect(Tags).toContainEqual(tag('k0'));
    });

    it('throws ValidationException for a key starting with aws: (any case)', async () => {
      const { client } = await tagged();
      await expectSdkError(client.send(new TagResourceCommand({ ResourceArn: ARN, Tags: [tag('AWS:cloudformation')] })), {
        name: 'ValidationException',
        message: "One or more parameter values were invalid: Tag keys starting with 'aws:' are reserved for system use",
      });
    });

    it('throws ValidationException for lengths and characters outside DynamoDB rules', async () => {
      const { client } = await tagged();
      await expectSdkError(client.send(new TagResourceCommand({ ResourceArn: ARN, Tags: [tag('k'.repeat(129)), tag('ok', 'v'.repeat(257))] })), {
        name: 'ValidationException',
        message:
          `2 validation errors detected: Value '${'k'.repeat(129)}' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128; ` +
          `Value '${'v'.repeat(257)}' at 'tags.2.member.value' failed to satisfy constraint: Member must have length less than or equal to 256`,
      });
      await expectSdkError(client.send(new TagResourceCommand({ ResourceArn: ARN, Tags: [tag('a#b')] })), {
        name: 'ValidationException',
        message: "1 validation error detected: Value 'a#b' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-]*",
      });
      // Letters of any script, white space, digits and + - = . _ : / are allowed.
      await client.send(new TagResourceCommand({ ResourceArn: ARN, Tags: [tag('законные буквы 7', 'a+b-c=d.e_f:g/h')] }));
    });

    it('throws ValidationException when no tag is given', async () => {
      const { client } = await tagged();
      await expectSdkError(client.send(new TagResourceCommand({ ResourceArn: ARN, Tags: [] })), {
        name: 'ValidationException',
        message: 'Atleast one Tag needs to be provided as Input.',
      });
    });

    it('throws ResourceNotFoundException for the ARN of a table that does not exist', async () => {
      const { client } = await tagged();
      await expectSdkError(client.send(new TagResourceCommand({ ResourceArn: `${ARN}x`, Tags: [tag('a')] })), {
        type: ResourceNotFoundException,
        name: 'ResourceNotFoundException',
        message: `Requested resource not found: ResourcArn: ${ARN}x not found`,
      });
    });
  });

  describe('ListTagsOfResource', () => {
    // dynalite's recordings and ScyllaDB's Alternator tests (run against DynamoDB): a table name shorter than
    // DynamoDB's 3 characters, or an index ARN, is not a table ARN.
    it.each([
      ['a name of two characters', 'arn:aws:dynamodb:us-east-1:000000000000:table/ab'],
      ['an index ARN', `${ARN}/index/byName`],
      ['no ARN', 'a:b:c:d:e:f/g'],
    ])('throws ValidationException for %s', async (_, ResourceArn) => {
      const { client } = await tagged();
      await expectSdkError(client.send(new ListTagsOfResourceCommand({ ResourceArn })), {
        name: 'ValidationException',
        message: `Invalid TableArn: Invalid ResourceArn provided as input ${ResourceArn}`,
      });
    });
  });

  describe('UntagResource', () => {
    it('removes tags by key; a key the table does not have is no error', async () => {
      const { client } = await tagged();
      await client.send(new TagResourceCommand({ ResourceArn: ARN, Tags: [tag('env')] }));
      await client.send(new UntagResourceCommand({ ResourceArn: ARN, TagKeys: ['team', 'missing'] }));
      const { Tags } = await client.send(new ListTagsOfResourceCommand({ ResourceArn: ARN }));
      expect(Tags).toEqual([tag('env')]);
    });
  });

  describe('CreateTable Tags', () => {
    it('refuses more than 50 tags and creates no table', async () => {
      const { client } = await sdkClient();
      await expectSdkError(client.send(new CreateTableCommand({ ...hashTable('users'), Tags: Array.from({ length: 51 }, (_, i) => tag(`k${i}`)) })), {
        name: 'ValidationException',
        message: 'One or more parameter values were invalid: Too many tags: a resource can have at most 50 tags',
      });
      await expect(client.send(new DescribeTableCommand({ TableName: 'users' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    });
  });
});

describe('Tags and durable storage', () => {
  it('keeps a table tags across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'magneto-tags-'));
    try {
      const first = new Database({ storage: fileStorage(dir) });
      await first.createTable({ ...(hashTable('users') as Parameters<Database['createTable']>[0]), Tags: [tag('a')] });
      await first.tagResource({ ResourceArn: ARN, Tags: [tag('b', '2')] });
      await first.untagResource({ ResourceArn: ARN, TagKeys: ['a'] });
      await first.close();
      const second = new Database({ storage: fileStorage(dir) });
      expect(await second.listTagsOfResource({ ResourceArn: ARN })).toEqual({ Tags: [tag('b', '2')] });
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
