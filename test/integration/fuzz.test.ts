/**
 * Random and hostile requests through HTTP, against one server and database for the whole file.
 *
 * Every mutation and most queries are generated with fast-check: inputs that mostly look valid, with
 * hostile values mixed in (test/support/hostile-input.ts), real IDs of existing objects (the pools
 * of test/support/fuzz/world.ts, refilled from successful responses) and IDs of the wrong type or
 * shape, sent by a random principal; one request in ten has its document or body mangled as well
 * (test/support/fuzz/mangle.ts). Whatever is sent:
 *
 * - the HTTP status is below 500 and the body is JSON;
 * - every error carries one of the client codes (never INTERNAL_SERVER_ERROR);
 * - a BAD_USER_INPUT raised while executing (it has a path) names its `extensions.field`; GraphQL's
 *   own variable coercion errors (no path) need not;
 * - an operation never succeeds for a principal that docs/design.md does not allow it.
 *
 * Afterwards the database invariants are checked directly, and the server must still answer /healthz.
 *
 * A family of operations exercises one root field; each feature keeps its families in
 * test/support/<feature>/<feature>.fuzz.ts, and test/support/fuzz/families.ts collects them. Every
 * Query and Mutation field has a family, or is listed in NOT_FUZZED there with why (the last test).
 *
 * Each family of operations is one test, so that a server bug in one does not hide the others; a
 * family collects its violations (with the server's logged cause of each masked error) and fails
 * with one example of each kind. FUZZ_RUNS (default 2,400) scales the total number of cases; FUZZ_SEED
 * (default fixed) replays a run, FUZZ_SEED=random explores: `FUZZ_RUNS=12000 FUZZ_SEED=random npx vitest run test/integration/fuzz.test.ts`.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { getSchema } from '../../src/graphql/schema.js';
import { checkInvariants } from '../support/invariants.js';
import { createDesk, createUser, publishedArchive, SEED_BODY, type TestUser } from '../support/factories.js';
import { toGlobalId } from '../../src/domain/global-ids.js';
import { BODIES } from '../support/articles/articles.fuzz.js';
import { FAMILIES, familyOf, fuzzedOperations, NOT_FUZZED } from '../support/fuzz/families.js';
import type { FuzzFamily, Principal } from '../support/fuzz/family.js';
import { body, mangle, type Mangle } from '../support/fuzz/mangle.js';
import { articles, noteClaimStatuses, people, pools, remember, resolve, roleOf, tokenOf } from '../support/fuzz/world.js';
import { toBase64url } from '../support/hostile-input.js';
import { startLoggedTestApp, type LoggedTestApp, type RawResponse } from '../support/logged-app.js';

const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 2_400);
// Fixed by default, so `npm test` (and CI) is repeatable; FUZZ_SEED=random explores, a number replays.
const SEED = process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 20_261_126);

/** The codes a client may see (docs/design.md, Errors), plus the one for queries over the cost limit. */
const CLIENT_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'QUERY_TOO_COMPLEX',
]);

// ---------------------------------------------------------------------------------------------------
// Running cases and judging responses

let app: LoggedTestApp;

interface Violation {
  problem: string;
  example: Record<string, unknown>;
}
let casesRun = 0;
/** How the responses came out: OK or the first error's code. */
const outcomes = new Map<string, number>();
const runsOf = (family: FuzzFamily) => Math.max(10, Math.round((TOTAL_RUNS * family.weight) / FAMILIES.reduce((sum, f) => sum + f.weight, 0)));

/** What is wrong with a response, if anything. */
function problemsOf(family: FuzzFamily, principal: Principal, response: RawResponse): string[] {
  const problems: string[] = [];
  if (response.status >= 500) problems.push(`HTTP ${response.status}`);
  const json = response.json;
  if (!json || typeof json !== 'object') return [...problems, `a body that is not a JSON object: ${response.text.slice(0, 80)}`];
  if (!json.errors && !json.data) problems.push('neither data nor errors');
  for (const error of json.errors ?? []) {
    const code = String(error.extensions?.code);
    if (!CLIENT_CODES.has(code)) problems.push(`error code ${code}${error.path ? ` at ${error.path.join('.')}` : ''}`);
    if (code === 'BAD_USER_INPUT' && error.path && !error.extensions?.field)
      problems.push(`BAD_USER_INPUT at ${error.path.join('.')} without extensions.field: ${error.message}`);
  }
  const result = json.data?.[family.field];
  const role = roleOf(principal);
  if (result != null && !(role && family.roles.includes(role))) problems.push(`${family.field} answered ${principal}`);
  if (json.data) problems.push(...(family.check?.(principal, json.data) ?? []));
  return problems;
}

