/**
 * `pnpm bench:server` (run by `pnpm bench` after the core bench): Magneto's HTTP server and dynalite side by
 * side, same run, same machine. Each server runs in its own child process on 127.0.0.1 (port 0), so this
 * process is only the client and each server's RSS is its own. A table of 10,000 items (500 partition keys
 * × 20 sort keys, ~100 bytes each) is loaded into both; then GetItem, PutItem and Query (20 items) are
 * measured through raw keep-alive HTTP (a lean client, raw-client.ts, over a few connections, with an
 * Authorization header of the right shape: neither server verifies signatures by default) and through the
 * AWS SDK v3 DynamoDBClient. Besides throughput and latency, each row gives the server process's CPU time per
 * operation, which the noise of a shared machine disturbs much less.
 * Finally `magneto serve` cold start: spawn to the first answered `GET /`, and its idle RSS after that request.
 *
 * Sizes: BENCH_SERVER_MS (time per measurement, 2000, in BENCH_SERVER_ROUNDS interleaved slices, 5), BENCH_SERVER_CONNECTIONS (4), BENCH_SERVER_STARTS (5).
 * BENCH_SERVER_COMPARE=<path to another build's cli.js> measures it too, in the same run (before/after).
 * BENCH_SERVER_NODE_HTTP=1 measures `magneto serve --http node` (node:http only, no fast path) too.
 * Loopback only. The machine is noisy: compare ratios within one run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { RawConnection } from './raw-client.js';

const MS = Number(process.env.BENCH_SERVER_MS ?? 2000);
const CONNECTIONS = Number(process.env.BENCH_SERVER_CONNECTIONS ?? 4);
const STARTS = Number(process.env.BENCH_SERVER_STARTS ?? 5);
const ROUNDS = Number(process.env.BENCH_SERVER_ROUNDS ?? 5);
const PKS = 500;
const SKS = 20;
const TABLE = 'bench';
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const COMPARE = process.env.BENCH_SERVER_COMPARE;
const NODE_HTTP = process.env.BENCH_SERVER_NODE_HTTP === '1';
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface Child {
  proc: ChildProcess;
  url: string;
}

/** Spawns a node process and resolves with the first http://host:port its stdout prints. */
function spawnServer(args: string[], cwd = ROOT): Promise<Child & { startedMs: number }> {
  const t0 = performance.now();
  const proc = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/[\d.]+:\d+/.exec(out);
      if (match) {
        proc.stdout!.removeAllListeners('data');
        proc.stdout!.resume();
        resolve({ proc, url: match[0], startedMs: performance.now() - t0 });
      }
    });
  });
}

const DYNALITE = `
const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port));
`;

function rssKb(pid: number): number {
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : NaN;
}

function stop(child: Child): Promise<void> {
  return new Promise((resolve) => {
    if (child.proc.exitCode !== null) return resolve();
    child.proc.once('exit', () => resolve());
    child.proc.kill('SIGTERM');
  });
}

// ---- raw HTTP ---------------------------------------------------------------------------------------

const AUTH =
  'AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/dynamodb/aws4_request, ' +
  'SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=' +
  '0123456789abcdef'.repeat(4);
const RAW_HEADERS = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-date': '20250101T000000Z', authorization: AUTH };

function post(agent: Agent, url: string, op: string, body: unknown): Promise<{ status: number; body: string }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...RAW_HEADERS, 'content-length': payload.length, 'x-amz-target': `DynamoDB_20120810.${op}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function postOk(agent: Agent, url: string, op: string, body: unknown): Promise<string> {
  const res = await post(agent, url, op, body);
  if (res.status !== 200) throw new Error(`${op} on ${url}: ${res.status} ${res.body}`);
  return res.body;
}

/** The same request over a lean keep-alive connection (see raw-client.ts): what the throughput rows use. */
async function rawOk(connection: RawConnection, op: string, body: unknown): Promise<string> {
  const res = await connection.send(`X-Amz-Target: DynamoDB_20120810.${op}\r\n`, JSON.stringify(body));
  if (res.status !== 200) throw new Error(`${op}: ${res.status} ${res.body}`);
  return res.body;
}

function pkOf(i: number) {
  return { S: `user#${(i % PKS).toString().padStart(6, '0')}` };
}

