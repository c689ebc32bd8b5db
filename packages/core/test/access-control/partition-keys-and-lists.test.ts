/**
 * Through the unchanged SDK (in-process): `dynamodb:FirstPartitionKeyValues` … `FourthPartitionKeyValues`
 * hold each partition key attribute's values of a multi-attribute key (the first is also
 * `dynamodb:LeadingKeys`), in Query, PartiQL and item requests; ListBackups and ListGlobalTables are
 * authorized on every backup / global table (the Service Authorization Reference gives them no resource
 * type), not on a table.
 */
import { DynamoDBClient, ExecuteStatementCommand, GetItemCommand, ListBackupsCommand, ListGlobalTablesCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { accessControl, createRequestHandler, Database, type DatabaseModule, type PolicyStatement } from '@magneto/core';
import { expectSdkError } from '../support/sdk.js';
import { ACCOUNT, accessKey, REGION, denied, policy, tableArn, user } from './support.js';

const TABLE = tableArn('matches');
const INDEX = `${TABLE}/index/byRegion`;

/** A database whose `alice` is allowed `statements`, and an SDK client signed with her access key. */
async function setup(statements: PolicyStatement[], modules: DatabaseModule[] = []): Promise<{ db: Database; client: DynamoDBClient }> {
  const db = new Database({ modules: [accessControl({ principals: { alice: user('alice', [policy(...statements)]) } }), ...modules] });
  await db.createTable({
    TableName: 'matches',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: ['id', 'tournament', 'region', 'round'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byRegion',
        KeySchema: [
          { AttributeName: 'tournament', KeyType: 'HASH' },
          { AttributeName: 'region', KeyType: 'HASH' },
          { AttributeName: 'round', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  const rows: ReadonlyArray<[string, string, string]> = [
    ['1', 'cup', 'EU'],
    ['2', 'cup', 'NA'],
    ['3', 'open', 'EU'],
  ];
  for (const [id, tournament, region] of rows) {
    await db.putItem({ TableName: 'matches', Item: { id: { S: id }, tournament: { S: tournament }, region: { S: region }, round: { S: 'FINAL' } } });
  }
  const client = new DynamoDBClient({ region: REGION, credentials: { accessKeyId: accessKey('alice'), secretAccessKey: 'secret-alice' }, requestHandler: createRequestHandler(db) });
  return { db, client };
}

/** The request fails with AccessDeniedException and exactly this message. */
async function refused(request: Promise<unknown>, message: string): Promise<void> {
  await expectSdkError(request, { name: 'AccessDeniedException', message });
}

const query = (tournament: string, region: string): QueryCommandInput => ({
  TableName: 'matches',
  IndexName: 'byRegion',
  KeyConditionExpression: 'tournament = :t AND #r = :r',
  ExpressionAttributeNames: { '#r': 'region' },
  ExpressionAttributeValues: { ':t': { S: tournament }, ':r': { S: region } },
});

describe('dynamodb:FirstPartitionKeyValues … FourthPartitionKeyValues', () => {
  it('Query › each holds the value the key condition gives its partition key attribute, in KeySchema order', async () => {
    const { client } = await setup([
      {
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: INDEX,
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:FirstPartitionKeyValues': ['cup'], 'dynamodb:SecondPartitionKeyValues': ['EU'] } },
      },
    ]);
    expect((await client.send(new QueryCommand(query('cup', 'EU')))).Items?.map((item) => item.id?.S)).toEqual(['1']);
    await refused(client.send(new QueryCommand(query('cup', 'NA'))), denied('alice', 'Query', INDEX));
    await refused(client.send(new QueryCommand(query('open', 'EU'))), denied('alice', 'Query', INDEX));
  });

  it('Query › dynamodb:LeadingKeys is the first partition key attribute; a third or fourth the key lacks is absent', async () => {
    const { client } = await setup([
      {
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: INDEX,
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['cup'] }, Null: { 'dynamodb:ThirdPartitionKeyValues': 'true', 'dynamodb:FourthPartitionKeyValues': 'true' } },
      },
    ]);
    expect((await client.send(new QueryCommand(query('cup', 'NA')))).Items).toHaveLength(1);
    await refused(client.send(new QueryCommand(query('open', 'EU'))), denied('alice', 'Query', INDEX));
  });

  it('Query › the legacy KeyConditions fill them too', async () => {
    const { client } = await setup([
      { Effect: 'Allow', Action: 'dynamodb:Query', Resource: INDEX, Condition: { 'ForAllValues:StringEquals': { 'dynamodb:SecondPartitionKeyValues': ['NA'] } } },
    ]);
    const legacy = (region: string) =>
      new QueryCommand({
        TableName: 'matches',
        IndexName: 'byRegion',
        KeyConditions: { tournament: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'cup' }] }, region: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: region }] } },
      });
    expect((await client.send(legacy('NA'))).Items).toHaveLength(1);
    await refused(client.send(legacy('EU')), denied('alice', 'Query', INDEX));
  });

  it('ExecuteStatement › a SELECT on the index gives each attribute the values its WHERE fixes', async () => {
    const { client } = await setup([
      { Effect: 'Allow', Action: 'dynamodb:PartiQLSelect', Resource: INDEX, Condition: { 'ForAllValues:StringEquals': { 'dynamodb:SecondPartitionKeyValues': ['EU'] } } },
    ]);
    const select = (region: string) => new ExecuteStatementCommand({ Statement: `SELECT * FROM "matches"."byRegion" WHERE tournament = 'cup' AND region = ?`, Parameters: [{ S: region }] });
    expect((await client.send(select('EU'))).Items?.map((item) => item.id?.S)).toEqual(['1']);
    await refused(client.send(select('NA')), denied('alice', 'PartiQLSelect', INDEX));
  });

  it("GetItem › FirstPartitionKeyValues is the table's partition key value; SecondPartitionKeyValues is absent on a one-attribute key", async () => {
    const { client } = await setup([
      {
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: TABLE,
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:FirstPartitionKeyValues': ['1'] }, Null: { 'dynamodb:SecondPartitionKeyValues': 'true' } },
      },
    ]);
    expect((await client.send(new GetItemCommand({ TableName: 'matches', Key: { id: { S: '1' } } }))).Item?.id).toEqual({ S: '1' });
    await refused(client.send(new GetItemCommand({ TableName: 'matches', Key: { id: { S: '2' } } })), denied('alice', 'GetItem', TABLE));
  });
});

