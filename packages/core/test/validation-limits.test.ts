/**
 * Constraint messages for huge or deep values (issue 14, findings 5 and 9): the count limits answer
 * without printing the whole value, the printed value is capped, and nothing recurses over a depth the
 * client chooses. Normal-sized values keep their exact messages (batch-validation, create-table tests).
 * MAGNETO_STRESS=1 runs the sizes of the finding (4 million keys).
 */
import { describe, expect, it } from 'vitest';
import { Database, ValidationException } from '../src/index.js';
import { MAX_PRINTED_VALUE, printValue } from '../src/operations/validation/constraints.js';
import { attributes, freshDatabase, keys } from './support/tables.js';

const STRESS = process.env.MAGNETO_STRESS === '1';

/** A database with one table `tbl` keyed by the string `pk`. */
const tableDb = (): Promise<Database> =>
  freshDatabase({ TableName: 'tbl', KeySchema: keys('pk'), AttributeDefinitions: attributes({ pk: 'S' }), BillingMode: 'PAY_PER_REQUEST' });

/** A list value nested `depth` levels, built without recursion. */
function deepList(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { S: 'x' };
  for (let i = 0; i < depth; i++) value = { L: [value] };
  return value;
}

async function validationMessage(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationException);
  return (error as Error).message;
}

/** `Value '<quoted>' at '<path>' …`: the quoted value of a one-error message. */
function quoted(message: string): string {
  const match = /^1 validation error detected: Value '([\s\S]*)' at '[^']*' failed to satisfy constraint: [^']*$/.exec(message);
  expect(match, message.slice(0, 200)).not.toBeNull();
  return match![1]!;
}

// Within the wire's 1,000 levels (each list level is two: {L: [ … ]}), deep enough for a recursive printer to hurt.
const DEEP = 450;

describe('constraint messages of deep values', () => {
  it('BatchWriteItem › reports 26 requests when one value nests a list 450 deep', async () => {
    const db = await tableDb();
    const requests = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { pk: { S: String(i) }, d: deepList(i === 0 ? DEEP : 1) } } }));
    const message = await validationMessage(db.batchWriteItem({ RequestItems: { tbl: requests } } as never));
    // The map as Java prints it, `{tbl=[…]}` (nubo-db/dynamodb-conformance; docs/FIDELITY.md).
    expect(message).toMatch(/^1 validation error detected: Value '\{tbl=\[\{PutRequest: \{Item: \{pk: \{S: 0\},d: \{L: \[\{L: \[/);
    expect(message).toMatch(/\.\.\.' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/);
    expect(quoted(message).length).toBe(MAX_PRINTED_VALUE + 3);
  });

  it('TransactWriteItems › reports 101 actions when one value nests a list 450 deep', async () => {
    const db = await tableDb();
    const actions = Array.from({ length: 101 }, (_, i) => ({ Put: { TableName: 'tbl', Item: { pk: { S: String(i) }, d: deepList(i === 0 ? DEEP : 1) } } }));
    const message = await validationMessage(db.transactWriteItems({ TransactItems: actions } as never));
    expect(message).toMatch(/at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/);
    expect(quoted(message).length).toBe(MAX_PRINTED_VALUE + 3);
  });

  it('BatchGetItem › reports 101 keys when one key value nests a list 450 deep', async () => {
    const db = await tableDb();
    const keys = Array.from({ length: 101 }, (_, i) => ({ pk: { S: String(i) }, d: deepList(i === 0 ? DEEP : 1) }));
    const message = await validationMessage(db.batchGetItem({ RequestItems: { tbl: { Keys: keys } } } as never));
    // DynamoDB prints no value here (nubo-db/dynamodb-conformance; docs/FIDELITY.md): nothing to cap.
    expect(message).toBe("1 validation error detected: Value at 'RequestItems.tbl.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100");
  });
});

describe('constraint messages of huge values', () => {
  const keyCount = STRESS ? 4_000_000 : 200_000;

  it(`BatchWriteItem › reports ${keyCount.toLocaleString('en')} requests with a message of at most ${MAX_PRINTED_VALUE} quoted characters`, async () => {
    const db = await tableDb();
    const requests = Array.from({ length: keyCount }, () => ({ DeleteRequest: { Key: { pk: { S: 'a' } } } }));
    const message = await validationMessage(db.batchWriteItem({ RequestItems: { tbl: requests } } as never));
    const value = quoted(message);
    expect(value.length).toBe(MAX_PRINTED_VALUE + 3);
    expect(value.startsWith('{tbl=[{DeleteRequest: {Key: {pk: {S: a}}}}, ')).toBe(true);
    expect(value.endsWith('...')).toBe(true);
  });

  it('a long string value is cut at the cap, a value at the cap is printed whole', async () => {
    const db = new Database();
    const atCap = 'x'.repeat(MAX_PRINTED_VALUE);
    const transact = (token: string) => db.transactWriteItems({ TransactItems: [{ Put: { TableName: 'tbl', Item: {} } }], ClientRequestToken: token } as never);
    expect(quoted(await validationMessage(transact(atCap)))).toBe(atCap);
    const message = await validationMessage(transact(`${atCap}y`));
    expect(message).toBe(
      `1 validation error detected: Value '${atCap}...' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36`,
    );
  });
});

describe('printValue', () => {
  it('prints lists, structures, nulls and binaries as before', () => {
    expect(printValue(null)).toBe('null');
    expect(printValue([{ KeyType: 'HASH' }, { AttributeName: 'a' }, { KeyType: 'Woop', AttributeName: 'a' }])).toBe('[{KeyType: HASH}, {AttributeName: a}, {KeyType: Woop,AttributeName: a}]');
    expect(printValue({ a: null, b: [1, null, true], c: {}, d: [] })).toBe('{b: [1, null, true],c: {},d: []}');
    expect(printValue([new Uint8Array(3)])).toBe('[java.nio.HeapByteBuffer[pos=0 lim=3 cap=3]]');
  });

  it(`stops at ${MAX_PRINTED_VALUE} characters with "..." whatever the depth`, () => {
    // printValue itself takes any depth: the request limits are not its concern.
    const printed = printValue(deepList(100_000));
    expect(printed.length).toBe(MAX_PRINTED_VALUE + 3);
    expect(printed.startsWith('{L: [{L: [')).toBe(true);
  });
});