function itemOf(p: number, s: number) {
  // ~100 bytes as DynamoDB counts them.
  return {
    pk: pkOf(p),
    sk: { N: String(s) },
    name: { S: `name-${p}-${s}-abcdefghij` },
    email: { S: `user${p}.${s}@example.com` },
    visits: { N: String((p * SKS + s) % 1000) },
    active: { BOOL: s % 2 === 0 },
  };
}

async function load(url: string): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  await postOk(agent, url, 'CreateTable', {
    TableName: TABLE,
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  for (let attempt = 0; ; attempt++) {
    const body = JSON.parse(await postOk(agent, url, 'DescribeTable', { TableName: TABLE })) as { Table: { TableStatus: string } };
    if (body.Table.TableStatus === 'ACTIVE') break;
    if (attempt > 200) throw new Error(`${url}: table not ACTIVE`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const all: ReturnType<typeof itemOf>[] = [];
  for (let p = 0; p < PKS; p++) for (let s = 0; s < SKS; s++) all.push(itemOf(p, s));
  const batches: (typeof all)[] = [];
  for (let i = 0; i < all.length; i += 25) batches.push(all.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const body = JSON.parse(
          await postOk(agent, url, 'BatchWriteItem', { RequestItems: { [TABLE]: batch.map((Item) => ({ PutRequest: { Item } })) } }),
        ) as { UnprocessedItems?: Record<string, unknown[]> };
        if (Object.keys(body.UnprocessedItems ?? {}).length > 0) throw new Error(`${url}: unprocessed items`);
      }
    }),
  );
  agent.destroy();
}

interface Measured {
  ops: number;
  opsPerSecond: number;
  p50us: number;
  /** The server process's CPU time (user + system, all threads) per operation. */
  cpuUsPerOp: number;
}

/** A process's CPU time so far in microseconds: the sum over its threads of /proc/<pid>/task/<tid>/schedstat (ns). */
function cpuUs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return ns / 1000;
}

/**
 * Measures each server in ROUNDS slices of MS / ROUNDS milliseconds, taking turns (A B C A B C …), and
 * keeps each server's median slice: a burst of load from elsewhere on the machine then spoils one slice
 * of one server rather than one server's whole measurement.
 */
async function interleaved(pids: number[], callFor: (server: number) => (i: number, loop: number) => Promise<void>): Promise<Measured[]> {
  const slices: Measured[][] = pids.map(() => []);
  for (let n = 0; n < pids.length; n++) await measure(pids[n]!, callFor(n), Math.min(300, MS / 4)); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (let n = 0; n < pids.length; n++) slices[n]!.push(await measure(pids[n]!, callFor(n), MS / ROUNDS));
  }
  return slices.map((list) => ({
    ops: list.reduce((sum, m) => sum + m.ops, 0),
    opsPerSecond: median(list.map((m) => m.opsPerSecond)),
    p50us: median(list.map((m) => m.p50us)),
    cpuUsPerOp: median(list.map((m) => m.cpuUsPerOp)),
  }));
}

