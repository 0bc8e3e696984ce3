/**
 * Import rules that ESLint cannot check file by file: no circles anywhere in src/ (`npm run lint`).
 * The layers' directions (server → graphql → domain → db → model) are ESLint's no-restricted-imports
 * (eslint.config.js); type-only imports count too, since a circle of types is a circle of meaning.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module may not import itself through others: split the shared piece into a third module (docs/contributing.md).',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
