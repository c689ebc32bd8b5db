import { Database } from '@magneto/core';
import { globalTables, InProcessNetwork } from '@magneto/global-tables';
import { streams } from '@magneto/streams';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1'];
const replicated = process.env.REPL !== '0';
const network = new InProcessNetwork();
const regions = (replicated ? REGIONS : REGIONS.slice(0, 1)).map((region) => {
  const module = globalTables({ transport: network });
  return { db: new Database({ region, modules: [streams(), ...(replicated ? [module] : [])] }), module };
});
const writer = regions[0]!.db;
await writer.createTable({ TableName: 'bench', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
const modules = regions.map((r) => r.module);
const idle = async () => { while (replicated && modules.some((m) => m.pendingCount > 0)) await new Promise((r) => setTimeout(r, 0)); };
if (replicated) { await writer.updateTable({ TableName: 'bench', ReplicaUpdates: REGIONS.slice(1).map((RegionName) => ({ Create: { RegionName } })) } as never); await idle(); }
let total = 0;
for (let round = 0; round < 10; round++) {
  const items = Array.from({ length: 20000 }, (_, i) => ({ pk: { S: `user#${i}` }, name: { S: `name-${i}-abcdefghij` }, visits: { N: String((i + round) % 1000) }, active: { BOOL: i % 2 === 0 } }));
  const t = performance.now();
  for (const item of items) await writer.putItem({ TableName: 'bench', Item: item });
  total += performance.now() - t;
  await idle();
}
console.log(replicated ? 'replicated' : 'plain', Math.round(200000 / (total / 1000)));
