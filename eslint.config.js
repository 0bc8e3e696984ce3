// ESLint: typescript-eslint's recommended rules, and the layering of docs/contributing.md as
// import rules (dependency-cruiser, .dependency-cruiser.cjs, forbids circles). Layers point one way, server → graphql → domain → db; every layer may import
// src/model (the dependency-free vocabulary), src/paths.ts and src/startup-error.ts. jobs/ sits
// beside server/ (started by it, calling the domain). config.ts and seed.ts compose the layers, so
// only entry points import them.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** An import of one of our layers, written relative to the importing file. */
const layer = (name) => `^(\\.\\.?/)+(src/)?${name}(/|\\.js$)`;
const forbid = (names, why) => ({
  'no-restricted-imports': ['error', { patterns: names.map((name) => ({ regex: layer(name), message: `${why} (docs/contributing.md)` })) }],
});
const ENTRY_POINTS = ['config', 'seed'];

export default tseslint.config(
  { ignores: ['dist/', 'bench/', 'drizzle/', 'node_modules/', 'coverage/', '.scratch/', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // Tests read GraphQL answers as plain JSON.
  { files: ['test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  {
    files: ['src/model/**'],
    rules: forbid(['db', 'domain', 'graphql', 'server', 'jobs', ...ENTRY_POINTS], 'src/model is imported by every layer and imports none of them'),
  },
  { files: ['src/db/**'], rules: forbid(['domain', 'graphql', 'server', 'jobs', ...ENTRY_POINTS], 'src/db is the lowest layer: it may import only src/model') },
  {
    files: ['src/domain/**'],
    rules: forbid(['graphql', 'server', 'jobs', ...ENTRY_POINTS], 'src/domain may import src/db and src/model, never the GraphQL or HTTP layers'),
  },
  {
    files: ['src/graphql/**'],
    rules: forbid(
      ['db', 'server', 'jobs', ...ENTRY_POINTS],
      'src/graphql reaches data through src/domain only (records.ts, data-access.ts), never src/db or the HTTP layer',
    ),
  },
  {
    files: ['src/jobs/**'],
    rules: forbid(['graphql', 'server', ...ENTRY_POINTS], 'background jobs call the domain; the server starts them and hands them what they need'),
  },
  // config.ts reads the environment into settings: it may import src/model and startup-error.ts, no layer.
  {
    files: ['src/config.ts'],
    rules: forbid(['db', 'domain', 'graphql', 'server', 'jobs', 'seed'], 'config.ts only parses settings; the layers read them, not the reverse'),
  },
);