/** Long strings shortened, so that an example stays readable. */
function abbreviate(value: unknown): unknown {
  if (typeof value === 'string') {
    const codePoints = Array.from(value);
    return codePoints.length <= 80 ? value : `${codePoints.slice(0, 40).join('')}… (${codePoints.length} code points)`;
  }
  if (Array.isArray(value)) return value.length > 6 ? [...value.slice(0, 6).map(abbreviate), `… (${value.length} items)`] : value.map(abbreviate);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abbreviate(v)]));
  return value;
}

async function runCase(family: FuzzFamily, principal: Principal, variables: Record<string, unknown>, m: Mangle | null, violations: Violation[]) {
  const resolved = resolve(variables, principal) as Record<string, unknown>;
  const requestId = `fuzz-${family.field}-${++casesRun}`;
  const response = await app.post(body(family.document, resolved, m), { token: tokenOf(principal), requestId });
  const problems = problemsOf(family, principal, response);
  const outcome = String(response.json?.errors?.[0]?.extensions?.code ?? (response.json?.data?.[family.field] != null ? 'OK' : 'null'));
  outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  const result = response.json?.data?.[family.field];
  if (result != null && !m && problems.length === 0) {
    family.harvest?.(result);
    noteClaimStatuses(result);
  }
  for (const problem of problems) {
    const logged = app.loggedErrors(requestId);
    violations.push({
      // One kind of violation: the problem and the server's logged cause, without the values in it.
      problem: `${problem}${logged.length ? ` — logged: ${logged[0]!.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N')}` : ''}`,
      example: {
        ...(abbreviate({ principal, ...(m ? { mangle: m } : {}), variables: resolved, status: response.status, errors: response.json?.errors }) as object),
        ...(typeof resolved.after === 'string' ? { after: Buffer.from(resolved.after, 'base64url').toString() } : {}),
        logged,
      },
    });
  }
}

function report(name: string, violations: Violation[]): string {
  const kinds = new Map<string, { count: number; example: unknown }>();
  for (const v of violations) kinds.set(v.problem, { count: (kinds.get(v.problem)?.count ?? 0) + 1, example: kinds.get(v.problem)?.example ?? v.example });
  return [
    `${name}: ${violations.length} violations of ${kinds.size} kinds (FUZZ_SEED=${SEED})`,
    ...[...kinds].map(([problem, { count, example }]) => `\n× ${count}: ${problem}\n  e.g. ${JSON.stringify(example)}`),
  ].join('\n');
}

async function fuzz(
  name: string,
  arbitrary: fc.Arbitrary<{ family: FuzzFamily; principal: Principal; variables: Record<string, unknown>; mangle: Mangle | null }>,
  numRuns: number,
  seed: number,
) {
  const violations: Violation[] = [];
  await fc.assert(
    fc.asyncProperty(arbitrary, async ({ family, principal, variables, mangle: m }) => {
      await runCase(family, principal, variables, m, violations);
    }),
    { numRuns, seed },
  );
  expect(violations.length, report(name, violations)).toBe(0);
}

const caseOf = (family: FuzzFamily) => fc.record({ family: fc.constant(family), principal: family.principal, variables: family.variables, mangle });

// ---------------------------------------------------------------------------------------------------

beforeAll(async () => {
  app = await startLoggedTestApp();
  const db = app.database.db;
  const desk = await createDesk(db);
  Object.assign(people, { ...desk, outsider: await createUser(db, 'REVIEWER', 'Otto Outsider') });
  for (const person of Object.values(people)) remember('user', person.globalId);
  for (const reviewer of [people.reviewer1, people.reviewer2, people.outsider]) remember('reviewer', reviewer.globalId);
  for (const role of ['REVIEWER', 'PARTNER', 'EDITOR'] as const) remember('spare', (await createUser(db, role, `Spare ${role}`)).globalId);

  const gql = async (document: string, variables: Record<string, unknown>, principal: Principal): Promise<Record<string, any>> => {
    const response = await app.post({ query: document, variables }, { token: tokenOf(principal), requestId: 'setup' });
    if (!response.json?.data || response.json.errors) throw new Error(`Setting up failed: ${response.text}`);
    return response.json.data;
  };
  for (const [i, articleBody] of [SEED_BODY, ...BODIES].entries()) {
    const { article } = (
      await gql(familyOf('ingestArticle').document, { i: { url: `https://news.example/fuzz-${i}`, title: `Source ${i}`, body: articleBody } }, 'editor')
    ).ingestArticle;
    familyOf('ingestArticle').harvest!({ article });
  }
  // Claims at every stage of the workflow, so that every action meets claims it may act on.
  const claimOf = async (articleIndex: number, quote: string, requiredVerdicts = 1) =>
    (
      await gql(
        'mutation($i: CreateClaimInput!) { createClaim(input: $i) { claim { id } } }',
        { i: { articleId: articles[articleIndex]!.id, quote, requiredVerdicts } },
        'editor',
      )
    ).createClaim.claim.id as string;
  const assign = (claimId: string, reviewers: TestUser[]) =>
    gql(
      'mutation($i: AssignClaimInput!) { assignClaim(input: $i) { claim { id } assignments { id reviewer { id } } } }',
      { i: { claimId, reviewerIds: reviewers.map((r) => r.globalId) } },
      'editor',
    );
  const verdict = (claimId: string, reviewer: 'reviewer1' | 'reviewer2', rating: string) =>
    gql(
      'mutation($i: SubmitVerdictInput!) { submitVerdict(input: $i) { verdict { id } } }',
      { i: { claimId, rating, confidence: 'HIGH', rationale: 'Checked.' } },
      reviewer,
    );

  const open = await claimOf(0, 'has been routinely hijacked by Hamas terrorists');
  const inReview = await claimOf(0, 'is apparently holding Israel responsible for the distribution of aid', 2);
  const reviewed = await claimOf(0, 'the reason for Blinken’s statement is unclear');
  const published = await claimOf(0, 'until Hezbollah ceases its attacks');
  const dismissed = await claimOf(1, 'naïve readers 🇮🇱 believed it');
  const rtl = await claimOf(2, 'تُسرق بشكل روتيني', 2);
  for (const claimId of [open, inReview, reviewed, published, dismissed, rtl]) remember('claim', claimId);
  for (const claimId of [inReview, reviewed, published, rtl])
    familyOf('assignClaim').harvest!((await assign(claimId, [people.reviewer1, people.reviewer2])).assignClaim);
  const evidence = await gql(
    'mutation($i: AddEvidenceInput!) { addEvidence(input: $i) { evidence { id claim { id } } } }',
    { i: { claimId: inReview, kind: 'DATASET', title: 'UN data', stance: 'REFUTES' } },
    'editor',
  );
  familyOf('addEvidence').harvest!(evidence.addEvidence);
  remember('verdict', (await verdict(inReview, 'reviewer1', 'FALSE')).submitVerdict.verdict.id);
  remember('verdict', (await verdict(reviewed, 'reviewer2', 'TRUE')).submitVerdict.verdict.id);
  remember('verdict', (await verdict(published, 'reviewer1', 'MISLEADING')).submitVerdict.verdict.id);
  const publication = await gql(
    'mutation($i: PublishFactCheckInput!) { publishFactCheck(input: $i) { factCheck { id } } }',
    { i: { claimId: published, rating: 'MISLEADING', summary: 'Conditional, not a promise.' } },
    'editor',
  );
  remember('factCheck', publication.publishFactCheck.factCheck.id);
  await gql('mutation($i: DismissClaimInput!) { dismissClaim(input: $i) { claim { id } } }', { i: { claimId: dismissed, reason: 'Opinion.' } }, 'editor');
  // Topics that setClaimTopics may file claims under; the published claim is under one.
  for (const name of ['Humanitarian aid', 'Hostages'])
    familyOf('createTopic').harvest!((await gql(familyOf('createTopic').document, { i: { name } }, 'editor')).createTopic);
  await gql(familyOf('setClaimTopics').document, { i: { claimId: published, topicIds: [pools.topic[0]] } }, 'editor');
  // Fact checks that no fuzzed action can retract (their claims are in no pool), so that correction requests meet visible ones.
  const archived = await publishedArchive(db, people.editor.id, [
    { statement: 'The ferry fare doubled in a year.', daysAgo: 40 },
    { statement: 'Aid deliveries fell by half in May.', daysAgo: 2 },
  ]);
  for (const factCheckId of archived) remember('factCheck', toGlobalId('FactCheck', factCheckId));
  // Tokens that the revokeApiToken cases may revoke.
  for (let i = 0; i < 3; i++)
    remember(
      'token',
      (
        await gql(
          'mutation($i: IssueApiTokenInput!) { issueApiToken(input: $i) { tokenId } }',
          { i: { userId: people.partner.globalId, label: `spare ${i}` } },
          'admin',
        )
      ).issueApiToken.tokenId,
    );
});
afterAll(() => app?.stop());

test.each(FAMILIES.map((family, i) => [family.field, family, i] as const))(
  '%s: hostile input by random principals',
  { timeout: 300_000 },
  async (_name, family, i) => {
    await fuzz(family.field, caseOf(family), runsOf(family), SEED + i);
  },
);

test('everything, interleaved', { timeout: 300_000 }, async () => {
  await fuzz(
    'interleaved',
    fc.oneof(...FAMILIES.map((family) => ({ weight: family.weight, arbitrary: caseOf(family) }))),
    Math.round(TOTAL_RUNS / 4),
    SEED - 1,
  );
});

/**
 * What the fuzzing found, pinned down: each input once, deterministically. Correct is a response
 * below 500 that either succeeds or refuses the input as BAD_USER_INPUT naming the field.
 */
const cursorOf = (...values: unknown[]) => toBase64url(JSON.stringify(values));
const UUID = '00000000-0000-4000-8000-000000000000';
const FOUND: [string, Principal, string, () => Record<string, unknown>, string][] = [
  [
    'createClaim with dueAt in year 0',
    'editor',
    'mutation($i: CreateClaimInput!) { createClaim(input: $i) { claim { id } } }',
    () => ({ i: { articleId: pools.article[0], quote: 'has been routinely hijacked by Hamas terrorists', dueAt: '0000-01-01T00:00:00Z' } }),
    'dueAt',
  ],
  [
    'updateClaim with dueAt in year 0',
    'editor',
    'mutation($i: UpdateClaimInput!) { updateClaim(input: $i) { claim { id } } }',
    () => ({ i: { claimId: pools.claim[0], dueAt: '0000-01-01T00:00:00Z' } }),
    'dueAt',
  ],
  [
    'assignClaim with dueAt in year 0',
    'editor',
    'mutation($i: AssignClaimInput!) { assignClaim(input: $i) { claim { id } } }',
    () => ({ i: { claimId: pools.claim[0], reviewerIds: [people.reviewer1.globalId], dueAt: '0000-01-01T00:00:00Z' } }),
    'dueAt',
  ],
  [
    'ingestArticle with publishedAt in year 0',
    'editor',
    'mutation($i: IngestArticleInput!) { ingestArticle(input: $i) { created } }',
    () => ({ i: { url: 'https://news.example/year-0', title: 'T', body: 'B', publishedAt: '0000-01-01T00:00:00Z' } }),
    'publishedAt',
  ],
  [
    'claims filtered by dueBefore in year 0',
    'editor',
    'query($f: ClaimFilter) { claims(filter: $f) { totalCount } }',
    () => ({ f: { dueBefore: '0000-01-01T00:00:00Z' } }),
    'filter.dueBefore',
  ],
  [
    'factChecks filtered by publishedAfter in year 0',
    'partner',
    'query($f: FactCheckFilter) { factChecks(filter: $f) { totalCount } }',
    () => ({ f: { publishedAfter: '0000-01-01T00:00:00Z' } }),
    'filter.publishedAfter',
  ],
  [
    'ingestArticle with a 1,300-character CJK URL (under the 2,048 limit, ~3,900 bytes)',
    'editor',
    'mutation($i: IngestArticleInput!) { ingestArticle(input: $i) { created } }',
    () => ({
      i: {
        url: `https://news.example/${Array.from({ length: 1300 }, (_, k) => String.fromCharCode(0x4e00 + ((k * 7919) % 20000))).join('')}`,
        title: 'T',
        body: 'B',
      },
    }),
    'url',
  ],
  [
    'createUser with a 4,000-character random e-mail address',
    'admin',
    'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }',
    () => ({ i: { name: 'Long Mail', email: `${randomBytes(3000).toString('base64url').replace(/[-_]/g, 'x')}@example.org`, role: 'EDITOR' } }),
    'email',
  ],
  [
    'claims after a cursor dated year 0',
    'editor',
    'query($after: String) { claims(after: $after) { totalCount } }',
    () => ({ after: cursorOf('0000-01-01T00:00:00.000Z', UUID) }),
    'after',
  ],
  [
    'claims by due date after a cursor dated +275760',
    'editor',
    'query($after: String) { claims(orderBy: DUE_AT_ASC, after: $after) { totalCount } }',
    () => ({ after: cursorOf('+275760-09-13T00:00:00.000Z', UUID) }),
    'after',
  ],
  [
    'claims by priority after a cursor with rank 2^40',
    'editor',
    'query($after: String) { claims(orderBy: PRIORITY_DESC, after: $after) { totalCount } }',
    () => ({ after: cursorOf(2 ** 40, 'infinity', UUID) }),
    'after',
  ],
  [
    'articles after a cursor dated -000001',
    'editor',
    'query($after: String) { articles(after: $after) { totalCount } }',
    () => ({ after: cursorOf('-000001-01-01T00:00:00.000Z', UUID) }),
    'after',
  ],
  [
    'factChecks after a cursor dated +275760',
    'partner',
    'query($after: String) { factChecks(after: $after) { totalCount } }',
    () => ({ after: cursorOf('+275760-09-13T00:00:00.000Z', UUID) }),
    'after',
  ],
  [
    'myAssignments after a cursor dated year 0',
    'reviewer1',
    'query($after: String) { myAssignments(after: $after) { totalCount } }',
    () => ({ after: cursorOf('infinity', '0000-01-01T00:00:00.000Z', UUID) }),
    'after',
  ],
  [
    'users after a cursor whose name holds a NUL',
    'editor',
    'query($after: String) { users(after: $after) { totalCount } }',
    () => ({ after: cursorOf('a\u0000b', UUID) }),
    'after',
  ],
];

test.each(FOUND.map((found, i) => [...found, `regression-${i}`] as const))(
  'found by fuzzing: %s',
  async (_name, principal, document, variables, field, requestId) => {
    const response = await app.post({ query: document, variables: variables() }, { token: tokenOf(principal), requestId });
    expect(response.status).toBeLessThan(500);
    for (const error of response.json?.errors ?? [])
      expect(error.extensions, JSON.stringify(app.loggedErrors(requestId))).toMatchObject({ code: 'BAD_USER_INPUT', field });
  },
);

test('afterwards the invariants hold in the database, and the server still answers', async () => {
  expect((await checkInvariants(app.database.db)).violations).toEqual([]);
  expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ status: 'ok' });
  const counts = Object.fromEntries(Object.entries(pools).map(([pool, values]) => [pool, values.length]));
  console.log(
    `fuzz: ${casesRun} cases (FUZZ_RUNS=${TOTAL_RUNS}, FUZZ_SEED=${SEED}); outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}; pools afterwards: ${JSON.stringify(counts)}`,
  );
  expect(casesRun).toBeGreaterThanOrEqual(Math.min(TOTAL_RUNS, 2_000));
});

