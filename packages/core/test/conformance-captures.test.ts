/**
 * Behaviour pinned by captures from real DynamoDB (paritysuite/dynamodb-conformance, its tier 3 error
 * messages and the threads that explain them), checked through the AWS SDK v3 client. Each test names the
 * behaviour; the expected strings are DynamoDB's own answers.
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type AttributeValue,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { sdkClient, expectSdkError } from './support/sdk.js';

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: string): AttributeValue => ({ N: n });
const EMPTY_B: AttributeValue = { B: new Uint8Array(0) };

const emptyKey = (kind: 'string' | 'binary') =>
  `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${kind} value. Key: pk`;

let client: DynamoDBClient;

beforeEach(async () => {
  ({ client } = sdkClient());
  for (const [TableName, type] of [['strings', 'S'], ['binaries', 'B']] as const) {
    await client.send(
      new CreateTableCommand({
        TableName,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: type },
          { AttributeName: 'gk', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [{ IndexName: 'byGk', KeySchema: [{ AttributeName: 'gk', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }
});

/** One TransactWriteItems action on `table` whose key (or item) holds `pk`. */
const actions: Record<'Put' | 'Update' | 'Delete' | 'ConditionCheck', (table: string, pk: AttributeValue) => TransactWriteItem> = {
  Put: (table, pk) => ({ Put: { TableName: table, Item: { pk } } }),
  Update: (table, pk) => ({ Update: { TableName: table, Key: { pk }, UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': S('x') } } }),
  Delete: (table, pk) => ({ Delete: { TableName: table, Key: { pk } } }),
  ConditionCheck: (table, pk) => ({ ConditionCheck: { TableName: table, Key: { pk }, ConditionExpression: 'attribute_not_exists(pk)' } }),
};

async function expectCancelled(items: TransactWriteItem[], reasons: { Code: string; Message?: string }[]): Promise<void> {
  const error = await expectSdkError(client.send(new TransactWriteItemsCommand({ TransactItems: items })), {
    type: TransactionCanceledException,
    name: 'TransactionCanceledException',
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
  });
  expect((error as TransactionCanceledException).CancellationReasons).toEqual(reasons);
}

describe('TransactWriteItems › key values', () => {
  for (const [kind, make] of Object.entries(actions)) {
    it(`throws ValidationException for the whole request when a ${kind} key holds an empty string or binary`, async () => {
      await expectSdkError(client.send(new TransactWriteItemsCommand({ TransactItems: [make('strings', S(''))] })), {
        name: 'ValidationException',
        message: emptyKey('string'),
      });
      await expectSdkError(client.send(new TransactWriteItemsCommand({ TransactItems: [make('binaries', EMPTY_B)] })), {
        name: 'ValidationException',
        message: emptyKey('binary'),
      });
    });
  }

  it('throws ValidationException for the whole request when an empty key value follows a valid action, and writes nothing', async () => {
    await expectSdkError(
      client.send(new TransactWriteItemsCommand({ TransactItems: [actions.Put('strings', S('kept-out')), actions.Put('strings', S(''))] })),
      { name: 'ValidationException', message: emptyKey('string') },
    );
    expect((await client.send(new GetItemCommand({ TableName: 'strings', Key: { pk: S('kept-out') } }))).Item).toBeUndefined();
  });

  it('throws ValidationException for the whole request when a Put item holds an empty secondary index key', async () => {
    await expectSdkError(
      client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'strings', Item: { pk: S('a'), gk: S('') } } }] })),
      {
        name: 'ValidationException',
        message:
          'One or more parameter values are not valid. A value specified for a secondary index key is not supported. ' +
          'The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byGk, IndexKey: gk',
      },
    );
  });

  it('cancels with a ValidationError reason when a Put item key has the wrong type or is not a scalar', async () => {
    await expectCancelled([actions.Put('strings', N('5'))], [
      { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N' },
    ]);
    await expectCancelled([actions.Put('strings', { L: [S('x')] })], [
      { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: L' },
    ]);
  });

  for (const kind of ['Update', 'Delete', 'ConditionCheck'] as const) {
    it(`cancels with a schema-mismatch ValidationError reason when a ${kind} key has the wrong type or is not a scalar`, async () => {
      for (const pk of [N('5'), { L: [S('x')] }]) {
        await expectCancelled([actions[kind]('strings', pk)], [{ Code: 'ValidationError', Message: 'The provided key element does not match the schema' }]);
      }
    });
  }
});