/** Runs `call(i, loop)` from CONNECTIONS concurrent loops for `ms` milliseconds. */
async function measure(pid: number, call: (i: number, loop: number) => Promise<void>, ms: number): Promise<Measured> {
  let i = 0;
  const latencies: number[] = [];
  const cpu0 = cpuUs(pid);
  const t0 = performance.now();
  const end = t0 + ms;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, loop) => {
      while (performance.now() < end) {
        const s = performance.now();
        await call(i++, loop);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const elapsed = performance.now() - t0;
  const cpu = cpuUs(pid) - cpu0;
  latencies.sort((a, b) => a - b);
  return {
    ops: latencies.length,
    opsPerSecond: (latencies.length / elapsed) * 1000,
    p50us: (latencies[latencies.length >> 1] ?? NaN) * 1000,
    cpuUsPerOp: cpu / latencies.length,
  };
}

// Cheap deterministic spread over the keys.
const scatter = (i: number) => (i * 7919) % (PKS * SKS);

function rawCalls(connections: RawConnection[]): Record<string, (i: number, loop: number) => Promise<void>> {
  return {
    GetItem: async (i, loop) => {
      const k = scatter(i);
      const body = await rawOk(connections[loop]!, 'GetItem', { TableName: TABLE, Key: { pk: pkOf(k), sk: { N: String(k % SKS) } } });
      if (!body.includes('"Item"')) throw new Error('raw GetItem: no item');
    },
    PutItem: async (i, loop) => {
      const k = scatter(i);
      await rawOk(connections[loop]!, 'PutItem', { TableName: TABLE, Item: itemOf(k, k % SKS) });
    },
    'Query(20)': async (i, loop) => {
      const body = await rawOk(connections[loop]!, 'Query', {
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pkOf(scatter(i)) },
      });
      if (!body.includes('"Count":20')) throw new Error(`raw Query: not 20 items: ${body.slice(0, 200)}`);
    },
  };
}

function sdkCalls(client: DynamoDBClient): Record<string, (i: number) => Promise<void>> {
  return {
    GetItem: async (i) => {
      const k = scatter(i);
      const out = await client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: pkOf(k), sk: { N: String(k % SKS) } } }));
      if (!out.Item) throw new Error('SDK GetItem: no item');
    },
    PutItem: async (i) => {
      const k = scatter(i);
      await client.send(new PutItemCommand({ TableName: TABLE, Item: itemOf(k, k % SKS) }));
    },
    'Query(20)': async (i) => {
      const out = await client.send(
        new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pkOf(scatter(i)) } }),
      );
      if (out.Count !== 20) throw new Error('SDK Query: not 20 items');
    },
  };
}

// ---- cold start ---------------------------------------------------------------------------------------

