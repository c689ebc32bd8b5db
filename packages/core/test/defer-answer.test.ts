/** ModuleContext.deferAnswer: a handler answers its request later, with a promise's outcome. */
import { describe, expect, it } from 'vitest';
import { Database, ValidationException, type DatabaseModule, type ModuleContext } from '../src/index.js';

const DYNAMODB = 'DynamoDB_20120810' as const;

/** Wraps PutItem so that a put of `id = later` answers once `release` is called, or fails with `fail`. */
function deferringModule(gate: { release?: () => void; fail?: (error: Error) => void; ctx?: ModuleContext }): DatabaseModule {
  return {
    name: 'deferring',
    install(ctx) {
      gate.ctx = ctx;
      const putItem = ctx.getOperation(DYNAMODB, 'PutItem')!;
      ctx.registerOperation({
        ...putItem,
        handler: (input: Record<string, unknown>) => {
          if ((input.Item as { id?: { S?: string } }).id?.S !== 'later') return putItem.handler(input);
          ctx.deferAnswer(new Promise((resolve, reject) => ((gate.release = () => resolve({ deferred: true })), (gate.fail = reject))));
          return {};
        },
      });
    },
  };
}

async function setup() {
  const gate: { release?: () => void; fail?: (error: Error) => void; ctx?: ModuleContext } = {};
  const db = new Database({ modules: [deferringModule(gate)] });
  await db.createTable({ TableName: 'things', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
  return { db, gate };
}

describe('ModuleContext.deferAnswer', () => {
  it('answers the request with the deferred promise, and the next request at once', async () => {
    const { db, gate } = await setup();
    let answered: unknown;
    const put = db.putItem({ TableName: 'things', Item: { id: { S: 'later' } } }).then((output) => (answered = output));
    await db.putItem({ TableName: 'things', Item: { id: { S: 'now' } } });
    expect(answered).toBeUndefined();
    gate.release!();
    await put;
    expect(answered).toEqual({ deferred: true });
  });

  it('rejects the request when the deferred promise rejects', async () => {
    const { db, gate } = await setup();
    const put = db.putItem({ TableName: 'things', Item: { id: { S: 'later' } } });
    gate.fail!(new ValidationException('refused later'));
    await expect(put).rejects.toThrow('refused later');
  });

  it('does not defer a request a module runs through execute', async () => {
    const { gate } = await setup();
    expect(gate.ctx!.execute(DYNAMODB, 'PutItem', { TableName: 'things', Item: { id: { S: 'later' } } })).toEqual({});
  });
});
