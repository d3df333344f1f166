/**
 * middy is ESM-only: ts-jest transforms it to CommonJS (allowJs) instead of running jest under
 * --experimental-vm-modules, so the suite runs with plain `jest` on the Node 24 that the `node`
 * devDependency puts first on the PATH of npm scripts.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.[tj]sx?$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node', esModuleInterop: true, resolveJsonModule: true, allowJs: true, isolatedModules: true, target: 'ES2022' }, diagnostics: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // fast-check's seed: fixed unless FC_SEED says otherwise (test/setup/fast-check.ts); handler
  // logs silent unless a test captures them (test/setup/quiet-logs.ts).
  setupFiles: ['<rootDir>/test/setup/fast-check.ts', '<rootDir>/test/setup/quiet-logs.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
};
