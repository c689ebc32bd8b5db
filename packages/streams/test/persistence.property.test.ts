/**
 * Model-based: the same random history (writes, transactions, stream disable/enable, partition splits,
 * clock advances) runs on an in-memory database (the model) and on a file store that is snapshotted
 * and reopened at random points. After every reopen, every stream reads back exactly as the model's:
 * same shards and lineage, same records, SequenceNumbers and eventIDs: none lost, none duplicated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, TransactWriteItemsCommand, UpdateTableCommand, DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { createRequestHandler, Database, ManualClock, memoryStorage } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { streams } from '@magneto/streams';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { allShards, readStream, REGION, streamTable } from './support/clients.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'y' };
const LAYOUT = { partitionSplitItems: 6 };
const RETENTION_MS = 50_000;
const TABLES = ['tbl-a', 'tbl-b'] as const;

type Step =
  | { kind: 'put'; table: number; key: number }
  | { kind: 'delete'; table: number; key: number }
  | { kind: 'transact'; keys: number[] }
  | { kind: 'toggle'; table: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'checkpoint' }
  | { kind: 'reopen' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('put' as const), table: fc.nat(1), key: fc.nat(30) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('delete' as const), table: fc.nat(1), key: fc.nat(30) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('transact' as const), keys: fc.uniqueArray(fc.nat(30), { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('toggle' as const), table: fc.nat(1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 20_000 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'checkpoint' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'reopen' as const }) },
);

interface Side {
  db: Database;
  dynamodb: DynamoDBClient;
  streamsClient: DynamoDBStreamsClient;
}

function clients(db: Database): Side {
  const requestHandler = createRequestHandler(db);
  return {
    db,
    dynamodb: new DynamoDBClient({ region: REGION, credentials: CREDENTIALS, requestHandler }),
    streamsClient: new DynamoDBStreamsClient({ region: REGION, credentials: CREDENTIALS, requestHandler }),
  };
}

async function openFile(dir: string, clock: ManualClock): Promise<Side> {
  const db = new Database({ clock, modules: [streams({ retentionMs: RETENTION_MS })], storage: fileStorage(dir, { durability: 'none', layout: LAYOUT }) });
  await db.open();
  expect(db.recoveryReport?.damage).toEqual([]);
  return clients(db);
}

/** Every stream's shards and records, as a consumer sees them. */
async function observe(side: Side): Promise<unknown> {
  const listed = (await side.streamsClient.send(new ListStreamsCommand({}))).Streams ?? [];
  const out: unknown[] = [];
  for (const { StreamArn } of listed) {
    const shards = await allShards(side.streamsClient, StreamArn!);
    const records = (await readStream(side.streamsClient, StreamArn!)).map((r) => [r.eventID, r.eventName, r.dynamodb?.SequenceNumber, r.dynamodb?.Keys, r.dynamodb?.NewImage]);
    out.push({ StreamArn, shards, records });
  }
  return out;
}

async function apply(side: Side, s: Step, enabled: boolean[]): Promise<void> {
  const { dynamodb } = side;
  switch (s.kind) {
    case 'put':
      await dynamodb.send(new PutItemCommand({ TableName: TABLES[s.table], Item: { id: { S: `k${s.key}` }, v: { N: String(s.key) } } }));
      return;
    case 'delete':
      await dynamodb.send(new DeleteItemCommand({ TableName: TABLES[s.table], Key: { id: { S: `k${s.key}` } } }));
      return;
    case 'transact':
      await dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: s.keys.map((key, i) => ({ Put: { TableName: TABLES[i % 2], Item: { id: { S: `t${key}` } } } })),
        }),
      );
      return;
    case 'toggle': {
      const on = !enabled[s.table];
      await dynamodb.send(
        new UpdateTableCommand({
          TableName: TABLES[s.table],
          StreamSpecification: on ? { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } : { StreamEnabled: false },
        }),
      );
      return;
    }
    default:
      return;
  }
}

describe('streams on durable storage: random histories with snapshots and reopens', () => {
  it('read back exactly as a database that never restarted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 40 }), async (steps) => {
        const dir = mkdtempSync(join(tmpdir(), 'magneto-streams-prop-'));
        dirs.push(dir);
        const modelClock = new ManualClock(Date.UTC(2026, 0, 15, 12, 0, 0, 250));
        const fileClock = new ManualClock(Date.UTC(2026, 0, 15, 12, 0, 0, 250));
        const model = clients(new Database({ clock: modelClock, modules: [streams({ retentionMs: RETENTION_MS })], storage: memoryStorage(LAYOUT) }));
        let file = await openFile(dir, fileClock);
        const enabled = [true, true];
        for (const side of [model, file]) {
          for (const TableName of TABLES) await side.dynamodb.send(new CreateTableCommand(streamTable(TableName, 'NEW_IMAGE')));
        }
        try {
          for (const s of steps) {
            if (s.kind === 'advance') {
              modelClock.advance(s.ms);
              fileClock.advance(s.ms);
              continue;
            }
            if (s.kind === 'checkpoint') {
              await file.db.checkpoint();
              continue;
            }
            if (s.kind === 'reopen') {
              await file.db.close();
              file = await openFile(dir, fileClock);
              expect(await observe(file)).toEqual(await observe(model));
              continue;
            }
            await apply(model, s, enabled);
            await apply(file, s, enabled);
            if (s.kind === 'toggle') enabled[s.table] = !enabled[s.table];
          }
          await file.db.close();
          file = await openFile(dir, fileClock);
          expect(await observe(file)).toEqual(await observe(model));
        } finally {
          await file.db.close();
        }
      }),
      // STREAMS_PERSISTENCE_RUNS=200 for a longer search.
      { numRuns: Number(process.env.STREAMS_PERSISTENCE_RUNS ?? 25) },
    );
  }, 120_000);
});
