/**
 * Random and hostile requests through HTTP, against one server and database for the whole file.
 *
 * Every mutation and a few queries are generated with fast-check: inputs that mostly look valid, with
 * hostile values mixed in (test/support/hostile-input.ts), real IDs of existing objects (the pools
 * below, refilled from successful responses) and IDs of the wrong type or shape, sent by a random
 * principal; one request in ten has its document or body mangled as well. Whatever is sent:
 *
 * - the HTTP status is below 500 and the body is JSON;
 * - every error carries one of the client codes (never INTERNAL_SERVER_ERROR);
 * - a BAD_USER_INPUT raised while executing (it has a path) names its `extensions.field`; GraphQL's
 *   own variable coercion errors (no path) need not;
 * - an operation never succeeds for a principal that docs/design.md does not allow it.
 *
 * Afterwards the database invariants are checked directly, and the server must still answer /healthz.
 *
 * Each family of operations is one test, so that a server bug in one does not hide the others; a
 * family collects its violations (with the server's logged cause of each masked error) and fails
 * with one example of each kind. FUZZ_RUNS (default 2,400) scales the total number of cases; FUZZ_SEED
 * (default fixed) replays a run, FUZZ_SEED=random explores: `FUZZ_RUNS=12000 FUZZ_SEED=random npx vitest run test/integration/fuzz.test.ts`.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { LIMITS } from '../../src/domain/validation.js';
import {
  ASSIGNMENT_STATES,
  CLAIM_ORDERS,
  CLAIM_STATUSES,
  CONFIDENCES,
  EVIDENCE_KINDS,
  PRIORITIES,
  RATINGS,
  ROLES,
  STANCES,
  WEBHOOK_EVENT_TYPES,
  type Role,
} from '../../src/model/enums.js';
import { toGlobalId, type NodeType } from '../../src/domain/global-ids.js';
import { checkInvariants } from '../support/invariants.js';
import { createDesk, createUser, SEED_BODY, type TestUser } from '../support/factories.js';
import {
  dateTime,
  email,
  enumOf,
  forgedCursor,
  int,
  languageTag,
  MALFORMED_IDS,
  mostly,
  NASTY_STRINGS,
  optionalText,
  text,
  toBase64url,
  url,
  wrongType,
} from '../support/hostile-input.js';
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
// The world the requests refer to

const PRINCIPALS = ['admin', 'editor', 'reviewer1', 'reviewer2', 'outsider', 'partner', 'none'] as const;
type Principal = (typeof PRINCIPALS)[number];

/** `spare`: users that updateUser may change, never a principal (whose role the checks rely on). */
type Pool =
  'article' | 'claim' | 'assignment' | 'evidence' | 'verdict' | 'factCheck' | 'user' | 'reviewer' | 'spare' | 'token' | 'endpoint' | 'delivery' | 'cursor';
const TYPE_OF: Record<Exclude<Pool, 'cursor'>, NodeType> = {
  article: 'Article',
  claim: 'Claim',
  assignment: 'Assignment',
  evidence: 'Evidence',
  verdict: 'Verdict',
  factCheck: 'FactCheck',
  user: 'User',
  reviewer: 'User',
  spare: 'User',
  token: 'ApiToken',
  endpoint: 'WebhookEndpoint',
  delivery: 'WebhookDelivery',
};

let app: LoggedTestApp;
const people = {} as Record<Exclude<Principal, 'none'>, TestUser>;
const articles: { id: string; url: string; body: string }[] = [];
const pools: Record<Pool, string[]> = {
  article: [],
  claim: [],
  assignment: [],
  evidence: [],
  verdict: [],
  factCheck: [],
  user: [],
  reviewer: [],
  spare: [],
  token: [],
  endpoint: [],
  delivery: [],
  cursor: [],
};
const POOL_CAP = 500;
const remember = (pool: Pool, value: string | null | undefined) => {
  if (typeof value === 'string' && !pools[pool].includes(value) && pools[pool].length < POOL_CAP) pools[pool].push(value);
};

const roleOf = (principal: Principal): Role | null => (principal === 'none' ? null : people[principal].role);
const tokenOf = (principal: Principal) => (principal === 'none' ? null : people[principal].token);

/** The last status seen of each claim, and the claims each reviewer was assigned, from successful responses. */
const claimStatus = new Map<string, string>();
const assignedTo = new Map<string, string[]>();
const evidenceOf = new Map<string, string[]>();

/** Claims (global ID, status) anywhere in a response's data. */
function noteClaimStatuses(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(noteClaimStatuses);
  if (!value || typeof value !== 'object') return;
  const { id, status } = value as { id?: unknown; status?: unknown };
  if (typeof id === 'string' && typeof status === 'string' && Buffer.from(id, 'base64url').toString().startsWith('Claim:')) claimStatus.set(id, status);
  Object.values(value).forEach(noteClaimStatuses);
}

/** A value computed when the request is sent, from the world as it is then and the sender (e.g. a claim assigned to them). */
class Lazy {
  constructor(readonly get: (sender: Principal) => unknown) {}
}
function resolve(value: unknown, sender: Principal): unknown {
  if (value instanceof Lazy) return resolve(value.get(sender), sender);
  if (Array.isArray(value)) return value.map((v) => resolve(v, sender));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, sender)]));
  return value;
}
const pick = <T>(values: readonly T[], i: number): T | undefined => values[i % values.length];

