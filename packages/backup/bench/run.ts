/**
 * `node --import tsx packages/backup/bench/run.ts`: what backups cost.
 *   1. CreateBackup of a BENCH_ITEMS-item table (default 1,000,000): the call's wall time while a writer
 *      keeps writing between calls (target < 50 ms: an O(1) snapshot).
 *   2. RestoreTableFromBackup of that backup into a new table with a GSI: the call's wall time (target < 5 s),
 *      then the first PutItem on the restored table (its identity indexes are shared with the backup's: no build).
 *   3. PITR's cost on PutItem: PutItem throughput (per second of process CPU time) with point-in-time
 *      recovery enabled vs disabled on the same module, in interleaved rounds (target: cost < 15 %).
 * Timing lives here, never in the tests. Compare ratios within one run.
 */
import { Database, type Item } from '@magneto/core';
import { backup } from '@magneto/backup';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 1_000_000);
const PUTS = Number(process.env.BENCH_PUTS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const DDB = 'DynamoDB_20120810' as const;

function itemFor(i: number, round = 0): Item {
  // ~100 bytes as DynamoDB counts them.
  return {
    pk: { S: `user#${i.toString().padStart(8, '0')}` },
    g: { S: `group#${i % 1000}` },
    name: { S: `name-${i}-abcdefghij` },
    visits: { N: String((i + round) % 1000) },
    active: { BOOL: i % 2 === 0 },
  };
}

async function table(db: Database, name: string): Promise<void> {
  await db.createTable({
    TableName: name,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: [{ IndexName: 'byGroup', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const cpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

async function backupAndRestore(): Promise<void> {
  const db = new Database({ modules: [backup()] });
  await table(db, 'big');
  const started = performance.now();
  for (let i = 0; i < ITEMS; i += 25) {
    await db.batchWriteItem({ RequestItems: { big: Array.from({ length: Math.min(25, ITEMS - i) }, (_, j) => ({ PutRequest: { Item: itemFor(i + j) } })) } });
  }
  console.log(`loaded ${ITEMS.toLocaleString()} items in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // Writers continue: a put between each backup, so every CreateBackup snapshots a table being written.
  const backupMs: number[] = [];
  let arn = '';
  for (let round = 0; round < 5; round++) {
    await db.putItem({ TableName: 'big', Item: itemFor(round, 1) });
    const t = performance.now();
    arn = ((await db.execute(DDB, 'CreateBackup', { TableName: 'big', BackupName: `bench-${round}` })) as { BackupDetails: { BackupArn: string } }).BackupDetails.BackupArn;
    backupMs.push(performance.now() - t);
    await db.putItem({ TableName: 'big', Item: itemFor(round + 1, 2) });
  }
  console.log(`CreateBackup of ${ITEMS.toLocaleString()} items: median ${median(backupMs).toFixed(2)} ms (max ${Math.max(...backupMs).toFixed(2)} ms; target < 50 ms)`);
  const t = performance.now();
  const cpu = cpuMs();
  await db.execute(DDB, 'RestoreTableFromBackup', { TargetTableName: 'restored', BackupArn: arn });
  const restoreMs = performance.now() - t;
  const restoreCpuMs = cpuMs() - cpu;
  console.log(
    `RestoreTableFromBackup of ${ITEMS.toLocaleString()} items (GSI included): ${(restoreMs / 1000).toFixed(2)} s, ${(restoreCpuMs / 1000).toFixed(2)} s of CPU (target < 5 s)`,
  );
  // A restored table shares the backup's trees, slots and identity indexes (table and GSI) copy-on-write.
  const firstCpu = cpuMs();
  await db.putItem({ TableName: 'restored', Item: itemFor(7, 3) });
  console.log(`first PutItem on the restored table: ${(cpuMs() - firstCpu).toFixed(2)} ms of CPU`);
}

async function pitrCost(): Promise<void> {
  const configs = await Promise.all(
    [false, true].map(async (pitr) => {
      const db = new Database({ modules: [backup()] });
      await table(db, 'bench');
      if (pitr) await db.execute(DDB, 'UpdateContinuousBackups', { TableName: 'bench', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
      return { label: pitr ? 'PITR enabled' : 'PITR disabled', db, rates: [] as number[] };
    }),
  );
  for (let r = 0; r < ROUNDS; r++) {
    for (const config of r % 2 === 0 ? configs : [...configs].reverse()) {
      const items = Array.from({ length: PUTS }, (_, i) => itemFor(i, r));
      const t = cpuMs();
      for (const Item of items) await config.db.putItem({ TableName: 'bench', Item });
      config.rates.push(PUTS / ((cpuMs() - t) / 1000));
    }
  }
  const [off, on] = configs.map((c) => median(c.rates));
  for (const config of configs) console.log(`PutItem, ${config.label}: ${Math.round(median(config.rates)).toLocaleString()} puts/s of CPU`);
  console.log(`PITR's cost on PutItem: ${(((off! - on!) / off!) * 100).toFixed(1)} % (target < 15 %)`);
}

if (process.env.BENCH_ONLY !== 'pitr') await backupAndRestore();
if (process.env.BENCH_ONLY !== 'restore') await pitrCost();