describe('Numbers › exponents', () => {
  const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
  const UNDERFLOW = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
  const put = (n: string) => client.send(new PutItemCommand({ TableName: 'strings', Item: { pk: S('n'), n: N(n) } }));

  it('PutItem range-checks an exponent past a 32-bit integer instead of refusing it as not a number', async () => {
    await expectSdkError(put('1e99999999999'), { name: 'ValidationException', message: OVERFLOW });
    await expectSdkError(put('1e2147483648'), { name: 'ValidationException', message: OVERFLOW });
    await expectSdkError(put('1e-99999999999'), { name: 'ValidationException', message: UNDERFLOW });
  });

  it('PutItem refuses an exponent past a 64-bit integer as not convertible', async () => {
    await expectSdkError(put('1e9223372036854775808'), {
      name: 'ValidationException',
      message: 'The parameter cannot be converted to a numeric value: 1e9223372036854775808',
    });
  });

  it('PutItem range-checks a zero by its exponent and stores an in-range one as 0', async () => {
    await expectSdkError(put('0e126'), { name: 'ValidationException', message: OVERFLOW });
    await expectSdkError(put('0e-131'), { name: 'ValidationException', message: UNDERFLOW });
    await put('0e125');
    expect((await client.send(new GetItemCommand({ TableName: 'strings', Key: { pk: S('n') } }))).Item?.n).toEqual(N('0'));
  });

  it('UpdateItem and GetItem range-check exponents in expression values and keys', async () => {
    // Only the reason is pinned: the envelope around an expression value's message is a known difference.
    const update = client.send(
      new UpdateItemCommand({ TableName: 'strings', Key: { pk: S('n') }, UpdateExpression: 'SET m = :v', ExpressionAttributeValues: { ':v': N('1e99999999999') } }),
    );
    await expect(update).rejects.toThrow(OVERFLOW);
    await expectSdkError(client.send(new GetItemCommand({ TableName: 'strings', Key: { pk: N('1e99999999999') } })), { name: 'ValidationException', message: OVERFLOW });
  });
});

describe('Items › nesting depth', () => {
  const NESTING = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
  /** A scalar under `wraps` single-member maps: counting the attribute as level 1, the scalar is at level wraps + 1. */
  const deepMap = (wraps: number): AttributeValue => {
    let value: AttributeValue = S('leaf');
    for (let i = 0; i < wraps; i++) value = { M: { n: value } };
    return value;
  };

  it('PutItem accepts 31 map wraps and throws ValidationException for 32', async () => {
    await client.send(new PutItemCommand({ TableName: 'strings', Item: { pk: S('deep'), data: deepMap(31) } }));
    await expectSdkError(client.send(new PutItemCommand({ TableName: 'strings', Item: { pk: S('deeper'), data: deepMap(32) } })), {
      name: 'ValidationException',
      message: NESTING,
    });
  });

  it('BatchWriteItem and TransactWriteItems throw ValidationException for a Put item with 32 map wraps', async () => {
    const Item = { pk: S('deeper'), data: deepMap(32) };
    await expectSdkError(client.send(new BatchWriteItemCommand({ RequestItems: { strings: [{ PutRequest: { Item } }] } })), { name: 'ValidationException', message: NESTING });
    await expectSdkError(client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'strings', Item } }] })), { name: 'ValidationException', message: NESTING });
  });

  it('TransactWriteItems reports a too deep item on an earlier action ahead of a malformed condition on a later one', async () => {
    const malformed = { ConditionCheck: { TableName: 'strings', Key: { pk: S('c') }, ConditionExpression: 'attribute_not_exists(' } };
    await expectSdkError(
      client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'strings', Item: { pk: S('deeper'), data: deepMap(32) } } }, malformed] })),
      { name: 'ValidationException', message: NESTING },
    );
    await expectSdkError(
      client.send(new TransactWriteItemsCommand({ TransactItems: [malformed, { Put: { TableName: 'strings', Item: { pk: S('deeper'), data: deepMap(32) } } }] })),
      { name: 'ValidationException', message: 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("' },
    );
  });
});

describe('Batch and transaction requests › member constraints', () => {
  const RCC = "Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]";
  const MAP_KEYS =
    'Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, ' +
    'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]';
  const BOGUS = 'BOGUS' as never;

  it('BatchGetItem throws the generic minimum-length ValidationException for an empty RequestItems and an empty Keys list', async () => {
    await expectSdkError(client.send(new BatchGetItemCommand({ RequestItems: {} })), {
      name: 'ValidationException',
      message: "1 validation error detected: Value at 'RequestItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    });
    await expectSdkError(client.send(new BatchGetItemCommand({ RequestItems: { strings: { Keys: [] } } })), {
      name: 'ValidationException',
      message: "1 validation error detected: Value at 'RequestItems.strings.member.Keys' failed to satisfy constraint: Member must have length greater than or equal to 1",
    });
  });

  it('BatchGetItem reports a malformed table name, its map echoed as JSON, ahead of an unknown ReturnConsumedCapacity', async () => {
    await expectSdkError(client.send(new BatchGetItemCommand({ RequestItems: { 'bad!name': { Keys: [{ pk: S('a') }] } }, ReturnConsumedCapacity: BOGUS })), {
      name: 'ValidationException',
      message: `2 validation errors detected: Value '{"bad!name":{"Keys":[{"pk":{"S":"a"}}]}}' at 'requestItems' failed to satisfy constraint: ${MAP_KEYS}; ${RCC}`,
    });
  });

  it('BatchWriteItem reports an unknown ReturnConsumedCapacity alone over a malformed table name', async () => {
    await expectSdkError(
      client.send(new BatchWriteItemCommand({ RequestItems: { 'bad!name': [{ PutRequest: { Item: { pk: S('a') } } }] }, ReturnConsumedCapacity: BOGUS })),
      { name: 'ValidationException', message: `1 validation error detected: ${RCC}` },
    );
  });

  it('TransactWriteItems reports a ClientRequestToken over 36 characters ahead of an unknown ReturnConsumedCapacity', async () => {
    const token = 'x'.repeat(37);
    await expectSdkError(
      client.send(new TransactWriteItemsCommand({ TransactItems: [actions.Put('strings', S('a'))], ClientRequestToken: token, ReturnConsumedCapacity: BOGUS })),
      {
        name: 'ValidationException',
        message: `2 validation errors detected: Value '${token}' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36; ${RCC}`,
      },
    );
  });
});
