/**
 * The child process of persistence-crash.test.ts: opens the file store in argv[2] (strict durability,
 * small snapshots so the kill lands before, during and after them) with the streams module, then runs
 * concurrent writers of new items — single PutItems and two-item transactions — on a table with a
 * NEW_IMAGE stream, printing `A <id>` once each write's promise resolved. It never exits by itself.
 * Run with tsx and the repository's tsconfig paths (see the test).
 */
import { Database, ResourceInUseException } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { streams } from '@magneto/streams';

const [dir, seedText = '1'] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: persistence-crash-writer.ts DIR [SEED]');
const db = new Database({
  modules: [streams()],
  storage: fileStorage(dir, { durability: 'strict', snapshotLogBytes: 16 * 1024, snapshotChunkItems: 50 }),
});
await db.open();
try {
  await db.createTable({
    TableName: 'crash',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
  });
} catch (error) {
  if (!(error instanceof ResourceInUseException)) throw error;
}
await db.checkpoint();
process.stdout.write('ready\n');
let next = 0;
const writer = async (w: number): Promise<never> => {
  for (;;) {
    const n = next++;
    const id = `s${seedText}-w${w}-${n}`;
    if (n % 3 === 0) {
      await db.transactWriteItems({
        TransactItems: [
          { Put: { TableName: 'crash', Item: { id: { S: `${id}-a` } } } },
          { Put: { TableName: 'crash', Item: { id: { S: `${id}-b` } } } },
        ],
      });
      process.stdout.write(`A ${id}-a\nA ${id}-b\n`);
    } else {
      await db.putItem({ TableName: 'crash', Item: { id: { S: id }, pad: { S: 'x'.repeat(200) } } });
      process.stdout.write(`A ${id}\n`);
    }
  }
};
await Promise.all(Array.from({ length: 6 }, (_, w) => writer(w)));
