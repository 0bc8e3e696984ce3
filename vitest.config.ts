import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const integrationOnPostgres = process.env.TEST_DATABASE_URL
  ? [{ extends: true as const, test: { name: 'postgres', include: ['test/integration/**/*.test.ts'], env: { TEST_DB: 'postgres' } } }]
  : [];

export default defineConfig({
  // type-graphql reads `design:type` metadata; Oxc emits it only when asked.
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  resolve: {
    // One copy of graphql: vite would otherwise load its ESM build beside the CJS one type-graphql uses.
    alias: { graphql: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)) },
  },
  test: {
    setupFiles: ['reflect-metadata'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [{ extends: true, test: { name: 'pglite', include: ['test/**/*.test.ts'], env: { TEST_DB: 'pglite' } } }, ...integrationOnPostgres],
  },
});
