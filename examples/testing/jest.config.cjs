// jest for the order service: one line (`preset`) starts `magneto serve` with magneto.config.json's tables
// and items, points AWS_ENDPOINT_URL_DYNAMODB at it and adds Magneto's matchers. Run: pnpm --filter
// @magneto/examples test:jest (after pnpm build).
module.exports = {
  preset: '@magneto/testing',
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.jest.ts'],
  transform: { '\\.ts$': '<rootDir>/jest-transform.cjs' },
  // The sources import './x.js' (NodeNext style) for './x.ts'.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};
