import { Database, faults, journal, type DatabaseOptions, type FaultsModule, type RequestJournal, type Savepoint } from '@magneto/core';
import { serveInProcess, type InProcessClient } from '../sdk/serve-in-process.js';
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
  /** Serves a client of yours from this database (`serveInProcess`). */
  serve<C extends InProcessClient>(client: C): C;
  /** Back to the seeded fixture: rolls back, clears fault rules and the journal. Call it in `beforeEach`. */
  reset(): void;
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
  return {
    db,
    faults: chaos,
    journal: requests,
    fixture,
    serve: (client) => serveInProcess(client, db),
    reset() {
      db.rollback(fixture);
      chaos.clear();
      requests.clear();
    },
  };
}
