/**
 * The test-worker side of global setup: which of the run's servers this worker uses, and the reset before
 * each test. Runs in the `@magneto/testing/jest` and `/vitest` setup files, before any test file loads, so
 * application code that reads its endpoint from the environment at import time finds this worker's.
 */

/** Points unchanged application code at `url`: every AWS SDK v3 reads AWS_ENDPOINT_URL_DYNAMODB; jest-dynalite's users read MOCK_DYNAMODB_ENDPOINT. */
export function pointAt(url: string): void {
  process.env.AWS_ENDPOINT_URL_DYNAMODB = url;
  process.env.MAGNETO_ENDPOINT = url;
  process.env.MOCK_DYNAMODB_ENDPOINT = url;
  process.env.MOCK_DYNAMODB_PORT = new URL(url).port;
}

/**
 * In a test worker of a run global setup started servers for (`MAGNETO_ENDPOINTS`): points the worker at
 * its own server (by JEST_WORKER_ID or VITEST_POOL_ID, from 1) and, unless the config says otherwise,
 * rolls it back to the seeded tables before each test. Does nothing in a run without global setup.
 */
export function useWorkerServer(beforeEach: (hook: () => Promise<void>) => void): void {
  const endpoints = process.env.MAGNETO_ENDPOINTS?.split(',').filter((url) => url !== '');
  if (endpoints === undefined || endpoints.length === 0) return;
  const worker = Number(process.env.JEST_WORKER_ID ?? process.env.VITEST_POOL_ID ?? '1');
  const url = endpoints[(Number.isInteger(worker) && worker > 0 ? worker - 1 : 0) % endpoints.length]!;
  pointAt(url);
  if (process.env.MAGNETO_RESET_BETWEEN_TESTS === 'true') beforeEach(() => resetServer(url));
}

async function resetServer(url: string): Promise<void> {
  const answer = await fetch(`${url}/_magneto/reset`, { method: 'POST' });
  if (!answer.ok) throw new Error(`Magneto's test server at ${url} did not reset before this test: HTTP ${answer.status} ${await answer.text()}`);
}
