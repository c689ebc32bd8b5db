/**
 * Encryption at rest (encryptedDevice, `encryptionKey` of fileStorage / indexedDbStorage): nothing
 * stored is plaintext, every frame has its own IV, a frame flipped, moved or cut is detected and
 * recovered from like any damaged record, a cut inside a frame keeps exactly the bytes before it, and
 * what is read back always equals what was written (property test against a plain reference).
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Database, EncryptionKeyError, encryptedDevice, type LogAppender, type LogDevice } from '../src/index.js';
import { FileLogDevice, fileStorage } from '../src/node/index.js';
import { removeTemporaryDirectories, temporaryDirectory } from './fixtures/persistence/helpers.js';

afterAll(removeTemporaryDirectories);

const KEY = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
const things = { TableName: 'things', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' as const }], BillingMode: 'PAY_PER_REQUEST' as const };

async function ids(db: Database): Promise<number[]> {
  const { Items = [] } = await db.scan({ TableName: 'things' });
  return Items.map((item) => Number((item.id as { N: string }).N)).sort((a, b) => a - b);
}

/** A store of `count` puts (each its own log record, and with strict its own encrypted frame). */
async function encryptedStore(count: number, checkpoint = false): Promise<string> {
  const dir = temporaryDirectory();
  const db = new Database({ storage: fileStorage(dir, { encryptionKey: KEY }) });
  await db.createTable(things);
  for (let i = 0; i < count; i++) {
    if (checkpoint && i === count / 2) await db.checkpoint();
    await db.putItem({ TableName: 'things', Item: { id: { N: String(i) }, secret: { S: `SECRET-PAYLOAD-${i}` } } });
  }
  await db.close();
  return dir;
}

async function open(dir: string): Promise<Database> {
  const db = new Database({ storage: fileStorage(dir, { encryptionKey: KEY }) });
  await db.open();
  return db;
}

/** [offset, end) of each encrypted frame of a file: `[u32 length][IV][ciphertext + tag]`. */
function cipherFrameBounds(bytes: Uint8Array): Array<[number, number]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Array<[number, number]> = [];
  for (let offset = 0; offset + 4 <= bytes.length; ) {
    const end = offset + 4 + view.getUint32(offset, true);
    out.push([offset, end]);
    offset = end;
  }
  return out;
}

const segmentOf = (dir: string): string => join(dir, readdirSync(dir).filter((f) => f.endsWith('.wal')).sort().at(-1)!);

/**
 * A child process writing two-item transactions with 8 concurrent writers to an encrypted store under
 * strict, printing `T <n>` once each is acknowledged (src loaded through tsx).
 */
const WRITER = `
const { Database } = await import(${JSON.stringify(fileURLToPath(new URL('../src/index.ts', import.meta.url)))});
const { fileStorage } = await import(${JSON.stringify(fileURLToPath(new URL('../src/node/index.ts', import.meta.url)))});
const [dir, keyHex, start] = process.argv.slice(-3);
const raw = Uint8Array.from(keyHex.match(/../g).map((h) => parseInt(h, 16)));
const encryptionKey = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
const db = new Database({ storage: fileStorage(dir, { encryptionKey, snapshotLogBytes: 64 * 1024 }) });
await db.open();
const { TableNames } = await db.listTables({});
if (!TableNames.includes('pairs')) await db.createTable({ TableName: 'pairs', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
process.stdout.write('ready\\n');
let next = Number(start);
for (let w = 0; w < 8; w++) (async () => {
  for (;;) {
    const n = next++;
    const put = (side) => ({ Put: { TableName: 'pairs', Item: { id: { S: n + side }, pad: { S: 'x'.repeat(n % 300) } } } });
    await db.transactWriteItems({ TransactItems: [put('a'), put('b')] });
    process.stdout.write('T ' + n + '\\n');
  }
})();
`;

/** Runs the writer until it has acknowledged `count` transactions, SIGKILLs it, and returns those it acknowledged. */
function writeAndKill(dir: string, keyHex: string, start: number, count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', WRITER, dir, keyHex, String(start)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if ((out.match(/^T /gm)?.length ?? 0) >= count) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`writer ended on its own (${String(code)}): ${err}`));
      // A line cut short by the kill was not a complete acknowledgement.
      resolve(out.split('\n').slice(0, -1).filter((line) => line.startsWith('T ')).map((line) => Number(line.slice(2))));
    });
  });
}