/** An existing object's global ID (a well-formed unknown one while the pool is empty). */
const existing = (pool: Exclude<Pool, 'cursor'>) =>
  fc.nat({ max: 100_000 }).map((i) => new Lazy(() => pick(pools[pool], i) ?? toGlobalId(TYPE_OF[pool], '00000000-0000-4000-8000-000000000000')));

/** An ID for a field that wants one from `pool`: mostly a real one; else another type's, an unknown one, garbage. */
const id = (pool: Exclude<Pool, 'cursor'>) =>
  mostly(
    existing(pool),
    fc.oneof(
      fc.constantFrom(...(Object.keys(TYPE_OF) as Exclude<Pool, 'cursor'>[])).chain((other) => existing(other)),
      fc.uuid().map((u) => toGlobalId(TYPE_OF[pool], u)),
      fc.constantFrom(...MALFORMED_IDS),
      wrongType,
      fc.constant(null),
    ),
    8,
  );

/** A claim for an action: mostly one last seen in one of `statuses`, so that the workflow lets the action through. */
const claimIn = (statuses: readonly string[]) =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.nat().map(
        (i) =>
          new Lazy(
            () =>
              pick(
                [...claimStatus].filter(([, s]) => statuses.includes(s)).map(([c]) => c),
                i,
              ) ?? pick(pools.claim, i),
          ),
      ),
    },
    { weight: 1, arbitrary: id('claim') },
  );
/** A claim for a reviewer's action: mostly one the sender was assigned. */
const claimOfSender = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .nat()
      .map((i) => new Lazy((sender) => pick(sender === 'none' ? [] : (assignedTo.get(people[sender].globalId) ?? []), i) ?? pick(pools.claim, i))),
  },
  { weight: 1, arbitrary: id('claim') },
);
const EDITABLE = ['OPEN', 'IN_REVIEW', 'DISPUTED', 'REVIEWED'];

const cursor = fc.oneof(
  { weight: 2, arbitrary: fc.nat().map((i) => new Lazy(() => pick(pools.cursor, i) ?? null)) },
  { weight: 2, arbitrary: forgedCursor },
  { weight: 2, arbitrary: fc.constantFrom(undefined, null) },
);
const first = fc.oneof(fc.constantFrom(undefined, null), int(1, 100));

/** Which principal sends a request, weighted. */
const from = (weights: Partial<Record<Principal, number>>) => fc.oneof(...PRINCIPALS.map((p) => ({ weight: weights[p] ?? 1, arbitrary: fc.constant(p) })));
const EDITORS_MOSTLY = from({ editor: 5, admin: 2 });
const REVIEWERS_MOSTLY = from({ reviewer1: 5, reviewer2: 5, editor: 2 });
const ADMINS_MOSTLY = from({ admin: 6 });

// ---------------------------------------------------------------------------------------------------
// Families of operations

interface Family {
  name: string;
  /** Share of the runs. */
  weight: number;
  document: string;
  /** The top-level field of the operation. */
  field: string;
  /** Who may get a non-null `field` back (docs/design.md, Who sees what); null stands for no token. */
  roles: readonly Role[];
  principal: fc.Arbitrary<Principal>;
  variables: fc.Arbitrary<Record<string, unknown>>;
  /** Collects IDs and cursors of a successful response for later requests. */
  harvest?: (result: any) => void;
  /** More to check of a response. */
  check?: (principal: Principal, data: Record<string, any>) => string[];
}

const EDITORS: Role[] = ['ADMIN', 'EDITOR'];
const STAFF: Role[] = ['ADMIN', 'EDITOR', 'REVIEWER'];
const ADMINS: Role[] = ['ADMIN'];
const EVERYONE: Role[] = ['ADMIN', 'EDITOR', 'REVIEWER', 'PARTNER'];

const input = (fields: Record<string, fc.Arbitrary<unknown>>) => fc.record({ i: mostly(fc.record(fields), fc.constantFrom<unknown>(null, 'input', [])) });
const version = fc.oneof(fc.constantFrom(undefined, null), int(0, 12));

/** createClaim's quote and span: a random stretch of an existing article's body, with its span right, absent, or wrong. */
const claimSource = fc.record({
  article: fc.nat(),
  start: fc.nat(),
  length: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 200 })),
  span: fc.constantFrom('exact', 'exact', 'exact', 'omitted', 'null', 'utf16', 'shifted', 'random'),
  randomSpan: fc.oneof(fc.record({ start: int(-3, 3000), end: int(-3, 3000) }), wrongType),
  quote: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: text(LIMITS.quote) }),
  articleId: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: id('article') }),
});
type ClaimSource = typeof claimSource extends fc.Arbitrary<infer S> ? S : never;
function claimQuote(source: ClaimSource) {
  const article = articles[source.article % articles.length]!;
  const codePoints = Array.from(article.body);
  const start = source.start % (codePoints.length + 1);
  const end = Math.min(codePoints.length, start + source.length);
  const quote = source.quote === undefined ? codePoints.slice(start, end).join('') : source.quote;
  const utf16Start = codePoints.slice(0, start).join('').length;
  const span = {
    exact: { start, end },
    omitted: undefined,
    null: null,
    utf16: { start: utf16Start, end: utf16Start + (typeof quote === 'string' ? quote.length : 0) },
    shifted: { start: start + 1, end: end + 1 },
    random: source.randomSpan,
  }[source.span];
  return { articleId: source.articleId ?? article.id, quote, span };
}

