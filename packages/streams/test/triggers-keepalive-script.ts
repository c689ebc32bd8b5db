/**
 * The child process of triggers-keepalive.test.ts: a plain Node program on the real clock, as an application
 * runs one. argv[2] names the scenario:
 * - `window`: a trigger with a 200 ms batching window; the script awaits `drained()` and prints `drained 1`.
 * - `retry`: the handler fails its first attempt (retried after a 100 ms backoff); prints `drained 1` likewise.
 * - `idle`: a trigger that has handled its record and a database with TTL enabled, neither stopped: the
 *   script prints `idle` and reaches its end; the process must then exit on its own.
 * Run with tsx and the repository's tsconfig paths (see the test).
 */
import { Database, ttl } from '@magneto/core';
import { streams } from '@magneto/streams';

const scenario = process.argv[2];
const events = streams();
const db = new Database({ modules: [events, ttl()] });
await db.createTable({
  TableName: 'orders',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  BillingMode: 'PAY_PER_REQUEST',
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
});
await db.updateTimeToLive({ TableName: 'orders', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } });

let delivered = 0;
let attempts = 0;
const trigger = events.onChange(
  'orders',
  (event) => {
    attempts++;
    if (scenario === 'retry' && attempts === 1) throw new Error('first attempt fails');
    delivered += event.Records.length;
  },
  scenario === 'window' ? { maximumBatchingWindowMs: 200 } : {},
);
await db.putItem({ TableName: 'orders', Item: { id: { S: 'o1' }, expiresAt: { N: String(Math.floor(Date.now() / 1000) + 3600) } } });
await trigger.drained();
console.log(scenario === 'idle' ? 'idle' : `drained ${delivered}`);
