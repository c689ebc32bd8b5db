import { CreateTableCommand, DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { createRequestHandler, ttl, type DatabaseModule } from '@magneto/core';
import { expect } from 'vitest';
import { globalTableDefinition, regions, type Region, type RegionsOptions } from './regions.js';

/** The regions of a strongly consistent global table in these tests: two replicas and a witness. */
export const US = 'us-east-1';
export const EU = 'us-east-2';
export const WITNESS = 'us-west-2';

/** The unchanged SDK, one attempt per request (its retries would wait on the real clock). */
export function client(region: Region): DynamoDBClient {
  return new DynamoDBClient({ region: region.name, maxAttempts: 1, credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(region.db) });
}

/** Three regions on a ManualClock (30 ms links), with SDK clients for the two replicas and `settle` to wait for an answer. */
export function setup(options: RegionsOptions = {}) {
  const s = regions([US, EU, WITNESS], { latencyMs: 30, retransmitMs: 200, modules: (): DatabaseModule[] => [ttl({ sweepIntervalMs: 1000, transitionMs: 0 })], ...options });
  const [us, eu, witness] = s.regions as [Region, Region, Region];
  /** Runs a request while the clock moves on (its answer waits for other regions' votes). */
  const settle = async <T,>(promise: Promise<T>): Promise<T> => {
    let done = false;
    const outcome = promise.then(
      (value) => ((done = true), { value }),
      (error: unknown) => ((done = true), { error }),
    );
    for (let i = 0; i < 1000 && !done; i++) await s.clock.advance(10);
    if (!done) throw new Error('no answer after 10 s of the clock');
    const result = await outcome;
    if ('error' in result) throw result.error;
    return result.value;
  };
  return { ...s, us, eu, witness, usClient: client(us), euClient: client(eu), settle };
}

/** Creates `users` in us-east-1 and makes it strongly consistent with a replica in us-east-2 and a witness in us-west-2. */
export async function createStrong(s: ReturnType<typeof setup>) {
  await s.usClient.send(new CreateTableCommand(globalTableDefinition() as never));
  const answer = await s.usClient.send(
    new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: EU } }], GlobalTableWitnessUpdates: [{ Create: { RegionName: WITNESS } }], MultiRegionConsistency: 'STRONG' }),
  );
  await s.drain();
  return answer;
}

/** The error a request failed with (the test fails if it succeeded). */
export async function refusal(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = (await promise.then(() => undefined, (e: unknown) => e)) as { name: string; message: string } | undefined;
  expect(error, 'expected a refusal').toBeDefined();
  return { name: error!.name, message: error!.message };
}

