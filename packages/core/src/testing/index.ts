/**
 * @magneto/core/testing — what a test suite of something built on Magneto needs: the storage
 * conformance suite, for anyone writing a LogDevice or a storage adapter, and its scenario.
 * Imports no test runner: pass yours (vitest's or jest's `describe`, `it`, `expect`, `beforeAll`).
 */
export {
  describeStorageConformance,
  type ConformanceAdapter,
  type ConformanceStore,
  type ConformanceTestApi,
  type ConformanceMatchers,
} from './storage-conformance.js';
export { observe, scenarioOptions, writeAfterReopen, writeScenario } from './conformance-scenario.js';
