// The scenario lives with the exported suite (src/testing); test/browser imports it from here.
export * from '../../src/testing/conformance-scenario.js';
