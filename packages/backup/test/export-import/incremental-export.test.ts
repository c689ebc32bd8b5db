import {
  CreateTableCommand,
  DeleteItemCommand,
  ExportTableToPointInTimeCommand,
  PutItemCommand,
  UpdateContinuousBackupsCommand,
  type AttributeValue,
  type ExportTableToPointInTimeCommandInput,
} from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportImportDatabase, gunzipped, settledExport } from './support.js';

const MINUTE = 60_000;
type Item = Record<string, AttributeValue>;

async function orders(options: Parameters<typeof exportImportDatabase>[0] = {}) {
  const setup = exportImportDatabase(options);
  await setup.client.send(new CreateTableCommand({ TableName: 'orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
  await setup.client.send(new UpdateContinuousBackupsCommand({ TableName: 'orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  return setup;
}

/** Runs an export to completion; answers its description and its data lines (parsed), in key order. */
async function exported(setup: Awaited<ReturnType<typeof orders>>, input: Partial<ExportTableToPointInTimeCommandInput>) {
  const { client, bucket } = setup;
  const started = (await client.send(new ExportTableToPointInTimeCommand({ TableArn: 'orders', S3Bucket: 'bucket', ...input }))).ExportDescription!;
  const done = await settledExport(client, started.ExportArn!);
  const id = started.ExportArn!.split('/').pop()!;
  const manifest = new TextDecoder().decode(bucket.objects.get(`${input.S3Prefix === undefined ? '' : `${input.S3Prefix}/`}AWSDynamoDB/${id}/manifest-files.json`)!);
  const lines: Array<Record<string, Item>> = [];
  for (const entry of manifest.trim().split('\n')) {
    const { dataFileS3Key } = JSON.parse(entry) as { dataFileS3Key: string };
    const text = new TextDecoder().decode(await gunzipped(bucket.objects.get(dataFileS3Key)!));
    for (const line of text.split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, Item>);
  }
  lines.sort((a, b) => ((a.Keys ?? a.Item)!.id!.S! < (b.Keys ?? b.Item)!.id!.S! ? -1 : 1));
  return { started, done, id, lines };
}

const incremental = (from: number, to: number | undefined, ExportViewType?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES'): Partial<ExportTableToPointInTimeCommandInput> => ({
  ExportType: 'INCREMENTAL_EXPORT',
  IncrementalExportSpecification: { ExportFromTime: new Date(from), ...(to === undefined ? {} : { ExportToTime: new Date(to) }), ...(ExportViewType === undefined ? {} : { ExportViewType }) },
});

describe('ExportTableToPointInTime › INCREMENTAL_EXPORT', () => {
  /** Before the window: a, b, c exist. In it: a updated twice, b deleted, d inserted, e inserted and deleted. After it: c updated. */
  async function history() {
    const setup = await orders();
    const { client, clock } = setup;
    const put = (Item: Item) => client.send(new PutItemCommand({ TableName: 'orders', Item }));
    await put({ id: { S: 'a' }, v: { N: '1' } });
    await put({ id: { S: 'b' }, v: { N: '1' } });
    await put({ id: { S: 'c' }, v: { N: '1' } });
    await clock.advance(MINUTE);
    const from = clock.now();
    await put({ id: { S: 'a' }, v: { N: '2' } });
    await clock.advance(MINUTE);
    await put({ id: { S: 'a' }, v: { N: '3' }, bin: { B: new Uint8Array([1, 2]) } });
    const aWritten = clock.now();
    await client.send(new DeleteItemCommand({ TableName: 'orders', Key: { id: { S: 'b' } } }));
    await put({ id: { S: 'd' }, v: { N: '4' } });
    await put({ id: { S: 'e' }, v: { N: '5' } });
    await clock.advance(MINUTE);
    await client.send(new DeleteItemCommand({ TableName: 'orders', Key: { id: { S: 'e' } } }));
    const lastWrite = clock.now();
    await clock.advance(20 * MINUTE);
    const to = clock.now();
    await put({ id: { S: 'c' }, v: { N: '9' } });
    await clock.advance(MINUTE);
    return { ...setup, from, to, aWritten, lastWrite };
  }
  const micros = (ms: number) => ({ N: String(ms * 1000) });

  it('writes one compacted line per changed item with Metadata.WriteTimestampMicros, Keys, OldImage and NewImage (NEW_AND_OLD_IMAGES by default)', async () => {
    const setup = await history();
    const { done, lines } = await exported(setup, incremental(setup.from, setup.to));
    expect(done).toMatchObject({ ExportStatus: 'COMPLETED', ExportType: 'INCREMENTAL_EXPORT', ItemCount: 3, IncrementalExportSpecification: { ExportFromTime: new Date(setup.from), ExportToTime: new Date(setup.to), ExportViewType: 'NEW_AND_OLD_IMAGES' } });
    expect(done.ExportTime).toBeUndefined();
    expect(lines).toEqual([
      { Metadata: { WriteTimestampMicros: micros(setup.aWritten) }, Keys: { id: { S: 'a' } }, OldImage: { id: { S: 'a' }, v: { N: '1' } }, NewImage: { id: { S: 'a' }, v: { N: '3' }, bin: { B: 'AQI=' } } },
      { Metadata: { WriteTimestampMicros: micros(setup.aWritten) }, Keys: { id: { S: 'b' } }, OldImage: { id: { S: 'b' }, v: { N: '1' } } },
      { Metadata: { WriteTimestampMicros: micros(setup.aWritten) }, Keys: { id: { S: 'd' } }, NewImage: { id: { S: 'd' }, v: { N: '4' } } },
    ]);
    expect(done.BilledSizeBytes).toBeGreaterThan(0);
  });

  it('NEW_IMAGE leaves OldImage out: a delete is a Keys-only line', async () => {
    const setup = await history();
    const { lines } = await exported(setup, incremental(setup.from, setup.to, 'NEW_IMAGE'));
    expect(lines.map(({ Metadata: _m, ...rest }) => rest)).toEqual([
      { Keys: { id: { S: 'a' } }, NewImage: { id: { S: 'a' }, v: { N: '3' }, bin: { B: 'AQI=' } } },
      { Keys: { id: { S: 'b' } } },
      { Keys: { id: { S: 'd' } }, NewImage: { id: { S: 'd' }, v: { N: '4' } } },
    ]);
  });

  it("writes AWS's incremental layout: data files in the prefix's shared AWSDynamoDB/data/, a 2023-08-01 summary with the window and outputView", async () => {
    const setup = await history();
    const { done, id, started } = await exported(setup, { ...incremental(setup.from, setup.to), S3Prefix: 'cdc' });
    const keys = [...setup.bucket.objects.keys()].sort().map((key) => key.replace(/[a-z2-7]{26}\.json\.gz$/, '<name>.json.gz'));
    expect(keys).toEqual([`cdc/AWSDynamoDB/${id}/_started`, `cdc/AWSDynamoDB/${id}/manifest-files.checksum`, `cdc/AWSDynamoDB/${id}/manifest-files.json`, `cdc/AWSDynamoDB/${id}/manifest-summary.checksum`, `cdc/AWSDynamoDB/${id}/manifest-summary.json`, 'cdc/AWSDynamoDB/data/<name>.json.gz']);
    const summary = JSON.parse(new TextDecoder().decode(setup.bucket.objects.get(`cdc/AWSDynamoDB/${id}/manifest-summary.json`)!)) as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual(['version', 'exportArn', 'startTime', 'endTime', 'tableArn', 'tableId', 'exportFromTime', 'exportToTime', 's3Bucket', 's3Prefix', 's3SseAlgorithm', 's3SseKmsKeyId', 'manifestFilesS3Key', 'billedSizeBytes', 'itemCount', 'outputFormat', 'outputView', 'exportType']);
    expect(summary).toMatchObject({ version: '2023-08-01', exportArn: started.ExportArn, exportFromTime: new Date(setup.from).toISOString(), exportToTime: new Date(setup.to).toISOString(), itemCount: 3, billedSizeBytes: done.BilledSizeBytes, outputFormat: 'DYNAMODB_JSON', outputView: 'NEW_AND_OLD_IMAGES', exportType: 'INCREMENTAL_EXPORT' });
  });

  it('defaults ExportToTime to now', async () => {
    const setup = await history();
    const { done, lines } = await exported(setup, incremental(setup.from, undefined));
    expect(done.IncrementalExportSpecification!.ExportToTime).toEqual(new Date(setup.clock.now()));
    expect(lines.map((line) => line.Keys!.id!.S)).toEqual(['a', 'b', 'c', 'd']);
  });

  it.each([
    ['a window under 15 minutes', (from: number) => incremental(from, from + 15 * MINUTE - 1000), 'ValidationException', 'The incremental export period must be at least 15 minutes'],
    ['a window over 24 hours', (from: number) => incremental(from, from + 24 * 60 * MINUTE + 1000), 'ValidationException', 'The incremental export period must not exceed 24 hours'],
    ['ExportFromTime after ExportToTime', (from: number) => incremental(from + 20 * MINUTE, from), 'ValidationException', 'ExportFromTime must be earlier than ExportToTime'],
    ['no IncrementalExportSpecification', () => ({ ExportType: 'INCREMENTAL_EXPORT' as const }), 'ValidationException', 'IncrementalExportSpecification.ExportFromTime is required for an incremental export'],
    ['ExportTime as well', (from: number) => ({ ...incremental(from, from + 20 * MINUTE), ExportTime: new Date(from) }), 'ValidationException', 'ExportTime cannot be specified for an incremental export: use IncrementalExportSpecification'],
    ['ExportFromTime before PITR was enabled', (from: number) => incremental(from - MINUTE, from + 20 * MINUTE), 'InvalidExportTimeException', /^Invalid export time /],
    ['ExportToTime in the future', (from: number) => incremental(from, from + 2 * 60 * MINUTE), 'InvalidExportTimeException', /^Invalid export time /],
    ['an unknown ExportViewType', (from: number) => ({ ExportType: 'INCREMENTAL_EXPORT' as const, IncrementalExportSpecification: { ExportFromTime: new Date(from), ExportViewType: 'OLD_IMAGE' as never } }), 'ValidationException', "1 validation error detected: Value 'OLD_IMAGE' at 'incrementalExportSpecification.exportViewType' failed to satisfy constraint: Member must satisfy enum value set: [NEW_AND_OLD_IMAGES, NEW_IMAGE]"],
  ])('refuses %s', async (_name, request, name, message) => {
    const setup = await orders();
    const from = setup.clock.now();
    await setup.clock.advance(60 * MINUTE);
    await expect(setup.client.send(new ExportTableToPointInTimeCommand({ TableArn: 'orders', S3Bucket: 'bucket', ...request(from) }))).rejects.toMatchObject({ name, message: typeof message === 'string' ? message : expect.stringMatching(message) });
    expect(setup.bucket.objects.size).toBe(0);
  });

  it('equals the diff of the table between its two times (property)', async () => {
    const op = fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }), fc.integer({ min: 0, max: 10 }));
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), fc.array(op, { maxLength: 30 }), fc.array(op, { maxLength: 10 }), async (before, during, after) => {
        const setup = await orders();
        const { client, clock } = setup;
        const apply = async (ops: typeof before) => {
          for (const [id, value, wait] of ops) {
            if (value === undefined) await client.send(new DeleteItemCommand({ TableName: 'orders', Key: { id: { S: id } } }));
            else await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: id }, v: { N: String(value) } } }));
            await clock.advance(wait * 1000);
          }
        };
        await apply(before);
        await clock.advance(1000);
        const from = clock.now();
        await apply(during);
        await clock.advance(16 * MINUTE);
        const to = clock.now();
        await apply(after);
        await clock.advance(1000);
        const state = async (time: number) => new Map((await exported(setup, { ExportTime: new Date(time - 1) })).lines.map((line) => [line.Item!.id!.S!, line.Item!]));
        const [atFrom, atTo] = [await state(from), await state(to)];
        const { lines } = await exported(setup, incremental(from, to));
        const expected = [...new Set([...atFrom.keys(), ...atTo.keys()])]
          .filter((id) => JSON.stringify(atFrom.get(id)) !== JSON.stringify(atTo.get(id)))
          .sort()
          .map((id) => ({ Keys: { id: { S: id } }, ...(atFrom.has(id) ? { OldImage: atFrom.get(id) } : {}), ...(atTo.has(id) ? { NewImage: atTo.get(id) } : {}) }));
        // An item written back to its old value changed too: it is in the export, with equal images.
        const changed = lines.map(({ Metadata: _m, ...rest }) => rest).filter((line) => JSON.stringify(line.OldImage) !== JSON.stringify(line.NewImage));
        expect(changed).toEqual(expected);
      }),
      { numRuns: 15 },
    );
  });
});