const { backup } = (await import(/* @vite-ignore */ '@magneto/backup' as string)) as { backup: () => DatabaseModule };
const { streams } = (await import(/* @vite-ignore */ '@magneto/streams' as string)) as { streams: () => DatabaseModule };
const { globalTables, InProcessNetwork } = (await import(/* @vite-ignore */ '@magneto/global-tables' as string)) as {
  globalTables: (options: { transport: unknown }) => DatabaseModule;
  InProcessNetwork: new () => unknown;
};

describe('ListBackups and ListGlobalTables', () => {
  const ALL_BACKUPS = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/*/backup/*`;
  const ALL_GLOBAL_TABLES = `arn:aws:dynamodb::${ACCOUNT}:global-table/*`;

  it('ListBackups › is authorized on every backup, even when a TableName filters the list', async () => {
    const { client } = await setup([{ Effect: 'Allow', Action: 'dynamodb:ListBackups', Resource: 'arn:aws:dynamodb:*:*:table/matches' }], [backup()]);
    await refused(client.send(new ListBackupsCommand({})), denied('alice', 'ListBackups', ALL_BACKUPS));
    await refused(client.send(new ListBackupsCommand({ TableName: 'matches' })), denied('alice', 'ListBackups', ALL_BACKUPS));
    for (const Resource of ['*', 'arn:aws:dynamodb:*:*:table/*/backup/*']) {
      const allowed = await setup([{ Effect: 'Allow', Action: 'dynamodb:ListBackups', Resource }], [backup()]);
      expect((await allowed.client.send(new ListBackupsCommand({ TableName: 'matches' }))).BackupSummaries).toEqual([]);
    }
  });

  it('ListGlobalTables › is authorized on every global table (its region-less ARN)', async () => {
    const modules = () => [streams(), globalTables({ transport: new InProcessNetwork() })];
    const { client } = await setup([{ Effect: 'Allow', Action: 'dynamodb:ListGlobalTables', Resource: 'arn:aws:dynamodb:*:*:table/*' }], modules());
    await refused(client.send(new ListGlobalTablesCommand({})), denied('alice', 'ListGlobalTables', ALL_GLOBAL_TABLES));
    for (const Resource of ['*', 'arn:aws:dynamodb::*:global-table/*']) {
      const allowed = await setup([{ Effect: 'Allow', Action: 'dynamodb:ListGlobalTables', Resource }], modules());
      expect((await allowed.client.send(new ListGlobalTablesCommand({}))).GlobalTables).toEqual([]);
    }
  });
});