/** Every root field is fuzzed, or listed in NOT_FUZZED with why; and each family calls the root field it is keyed by. */
test('every Query and Mutation field is fuzzed, or in NOT_FUZZED', async () => {
  const schema = await getSchema();
  const rootFields = new Map<string, 'query' | 'mutation'>();
  for (const [operation, type] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const)
    for (const field of Object.keys(type?.getFields() ?? {})) rootFields.set(field, operation);
  const fuzzed = fuzzedOperations();
  const callsItsField = (family: FuzzFamily) => {
    const [operation] = parse(family.document).definitions as OperationDefinitionNode[];
    const fields = operation!.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
    return rootFields.get(family.field) === operation!.operation && fields.join() === family.field;
  };
  const where = 'test/support/fuzz/families.ts';
  expect([
    ...[...rootFields.keys()]
      .filter((field) => !fuzzed.has(field) && !(field in NOT_FUZZED))
      .map((field) => `${field}: no family fuzzes it; add one to its feature's <feature>.fuzz.ts, or list it in NOT_FUZZED (${where}) with why`),
    ...Object.keys(NOT_FUZZED)
      .filter((field) => fuzzed.has(field))
      .map((field) => `${field}: fuzzed now, so NOT_FUZZED (${where}) should no longer list it`),
    ...Object.keys(NOT_FUZZED)
      .filter((field) => !rootFields.has(field))
      .map((field) => `${field}: listed in NOT_FUZZED (${where}), but no Query or Mutation field has that name`),
    ...Object.entries(NOT_FUZZED)
      .filter(([, why]) => !why.trim())
      .map(([field]) => `${field}: listed in NOT_FUZZED (${where}) without a reason`),
    ...FAMILIES.filter((family) => !callsItsField(family)).map(
      (family) => `${family.field}: its family's document does not call that ${rootFields.get(family.field) ?? 'root field'} alone`,
    ),
  ]).toEqual([]);
});
