/**
 * Query and Scan through the real AWS SDK v3: paginateQuery / paginateScan with small page sizes return
 * every item exactly once, index queries (LSI fetches, GSI projections) and their capacity, and errors as
 * the SDK surfaces them.
 */
import {
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  paginateQuery,
  paginateScan,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectSdkError, describeTransports } from './support/sdk.js';
import { attributes, keys } from './support/tables.js';

let client: DynamoDBClient;
const S = (s: string): AttributeValue => ({ S: s });
const N = (n: string): AttributeValue => ({ N: n });

describeTransports((sdkClient) => {
  beforeEach(async () => {
    ({ client } = await sdkClient());
    await client.send(
      new CreateTableCommand({
        TableName: 'events',
        KeySchema: keys('pk', 'sk'),
        AttributeDefinitions: attributes({ pk: 'S', sk: 'N', l: 'S', g: 'S' }),
        LocalSecondaryIndexes: [
          { IndexName: 'byL', KeySchema: keys('pk', 'l'), Projection: { ProjectionType: 'KEYS_ONLY' } },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: keys('g', 'sk'),
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (let p = 0; p < 5; p++) {
      for (let s = 0; s < 23; s++) {
        await client.send(
          new PutItemCommand({
            TableName: 'events',
            Item: { pk: S(`p${p}`), sk: N(String(s - 11)), l: S(`l${(s * 7) % 23}`), g: S(`g${s % 2}`), x: N(String(s)), y: S('y'.repeat(s)) },
          }),
        );
      }
    }
  });

  describe('paging through the SDK', () => {
    it('paginateQuery returns every item exactly once, in order, both directions', async () => {
      for (const ScanIndexForward of [true, false]) {
        const got: AttributeValue[] = [];
        let pages = 0;
        for await (const page of paginateQuery(
          { client, pageSize: 4 },
          { TableName: 'events', KeyConditionExpression: 'pk = :p AND sk BETWEEN :lo AND :hi', ExpressionAttributeValues: { ':p': S('p3'), ':lo': N('-5.5'), ':hi': N('7') }, ScanIndexForward },
        )) {
          pages++;
          got.push(...page.Items!.map((i) => i.sk!));
        }
        const expected = Array.from({ length: 13 }, (_, i) => N(String(i - 5)));
        expect(got).toEqual(ScanIndexForward ? expected : expected.reverse());
        expect(pages).toBe(4);
      }
    });

    it('paginateScan returns every item exactly once, also per parallel segment', async () => {
      const ids = async (input: Record<string, unknown>): Promise<string[]> => {
        const out: string[] = [];
        for await (const page of paginateScan({ client, pageSize: 6 }, { TableName: 'events', ...input })) {
          out.push(...page.Items!.map((i) => `${i.pk!.S}/${i.sk!.N}`));
        }
        return out;
      };
      const all = await ids({});
      expect(all).toHaveLength(115);
      expect(new Set(all).size).toBe(115);
      const segments: string[] = [];
      for (let Segment = 0; Segment < 4; Segment++) segments.push(...(await ids({ Segment, TotalSegments: 4 })));
      expect(segments).toEqual(all);
    });

    it('pages through an LSI and a GSI', async () => {
      const lsi: string[] = [];
      for await (const page of paginateQuery({ client, pageSize: 5 }, { TableName: 'events', IndexName: 'byL', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p1') } })) {
        for (const item of page.Items!) {
          expect(Object.keys(item).sort()).toEqual(['l', 'pk', 'sk']);
          lsi.push(item.l!.S!);
        }
      }
      expect(lsi).toEqual(Array.from({ length: 23 }, (_, i) => `l${i}`).sort());
      let gsi = 0;
      for await (const page of paginateQuery({ client, pageSize: 7 }, { TableName: 'events', IndexName: 'byG', KeyConditionExpression: 'g = :g AND sk > :s', ExpressionAttributeValues: { ':g': S('g0'), ':s': N('0') } })) {
        for (const item of page.Items!) expect(Object.keys(item).sort()).toEqual(['g', 'pk', 'sk', 'x']);
        gsi += page.Count!;
      }
      expect(gsi).toBe(5 * 6); // even s in {12, 14, …, 22}: sk = s - 11 in {1, 3, …, 11}
    });
  });

  describe('index reads', () => {
    it('fetches unprojected attributes of an LSI from the table and charges the table for them', async () => {
      const out = await client.send(
        new QueryCommand({
          TableName: 'events',
          IndexName: 'byL',
          KeyConditionExpression: 'pk = :p AND l = :l',
          ExpressionAttributeValues: { ':p': S('p0'), ':l': S('l0') },
          Select: 'ALL_ATTRIBUTES',
          ConsistentRead: true,
          ReturnConsumedCapacity: 'INDEXES',
        }),
      );
      expect(out.Items).toEqual([{ pk: S('p0'), sk: N('-11'), l: S('l0'), g: S('g0'), x: N('0'), y: S('') }]);
      expect(out.ConsumedCapacity).toEqual({ TableName: 'events', CapacityUnits: 2, Table: { CapacityUnits: 1 }, LocalSecondaryIndexes: { byL: { CapacityUnits: 1 } } });
      const projected = await client.send(
        new QueryCommand({ TableName: 'events', IndexName: 'byL', KeyConditionExpression: 'pk = :p AND l = :l', ExpressionAttributeValues: { ':p': S('p0'), ':l': S('l1') }, ProjectionExpression: 'y' }),
      );
      expect(projected.Items).toEqual([{ y: S('y'.repeat(10)) }]);
    });

    it('reports index errors through the SDK', async () => {
      await expectSdkError(
        client.send(new QueryCommand({ TableName: 'events', IndexName: 'byG', ConsistentRead: true, KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': S('g0') } })),
        { name: 'ValidationException', message: 'Consistent reads are not supported on global secondary indexes' },
      );
      await expectSdkError(
        client.send(new QueryCommand({ TableName: 'events', IndexName: 'byG', KeyConditionExpression: 'pk = :g', ExpressionAttributeValues: { ':g': S('g0') } })),
        { name: 'ValidationException', message: 'Query condition missed key schema element: g' },
      );
      await expectSdkError(client.send(new ScanCommand({ TableName: 'events', IndexName: 'nope' })), {
        name: 'ValidationException',
        message: 'The table does not have the specified index: nope',
      });
      await expectSdkError(
        client.send(new QueryCommand({ TableName: 'events', IndexName: 'byG', KeyConditionExpression: 'g = :g', FilterExpression: 'sk > :g', ExpressionAttributeValues: { ':g': S('g0') } })),
        { name: 'ValidationException', message: 'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk' },
      );
    });
  });
});
