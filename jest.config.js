/**
 * Three projects: `unit` is pure logic and needs nothing running; `integration` shares one embedded PostgreSQL
 * and one Temporal dev server started by its global setup (each test file gets its own database and task queue).
 */
const transform = { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] };
module.exports = {
  projects: [
    { displayName: 'unit', testEnvironment: 'node', roots: ['<rootDir>/test/unit'], transform },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/integration'],
      transform,
      setupFiles: ['<rootDir>/test/support/quiet-logs.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      // The console in a real Chromium against the real API, PostgreSQL and Temporal (shared with integration).
      displayName: 'browser',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/browser'],
      transform,
      setupFiles: ['<rootDir>/test/support/quiet-logs.ts'],
      globalSetup: '<rootDir>/test/support/browser-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  testTimeout: 180000,
};
