import type { Database, FaultsModule } from '@magneto/core';
import type { ControlHandler } from './server.js';

/**
 * Per-test isolation over HTTP, for test suites in any language (`magneto serve --savepoint-control`, and
 * the servers `@magneto/testing`'s global setup starts): `POST /_magneto/savepoint` keeps the database as it
 * is now (`db.savepoint()`), `POST /_magneto/reset` rolls it back to the last one kept (at first: as it was
 * when these controls were made) and clears the fault rules. Memory storage only, as savepoints are.
 *
 * @example
 * // beforeAll: create and seed tables, then  curl -X POST http://127.0.0.1:8000/_magneto/savepoint
 * // beforeEach:                              curl -X POST http://127.0.0.1:8000/_magneto/reset
 */
export function savepointControls(database: Database, faults?: FaultsModule): Record<string, ControlHandler> {
  let kept = database.savepoint();
  const postOnly = (method: string, act: () => void) => {
    if (method !== 'POST') return { status: 405, body: { message: `${method} is not served here: POST` } };
    act();
    return { status: 200, body: {} };
  };
  return {
    '/_magneto/savepoint': (method) => postOnly(method, () => (kept = database.savepoint())),
    '/_magneto/reset': (method) =>
      postOnly(method, () => {
        database.rollback(kept);
        faults?.clear();
      }),
  };
}
