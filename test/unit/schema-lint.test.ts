/**
 * schema.graphql passes graphql-schema-linter with the description and Relay rules: every type,
 * field, argument, input field and enum value is described, and connections follow the Relay
 * cursor-connection spec. Run through the linter's own CLI, as a developer would.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(dirname(createRequire(import.meta.url).resolve('graphql-schema-linter/package.json')), 'lib/cli.js');

const RULES = [
  'types-have-descriptions',
  'fields-have-descriptions',
  'arguments-have-descriptions',
  'input-object-values-have-descriptions',
  'enum-values-have-descriptions',
  'relay-connection-types-spec',
  'relay-connection-arguments-spec',
  'relay-page-info-spec',
  'defined-types-are-used',
  'deprecations-have-a-reason',
  'descriptions-are-capitalized',
  'types-are-capitalized',
  'fields-are-camel-cased',
  'input-object-values-are-camel-cased',
  'enum-values-all-caps',
];

interface LintError {
  message: string;
  rule: string;
  location: { line: number; column: number; file: string };
}

/** The linter's JSON report on `file` (or on `sdl` given on stdin). */
function lint(input: { file: string } | { sdl: string }): Promise<LintError[]> {
  const args = [CLI, '--format', 'json', '--rules', RULES.join(','), ...('file' in input ? [input.file] : ['--stdin'])];
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, args, { cwd: ROOT }, (error, stdout, stderr) => {
      // Exit code 1: errors were found (they are in stdout); anything else is a failure to run.
      if (error && error.code !== 1) return reject(new Error(`graphql-schema-linter failed (${error.code}): ${stderr}`));
      try {
        resolve((JSON.parse(stdout) as { errors: LintError[] }).errors);
      } catch {
        reject(new Error(`graphql-schema-linter printed no JSON: ${stdout} ${stderr}`));
      }
    });
    child.stdin!.end('sdl' in input ? input.sdl : '');
  });
}

describe('graphql-schema-linter', () => {
  test('schema.graphql: 0 errors', async () => {
    const errors = await lint({ file: 'schema.graphql' });
    expect(errors.map((e) => `${e.location.line}:${e.location.column} ${e.message} (${e.rule})`)).toEqual([]);
  });

  test('the same rules find an undescribed field, argument and enum value, and a connection without pageInfo', async () => {
    const errors = await lint({
      sdl: `"""Reads."""
type Query {
  """Things."""
  things(first: Int, after: String): ThingConnection!
  """A color."""
  color: Color
}
"""Colors."""
enum Color {
  """Red."""
  RED
  BLUE
}
"""A page of things."""
type ThingConnection {
  """The things."""
  edges: [ThingEdge]
}
"""A thing and its cursor."""
type ThingEdge {
  """Where it is."""
  cursor: String!
  node: String
}
`,
    });
    const rules = errors.map((e) => e.rule).sort();
    expect(rules).toEqual(
      expect.arrayContaining(['arguments-have-descriptions', 'enum-values-have-descriptions', 'fields-have-descriptions', 'relay-connection-types-spec']),
    );
  });
});