describe('encryption at rest', () => {
  it('loses no acknowledged transaction of an encrypted store to kill -9, and leaves none partial (several rounds)', async () => {
    const dir = temporaryDirectory();
    const raw = crypto.getRandomValues(new Uint8Array(32));
    const keyHex = Buffer.from(raw).toString('hex');
    const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    const acknowledged: number[] = [];
    for (let round = 0; round < 3; round++) {
      acknowledged.push(...(await writeAndKill(dir, keyHex, round * 1_000_000, 400 + round * 300)));
      const db = new Database({ storage: fileStorage(dir, { encryptionKey: key }) });
      await db.open();
      for (const damage of db.recoveryReport?.damage ?? []) expect(damage.reason).toBe('torn');
      const ids = new Set<string>();
      let ExclusiveStartKey: Record<string, { S: string }> | undefined;
      do {
        const page = await db.scan({ TableName: 'pairs', ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) });
        for (const item of page.Items ?? []) ids.add((item.id as { S: string }).S);
        ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
      } while (ExclusiveStartKey !== undefined);
      await db.close();
      for (const n of acknowledged) expect(ids.has(`${n}a`) && ids.has(`${n}b`), `transaction ${n}`).toBe(true);
      for (const id of ids) expect(ids.has(`${id.slice(0, -1)}a`) && ids.has(`${id.slice(0, -1)}b`), `pair of ${id}`).toBe(true);
    }
  }, 30_000);

  it('stores no plaintext: log segments, snapshots and the key check are all ciphertext', async () => {
    const dir = await encryptedStore(20, true);
    const files = readdirSync(dir);
    expect(files).toContain('ENCRYPTION');
    expect(files.some((f) => f.endsWith('.snap'))).toBe(true);
    for (const file of files) {
      if (file === 'LOCK') continue;
      const text = readFileSync(join(dir, file)).toString('latin1');
      expect(text).not.toContain('SECRET-PAYLOAD');
      expect(text).not.toContain('things');
    }
    const db = await open(dir);
    expect(await ids(db)).toHaveLength(20);
    await db.close();
  });

  it('seals every frame with a fresh IV: the same bytes appended twice differ on disk', async () => {
    const dir = temporaryDirectory();
    const device = encryptedDevice(new FileLogDevice(dir), KEY);
    await device.lock();
    const appender = await device.openAppender('log-0000000000000000.wal');
    const bytes = new TextEncoder().encode('the same record');
    await appender.append([bytes]);
    await appender.append([bytes]);
    await appender.sync();
    await appender.close();
    const raw = readFileSync(join(dir, 'log-0000000000000000.wal'));
    const [a, b] = cipherFrameBounds(raw).map(([start, end]) => raw.subarray(start, end).toString('hex'));
    expect(a).toHaveLength(b!.length);
    expect(a).not.toBe(b);
    expect(new TextDecoder().decode(await device.read('log-0000000000000000.wal'))).toBe('the same recordthe same record');
    expect(await device.list()).not.toContain('ENCRYPTION');
    await device.unlock();
  });

  it('detects a bit flipped inside a frame: recovered up to it, reported as a checksum failure, kept aside', async () => {
    const dir = await encryptedStore(10);
    const path = segmentOf(dir);
    const raw = readFileSync(path);
    const frames = cipherFrameBounds(raw);
    // Frames: segment header, CreateTable, put 0 … put 9. Flip a ciphertext byte of put 6.
    const [start, end] = frames[frames.length - 4]!;
    raw[start + Math.floor((end - start) / 2)]! ^= 0x10;
    writeFileSync(path, raw);
    const db = await open(dir);
    expect(db.recoveryReport?.damage).toMatchObject([{ reason: 'checksum' }]);
    expect(await ids(db)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(readdirSync(dir).some((f) => f.endsWith('.discarded'))).toBe(true);
    await db.close();
    const again = await open(dir);
    expect(again.recoveryReport?.damage).toEqual([]);
    expect(await ids(again)).toEqual([0, 1, 2, 3, 4, 5]);
    await again.close();
  });

  it('detects frames moved: two whole frames swapped fail authentication (each is bound to its offset)', async () => {
    const dir = await encryptedStore(6);
    const path = segmentOf(dir);
    const raw = readFileSync(path);
    const frames = cipherFrameBounds(raw);
    const [a0, a1] = frames[frames.length - 2]!;
    const [b0, b1] = frames[frames.length - 1]!;
    expect(a1 - a0).toBe(b1 - b0);
    const swapped = Buffer.concat([raw.subarray(0, a0), raw.subarray(b0, b1), raw.subarray(a0, a1)]);
    writeFileSync(path, swapped);
    const db = await open(dir);
    expect(db.recoveryReport?.damage).toMatchObject([{ reason: 'checksum' }]);
    expect(await ids(db)).toEqual([0, 1, 2, 3]);
    await db.close();
  });

  it('refuses a key that is not an AES-GCM encrypt/decrypt key, and reports a wrong key before reading anything', async () => {
    const cbc = await crypto.subtle.generateKey({ name: 'AES-CBC', length: 256 }, false, ['encrypt', 'decrypt']);
    expect(() => encryptedDevice(new FileLogDevice(temporaryDirectory()), cbc)).toThrow(TypeError);
    const encryptOnly = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    expect(() => fileStorage(temporaryDirectory(), { encryptionKey: encryptOnly })).toThrow(/usages encrypt and decrypt/);
    const dir = await encryptedStore(3);
    const before = readdirSync(dir).sort();
    const other = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 128 }, false, ['encrypt', 'decrypt']);
    const db = new Database({ storage: fileStorage(dir, { encryptionKey: other }) });
    await expect(db.open()).rejects.toThrow(new EncryptionKeyError(`wrong encryption key for ${dir}`));
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('reads back exactly what was appended and written, through random cuts (property, against plain bytes)', async () => {
    const chunk = fc.uint8Array({ maxLength: 40 });
    const step = fc.oneof(
      fc.record({ op: fc.constant('append' as const), chunks: fc.array(chunk, { minLength: 1, maxLength: 3 }) }),
      fc.record({ op: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ op: fc.constant('write' as const), chunks: fc.array(chunk, { maxLength: 4 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const inner = new MemoryDevice();
        const device = encryptedDevice(inner, KEY);
        await device.lock();
        let expected: Uint8Array = new Uint8Array(0);
        let appender: LogAppender | undefined = await device.openAppender('f');
        for (const s of steps) {
          if (s.op === 'append') {
            // After a truncate or a whole write the file is not appended to again (as the store does).
            if (appender === undefined) continue;
            await appender.append(s.chunks);
            expected = concat([expected, ...s.chunks]);
          } else if (s.op === 'truncate') {
            await appender?.sync();
            appender = undefined;
            const length = Math.floor(s.at * expected.length);
            await device.truncate('f', length);
            expected = expected.slice(0, length);
          } else {
            appender = undefined;
            await device.writeAtomically('f', (async function* () {
              yield* s.chunks;
            })());
            expected = concat(s.chunks);
          }
          expect(await device.read('f')).toEqual(expected);
        }
      }),
      { numRuns: 60 },
    );
  });
});

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A LogDevice in a Map (the property test's inner device: fast, and plain bytes to compare with). */
class MemoryDevice implements LogDevice {
  readonly location = 'memory://encryption-test';
  private readonly files = new Map<string, Uint8Array>();
  async lock(): Promise<void> {}
  async unlock(): Promise<void> {}
  async list(): Promise<string[]> {
    return [...this.files.keys()];
  }
  async read(name: string): Promise<Uint8Array> {
    return this.files.get(name)!.slice();
  }
  async openAppender(name: string): Promise<LogAppender> {
    this.files.set(name, new Uint8Array(0));
    return {
      writesAreDurable: false,
      append: async (chunks) => {
        this.files.set(name, concat([this.files.get(name)!, ...chunks]));
      },
      sync: async () => {},
      close: async () => {},
    };
  }
  async writeAtomically(name: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
    const parts: Uint8Array[] = [];
    for await (const chunk of chunks) parts.push(chunk.slice());
    this.files.set(name, concat(parts));
  }
  async truncate(name: string, length: number): Promise<void> {
    this.files.set(name, this.files.get(name)!.slice(0, length));
  }
  async rename(from: string, to: string): Promise<void> {
    this.files.set(to, this.files.get(from)!);
    this.files.delete(from);
  }
  async remove(name: string): Promise<void> {
    this.files.delete(name);
  }
}
