import { Database, faults, journal, type DatabaseOptions, type FaultsModule, type RequestJournal, type Savepoint } from '@magneto/core';
import { serveEveryInstance, type InProcessClientClass } from '../sdk/serve-every-instance.js';
import { serveInProcess, type InProcessClient, type ServeOptions } from '../sdk/serve-in-process.js';
import type { MagnetoTestConfig } from './config.js';
import { seedDatabase } from './seed.js';

/** An in-process database for one test worker, seeded, with fault injection and a request journal. */
export interface TestDatabase {
  readonly db: Database;
  /** Fault injection (`faults()`), installed. */
  readonly faults: FaultsModule;
  /** The request journal (`journal()`), installed last, for the matchers. */
  readonly journal: RequestJournal;
  /** The seeded state, taken once seeding finished. */
  readonly fixture: Savepoint;
  /**
   * Serves a client of yours from this database (`serveInProcess`), or every instance of a client class
   * (`serveEveryInstance`: for application code that makes its own client, as `mockClient(DynamoDBDocumentClient)`
   * of aws-sdk-client-mock intercepts them). `{ retryDelays: false }` retries at once, without the SDK's
   * backoff. Returns what it was given.
   */
  serve<C extends InProcessClient | InProcessClientClass>(client: C, options?: ServeOptions): C;
  /** Back to the seeded fixture: rolls back, clears fault rules and the journal. Call it in `beforeEach`. */
  reset(): void;
  /** Stops serving the classes given to `serve` (instances already served keep answering from this database). */
  restore(): void;
}

/**
 * Creates a seeded in-process database for tests: the config's tables and items (see `loadConfig` for
 * the config file), `faults()` and `journal()` installed, and a savepoint of the fixture to go back to
 * before each test in O(tables + tree leaves written since).
 *
 * @example
 * const testDb = await createTestDatabase({ tables: [ordersTable], items: { orders: [{ id: 'o1' }] } });
 * const client = testDb.serve(new DynamoDBClient({ region: 'us-east-1' }));
 * beforeEach(() => testDb.reset());
 */
export async function createTestDatabase(config: MagnetoTestConfig = {}, options: DatabaseOptions = {}): Promise<TestDatabase> {
  const chaos = faults();
  const requests = journal();
  const db = new Database({ ...options, modules: [...(options.modules ?? []), chaos, requests] });
  await seedDatabase(db, config);
  const fixture = db.savepoint();
  requests.clear();
  const restores: Array<() => void> = [];
  return {
    db,
    faults: chaos,
    journal: requests,
    fixture,
    serve(client, serveOptions = {}) {
      if (typeof client === 'function') restores.push(serveEveryInstance(client, db, serveOptions));
      else serveInProcess(client as InProcessClient, db, serveOptions);
      return client;
    },
    reset() {
      db.rollback(fixture);
      chaos.clear();
      requests.clear();
    },
    restore() {
      for (const restore of restores.splice(0).reverse()) restore();
    },
  };
}
