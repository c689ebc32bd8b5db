/**
 * The SDK request handler against hostile bodies: every client error is a 400 with DynamoDB's exception,
 * never a 500, a stack overflow or a silently altered request (issue 14, findings 5 and 11).
 */
import { describe, expect, it } from 'vitest';
import { Database, createRequestHandler } from '../src/index.js';
import { attributes, freshDatabase, keys } from './support/tables.js';

const utf8 = new TextEncoder();
const SERIALIZATION = 'com.amazon.coral.service#SerializationException';
const VALIDATION = 'com.amazon.coral.validate#ValidationException';

async function call(db: Database, operation: string, body: string | Uint8Array): Promise<{ status: number; body: Record<string, unknown> }> {
  const { response } = await createRequestHandler(db).handle({ headers: { 'x-amz-target': `DynamoDB_20120810.${operation}` }, body });
  return { status: response.statusCode, body: JSON.parse(new TextDecoder().decode(response.body)) as Record<string, unknown> };
}

/** A database with one table `tbl` keyed by the string `pk`. */
const tableDb = (): Promise<Database> =>
  freshDatabase({ TableName: 'tbl', KeySchema: keys('pk'), AttributeDefinitions: attributes({ pk: 'S' }), BillingMode: 'PAY_PER_REQUEST' });

const nested = (depth: number, inner = '') => '['.repeat(depth) + inner + ']'.repeat(depth);

describe('request bodies nested too deep', () => {
  it('ListTables › throws SerializationException for a B member nested 5,000 levels deep', async () => {
    const db = new Database();
    const answer = await call(db, 'ListTables', `{"B":${nested(5000)}}`);
    expect(answer).toEqual({ status: 400, body: { __type: SERIALIZATION } });
  });

  it('ListTables › throws SerializationException for a body nested deeper than 1,000 levels, brackets in strings aside', async () => {
    const db = new Database();
    // The body's own object is the first level.
    expect(await call(db, 'ListTables', `{"X":${nested(999)}}`)).toEqual({ status: 200, body: { TableNames: [] } });
    expect(await call(db, 'ListTables', `{"X":${nested(999)},"Y":"${'['.repeat(5000)}\\\\"}`)).toEqual({ status: 200, body: { TableNames: [] } });
    expect(await call(db, 'ListTables', `{"Y":"\\"${'['.repeat(5000)}","X":${nested(999)}}`)).toEqual({ status: 200, body: { TableNames: [] } });
    expect(await call(db, 'ListTables', `{"X":${nested(1000)}}`)).toEqual({ status: 400, body: { __type: SERIALIZATION } });
    expect(await call(db, 'ListTables', `{"X":${nested(999, '{}')}}`)).toEqual({ status: 400, body: { __type: SERIALIZATION } });
  });

  it('BatchWriteItem › throws SerializationException, not a stack overflow, for 26 requests with a list 3,000 deep', async () => {
    const db = await tableDb();
    const deep = '{"L":['.repeat(3000) + '{"S":"x"}' + ']}'.repeat(3000);
    const requests = Array.from({ length: 26 }, (_, i) => `{"PutRequest":{"Item":{"pk":{"S":"${i}"},"d":${deep}}}}`);
    const answer = await call(db, 'BatchWriteItem', `{"RequestItems":{"tbl":[${requests.join(',')}]}}`);
    expect(answer).toEqual({ status: 400, body: { __type: SERIALIZATION } });
  });
});

describe('null RequestItems values', () => {
  for (const operation of ['BatchGetItem', 'BatchWriteItem']) {
    it(`${operation} › throws ValidationException for a table whose value is null`, async () => {
      const db = await tableDb();
      expect(await call(db, operation, '{"RequestItems":{"tbl":null}}')).toEqual({
        status: 400,
        body: {
          __type: VALIDATION,
          message: "1 validation error detected: Value null at 'requestItems.tbl.member' failed to satisfy constraint: Member must not be null",
        },
      });
    });
  }
});

describe('binary values must be strict, padded base64', () => {
  const put = (b: string, member = `{"B":"${b}"}`) => `{"TableName":"tbl","Item":{"pk":{"S":"k"},"b":${member}}}`;
  // Coral's service exceptions write `Message` (dynalite validations/index.js; docs/FIDELITY.md).
  const lengthError = (n: number) => ({ status: 400, body: { __type: SERIALIZATION, Message: `Base64 encoded length is expected a multiple of 4 bytes but found: ${n}` } });
  const invalid = { status: 400, body: { __type: SERIALIZATION, Message: 'Invalid last non-pad Base64 character dectected' } };

  it('PutItem › rejects unpadded or spaced base64 that a lenient decoder would read as "A"', async () => {
    const db = await tableDb();
    expect(await call(db, 'PutItem', put('QQ'))).toEqual(lengthError(2));
    expect(await call(db, 'PutItem', put('Q Q=='))).toEqual(lengthError(5));
    expect(await call(db, 'PutItem', put('!!!'))).toEqual(lengthError(3));
    expect(await call(db, 'PutItem', put('23456'))).toEqual(lengthError(5));
    expect(await call(db, 'PutItem', put('', '{"BS":["QQ"]}'))).toEqual(lengthError(2));
  });

  it('PutItem › rejects misplaced padding, foreign characters and non-zero leftover bits (DynamoDB\'s recorded =+/= and +/+=)', async () => {
    const db = await tableDb();
    for (const b of ['=+/=', '+/+=', 'QR==', 'QUI=QUI=', 'Q Q=', 'QQ=A', 'Q===', '====', 'QUJD-A==', 'QUJ\u00e9']) {
      expect(await call(db, 'PutItem', put(b)), b).toEqual(invalid);
    }
    expect((await db.scan({ TableName: 'tbl' })).Count).toBe(0);
  });

  it('PutItem › decodes canonical base64 of every padding', async () => {
    const db = await tableDb();
    for (const [b, bytes] of [['', []], ['QQ==', [65]], ['QUI=', [65, 66]], ['QUJD', [65, 66, 67]], ['+/8=', [251, 255]]] as const) {
      expect((await call(db, 'PutItem', put(b))).status, b).toBe(200);
      const item = await db.getItem({ TableName: 'tbl', Key: { pk: { S: 'k' } } });
      expect(item.Item?.b).toEqual({ B: new Uint8Array(bytes) });
    }
  });
});

describe('request bodies that are not UTF-8', () => {
  const bytes = (...parts: Array<string | number[]>) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...utf8.encode(p)] : p)));

  it('PutItem › throws a message-less SerializationException instead of replacing bytes with U+FFFD', async () => {
    const db = await tableDb();
    for (const bad of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
      const answer = await call(db, 'PutItem', bytes('{"TableName":"tbl","Item":{"pk":{"S":"', bad, '"}}}'));
      expect(answer, String(bad)).toEqual({ status: 400, body: { __type: SERIALIZATION } });
    }
    expect((await db.scan({ TableName: 'tbl' })).Count).toBe(0);
  });

  it('PutItem › keeps valid multi-byte UTF-8 as it was sent', async () => {
    const db = await tableDb();
    expect((await call(db, 'PutItem', bytes('{"TableName":"tbl","Item":{"pk":{"S":"é人😀"}}}'))).status).toBe(200);
    expect((await db.scan({ TableName: 'tbl' })).Items).toEqual([{ pk: { S: 'é人😀' } }]);
  });
});
