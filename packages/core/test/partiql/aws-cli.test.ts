/**
 * The AWS CLI's `aws dynamodb execute-statement` (and batch-execute-statement, execute-transaction)
 * against Magneto's HTTP server, as a user would run them. Skipped when the `aws` command is not installed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';
import { attributes, keys } from '../support/tables.js';

const run = promisify(execFile);
const hasCli = await run('aws', ['--version']).then(
  () => true,
  () => false,
);
const SERVER_MODULE: string = '@magneto/server';

describe.skipIf(!hasCli)('aws dynamodb execute-statement (AWS CLI)', () => {
  let close: () => Promise<void>;
  let url: string;
  let db: Database;
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
  const aws = async (...args: string[]): Promise<unknown> => {
    const { stdout } = await run('aws', ['dynamodb', ...args, '--endpoint-url', url, '--output', 'json'], { env });
    return stdout.trim() === '' ? undefined : JSON.parse(stdout);
  };

  beforeAll(async () => {
    const { startServer } = (await import(/* @vite-ignore */ SERVER_MODULE)) as {
      startServer: (options: { port: number; database: Database }) => Promise<{ url: string; close(): Promise<void> }>;
    };
    db = new Database();
    await db.createTable({ TableName: 'music', KeySchema: keys('artist', 'song'), AttributeDefinitions: attributes({ artist: 'S', song: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
    const server = await startServer({ port: 0, database: db });
    url = server.url;
    close = () => server.close();
  });
  afterAll(async () => close?.());

  it('selects with parameters', async () => {
    await db.putItem({ TableName: 'music', Item: { artist: { S: 'Zed' }, song: { S: 'One' }, year: { N: '1999' } } });
    const selected = await aws('execute-statement', '--statement', `SELECT "year" FROM "music" WHERE artist = ? AND song = 'One'`, '--parameters', '[{"S": "Zed"}]');
    expect(selected).toEqual({ Items: [{ year: { N: '1999' } }] });
  });

  // Each CLI run costs seconds of Python start-up: the other commands run under MAGNETO_STRESS=1.
  it.runIf(process.env.MAGNETO_STRESS === '1')('inserts (a duplicate failing as on DynamoDB), runs a transaction and a batch', async () => {
    await aws('execute-statement', '--statement', `INSERT INTO "music" VALUE {'artist': 'Acme', 'song': 'PartiQL Rocks', 'year': 2020}`);
    const duplicate = await aws('execute-statement', '--statement', `INSERT INTO "music" VALUE {'artist': 'Acme', 'song': 'PartiQL Rocks'}`).catch((e: { stderr: string }) => e.stderr);
    expect(duplicate).toContain('An error occurred (DuplicateItemException) when calling the ExecuteStatement operation: Duplicate primary key exists in table');
    const written = await aws(
      'execute-transaction',
      '--transact-statements',
      JSON.stringify([{ Statement: `UPDATE "music" SET "year" = 2021 WHERE artist = 'Acme' AND song = 'PartiQL Rocks'` }, { Statement: `INSERT INTO "music" VALUE {'artist': 'Acme', 'song': 'Two'}` }]),
    );
    expect(written).toBeUndefined();
    const batch = (await aws('batch-execute-statement', '--statements', JSON.stringify([{ Statement: `DELETE FROM "music" WHERE artist = 'Acme' AND song = 'Two'` }]))) as { Responses: unknown[] };
    expect(batch.Responses).toEqual([{ TableName: 'music' }]);
  });
});
