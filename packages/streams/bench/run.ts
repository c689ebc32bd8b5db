/**
 * `node --import tsx packages/streams/bench/run.ts`: PutItem throughput on a table without a stream and
 * with a NEW_AND_OLD_IMAGES stream, in the same run, in interleaved rounds (so machine noise hits each
 * configuration alike). Three configurations:
 *   - no module:      a Database without streams() (the baseline),
 *   - module, off:    streams() installed, the table has no stream (what the module costs when unused),
 *   - module, stream: streams() installed, NEW_AND_OLD_IMAGES stream on the table.
 * Each round writes BENCH_PUTS items (half inserts, half replacements of earlier items); the medians of
 * BENCH_ROUNDS rounds are reported, per second of process CPU time (robust when other processes load the
 * machine) and of wall-clock time, with the stream's ratio to the baseline (target ≥ 70 %). Then a
 * GetRecords drain of the stream measures read-side shaping.
 *
 * Timing lives here, never in the tests. Compare ratios within one run.
 */
import { Database, type Item } from '@magneto/core';
import { streams } from '@magneto/streams';

const PUTS = Number(process.env.BENCH_PUTS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const TABLE = 'bench';

function itemFor(i: number, round: number): Item {
  // ~100 bytes as DynamoDB counts them.
  return {
    pk: { S: `user#${i.toString().padStart(8, '0')}` },
    name: { S: `name-${i}-abcdefghij` },
    email: { S: `user${i}@example.com` },
    visits: { N: String((i + round) % 1000) },
    active: { BOOL: i % 2 === 0 },
    score: { N: `${i % 97}.5` },
  };
}

interface Config {
  readonly label: string;
  readonly db: Database;
  /** Items written so far, so later rounds mix inserts and replacements. */
  written: number;
  /** Puts per second of process CPU time (user + system, GC threads included), one per round. */
  readonly rates: number[];
  /** Puts per second of wall-clock time, one per round. */
  readonly wallRates: number[];
}

async function makeConfig(label: string, withModule: boolean, withStream: boolean): Promise<Config> {
  const db = new Database(withModule ? { modules: [streams()] } : {});
  await db.createTable({
    TableName: TABLE,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    ...(withStream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
  });
  return { label, db, written: 0, rates: [], wallRates: [] };
}

async function round(config: Config, roundIndex: number): Promise<void> {
  const { db } = config;
  const half = PUTS >>> 1;
  // Precomputed items: the timed loop measures PutItem, not building requests.
  const inputs = new Array<{ TableName: string; Item: Item }>(PUTS);
  for (let i = 0; i < PUTS; i++) {
    const index = i < half ? config.written + i : i - half;
    inputs[i] = { TableName: TABLE, Item: itemFor(index, roundIndex + 1) };
  }
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < PUTS; i++) await db.putItem(inputs[i]!);
  const cpu = process.cpuUsage(cpuStart);
  const ms = performance.now() - start;
  config.written += half;
  config.rates.push((PUTS / ((cpu.user + cpu.system) / 1000)) * 1000);
  config.wallRates.push((PUTS / ms) * 1000);
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >>> 1]!;
};

async function main(): Promise<void> {
  const configs = [
    await makeConfig('no module', false, false),
    await makeConfig('module, no stream', true, false),
    await makeConfig('module, NEW_AND_OLD_IMAGES', true, true),
  ];
  // Warm-up round (not counted): lets the JIT settle on every path.
  for (const config of configs) {
    await round(config, -1);
    config.rates.length = 0;
    config.wallRates.length = 0;
  }
  for (let r = 0; r < ROUNDS; r++) {
    // Rotate the order each round so no configuration always runs first.
    for (let k = 0; k < configs.length; k++) await round(configs[(r + k) % configs.length]!, r);
  }
  console.log(`PutItem, ${PUTS} per round, ${ROUNDS} rounds. Medians, and the median of each round's ratio to "no module"`);
  console.log('(paired per round). Per CPU second is the robust figure on a shared machine; wall clock also shown:');
  for (const [label, pick] of [
    ['per CPU second', (c: Config) => c.rates],
    ['per wall second', (c: Config) => c.wallRates],
  ] as const) {
    const baseline = pick(configs[0]!);
    console.log(` ${label}:`);
    for (const config of configs) {
      const rates = pick(config);
      const ratio = median(rates.map((r, i) => r / baseline[i]!));
      console.log(`  ${config.label.padEnd(28)} ${Math.round(median(rates)).toLocaleString('en-US').padStart(10)} ops/s  ${(ratio * 100).toFixed(1)} %`);
    }
  }

  // Read side: drain the stream with GetRecords.
  const streamed = configs[2]!.db;
  const arn = (await streamed.describeTable({ TableName: TABLE })).Table.LatestStreamArn as string;
  const described = (await streamed.execute('DynamoDBStreams_20120810', 'DescribeStream', { StreamArn: arn })) as {
    StreamDescription: { Shards: Array<{ ShardId: string }> };
  };
  let records = 0;
  const start = performance.now();
  for (const shard of described.StreamDescription.Shards) {
    let { ShardIterator } = (await streamed.execute('DynamoDBStreams_20120810', 'GetShardIterator', {
      StreamArn: arn,
      ShardId: shard.ShardId,
      ShardIteratorType: 'TRIM_HORIZON',
    })) as { ShardIterator?: string };
    while (ShardIterator !== undefined) {
      const page = (await streamed.execute('DynamoDBStreams_20120810', 'GetRecords', { ShardIterator })) as {
        Records: unknown[];
        NextShardIterator?: string;
      };
      records += page.Records.length;
      if (page.Records.length === 0) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  const ms = performance.now() - start;
  console.log(`GetRecords drain: ${records.toLocaleString('en-US')} records in ${ms.toFixed(0)} ms (${Math.round((records / ms) * 1000).toLocaleString('en-US')} records/s)`);
}

await main();
