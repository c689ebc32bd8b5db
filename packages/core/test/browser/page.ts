/**
 * The page the Chromium test loads (bundled with esbuild for the browser, with the engine): it exposes
 * `window.magneto`, whose calls open a Database on IndexedDB in this page, run the conformance scenario
 * and report what the database holds, so the test can reload the page and compare.
 */
import { Database, IndexedDbLogDevice, indexedDbStorage, type DatabaseOptions, type Durability } from '../../src/index.js';
import { storeFiles } from '../../src/persistence/files.js';
import { observe, scenarioOptions, writeAfterReopen, writeScenario } from '../conformance/scenario.js';

/** A fixed AES-256 key for the encrypted store, imported from bytes so it is the same after a reload. */
async function key(byte: number): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', new Uint8Array(32).fill(byte), 'AES-GCM', false, ['encrypt', 'decrypt']);
}

let db: Database | undefined;

async function open(name: string, options: { keyByte?: number; durability?: Durability } = {}, databaseOptions: DatabaseOptions = scenarioOptions()): Promise<Database> {
  const encryptionKey = options.keyByte === undefined ? undefined : await key(options.keyByte);
  db = new Database({
    ...databaseOptions,
    storage: indexedDbStorage(name, { ...(encryptionKey === undefined ? {} : { encryptionKey }), ...(options.durability === undefined ? {} : { durability: options.durability }) }),
  });
  await db.open();
  return db;
}

function failure(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'unknown', message: String(error) };
}

const api = {
  /** Opens `name` and runs the scenario's writes; does not close (the test reloads the page instead). */
  async write(name: string, keyByte?: number) {
    const opened = await open(name, keyByte === undefined ? {} : { keyByte });
    await writeScenario(opened);
    return observe(opened);
  },
  /** Opens `name` (after a reload) and reports what it holds and what recovery found. */
  async read(name: string, keyByte?: number) {
    const opened = await open(name, keyByte === undefined ? {} : { keyByte });
    return { observed: await observe(opened), damage: opened.recoveryReport?.damage, items: opened.recoveryReport?.items };
  },
  /** The writes after a restart (a retried transaction token, a put), then a snapshot; what the database holds. */
  async writeMore() {
    await writeAfterReopen(db!);
    await db!.checkpoint();
    return observe(db!);
  },
  /** The snapshot the last open recovered from. */
  recoveredFrom() {
    return db?.recoveryReport?.snapshot;
  },
  /**
   * Ten puts, closed; then the newest log segment is cut 5 bytes short through the raw device (a torn
   * write); reopened twice. What each open recovered and found.
   */
  async tornTail(name: string) {
    const things = { TableName: 'things', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' as const }], BillingMode: 'PAY_PER_REQUEST' as const };
    const first = await open(name, {}, {});
    await first.createTable(things);
    for (let i = 0; i < 10; i++) await first.putItem({ TableName: 'things', Item: { id: { N: String(i) } } });
    await first.close();
    const device = new IndexedDbLogDevice(name);
    await device.lock();
    const { segments } = storeFiles(await device.list());
    const newest = segments[segments.length - 1]!.name;
    await device.truncate(newest, (await device.read(newest)).length - 5);
    await device.unlock();
    const opens = [];
    for (let i = 0; i < 2; i++) {
      const reopened = await open(name, {}, {});
      const { Items = [] } = await reopened.scan({ TableName: 'things' });
      opens.push({ damage: reopened.recoveryReport?.damage, ids: Items.map((item) => Number((item.id as { N: string }).N)).sort((a, b) => a - b) });
      await reopened.close();
    }
    await device.lock();
    const files = await device.list();
    await device.unlock();
    return { opens, files };
  },
  /** Tries to open `name`: undefined when it opened, else the error's name and message. */
  async tryOpen(name: string, keyByte?: number) {
    try {
      await open(name, keyByte === undefined ? {} : { keyByte });
      return undefined;
    } catch (error) {
      return failure(error);
    }
  },
  async close() {
    await db?.close();
    db = undefined;
  },
  /**
   * The crash workload: `writers` concurrent writers each commit transactions putting a pair of items
   * (`<n>a`, `<n>b`) under strict durability, calling `acknowledged(n)` (exposed by the test) once a
   * transaction's promise resolves, until the browser is killed.
   */
  async crashWorkload(name: string, writers: number) {
    const opened = await open(name, {}, {});
    await opened.createTable({ TableName: 'pairs', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
    const acknowledged = (globalThis as unknown as { acknowledged: (n: number) => Promise<void> }).acknowledged;
    let next = 0;
    for (let w = 0; w < writers; w++) {
      void (async () => {
        for (;;) {
          const n = next++;
          const item = (side: string) => ({ Put: { TableName: 'pairs', Item: { id: { S: `${n}${side}` }, n: { N: String(n) } } } });
          await opened.transactWriteItems({ TransactItems: [item('a'), item('b')] });
          void acknowledged(n);
        }
      })();
    }
  },
  /** After the crash: the ids of every stored item, and what recovery found. */
  async readPairs(name: string) {
    const opened = await open(name, {}, {});
    const ids: string[] = [];
    let ExclusiveStartKey: Record<string, { S: string }> | undefined;
    do {
      const page = await opened.scan({ TableName: 'pairs', ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) });
      for (const item of page.Items ?? []) ids.push((item.id as { S: string }).S);
      ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
    } while (ExclusiveStartKey !== undefined);
    return { ids, damage: opened.recoveryReport?.damage };
  },
  /** PutItem throughput: `total` puts of ~100-byte items by `writers` concurrent writers; puts/s. */
  async bench(name: string, durability: Durability, total: number, writers: number, keyByte?: number) {
    const opened = await open(name, { durability, ...(keyByte === undefined ? {} : { keyByte }) }, {});
    await opened.createTable({ TableName: 'bench', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
    const payload = 'x'.repeat(80);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (next < total) {
          const i = next++;
          await opened.putItem({ TableName: 'bench', Item: { id: { S: `item-${i}` }, payload: { S: payload } } });
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    await opened.close();
    db = undefined;
    return Math.round(total / seconds);
  },
};

(globalThis as { magneto?: typeof api }).magneto = api;
export type MagnetoPage = typeof api;
