/** The quickstart the README points to runs, and prints what it promises (it imports the built package). */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('examples/quickstart.ts runs against the built @magneto/core', () => {
  const script = fileURLToPath(new URL('./quickstart.ts', import.meta.url));
  const output = execFileSync(process.execPath, ['--import', 'tsx', script], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  expect(output).toContain('created arn:aws:dynamodb:us-east-1:000000000000:table/users CREATING');
  expect(output).toContain("name: { S: 'Ada Lovelace' }");
  expect(output).toContain('as on DynamoDB: ResourceNotFoundException - Requested resource not found');
  expect(output).toContain("SDK DocumentClient got { customer: 'ada', placedAt: 1, total: 42.5 }");
  expect(output).toContain("tables [ 'orders', 'users' ]");
});
