// Four projects: pure logic (unit), the CDK template (infra), HTTP against the local stack (integration)
// and browsers against the local stack (e2e).
// @middy/core is ESM-only, so swc turns it into CommonJS along with our TypeScript.
// A font file import is its path, as esbuild's file loader makes it in the bundles (infra/bundling.ts).
const transform = { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }], '^.+\\.ttf$': '<rootDir>/test/ttf-transform.js' };
const transformIgnorePatterns = ['/node_modules/(?!(@middy|dejavu-fonts-ttf)/)'];
const common = { transform, transformIgnorePatterns, testEnvironment: 'node' };

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'], setupFiles: ['<rootDir>/test/unit/env.ts'] },
    { ...common, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      // Every answer of the API is checked against its OpenAPI document (test/support/openapi-contract.ts).
      setupFiles: ['<rootDir>/test/integration/contract-setup.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
    },
    {
      // Real browser (Debian's chromium) against the same local stack, started once per run.
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
      testTimeout: 120000,
    },
  ],
};