function getOnce(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/`, { method: 'GET', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The first DynamoDB request a client makes: ListTables over a fresh connection. */
async function firstListTables(url: string): Promise<number> {
  const connection = await RawConnection.open(url, RAW_HEADERS);
  try {
    return (await connection.send('X-Amz-Target: DynamoDB_20120810.ListTables\r\n', '{}')).status;
  } finally {
    connection.close();
  }
}

interface ColdStart {
  /** Spawn → first `GET /` answered. */
  healthMs: number[];
  /** Spawn → first ListTables answered (on a second start). */
  listTablesMs: number[];
  rssKb: number[];
}

/** Starts `cli` STARTS times: time to the first answered GET / and ListTables, and RSS once idle. */
async function coldStart(cli: string): Promise<ColdStart> {
  const result: ColdStart = { healthMs: [], listTablesMs: [], rssKb: [] };
  for (let n = 0; n < STARTS; n++) {
    let t0 = performance.now();
    let child = await spawnServer([cli, 'serve', '--port', '0']);
    const status = await getOnce(child.url);
    result.healthMs.push(performance.now() - t0);
    if (status !== 200) throw new Error(`GET / answered ${status}`);
    await new Promise((r) => setTimeout(r, 500));
    result.rssKb.push(rssKb(child.proc.pid!));
    await stop(child);

    t0 = performance.now();
    child = await spawnServer([cli, 'serve', '--port', '0']);
    const listed = await firstListTables(child.url);
    result.listTablesMs.push(performance.now() - t0);
    if (listed !== 200) throw new Error(`ListTables answered ${listed}`);
    await stop(child);
  }
  return result;
}

// ---- main -----------------------------------------------------------------------------------------------

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main(): Promise<void> {
  console.log(`\nServer bench: ${PKS * SKS} items (${PKS} pk × ${SKS} sk), ${CONNECTIONS} connections, ${MS} ms per measurement, node ${process.version}\n`);
  const servers: Record<string, Child> = {
    magneto: await spawnServer([CLI, 'serve', '--port', '0']),
    dynalite: await spawnServer(['-e', DYNALITE]),
  };
  // Another build of the CLI (e.g. a copy of dist/ before a change) measured in the same run, for before/after.
  if (COMPARE) servers['magneto (compare)'] = await spawnServer([COMPARE, 'serve', '--port', '0']);
  if (NODE_HTTP) servers['magneto (node:http)'] = await spawnServer([CLI, 'serve', '--port', '0', '--http', 'node']);
  const names = Object.keys(servers);
  const rows: { name: string; results: Measured[] }[] = [];
  try {
    for (const s of Object.values(servers)) await load(s.url);
    const idle = names.map((n) => rssKb(servers[n]!.proc.pid!));

    const connections = await Promise.all(
      names.map((n) => Promise.all(Array.from({ length: CONNECTIONS }, () => RawConnection.open(servers[n]!.url, RAW_HEADERS)))),
    );
    const clients = names.map(
      (n) => new DynamoDBClient({ region: 'us-east-1', endpoint: servers[n]!.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 }),
    );
    const pids = names.map((n) => servers[n]!.proc.pid!);
    for (const op of ['GetItem', 'PutItem', 'Query(20)']) {
      rows.push({ name: `raw HTTP ${op}`, results: await interleaved(pids, (n) => rawCalls(connections[n]!)[op]!) });
    }
    for (const op of ['GetItem', 'PutItem', 'Query(20)']) {
      rows.push({ name: `SDK ${op}`, results: await interleaved(pids, (n) => sdkCalls(clients[n]!)[op]!) });
    }
    const loaded = names.map((n) => rssKb(servers[n]!.proc.pid!));
    for (const list of connections) for (const c of list) c.close();
    for (const c of clients) c.destroy();

    console.log(`| operation | ${names.map((n) => `${n} ops/s | ${n} p50 | ${n} CPU/op`).join(' | ')} | Magneto / dynalite (ops/s) | (CPU/op) |`);
    console.log(`|---|${names.map(() => '---|---|---|').join('')}---|---|`);
    for (const r of rows) {
      const [m, d] = r.results as [Measured, Measured];
      console.log(
        `| ${r.name} | ${r.results.map((x) => `${fmt(x.opsPerSecond)} | ${fmt(x.p50us)} µs | ${fmt(x.cpuUsPerOp)} µs`).join(' | ')} | ` +
          `${(m.opsPerSecond / d.opsPerSecond).toFixed(1)}× | ${(d.cpuUsPerOp / m.cpuUsPerOp).toFixed(1)}× |`,
      );
    }
    console.log(`| server RSS, 10,000 items loaded / after the run | ${names.map((_, n) => `${fmt(idle[n]! / 1024)} / ${fmt(loaded[n]! / 1024)} MB | | `).join(' | ')} | | |`);
  } finally {
    for (const s of Object.values(servers)) await stop(s);
  }

  const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  for (const [name, cli] of [['magneto serve', CLI], ...(COMPARE ? [['compare', COMPARE]] : [])] as [string, string][]) {
    const cold = await coldStart(cli);
    console.log(
      `\n\`${name}\` cold start (${STARTS} runs): spawn → first GET / answered: median ${median(cold.healthMs).toFixed(0)} ms (${list(cold.healthMs)}); ` +
        `→ first ListTables answered: median ${median(cold.listTablesMs).toFixed(0)} ms (${list(cold.listTablesMs)}); ` +
        `idle RSS after one request: median ${(median(cold.rssKb) / 1024).toFixed(1)} MB`,
    );
  }
  const floor = await (async () => {
    const t0 = performance.now();
    const child = await spawnServer(['-e', "require('http').createServer((q,s)=>s.end()).listen(0,'127.0.0.1',function(){console.log('http://127.0.0.1:'+this.address().port)})"]);
    await getOnce(child.url);
    const ms = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 500));
    const rss = rssKb(child.proc.pid!);
    await stop(child);
    return { ms, rss };
  })();
  console.log(`For scale, a bare node:http server on this machine: ${floor.ms.toFixed(0)} ms, ${(floor.rss / 1024).toFixed(1)} MB.`);
}

await main();