/** Article bodies to ingest: prose in several scripts, with emoji before the interesting parts. */
const BODIES = [
  'Breaking 👍🏽: the café said “prices rose 12%” — naïve readers 🇮🇱 believed it. Later, prices rose 12% again.',
  'قال المتحدث إن المساعدات "تُسرق بشكل روتيني". The spokesman said aid is "routinely stolen". הדובר הכחיש זאת.',
  'Family 👩‍👩‍👧‍👦 photos; combining e\u0301 accents; 𝕄𝕒𝕥𝕙 letters; 数据显示，援助物资被劫持。 Repeat. Repeat. Repeat.',
  'Unemployment fell to 3.4%, the lowest level since 1969, the minister said on Tuesday.',
];
/** Not a body: blank, NUL, lone surrogates, one code point over the limit (in ASCII and in emoji), not a string. */
const hostileBody = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.constantFrom('x'.repeat(LIMITS.body + 1), '😀'.repeat(LIMITS.body + 1)),
  fc.constantFrom<unknown>(null, 5, ['body']),
);

const ENDPOINT_OWNERS: Role[] = ['ADMIN', 'EDITOR', 'PARTNER'];
const ENDPOINT_OWNERS_MOSTLY = from({ partner: 4, editor: 3, admin: 2 });
const webhookEvents = mostly(fc.array(enumOf(WEBHOOK_EVENT_TYPES), { maxLength: 6 }), fc.oneof(fc.constant([]), wrongType));
const ENDPOINT_FIELDS = 'id url events enabled description owner { id } deliveries(first: 5) { totalCount edges { node { id state attempts payload } } }';
const harvestEndpoint = (endpoint: any) => {
  remember('endpoint', endpoint?.id);
  for (const edge of endpoint?.deliveries?.edges ?? []) remember('delivery', edge.node.id);
};
/** A partner's endpoint never hears staff events, whoever set them. */
const partnerHearsFactChecksOnly = (principal: Principal, endpoint: any) =>
  principal === 'partner' && endpoint?.events?.some((e: string) => !e.startsWith('FACT_CHECK_'))
    ? [`a partner endpoint receives ${endpoint.events.join(', ')}`]
    : [];

const WEBHOOK_FAMILIES: Family[] = [
  {
    name: 'createWebhookEndpoint',
    weight: 2,
    document: `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret endpoint { ${ENDPOINT_FIELDS} } } }`,
    field: 'createWebhookEndpoint',
    roles: ENDPOINT_OWNERS,
    principal: ENDPOINT_OWNERS_MOSTLY,
    variables: input({ url, events: webhookEvents, description: optionalText(LIMITS.short) }),
    harvest: (payload) => harvestEndpoint(payload.endpoint),
    check: (principal, data) => partnerHearsFactChecksOnly(principal, data.createWebhookEndpoint?.endpoint),
  },
  {
    name: 'updateWebhookEndpoint',
    weight: 1,
    document: `mutation($i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $i) { endpoint { ${ENDPOINT_FIELDS} } } }`,
    field: 'updateWebhookEndpoint',
    roles: ENDPOINT_OWNERS,
    principal: ENDPOINT_OWNERS_MOSTLY,
    variables: input({
      endpointId: id('endpoint'),
      url: fc.oneof(fc.constant(undefined), url),
      events: fc.oneof(fc.constant(undefined), webhookEvents),
      description: optionalText(LIMITS.short),
      enabled: fc.oneof(fc.constantFrom(undefined, null, true, false), wrongType),
    }),
    harvest: (payload) => harvestEndpoint(payload.endpoint),
    check: (principal, data) => partnerHearsFactChecksOnly(principal, data.updateWebhookEndpoint?.endpoint),
  },
  {
    name: 'rotateWebhookSecret',
    weight: 1,
    document: 'mutation($i: RotateWebhookSecretInput!) { rotateWebhookSecret(input: $i) { secret endpoint { id } } }',
    field: 'rotateWebhookSecret',
    roles: ENDPOINT_OWNERS,
    principal: ENDPOINT_OWNERS_MOSTLY,
    variables: input({ endpointId: id('endpoint') }),
  },
  {
    name: 'deleteWebhookEndpoint',
    weight: 1,
    document: 'mutation($i: DeleteWebhookEndpointInput!) { deleteWebhookEndpoint(input: $i) { deletedId } }',
    field: 'deleteWebhookEndpoint',
    roles: ENDPOINT_OWNERS,
    principal: ENDPOINT_OWNERS_MOSTLY,
    variables: input({ endpointId: id('endpoint') }),
  },
  {
    name: 'redeliverWebhook',
    weight: 1,
    document: 'mutation($i: RedeliverWebhookInput!) { redeliverWebhook(input: $i) { delivery { id eventId event state attempts payload nextAttemptAt } } }',
    field: 'redeliverWebhook',
    roles: ENDPOINT_OWNERS,
    principal: ENDPOINT_OWNERS_MOSTLY,
    variables: input({ deliveryId: id('delivery') }),
  },
  {
    name: 'webhookEndpoints',
    weight: 1,
    document: `query($first: Int, $after: String) { webhookEndpoints(first: $first, after: $after) { totalCount pageInfo { endCursor } edges { node { ${ENDPOINT_FIELDS} } } } }`,
    field: 'webhookEndpoints',
    roles: ENDPOINT_OWNERS,
    principal: ENDPOINT_OWNERS_MOSTLY,
    variables: fc.record({ first, after: cursor }),
    harvest: (connection) => {
      remember('cursor', connection.pageInfo.endCursor);
      for (const edge of connection.edges) harvestEndpoint(edge.node);
    },
  },
  {
    name: 'factCheckChanges',
    weight: 1,
    document:
      'query($first: Int, $after: String) { factCheckChanges(first: $first, after: $after) { pageInfo { endCursor hasNextPage } edges { cursor node { type at factCheckId factCheck { id rating } } } } }',
    field: 'factCheckChanges',
    roles: EVERYONE,
    principal: from({ partner: 4 }),
    variables: fc.record({ first, after: cursor }),
    harvest: (connection) => remember('cursor', connection.pageInfo.endCursor),
  },
];

