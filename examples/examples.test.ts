/** Every example runs against the built @magneto/core and prints what it promises. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

function run(example: string): string {
  return execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(`./${example}.ts`, import.meta.url))], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
}

describe('examples', () => {
  it('quickstart', () => {
    const output = run('quickstart');
    expect(output).toContain('created arn:aws:dynamodb:us-east-1:000000000000:table/users CREATING');
    expect(output).toContain("name: { S: 'Ada Lovelace' }");
    expect(output).toContain('as on DynamoDB: ResourceNotFoundException - Requested resource not found');
    expect(output).toContain("SDK DocumentClient got { customer: 'ada', placedAt: 1, total: 42.5 }");
    expect(output).toContain("tables [ 'orders', 'users' ]");
  });

  it('expressions', () => {
    const output = run('expressions');
    expect(output).toContain('create-only: The conditional request failed');
    expect(output).toContain("withdraw 30: { balance: { N: '70' }, version: { N: '2' } }");
    expect(output).toContain("stale write refused; current item: {");
    expect(output).toContain(
      'projected: {"balance":{"N":"70"},"logins":{"N":"1"},"tags":{"SS":["vip"]},"history":{"L":[{"S":"login"}]}}',
    );
  });

  it('single-table', () => {
    const output = run('single-table');
    for (const backend of ['engine', 'sdk']) {
      expect(output).toContain(`${backend}: o-1 is PAID, total 129, version 2`);
      expect(output).toContain(`${backend}: stale update refused: ConditionalCheckFailedException`);
      expect(output).toContain(`${backend}: users ada@acme.test=2, bob@acme.test=1`);
      expect(output).toContain(`${backend}: open order ORDER#o-2 of ada@acme.test for 151`);
      expect(output).toContain(`${backend}: 2 pages of orders`);
      expect(output).toContain(`${backend}: organisation Acme Ltd (pro)`);
    }
  });

  it('sessions', () => {
    const output = run('sessions');
    expect(output).toContain('[10:00] stream: session s-eve of eve ended by logout');
    expect(output).toContain("[10:59] bob's session present: true");
    expect(output).toContain('[11:01] stream: session s-bob of bob expired (deleted by dynamodb.amazonaws.com)');
    expect(output).toContain("[11:01] bob's session present: false, ada's: true");
    expect(output).toContain('[12:01] stream: session s-ada of ada expired (deleted by dynamodb.amazonaws.com)');
  });
});
