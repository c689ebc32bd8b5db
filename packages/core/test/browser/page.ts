/**
 * The page the Chromium test loads (bundled with esbuild for the browser, with the engine): it exposes
 * `window.magneto`, whose calls open a Database on IndexedDB in this page, run the conformance scenario
 * and report what the database holds, so the test can reload the page and compare.
 */
import { Database, indexedDbStorage, type DatabaseOptions, type Durability } from '../../src/index.js';
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
  /** The writes after a restart (a retried transaction token, a put), then what the database holds. */
  async writeMore() {
    await writeAfterReopen(db!);
    return observe(db!);
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
