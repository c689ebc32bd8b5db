/**
 * One conformance suite over every storage adapter (memory, file, IndexedDB under fake-indexeddb, and
 * both encrypted), run through the exported `describeStorageConformance` (`@magneto/core/testing`, as
 * anyone writing a LogDevice or adapter runs it): the scenario's tables, items, indexes, transactions,
 * idempotency tokens and TTL setting read back after close + reopen exactly as a memory database holds
 * them; a torn log tail is recovered to the last whole record and reported; the single-owner lock holds.
 * The same scenario runs in a real Chromium in test/browser/chromium.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStorageConformance } from '../../src/testing/index.js';
import { removeTemporaryDirectories } from '../fixtures/persistence/helpers.js';
import { ADAPTERS } from './adapters.js';

afterAll(removeTemporaryDirectories);

describeStorageConformance(ADAPTERS, { describe, it, expect, beforeAll });
