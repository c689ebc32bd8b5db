/**
 * Web sessions that expire two hours after their last use — the Time to Live use case DynamoDB's own
 * documentation gives — with a stream consumer that logs every expiry. The app code is plain AWS SDK v3
 * (DocumentClient) served in-process; a ManualClock moves time by hours in microseconds.
 *
 * Run it with `pnpm example sessions`.
 */
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Database, ManualClock, createRequestHandler, ttl } from '@magneto/core';
import { streams } from '@magneto/streams';

const TWO_HOURS = 2 * 60 * 60;
const clock = new ManualClock(Date.UTC(2025, 0, 1, 9, 0, 0));
const events = streams();
const db = new Database({ clock, modules: [events, ttl()] });
const client = new DynamoDBClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  requestHandler: createRequestHandler(db),
});
const docs = DynamoDBDocumentClient.from(client);
const nowSeconds = (): number => Math.floor(clock.now() / 1000);
const at = (): string => new Date(clock.now()).toISOString().slice(11, 16);

// The table, its stream, and TTL on `expiresAt` (epoch seconds).
await client.send(
  new CreateTableCommand({
    TableName: 'sessions',
    KeySchema: [{ AttributeName: 'sessionId', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'sessionId', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'OLD_IMAGE' },
  }),
);
await client.send(new UpdateTimeToLiveCommand({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));

// The stream consumer: a Lambda-style handler that tells expiries (deleted by the DynamoDB service) from logouts.
const consumer = events.onChange(
  'sessions',
  async ({ Records }) => {
    for (const record of Records) {
      const old = record.dynamodb?.OldImage;
      const who = `${old?.sessionId?.S} of ${old?.userId?.S}`;
      const byService = record.userIdentity?.principalId === 'dynamodb.amazonaws.com';
      console.log(`[${at()}] stream: session ${who} ${byService ? 'expired (deleted by dynamodb.amazonaws.com)' : 'ended by logout'}`);
    }
  },
  { filterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['REMOVE'] }) }] } },
);

// The app: sign in, use (which extends the session), sign out.
async function signIn(sessionId: string, userId: string): Promise<void> {
  await docs.send(new PutCommand({ TableName: 'sessions', Item: { sessionId, userId, expiresAt: nowSeconds() + TWO_HOURS } }));
  console.log(`[${at()}] ${userId} signed in (${sessionId})`);
}
async function use(sessionId: string): Promise<void> {
  await docs.send(
    new UpdateCommand({
      TableName: 'sessions',
      Key: { sessionId },
      UpdateExpression: 'SET expiresAt = :expires',
      ConditionExpression: 'attribute_exists(sessionId)',
      ExpressionAttributeValues: { ':expires': nowSeconds() + TWO_HOURS },
    }),
  );
  console.log(`[${at()}] ${sessionId} used: expires two hours from now`);
}
async function present(sessionId: string): Promise<boolean> {
  const { Item } = await docs.send(new GetCommand({ TableName: 'sessions', Key: { sessionId } }));
  return Item !== undefined;
}
const hours = (h: number): number => h * 60 * 60 * 1000;

await signIn('s-ada', 'ada');
await signIn('s-bob', 'bob');
await signIn('s-eve', 'eve');
await clock.advance(hours(1));
await use('s-ada');
await docs.send(new DeleteCommand({ TableName: 'sessions', Key: { sessionId: 's-eve' } }));
await consumer.drained();

await clock.advance(hours(1) - 60_000); // 10:59: nothing has expired yet
console.log(`[${at()}] bob's session present: ${await present('s-bob')}`);
await clock.advance(2 * 60_000); // 11:01: bob's session passed its expiry and the sweeper ran
await consumer.drained();
console.log(`[${at()}] bob's session present: ${await present('s-bob')}, ada's: ${await present('s-ada')}`);

await clock.advance(hours(1)); // 12:01: ada's extended session expires too
await consumer.drained();
console.log(`[${at()}] ada's session present: ${await present('s-ada')}`);
consumer.stop();
