/**
 * Mangled requests for the fuzz test: one request in ten has its document or HTTP body broken
 * (truncated, a stray token inserted, an unknown field, variables inlined or missing or of the wrong
 * type, a body that is not a request or not JSON).
 */
import fc from 'fast-check';

export type Mangle =
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'unknown field' }
  | { kind: 'inline literals' }
  | { kind: 'no variables' }
  | { kind: 'variables'; value: unknown }
  | { kind: 'body'; value: unknown }
  | { kind: 'not JSON'; text: string };

export const mangle: fc.Arbitrary<Mangle | null> = fc.oneof(
  { weight: 9, arbitrary: fc.constant(null) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        text: fc.constantFrom('{', '}', '(', ')', '$', '!', ':', '"', '\\', '#', '...', '@skip', '\u0000', '\uD800', '😀'),
      }),
      fc.constant({ kind: 'unknown field' as const }),
      fc.constant({ kind: 'inline literals' as const }),
      fc.constant({ kind: 'inline literals' as const }),
      fc.constant({ kind: 'no variables' as const }),
      fc.record({ kind: fc.constant('variables' as const), value: fc.constantFrom<unknown>('{}', [], 5, true, 'i') }),
      fc.record({
        kind: fc.constant('body' as const),
        value: fc.constantFrom<unknown>({}, { query: 5 }, { query: '' }, { query: null }, { variables: {} }, [], [{ query: '{ viewer { id } }' }], 'query'),
      }),
      fc.record({
        kind: fc.constant('not JSON' as const),
        text: fc.constantFrom('{"query": ', 'query { viewer { id } }', '', '\u0000', '{"query": "{ viewer { id } }",}'),
      }),
    ),
  },
);

/** A GraphQL literal of a JSON value; all-caps words are written as enum values. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return /^[A-Z][A-Z_]*$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  return `{ ${Object.entries(value as object)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${literal(v)}`)
    .join(', ')} }`;
}

/** The HTTP body of a request: { query, variables }, or what a mangle makes of it. */
export function body(document: string, variables: Record<string, unknown>, m: Mangle | null): unknown {
  if (!m) return { query: document, variables };
  switch (m.kind) {
    case 'truncate':
      return { query: document.slice(0, m.at % document.length), variables };
    case 'insert': {
      const at = m.at % (document.length + 1);
      return { query: document.slice(0, at) + m.text + document.slice(at), variables };
    }
    case 'unknown field':
      return { query: document.replace('{ ', '{ noSuchField '), variables };
    case 'inline literals':
      return { query: document.replace(/^(query|mutation)\s*\([^)]*\)/, '$1').replace(/\$(\w+)/g, (_, name: string) => literal(variables[name])) };
    case 'no variables':
      return { query: document };
    case 'variables':
      return { query: document, variables: m.value };
    case 'body':
      return m.value;
    case 'not JSON':
      return m.text;
  }
}