/** The default scale's keys: fact checks use them, so a scale that keeps them mostly passes (removing one in use is CONFLICT). */
const DEFAULT_KEYS = ['false', 'mostly-false', 'misleading', 'mixed', 'mostly-true', 'true', 'unproven'] as const;
const labelKey = mostly(
  fc.oneof(fc.constantFrom(...DEFAULT_KEYS), fc.stringMatching(/^[a-z0-9-]{1,40}$/)),
  fc.oneof(text(50), fc.constantFrom<unknown>('A B', 'x'.repeat(41), '')),
);
const localizedTexts = (limit: number) =>
  mostly(fc.array(fc.record({ locale: languageTag, text: text(limit) }), { maxLength: 3 }), fc.oneof(wrongType, fc.constant(null)));
const ratingLabelInput = fc.record(
  {
    key: labelKey,
    rating: enumOf(RATINGS),
    value: fc.oneof(fc.constantFrom(undefined, null), int(1, 100)),
    names: localizedTexts(LIMITS.label).map((names) => (Array.isArray(names) ? [{ locale: 'en', text: 'Label' }, ...names] : names)),
    descriptions: fc.oneof(fc.constant(undefined), localizedTexts(LIMITS.note)),
  },
  { requiredKeys: ['key', 'rating', 'names'] },
);
/** Mostly the default scale's labels (renamed, revalued, in other languages) with a few more; sometimes anything. */
const scaleLabels = mostly(
  fc
    .tuple(fc.array(ratingLabelInput, { maxLength: 4 }), fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), { minLength: 7, maxLength: 7 }))
    .map(([extra, names]) => [
      ...DEFAULT_KEYS.map((key, i) => ({
        key,
        rating: key.toUpperCase().replace('-', '_'),
        names: [
          { locale: 'en', text: names[i] },
          { locale: 'pt-BR', text: names[i] },
        ],
      })),
      ...extra,
    ]),
  fc.oneof(fc.array(ratingLabelInput, { maxLength: 22 }), wrongType),
  4,
);
const SCALE_FIELDS =
  'name defaultLocale bestValue worstValue labels { key rating value name names { locale text } pt: name(locale: "pt") description(locale: "pt-BR") }';
/** A bulk payload: counts add up, every item either a claim or a coded error (never INTERNAL_SERVER_ERROR). */
function bulkCheck(payload: { succeeded: number; failed: number; results: { claim: unknown; error: { code: string } | null }[] } | null): string[] {
  if (!payload) return [];
  const problems: string[] = [];
  if (payload.succeeded + payload.failed !== payload.results.length) problems.push('succeeded + failed is not the number of results');
  if (payload.results.filter((r) => r.error === null).length !== payload.succeeded) problems.push('succeeded is not the number of results without an error');
  for (const r of payload.results) {
    if ((r.claim === null) === (r.error === null)) problems.push('an item has both or neither of claim and error');
    if (r.error && !['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN'].includes(r.error.code)) problems.push(`an item failed with ${r.error.code}`);
  }
  return problems;
}

const FAMILIES: Family[] = [
  {
    name: 'ingestArticle',
    weight: 2,
    document: 'mutation($i: IngestArticleInput!) { ingestArticle(input: $i) { created article { id url title body language publisher author publishedAt } } }',
    field: 'ingestArticle',
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({
      url: fc.oneof({ weight: 6, arbitrary: url }, { weight: 1, arbitrary: fc.nat().map((i) => new Lazy(() => pick(articles, i)!.url)) }),
      title: text(LIMITS.title),
      body: mostly(fc.constantFrom(...BODIES), hostileBody),
      publisher: optionalText(LIMITS.short),
      author: optionalText(LIMITS.short),
      publishedAt: fc.oneof(fc.constant(undefined), dateTime),
      language: languageTag,
    }),
    harvest: ({ article }) => {
      if (!articles.some((a) => a.id === article.id)) articles.push({ id: article.id, url: article.url, body: article.body });
      remember('article', article.id);
    },
  },
  {
    name: 'createClaim',
    weight: 3,
    document:
      'mutation($i: CreateClaimInput!) { createClaim(input: $i) { claim { id quote statement status version round requiredVerdicts span { start end } article { id } } } }',
    field: 'createClaim',
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: fc
      .record({
        source: claimSource,
        statement: optionalText(LIMITS.statement),
        claimant: optionalText(LIMITS.short),
        priority: fc.oneof(fc.constant(undefined), enumOf(PRIORITIES)),
        requiredVerdicts: fc.oneof(fc.constant(undefined), int(1, 5)),
        dueAt: fc.oneof(fc.constant(undefined), dateTime),
      })
      .map(({ source, ...rest }) => ({ i: new Lazy(() => ({ ...claimQuote(source), ...rest })) })),
    harvest: ({ claim }) => remember('claim', claim.id),
  },
  {
    name: 'updateClaim',
    weight: 2,
    document: 'mutation($i: UpdateClaimInput!) { updateClaim(input: $i) { claim { id status version statement claimant priority requiredVerdicts dueAt } } }',
    field: 'updateClaim',
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({
      claimId: id('claim'),
      expectedVersion: version,
      statement: fc.oneof(fc.constant(undefined), text(LIMITS.statement)),
      claimant: fc.oneof(fc.constant(undefined), optionalText(LIMITS.short)),
      priority: fc.oneof(fc.constant(undefined), enumOf(PRIORITIES)),
      requiredVerdicts: fc.oneof(fc.constant(undefined), int(1, 5)),
      dueAt: fc.oneof(fc.constant(undefined), dateTime),
    }),
  },
  {
    name: 'assignClaim',
    weight: 2,
    document: 'mutation($i: AssignClaimInput!) { assignClaim(input: $i) { claim { id status version } assignments { id state dueAt reviewer { id } } } }',
    field: 'assignClaim',
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({
      claimId: claimIn(EDITABLE),
      reviewerIds: mostly(fc.array(id('reviewer'), { minLength: 1, maxLength: 3 }), fc.oneof(fc.array(id('user'), { maxLength: 25 }), wrongType)),
      dueAt: fc.oneof(fc.constant(undefined), dateTime),
    }),
    harvest: ({ claim, assignments }) => {
      for (const assignment of assignments as { id: string; reviewer: { id: string } }[]) {
        remember('assignment', assignment.id);
        assignedTo.set(assignment.reviewer.id, [...new Set([...(assignedTo.get(assignment.reviewer.id) ?? []), claim.id])]);
      }
    },
  },
  {
    name: 'withdrawAssignment',
    weight: 1,
    document: 'mutation($i: WithdrawAssignmentInput!) { withdrawAssignment(input: $i) { assignment { id state claim { id status } } } }',
    field: 'withdrawAssignment',
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({ assignmentId: id('assignment') }),
  },
  {
    name: 'addEvidence',
    weight: 2,
    document: 'mutation($i: AddEvidenceInput!) { addEvidence(input: $i) { evidence { id kind url title excerpt stance claim { id } addedBy { id } } } }',
    field: 'addEvidence',
    roles: STAFF,
    principal: REVIEWERS_MOSTLY,
    variables: input({
      claimId: claimOfSender,
      kind: enumOf(EVIDENCE_KINDS),
      url: fc.oneof(fc.constantFrom(undefined, null), url),
      title: text(LIMITS.title),
      excerpt: optionalText(LIMITS.excerpt),
      stance: enumOf(STANCES),
    }),
    harvest: ({ evidence }) => {
      remember('evidence', evidence.id);
      evidenceOf.set(evidence.claim.id, [...(evidenceOf.get(evidence.claim.id) ?? []), evidence.id]);
    },
  },
  {
    name: 'submitVerdict',
    weight: 2,
    document:
      'mutation($i: SubmitVerdictInput!) { submitVerdict(input: $i) { verdict { id rating confidence citedEvidence { id } } claim { id status version } } }',
    field: 'submitVerdict',
    roles: ['REVIEWER'],
    principal: REVIEWERS_MOSTLY,
    variables: fc
      .record({
        claimId: claimOfSender,
        rating: enumOf(RATINGS),
        confidence: enumOf(CONFIDENCES),
        rationale: text(LIMITS.rationale),
        // Mostly the claim's own evidence (or none), which a verdict may cite.
        evidenceIds: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(undefined, null, [], 'own') },
          { weight: 1, arbitrary: fc.array(id('evidence'), { maxLength: 3 }) },
          { weight: 1, arbitrary: fc.array(id('evidence'), { minLength: 101, maxLength: 102 }) },
        ),
      })
      .map(({ claimId, evidenceIds, ...rest }) => ({
        i: new Lazy((sender) => {
          const claim = resolve(claimId, sender);
          return { claimId: claim, evidenceIds: evidenceIds === 'own' ? (evidenceOf.get(claim as string) ?? []) : evidenceIds, ...rest };
        }),
      })),
    harvest: ({ verdict }) => remember('verdict', verdict.id),
  },
  {
    name: 'addClaimAppearance',
    weight: 2,
    document:
      'mutation($i: AddClaimAppearanceInput!) { addClaimAppearance(input: $i) { claim { id status version appearances { url appearedAt archivedUrl firstAppearance } factCheck { id updatedAt claimReview } } } }',
    field: 'addClaimAppearance',
    roles: STAFF,
    principal: REVIEWERS_MOSTLY,
    variables: input({
      claimId: claimOfSender,
      // Mostly a few URLs again and again (no-ops, and the mark moving between them), sometimes a new or hostile one.
      url: fc.oneof(
        {
          weight: 3,
          arbitrary: fc.constantFrom('https://social.example/p/1', 'HTTPS://Social.Example/p/1/?utm_source=x#c', 'https://video.example/v?b=2&a=1'),
        },
        { weight: 2, arbitrary: url },
      ),
      appearedAt: fc.oneof(fc.constant(undefined), dateTime),
      archivedUrl: fc.oneof(fc.constantFrom(undefined, null), url),
      firstAppearance: fc.oneof(fc.constantFrom(undefined, null, true, false), wrongType),
      expectedVersion: version,
    }),
    check: (_principal, data) => {
      const appearances = data.addClaimAppearance?.claim?.appearances ?? [];
      const first = appearances.filter((a: { firstAppearance: boolean }) => a.firstAppearance).length;
      return first > 1
        ? [`${first} first appearances`]
        : appearances.length && !appearances[0].firstAppearance && first
          ? ['the first appearance is not listed first']
          : [];
    },
  },
  {
    name: 'publishFactCheck',
    weight: 2,
    document:
      'mutation($i: PublishFactCheckInput!) { publishFactCheck(input: $i) { claim { id status version } factCheck { id rating summary claimReview corrections { note previousRating } } } }',
    field: 'publishFactCheck',
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({
      claimId: claimIn(['REVIEWED', 'DISPUTED', 'PUBLISHED']),
      expectedVersion: version,
      rating: fc.oneof({ weight: 4, arbitrary: enumOf(RATINGS) }, { weight: 1, arbitrary: fc.constantFrom(undefined, null) }),
      ratingLabel: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: labelKey }),
      summary: text(LIMITS.summary),
      correctionNote: optionalText(LIMITS.note),
    }),
    harvest: ({ factCheck }) => remember('factCheck', factCheck.id),
  },
  {
    name: 'setRatingScale',
    weight: 1,
    document: `mutation($i: SetRatingScaleInput!) { setRatingScale(input: $i) { ratingScale { ${SCALE_FIELDS} } } }`,
    field: 'setRatingScale',
    roles: ADMINS,
    principal: ADMINS_MOSTLY,
    variables: input({
      name: text(LIMITS.name),
      defaultLocale: fc.oneof({ weight: 4, arbitrary: fc.constant('en') }, { weight: 1, arbitrary: languageTag }),
      labels: scaleLabels,
    }),
  },
  {
    name: 'ratingScale',
    weight: 1,
    document: `query($locale: String) { ratingScale { ${SCALE_FIELDS} any: labels { name(locale: $locale) description(locale: $locale) } } }`,
    field: 'ratingScale',
    roles: EVERYONE,
    principal: from({ partner: 3 }),
    variables: fc.record({ locale: fc.oneof(fc.constant(undefined), languageTag) }),
  },
  {
    name: 'dismissClaim',
    weight: 1,
    document: 'mutation($i: DismissClaimInput!) { dismissClaim(input: $i) { claim { id status version round } } }',
    field: 'dismissClaim',
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({ claimId: claimIn([...EDITABLE, 'PUBLISHED']), expectedVersion: version, reason: text(LIMITS.reason) }),
  },
  {
    name: 'reopenClaim',
    weight: 1,
    document: 'mutation($i: ReopenClaimInput!) { reopenClaim(input: $i) { claim { id status version round } } }',
    field: 'reopenClaim',
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({ claimId: claimIn(['DISPUTED', 'REVIEWED', 'PUBLISHED', 'DISMISSED']), expectedVersion: version, reason: text(LIMITS.reason) }),
  },
  {
    name: 'bulkAssignClaims',
    weight: 1,
    document:
      'mutation($i: BulkAssignClaimsInput!) { bulkAssignClaims(input: $i) { succeeded failed results { claimId claim { id status version } error { code message } } } }',
    field: 'bulkAssignClaims',
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({
      claimIds: mostly(fc.array(claimIn(EDITABLE), { minLength: 1, maxLength: 6 }), fc.oneof(fc.array(id('claim'), { maxLength: 110 }), wrongType)),
      reviewerIds: mostly(fc.array(id('reviewer'), { minLength: 1, maxLength: 3 }), fc.oneof(fc.array(id('user'), { maxLength: 25 }), wrongType)),
      dueAt: fc.oneof(fc.constant(undefined), dateTime),
    }),
    check: (_principal, data) => bulkCheck(data.bulkAssignClaims),
  },
  {
    name: 'bulkDismissClaims',
    weight: 1,
    document:
      'mutation($i: BulkDismissClaimsInput!) { bulkDismissClaims(input: $i) { succeeded failed results { claimId claim { id status version } error { code message } } } }',
    field: 'bulkDismissClaims',
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({
      claimIds: mostly(
        fc.array(claimIn([...EDITABLE, 'PUBLISHED']), { minLength: 1, maxLength: 6 }),
        fc.oneof(fc.array(id('claim'), { maxLength: 110 }), wrongType),
      ),
      reason: text(LIMITS.reason),
    }),
    check: (_principal, data) => bulkCheck(data.bulkDismissClaims),
  },
  {
    name: 'createUser',
    weight: 1,
    document: 'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id name role } } }',
    field: 'createUser',
    roles: ADMINS,
    principal: ADMINS_MOSTLY,
    variables: input({ name: text(LIMITS.name), email, role: enumOf(ROLES) }),
    harvest: ({ user }) => {
      remember('user', user.id);
      remember('spare', user.id);
      if (user.role === 'REVIEWER') remember('reviewer', user.id);
    },
  },
  {
    name: 'issueApiToken',
    weight: 1,
    document: 'mutation($i: IssueApiTokenInput!) { issueApiToken(input: $i) { tokenId } }',
    field: 'issueApiToken',
    roles: ADMINS,
    principal: ADMINS_MOSTLY,
    variables: input({
      userId: id('user'),
      label: text(LIMITS.label),
      expiresAt: fc.oneof(fc.constant(undefined), dateTime),
      rateLimitPerMinute: fc.oneof(fc.constant(undefined), int(1, 100_000)),
    }),
    harvest: ({ tokenId }) => remember('token', tokenId),
  },
  {
    name: 'updateUser',
    weight: 1,
    document: 'mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { id name role active } } }',
    field: 'updateUser',
    roles: ADMINS,
    principal: ADMINS_MOSTLY,
    // Only spare users (or IDs that name none): changing a principal would change what the checks expect of them.
    variables: input({
      userId: mostly(
        existing('spare'),
        fc.oneof(
          fc.uuid().map((u) => toGlobalId('User', u)),
          fc.constantFrom(...MALFORMED_IDS),
          wrongType,
          fc.constant(null),
        ),
        8,
      ),
      name: fc.oneof(fc.constant(undefined), text(LIMITS.name)),
      role: fc.oneof(fc.constant(undefined), enumOf(ROLES)),
      active: fc.oneof(fc.constant(undefined), fc.boolean(), wrongType),
    }),
  },
  {
    name: 'revokeApiToken',
    weight: 1,
    document: 'mutation($i: RevokeApiTokenInput!) { revokeApiToken(input: $i) { revoked } }',
    field: 'revokeApiToken',
    roles: ADMINS,
    principal: ADMINS_MOSTLY,
    // Only tokens issued during the run: revoking the principals' own would end the run early.
    variables: input({ tokenId: id('token') }),
  },
  {
    name: 'node',
    weight: 1,
    document:
      'query($id: ID!) { node(id: $id) { id __typename ... on User { name } ... on Claim { quote status } ... on Verdict { rating } ... on FactCheck { rating } ... on ApiToken { label user { id } } ... on WebhookEndpoint { owner { id } } } }',
    field: 'node',
    roles: EVERYONE,
    principal: from({}),
    variables: fc.record({ id: fc.constantFrom(...(Object.keys(TYPE_OF) as Exclude<Pool, 'cursor'>[])).chain((pool) => id(pool)) }),
    check: (principal, data) => {
      const node = data.node;
      if (!node || roleOf(principal) !== 'PARTNER') return [];
      const own =
        (node.__typename === 'User' && node.id === people.partner.globalId) ||
        (node.__typename === 'ApiToken' && node.user.id === people.partner.globalId) ||
        (node.__typename === 'WebhookEndpoint' && node.owner.id === people.partner.globalId);
      return node.__typename === 'FactCheck' || own ? [] : [`node(id) showed a partner a ${node.__typename}`];
    },
  },
  {
    name: 'claim',
    weight: 1,
    document: `query($id: ID!, $limit: Int) { claim(id: $id) { id quote status span { start end } verdicts { id rating } history { type note }
      evidence { id } assignments { id state } factCheck { id } similarFactChecks(limit: $limit) { similarity factCheck { id } } } }`,
    field: 'claim',
    roles: STAFF,
    principal: from({ editor: 2, reviewer1: 2, reviewer2: 2 }),
    variables: fc.record({ id: id('claim'), limit: fc.oneof(fc.constant(undefined), int(1, 20)) }),
  },
  {
    name: 'claims',
    weight: 1,
    document: `query($filter: ClaimFilter, $orderBy: ClaimOrder, $first: Int, $after: String) {
      claims(filter: $filter, orderBy: $orderBy, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id status quote span { start end } } } } }`,
    field: 'claims',
    roles: STAFF,
    principal: from({ editor: 3, reviewer1: 2 }),
    variables: fc.record({
      filter: fc.oneof(
        fc.constantFrom(undefined, null),
        fc.record(
          {
            status: fc.array(enumOf(CLAIM_STATUSES), { maxLength: 3 }),
            articleId: id('article'),
            reviewerId: id('reviewer'),
            priority: fc.array(enumOf(PRIORITIES), { maxLength: 2 }),
            search: text(LIMITS.short),
            dueBefore: dateTime,
          },
          { requiredKeys: [] },
        ),
      ),
      orderBy: fc.oneof(fc.constant(undefined), enumOf(CLAIM_ORDERS)),
      first,
      after: cursor,
    }),
    harvest: (connection) => remember('cursor', connection.pageInfo.endCursor),
  },
  {
    name: 'articles',
    weight: 1,
    document: `query($first: Int, $after: String, $claims: Int, $suggestions: Int) {
      articles(first: $first, after: $after) { totalCount pageInfo { endCursor } edges { node { id claims(first: $claims) { totalCount pageInfo { endCursor } }
      claimSuggestions(limit: $suggestions) { quote span { start end } score } } } } }`,
    field: 'articles',
    roles: STAFF,
    principal: from({ editor: 3, reviewer1: 2 }),
    variables: fc.record({ first: fc.oneof(fc.constant(3), first), after: cursor, claims: first, suggestions: fc.oneof(fc.constant(undefined), int(1, 50)) }),
    harvest: (connection) => remember('cursor', connection.pageInfo.endCursor),
  },
  {
    name: 'users',
    weight: 1,
    document:
      'query($role: Role, $first: Int, $after: String) { users(role: $role, first: $first, after: $after) { totalCount pageInfo { endCursor } edges { node { id name role } } } }',
    field: 'users',
    roles: EDITORS,
    principal: from({ editor: 3, admin: 2 }),
    variables: fc.record({ role: fc.oneof(fc.constant(undefined), enumOf(ROLES)), first, after: cursor }),
    harvest: (connection) => remember('cursor', connection.pageInfo.endCursor),
  },
  {
    name: 'myAssignments',
    weight: 1,
    document:
      'query($state: AssignmentState, $first: Int, $after: String) { myAssignments(state: $state, first: $first, after: $after) { totalCount pageInfo { endCursor } edges { node { id state dueAt claim { id status } } } } }',
    field: 'myAssignments',
    roles: STAFF,
    principal: REVIEWERS_MOSTLY,
    variables: fc.record({ state: fc.oneof(fc.constant(undefined), enumOf(ASSIGNMENT_STATES)), first, after: cursor }),
    harvest: (connection) => remember('cursor', connection.pageInfo.endCursor),
  },
  {
    name: 'factChecks',
    weight: 1,
    document: `query($filter: FactCheckFilter, $first: Int, $after: String) {
      factChecks(filter: $filter, first: $first, after: $after) { totalCount pageInfo { endCursor } edges { node { id rating quote claimReview article { url title }
        textualRating ratingLabel { key name } corrections { note previousTextualRating } } } } }`,
    field: 'factChecks',
    roles: EVERYONE,
    principal: from({ partner: 4 }),
    variables: fc.record({
      filter: fc.oneof(
        fc.constantFrom(undefined, null),
        fc.record(
          {
            search: text(LIMITS.short),
            rating: fc.array(enumOf(RATINGS), { maxLength: 3 }),
            articleUrl: fc.oneof(
              url,
              fc.nat().map((i) => new Lazy(() => pick(articles, i)!.url)),
            ),
            publishedAfter: dateTime,
            publishedBefore: dateTime,
            language: languageTag,
            appearanceUrl: fc.oneof(
              url,
              fc.constantFrom('https://social.example/p/1?utm_medium=m', 'https://video.example/v?a=1&b=2#t'),
              fc.nat().map((i) => new Lazy(() => pick(articles, i)!.url)),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
      first,
      after: cursor,
    }),
    harvest: (connection) => remember('cursor', connection.pageInfo.endCursor),
  },
  {
    name: 'deskStatistics',
    weight: 1,
    document: `query($from: DateTime, $to: DateTime) { deskStatistics(from: $from, to: $to) { from to claimsCreated factChecksPublished correctionsPublished
      claimsByStatus { status count } factChecksByRating { rating count } timeToPublish { count medianSeconds p90Seconds }
      timeToVerdict { count medianSeconds p90Seconds } disagreementRate overdueAssignments
      reviewers { reviewer { id name } activeAssignments overdueAssignments verdictsSubmitted medianSecondsToVerdict } } }`,
    field: 'deskStatistics',
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: fc.record({
      from: fc.oneof(
        fc.constant(undefined),
        dateTime,
        fc.integer({ min: 1, max: 400 }).map((days) => new Date(Date.now() - days * 86_400_000).toISOString()),
      ),
      to: fc.oneof(fc.constant(undefined), dateTime),
    }),
  },
  ...WEBHOOK_FAMILIES,
];

// ---------------------------------------------------------------------------------------------------
// Mangled documents and bodies

type Mangle =
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'unknown field' }
  | { kind: 'inline literals' }
  | { kind: 'no variables' }
  | { kind: 'variables'; value: unknown }
  | { kind: 'body'; value: unknown }
  | { kind: 'not JSON'; text: string };

const mangle: fc.Arbitrary<Mangle | null> = fc.oneof(
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
function body(document: string, variables: Record<string, unknown>, m: Mangle | null): unknown {
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

// ---------------------------------------------------------------------------------------------------
// Running cases and judging responses

interface Violation {
  problem: string;
  example: Record<string, unknown>;
}
let casesRun = 0;
/** How the responses came out: OK or the first error's code. */
const outcomes = new Map<string, number>();
const runsOf = (family: Family) => Math.max(10, Math.round((TOTAL_RUNS * family.weight) / FAMILIES.reduce((sum, f) => sum + f.weight, 0)));

/** What is wrong with a response, if anything. */
function problemsOf(family: Family, principal: Principal, response: RawResponse): string[] {
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

async function runCase(family: Family, principal: Principal, variables: Record<string, unknown>, m: Mangle | null, violations: Violation[]) {
  const resolved = resolve(variables, principal) as Record<string, unknown>;
  const requestId = `fuzz-${family.name}-${++casesRun}`;
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
  arbitrary: fc.Arbitrary<{ family: Family; principal: Principal; variables: Record<string, unknown>; mangle: Mangle | null }>,
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

const caseOf = (family: Family) => fc.record({ family: fc.constant(family), principal: family.principal, variables: family.variables, mangle });

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
    const { article } = (await gql(FAMILIES[0]!.document, { i: { url: `https://news.example/fuzz-${i}`, title: `Source ${i}`, body: articleBody } }, 'editor'))
      .ingestArticle;
    FAMILIES[0]!.harvest!({ article });
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
    FAMILIES.find((f) => f.name === 'assignClaim')!.harvest!((await assign(claimId, [people.reviewer1, people.reviewer2])).assignClaim);
  const evidence = await gql(
    'mutation($i: AddEvidenceInput!) { addEvidence(input: $i) { evidence { id claim { id } } } }',
    { i: { claimId: inReview, kind: 'DATASET', title: 'UN data', stance: 'REFUTES' } },
    'editor',
  );
  FAMILIES.find((f) => f.name === 'addEvidence')!.harvest!(evidence.addEvidence);
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

test.each(FAMILIES.map((family, i) => [family.name, family, i] as const))(
  '%s: hostile input by random principals',
  { timeout: 300_000 },
  async (_name, family, i) => {
    await fuzz(family.name, caseOf(family), runsOf(family), SEED + i);
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
