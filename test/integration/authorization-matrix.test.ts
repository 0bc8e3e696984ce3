/**
 * Who may do what, as tables to check against docs/design.md: "Who sees what" for the queries and the
 * staff-only fields, and the "who" column of the workflow table for the mutations. Every cell is a
 * test case: an operation sent by a principal, and what must come back.
 *
 *   yes              data returned, no error
 *   null             no error, and null instead of the object (node(id) of what the viewer may not see)
 *   all / none       blind review: every verdict of the round / none of them
 *   FORBIDDEN        that error (on the field that is refused), and no data for it
 *   UNAUTHENTICATED  that error; a revoked or expired token, or a deactivated user's, is refused for the whole request with HTTP 401
 *   NOT_FOUND        that error: someone else's webhook endpoint is not revealed
 *
 * A refused mutation must change nothing: the whole database is compared before and after.
 */
import { getNamedType, isObjectType, type GraphQLType } from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, ok, type GraphQLResponse, type TestApp } from '../support/app.js';
import { snapshotDatabase } from '../support/database-state.js';
import { asc, eq } from 'drizzle-orm';
import { apiTokens, externalFactChecks } from '../../src/db/schema.js';
import { getSchema } from '../../src/graphql/schema.js';
import { parseGlobalId, toGlobalId } from '../../src/domain/global-ids.js';
import { NODE_TYPES, OPERATIONS } from '../../src/domain/features.js';
import { createClaim, createUser, ingestArticle, type Desk, type TestUser, startDeskApp } from '../support/factories.js';
import { M, mutate } from '../support/workflow.js';
import { createEndpoint, deliveriesOf, FACT_CHECK_EVENTS, W } from '../support/webhooks.js';
import { CR, requestCorrection, resolveCorrectionRequest } from '../support/correction-requests/requests.js';
import { insertExternalFactCheck } from '../support/external/external-fact-checks.js';
import { claimReview, X } from '../support/external-imports/imports.js';
import { S } from '../support/external-sources/external-sources.js';

/** A feed URL nothing listens on: a fetch fails at once (connection refused) and records it. */
const UNREACHABLE_FEED = 'http://127.0.0.1:9/feed.json';

const PRINCIPALS = [
  'ADMIN',
  'EDITOR',
  'REVIEWER assigned',
  'REVIEWER other',
  'PARTNER',
  'no token',
  'revoked token',
  'expired token',
  'deactivated user',
] as const;
/** Principals whose token is refused for the whole request, with HTTP 401. */
const REFUSED_TOKENS: readonly Principal[] = ['revoked token', 'expired token', 'deactivated user'];
type Principal = (typeof PRINCIPALS)[number];
const OUTCOMES = ['yes', 'null', 'all', 'none', 'FORBIDDEN', 'UNAUTHENTICATED', 'NOT_FOUND'] as const;
type Outcome = (typeof OUTCOMES)[number];

/**
 * The principals. "REVIEWER assigned" holds an assignment on the claim in question (in the mutation
 * cases, an ACTIVE one on a claim set up for that case); "REVIEWER other" has none. The revoked token
 * is an editor's, issued and revoked by an admin through the API; so is the expired one (issued with
 * an expiresAt that has passed); the deactivated user is an editor an admin deactivated.
 */
interface Actor {
  token: string | null;
  user: TestUser | null;
}

/** Parses a table of operations × principals. A row's label, up to a remark in parentheses, names its operation. */
function matrix<Op>(operations: Record<string, Op>, table: string) {
  const [header, ...rows] = table
    .trim()
    .split('\n')
    .map((line) => line.split('|').map((cell) => cell.trim()));
  if (header!.slice(1).join('|') !== PRINCIPALS.join('|')) throw new Error(`The columns must be ${PRINCIPALS.join(' | ')}`);
  return rows.flatMap(([label, ...cells]) => {
    // A row may have an operation of its own (the same mutation from another status), else its mutation's.
    const operation = operations[label!] ?? operations[label!.split(' (')[0]!];
    if (!operation) throw new Error(`No operation for the row "${label}"`);
    if (cells.length !== PRINCIPALS.length) throw new Error(`The row "${label}" has ${cells.length} cells`);
    return cells.map((outcome, i) => {
      if (!OUTCOMES.includes(outcome as Outcome)) throw new Error(`Unknown outcome "${outcome}" in the row "${label}"`);
      // An array, so that the test's name shows the label without quotes or truncation.
      return [label!, PRINCIPALS[i]!, outcome as Outcome, operation] as const;
    });
  });
}

let app: TestApp;
let desk: Desk;
let actors: Record<Principal, Actor>;
/** A reviewer that the mutation cases assign; never a principal. */
let spare: TestUser;
/** The global ID of each principal's token, by user id. */
const tokenIds = new Map<string, string>();

/** What the query cases look at: one article with three claims, at different points of their review. */
const fx = {
  articleId: '',
  /** requiredVerdicts 3; reviewer1 ("REVIEWER assigned") and reviewer2 assigned; reviewer2 has submitted MOSTLY_FALSE. */
  blindClaimId: '',
  blindVerdictIds: [] as string[],
  assignmentId: '',
  evidenceId: '',
  /** requiredVerdicts 2; reviewer2 (MOSTLY_FALSE) and reviewer1 (FALSE) have both submitted: DISPUTED. */
  seenClaimId: '',
  coVerdictSeenId: '',
  seenVerdictIds: [] as string[],
  /** Published. */
  factCheckId: '',
  /** The editor's webhook endpoint, and its delivery of the publication. */
  editorEndpointId: '',
  editorDeliveryId: '',
  /** The speaker of the published claim. */
  claimantId: '',
  /** A topic; the published claim is filed under it, and the editor's endpoint follows it. */
  topicId: '',
  publishedClaimId: '',
  /** Another publisher's fact check of the published claim's words. */
  externalFactCheckId: '',
  /** A feed, added by the editor (never fetched: no fetch job runs here). */
  externalSourceId: '',
};

const QUOTES = {
  blind: 'has been routinely hijacked by Hamas terrorists',
  seen: 'is apparently holding Israel responsible for the distribution of aid',
  published: 'the reason for Blinken’s statement is unclear',
};

beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
  const outsider = await createUser(app.database.db, 'REVIEWER', 'Otto Outsider');
  spare = await createUser(app.database.db, 'REVIEWER', 'Sam Spare');

  const revokedUser = await createUser(app.database.db, 'EDITOR', 'Rex Revoked');
  const issued = ok(await app.gql(ISSUE_TOKEN, { i: { userId: revokedUser.globalId, label: 'to be revoked' } }, desk.admin.token)).issueApiToken;
  expect(ok(await app.gql(REVOKE_TOKEN, { i: { tokenId: issued.tokenId } }, desk.admin.token)).revokeApiToken.revoked).toBe(true);

  const expiringUser = await createUser(app.database.db, 'EDITOR', 'Exa Expired');
  const expiresAt = Date.now() + 2_000;
  const expiring = ok(
    await app.gql(ISSUE_TOKEN, { i: { userId: expiringUser.globalId, label: 'expires soon', expiresAt: new Date(expiresAt).toISOString() } }, desk.admin.token),
  ).issueApiToken;
  const deactivated = await createUser(app.database.db, 'EDITOR', 'Dee Deactivated');
  ok(await app.gql(UPDATE_USER, { i: { userId: deactivated.globalId, active: false } }, desk.admin.token));

  actors = {
    ADMIN: { token: desk.admin.token, user: desk.admin },
    EDITOR: { token: desk.editor.token, user: desk.editor },
    'REVIEWER assigned': { token: desk.reviewer1.token, user: desk.reviewer1 },
    'REVIEWER other': { token: outsider.token, user: outsider },
    PARTNER: { token: desk.partner.token, user: desk.partner },
    'no token': { token: null, user: null },
    'revoked token': { token: issued.token, user: revokedUser },
    'expired token': { token: expiring.token, user: expiringUser },
    'deactivated user': { token: deactivated.token, user: deactivated },
  };
  for (const user of [...Object.values(actors).map((a) => a.user), desk.reviewer2]) {
    if (!user) continue;
    const [token] = await app.database.db
      .select({ id: apiTokens.id })
      .from(apiTokens)
      .where(eq(apiTokens.userId, user.id))
      .orderBy(asc(apiTokens.createdAt))
      .limit(1);
    tokenIds.set(user.id, toGlobalId('ApiToken', token!.id));
  }

  const editor = desk.editor.token;
  const both = [desk.reviewer1.globalId, desk.reviewer2.globalId];
  fx.articleId = (await ingestArticle(app, editor)).id;

  fx.blindClaimId = (await createClaim(app, editor, { articleId: fx.articleId, quote: QUOTES.blind, requiredVerdicts: 3 })).id;
  const assigned = ok(await mutate(app, editor, 'assign', { claimId: fx.blindClaimId, reviewerIds: both })).assignClaim.assignments;
  fx.assignmentId = assigned.find((a: any) => a.reviewer.name === desk.reviewer1.name).id;
  fx.evidenceId = ok(
    await mutate(app, editor, 'evidence', { claimId: fx.blindClaimId, kind: 'DATASET', title: 'UN convoy data', stance: 'REFUTES' }),
  ).addEvidence.evidence.id;
  fx.blindVerdictIds = [
    ok(
      await mutate(app, desk.reviewer2.token, 'verdict', {
        claimId: fx.blindClaimId,
        rating: 'MOSTLY_FALSE',
        confidence: 'HIGH',
        rationale: 'Diversion is documented, but not routine.',
      }),
    ).submitVerdict.verdict.id,
  ];

  fx.seenClaimId = (await createClaim(app, editor, { articleId: fx.articleId, quote: QUOTES.seen, requiredVerdicts: 2 })).id;
  ok(await mutate(app, editor, 'assign', { claimId: fx.seenClaimId, reviewerIds: both }));
  fx.coVerdictSeenId = ok(
    await mutate(app, desk.reviewer2.token, 'verdict', { claimId: fx.seenClaimId, rating: 'MOSTLY_FALSE', confidence: 'LOW', rationale: 'Overstated.' }),
  ).submitVerdict.verdict.id;
  const own = ok(
    await mutate(app, desk.reviewer1.token, 'verdict', { claimId: fx.seenClaimId, rating: 'FALSE', confidence: 'HIGH', rationale: 'Not what he said.' }),
  ).submitVerdict;
  expect(own.claim.status).toBe('DISPUTED');
  fx.seenVerdictIds = [fx.coVerdictSeenId, own.verdict.id];

  fx.claimantId = ok(await app.gql(CREATE_CLAIMANT, { i: { name: 'State Department', kind: 'ORGANIZATION' } }, editor)).createClaimant.claimant.id;
  const publishedClaimId = (await createClaim(app, editor, { articleId: fx.articleId, quote: QUOTES.published, speakerId: fx.claimantId })).id;
  ok(await mutate(app, editor, 'assign', { claimId: publishedClaimId, reviewerIds: [desk.reviewer2.globalId] }));
  ok(
    await mutate(app, desk.reviewer2.token, 'verdict', {
      claimId: publishedClaimId,
      rating: 'TRUE',
      confidence: 'HIGH',
      rationale: 'The State Department did not explain it.',
    }),
  );
  // The editor's endpoint hears the publication: its delivery is the node(WebhookDelivery) case.
  fx.editorEndpointId = (await createEndpoint(app, editor, 'https://desk.example/hook')).endpoint.id;
  fx.factCheckId = ok(
    await mutate(app, editor, 'publish', { claimId: publishedClaimId, ratingLabel: 'true', summary: 'No reason was given.' }),
  ).publishFactCheck.factCheck.id;
  fx.editorDeliveryId = (await deliveriesOf(app, editor, fx.editorEndpointId)).deliveries[0]!.id;
  fx.publishedClaimId = publishedClaimId;
  fx.topicId = ok(await app.gql(CREATE_TOPIC, { i: { name: 'Humanitarian aid', wikidataId: 'Q1068495' } }, editor)).createTopic.topic.id;
  ok(await app.gql(SET_CLAIM_TOPICS, { i: { claimId: publishedClaimId, topicIds: [fx.topicId] } }, editor));
  ok(await app.gql(W.update, { i: { endpointId: fx.editorEndpointId, topicIds: [fx.topicId] } }, editor));
  fx.externalFactCheckId = (await insertExternalFactCheck(app, { claimReviewed: QUOTES.published, appearanceUrls: ['https://social.example/post/1'] })).id;
  fx.externalSourceId = ok(await app.gql(S.create, { i: { name: 'Checks Example', url: UNREACHABLE_FEED } }, editor)).createExternalSource.source.id;
  // As if the feed had brought it in (ExternalFactCheck.source).
  await app.database.db
    .update(externalFactChecks)
    .set({ sourceId: parseGlobalId(fx.externalSourceId)!.id })
    .where(eq(externalFactChecks.id, parseGlobalId(fx.externalFactCheckId)!.id));
  if (Date.now() <= expiresAt) await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 10));
});
afterAll(() => app?.stop());

/**
 * Correction requests: each principal who may file one has filed one on the published fact check,
 * answered by the editor (the viewer's own request of the rows below; others' see the partner's or
 * the assigned reviewer's).
 */
const ownRequests = new Map<string, string>();
beforeAll(async () => {
  for (const principal of ['ADMIN', 'EDITOR', 'REVIEWER assigned', 'REVIEWER other', 'PARTNER'] as const) {
    const { user, token } = actors[principal];
    const request = await requestCorrection(app, token!, fx.factCheckId, `${principal}: the date is wrong.`, `On behalf of ${principal}`);
    await resolveCorrectionRequest(app, desk.editor.token, request.id, 'DECLINED', 'The date is right.');
    ownRequests.set(user!.id, request.id);
  }
});

/** What a response must look like for an outcome; `value` is the part of the data the row is about. */
function expectOutcome(
  response: GraphQLResponse,
  outcome: Outcome,
  principal: Principal,
  value: unknown,
  expected: { all?: string[]; refusedAt: (string | number)[] },
) {
  const errors = JSON.stringify(response.errors);
  switch (outcome) {
    case 'UNAUTHENTICATED':
      expect(codes(response)).toEqual(['UNAUTHENTICATED']);
      expect(response.status).toBe(REFUSED_TOKENS.includes(principal) ? 401 : 200);
      expect(value ?? null).toBeNull();
      return;
    case 'NOT_FOUND':
    case 'FORBIDDEN':
      expect(codes(response)).toEqual([outcome]);
      expect(response.errors![0]!.path).toEqual(expected.refusedAt);
      expect(value ?? null).toBeNull();
      return;
    case 'null':
      expect(response.errors, errors).toBeUndefined();
      expect(value).toBeNull();
      return;
    case 'yes':
      expect(response.errors, errors).toBeUndefined();
      expect(value ?? null).not.toBeNull();
      return;
    case 'all':
      expect(response.errors, errors).toBeUndefined();
      expect((value as { id: string }[]).map((v) => v.id).sort()).toEqual([...expected.all!].sort());
      return;
    case 'none':
      expect(response.errors, errors).toBeUndefined();
      expect(value).toEqual([]);
  }
}

const at = (data: unknown, path: readonly string[]) => path.reduce<any>((value, key) => value?.[key], data);

// ---------------------------------------------------------------------------------------------------
// Queries and staff-only fields

interface QueryOperation {
  document: string;
  variables?: (actor: Actor) => Record<string, unknown>;
  /** Where in the data the row looks. */
  path: string[];
  /** Where the FORBIDDEN error must be, when it is not at `path`. */
  refusedAt?: string[];
  /** What of the value at `path` the row is about, when not all of it. */
  view?: (value: any) => unknown;
  /** For `all`: the ids of every verdict of the round. */
  all?: () => string[];
}

const NODE = 'query($id: ID!) { node(id: $id) { id __typename } }';
const node = (id: () => string): QueryOperation => ({ document: NODE, variables: () => ({ id: id() }), path: ['node'] });
const FACT_CHECK_ARTICLE = (selection: string) => ({
  document: `query($id: ID!) { factCheck(id: $id) { id article { ${selection} } } }`,
  variables: () => ({ id: fx.factCheckId }),
});

const QUERIES: Record<string, QueryOperation> = {
  viewer: { document: '{ viewer { id name role } }', path: ['viewer'] },
  'node(User) of another user': node(() => desk.reviewer2.globalId),
  'node(User) of the viewer': { document: NODE, variables: (actor) => ({ id: actor.user?.globalId ?? desk.editor.globalId }), path: ['node'] },
  'node(Article)': node(() => fx.articleId),
  'node(Claim)': node(() => fx.blindClaimId),
  'node(Assignment)': node(() => fx.assignmentId),
  'node(Evidence)': node(() => fx.evidenceId),
  'node(FactCheck)': node(() => fx.factCheckId),
  'node(Claimant)': node(() => fx.claimantId),
  'node(ExternalFactCheck)': node(() => fx.externalFactCheckId),
  externalFactChecks: {
    document: `query($url: URL!) { externalFactChecks(filter: { appearanceUrl: $url }) { totalCount edges { node { id reviewUrl } } } }`,
    variables: () => ({ url: 'https://social.example/post/1?utm_source=x' }),
    path: ['externalFactChecks'],
  },
  'Claim.relatedFactChecks': {
    document: `query($id: ID!) { claim(id: $id) { id relatedFactChecks { similarity item { __typename ... on ExternalFactCheck { id } } } } }`,
    variables: () => ({ id: fx.seenClaimId }),
    path: ['claim'],
  },
  claimant: {
    document: 'query($id: ID!) { claimant(id: $id) { id name url record { factChecks byRating { rating count } method } factChecks { totalCount } } }',
    variables: () => ({ id: fx.claimantId }),
    path: ['claimant'],
  },
  claimants: { document: '{ claimants(search: "state") { totalCount edges { node { id name } } } }', path: ['claimants'] },
  'ExternalFactCheck.source': {
    document: 'query($id: ID!) { node(id: $id) { id ... on ExternalFactCheck { source { id name } } } }',
    variables: () => ({ id: fx.externalFactCheckId }),
    path: ['node', 'source'],
  },
  'Claimant.claims': {
    document: 'query($id: ID!) { claimant(id: $id) { id claims { totalCount edges { node { id } } } } }',
    variables: () => ({ id: fx.claimantId }),
    path: ['claimant', 'claims'],
  },
  'FactCheck.speaker': {
    document: 'query($id: ID!) { factCheck(id: $id) { id url speaker { id name } } }',
    variables: () => ({ id: fx.factCheckId }),
    path: ['factCheck', 'speaker'],
  },
  'Claim.speaker': {
    document: 'query($id: ID!) { claim(id: $id) { id speaker { id name } } }',
    variables: () => ({ id: fx.seenClaimId }),
    path: ['claim'],
  },
  "node(WebhookEndpoint) of the editor's": node(() => fx.editorEndpointId),
  "node(WebhookDelivery) of the editor's": node(() => fx.editorDeliveryId),
  factCheckChanges: { document: '{ factCheckChanges { pageInfo { endCursor } edges { node { type factCheckId } } } }', path: ['factCheckChanges'] },
  webhookEndpoints: { document: '{ webhookEndpoints { totalCount edges { node { id url } } } }', path: ['webhookEndpoints'] },
  users: { document: '{ users(first: 100) { totalCount edges { node { id name role } } } }', path: ['users'] },
  'User.active': { document: '{ viewer { id active } }', path: ['viewer', 'active'] },
  'User.embargoAccess': { document: '{ viewer { id embargoAccess } }', path: ['viewer', 'embargoAccess'] },
  'Claim.scheduledPublication': {
    document: 'query($id: ID!) { claim(id: $id) { id scheduledPublication { publishAt factCheckId url scheduledBy { id } } } }',
    variables: () => ({ id: fx.seenClaimId }),
    path: ['claim'],
  },
  'User.apiTokens of the viewer': {
    document: '{ viewer { apiTokens { id label createdAt expiresAt lastUsedAt revokedAt rateLimitPerMinute } } }',
    path: ['viewer', 'apiTokens'],
  },
  'User.apiTokens of another user': {
    document: 'query($id: ID!) { node(id: $id) { id ... on User { apiTokens { id label } } } }',
    variables: () => ({ id: desk.reviewer2.globalId }),
    path: ['node'],
    refusedAt: ['node', 'apiTokens'],
    view: (user: { apiTokens: unknown[] }) => user.apiTokens,
  },
  'node(ApiToken) of the viewer': {
    document: 'query($id: ID!) { node(id: $id) { id ... on ApiToken { label user { id } } } }',
    variables: (actor) => ({ id: tokenIds.get(actor.user?.id ?? desk.editor.id) }),
    path: ['node'],
  },
  'node(ApiToken) of another user': {
    document: 'query($id: ID!) { node(id: $id) { id ... on ApiToken { label user { id } } } }',
    variables: () => ({ id: tokenIds.get(desk.reviewer2.id) }),
    path: ['node'],
  },
  article: { document: 'query($id: ID!) { article(id: $id) { id title body } }', variables: () => ({ id: fx.articleId }), path: ['article'] },
  articles: { document: '{ articles { totalCount edges { node { id title } } } }', path: ['articles'] },
  claim: {
    document: 'query($id: ID!) { claim(id: $id) { id quote status evidence { id } history { type } } }',
    variables: () => ({ id: fx.blindClaimId }),
    path: ['claim'],
  },
  claims: { document: '{ claims { totalCount edges { node { id quote status } } } }', path: ['claims'] },
  myAssignments: { document: '{ myAssignments { totalCount edges { node { id state claim { id } } } } }', path: ['myAssignments'] },
  factCheck: {
    document: 'query($id: ID!) { factCheck(id: $id) { id rating claimReviewed claimReview } }',
    variables: () => ({ id: fx.factCheckId }),
    path: ['factCheck'],
  },
  factChecks: { document: '{ factChecks { totalCount edges { node { id rating } } } }', path: ['factChecks'] },
  topics: { document: '{ topics { totalCount edges { node { id name wikidataId } } } }', path: ['topics'] },
  'node(Topic)': node(() => fx.topicId),
  'Topic.factChecks': {
    document: 'query($id: ID!) { node(id: $id) { id ... on Topic { factChecks { totalCount edges { node { id } } } } } }',
    variables: () => ({ id: fx.topicId }),
    path: ['node', 'factChecks'],
  },
  'Claim.topics': {
    document: 'query($id: ID!) { claim(id: $id) { id topics { id name } } }',
    variables: () => ({ id: fx.publishedClaimId }),
    path: ['claim', 'topics'],
    refusedAt: ['claim'],
  },
  'FactCheck.topics': {
    document: 'query($id: ID!) { factCheck(id: $id) { id topics { id name } } }',
    variables: () => ({ id: fx.factCheckId }),
    path: ['factCheck', 'topics'],
  },
  "WebhookEndpoint.topics of the editor's": {
    document: 'query($id: ID!) { node(id: $id) { id ... on WebhookEndpoint { topics { id name } } } }',
    variables: () => ({ id: fx.editorEndpointId }),
    path: ['node'],
    view: (endpoint: { topics: unknown[] }) => endpoint.topics,
  },
  deskStatistics: { document: '{ deskStatistics { claimsCreated overdueAssignments reviewers { reviewer { id } } } }', path: ['deskStatistics'] },
  ratingScale: {
    document: '{ ratingScale { name defaultLocale bestValue worstValue labels { key rating value name names { locale text } description } } }',
    path: ['ratingScale'],
  },
  'FactCheck.ratingLabel': {
    document: 'query($id: ID!) { factCheck(id: $id) { id textualRating ratingLabel { key rating value name(locale: "en") } } }',
    variables: () => ({ id: fx.factCheckId }),
    path: ['factCheck', 'ratingLabel'],
  },
  'FactCheck.article { title url }': { ...FACT_CHECK_ARTICLE('title url'), path: ['factCheck', 'article'] },
  'FactCheck.article.claims { totalCount }': { ...FACT_CHECK_ARTICLE('claims { totalCount }'), path: ['factCheck', 'article', 'claims'] },
  'FactCheck.article.claimSuggestions { quote }': { ...FACT_CHECK_ARTICLE('claimSuggestions { quote }'), path: ['factCheck', 'article', 'claimSuggestions'] },
  'node(Verdict) before the assigned reviewer submits': node(() => fx.blindVerdictIds[0]!),
  'node(Verdict) after the assigned reviewer submits': node(() => fx.coVerdictSeenId),
  'Claim.verdicts before the assigned reviewer submits': {
    document: 'query($id: ID!) { claim(id: $id) { verdicts { id rating } } }',
    variables: () => ({ id: fx.blindClaimId }),
    path: ['claim', 'verdicts'],
    refusedAt: ['claim'],
    all: () => fx.blindVerdictIds,
  },
  'Claim.verdicts after the assigned reviewer submits': {
    document: 'query($id: ID!) { claim(id: $id) { verdicts { id rating } } }',
    variables: () => ({ id: fx.seenClaimId }),
    path: ['claim', 'verdicts'],
    refusedAt: ['claim'],
    all: () => fx.seenVerdictIds,
  },
  'Claim.history notes before the assigned reviewer submits': {
    document: 'query($id: ID!) { claim(id: $id) { history { type note actor { name } } } }',
    variables: () => ({ id: fx.blindClaimId }),
    path: ['claim', 'history'],
    refusedAt: ['claim'],
    // The co-reviewer's rating, as far as the audit trail shows it.
    view: (history: { note: string | null }[] | null) => history && history.filter((h) => h.note?.includes('MOSTLY_FALSE')),
  },
};

Object.assign(QUERIES, {
  externalSources: { document: '{ externalSources { totalCount edges { node { id name factCheckCount } } } }', path: ['externalSources'] },
  'node(ExternalSource)': node(() => fx.externalSourceId),
});

const CORRECTION_REQUEST = (selection: string) => `query($id: ID!) { node(id: $id) { id ... on CorrectionRequest { ${selection} } } }`;
/** The viewer's own request; a principal with none (no token, refused tokens) asks for the partner's. */
const ownRequest = (actor: Actor) => ({ id: ownRequests.get(actor.user?.id ?? '') ?? ownRequests.get(desk.partner.id) });
Object.assign(QUERIES, {
  'correctionRequests (each their own; editors and admins all)': {
    document: '{ correctionRequests { totalCount edges { node { id state message requestedBy { id } } } } }',
    path: ['correctionRequests'],
  },
  "node(CorrectionRequest) of the viewer's": { document: NODE, variables: ownRequest, path: ['node'] },
  "node(CorrectionRequest) of the partner's": node(() => ownRequests.get(desk.partner.id)!),
  "node(CorrectionRequest) of the assigned reviewer's": node(() => ownRequests.get(desk.reviewer1.id)!),
  "CorrectionRequest.resolvedBy of the viewer's": {
    document: CORRECTION_REQUEST('state resolvedBy { id name }'),
    variables: ownRequest,
    path: ['node', 'resolvedBy'],
  },
  "CorrectionRequest.requestedBy of the viewer's": {
    document: CORRECTION_REQUEST('requestedBy { id name role }'),
    variables: ownRequest,
    path: ['node', 'requestedBy'],
  },
  "CorrectionRequest.factCheck of the viewer's": {
    document: CORRECTION_REQUEST('factCheck { id rating }'),
    variables: ownRequest,
    path: ['node', 'factCheck'],
  },
  organization: { document: '{ organization { name url logo correctionsPolicy publishingPrinciples } }', path: ['organization'] },
  externalRatingRules: { document: X.rules, path: ['externalRatingRules'] },
  corrections: {
    document: '{ corrections { totalCount edges { node { at kind claimReviewed factCheckUrl factCheck { id } note previousRating rating } } } }',
    path: ['corrections'],
  },
} satisfies Record<string, QueryOperation>);

const WHO_SEES_WHAT = matrix(
  QUERIES,
  `
  query                                                     | ADMIN | EDITOR | REVIEWER assigned | REVIEWER other | PARTNER   | no token        | revoked token | expired token   | deactivated user
  viewer                                                    | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(User) of another user (a reviewer)                   | yes   | yes    | null              | null           | null      | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(User) of the viewer                                  | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(Article)                                             | yes   | yes    | yes               | yes            | null      | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(Claim)                                               | yes   | yes    | yes               | yes            | null      | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(Assignment)                                          | yes   | yes    | yes               | yes            | null      | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(Evidence)                                            | yes   | yes    | yes               | yes            | null      | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(FactCheck)                                           | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  users                                                     | yes   | yes    | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  User.active (of the viewer)                               | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  User.embargoAccess (of the viewer)                        | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  User.apiTokens of the viewer                              | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  User.apiTokens of another user (a reviewer)               | yes   | FORBIDDEN | null           | null           | null      | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(ApiToken) of the viewer                              | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(ApiToken) of another user (a reviewer's)             | yes   | null   | null              | null           | null      | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  article                                                   | yes   | yes    | yes               | yes            | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  articles                                                  | yes   | yes    | yes               | yes            | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  claim (with evidence and history)                         | yes   | yes    | yes               | yes            | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  claims                                                    | yes   | yes    | yes               | yes            | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  myAssignments                                             | yes   | yes    | yes               | yes            | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  factCheck                                                 | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  factChecks                                                | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  topics                                                    | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(Topic)                                               | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  Topic.factChecks                                          | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  Claim.topics                                              | yes   | yes    | yes               | yes            | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  FactCheck.topics                                          | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  WebhookEndpoint.topics of the editor's                    | yes   | yes    | null              | null           | null      | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  FactCheck.article { title url }                           | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  FactCheck.article.claims { totalCount }                   | yes   | yes    | yes               | yes            | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  FactCheck.article.claimSuggestions { quote }              | yes   | yes    | yes               | yes            | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  deskStatistics                                            | yes   | yes    | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  ratingScale                                               | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  FactCheck.ratingLabel                                     | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  factCheckChanges                                          | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  webhookEndpoints (each sees their own)                    | yes   | yes    | FORBIDDEN         | FORBIDDEN      | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(WebhookEndpoint) of the editor's                     | yes   | yes    | null              | null           | null      | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(WebhookDelivery) of the editor's                     | yes   | yes    | null              | null           | null      | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(Claimant)                                            | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  claimant (with its record and fact checks)                | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  claimants                                                 | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  Claimant.claims                                           | yes   | yes    | yes               | yes            | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  FactCheck.speaker                                         | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  Claim.speaker (via claim, staff only)                     | yes   | yes    | yes               | yes            | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  Claim.scheduledPublication (via claim, staff only)        | yes   | yes    | yes               | yes            | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  correctionRequests (each their own; editors and admins all) | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(CorrectionRequest) of the viewer's                   | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(CorrectionRequest) of the partner's                  | yes   | yes    | null              | null           | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(CorrectionRequest) of the assigned reviewer's        | yes   | yes    | yes               | null           | null      | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  CorrectionRequest.resolvedBy of the viewer's              | yes   | yes    | null              | null           | null      | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  CorrectionRequest.requestedBy of the viewer's             | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  CorrectionRequest.factCheck of the viewer's               | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  organization                                              | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  corrections                                               | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  externalFactChecks                                        | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(ExternalFactCheck)                                   | yes   | yes    | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  ExternalFactCheck.source                                  | yes   | yes    | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  Claim.relatedFactChecks (via claim, staff only)           | yes   | yes    | yes               | yes            | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  externalRatingRules                                       | yes   | yes    | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  externalSources                                           | yes   | yes    | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(ExternalSource)                                      | yes   | yes    | null              | null           | null      | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
`,
);

// Blind review: a reviewer sees the other verdicts of a round only after submitting their own.
// "REVIEWER assigned" and a co-reviewer are both assigned; the co-reviewer has rated MOSTLY_FALSE.
const BLIND_REVIEW = matrix(
  QUERIES,
  `
  the co-reviewer's verdict                                 | ADMIN | EDITOR | REVIEWER assigned | REVIEWER other | PARTNER   | no token        | revoked token | expired token   | deactivated user
  Claim.verdicts before the assigned reviewer submits       | all   | all    | none              | none           | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  Claim.verdicts after the assigned reviewer submits        | all   | all    | all               | none           | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(Verdict) before the assigned reviewer submits        | yes   | yes    | null              | null           | null      | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  node(Verdict) after the assigned reviewer submits         | yes   | yes    | yes               | null           | null      | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  Claim.history notes before the assigned reviewer submits  | yes   | yes    | none              | none           | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
`,
);

describe.each([
  ['who sees what', WHO_SEES_WHAT],
  ['blind review', BLIND_REVIEW],
])('%s', (_name, cases) => {
  test.each(cases)('%s as %s: %s', async (_label, principal, outcome, operation) => {
    const actor = actors[principal];
    const variables = operation.variables?.(actor) ?? {};
    const response = await app.gql(operation.document, variables, actor.token);
    const found = at(response.data, operation.path);
    const value = operation.view && found != null ? operation.view(found) : found;
    expectOutcome(response, outcome, principal, value, { all: operation.all?.(), refusedAt: operation.refusedAt ?? operation.path });
    if (outcome === 'yes' && typeof variables.id === 'string' && operation.path.length === 1) expect(found.id).toBe(variables.id);
  });
});

// ---------------------------------------------------------------------------------------------------
// Mutations, each from a status the workflow allows it from, so that only the principal can be refused

const INGEST = 'mutation($i: IngestArticleInput!) { ingestArticle(input: $i) { created article { id } } }';
const CREATE_CLAIM = 'mutation($i: CreateClaimInput!) { createClaim(input: $i) { claim { id status } } }';
const CREATE_USER = 'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id role } } }';
const ISSUE_TOKEN = 'mutation($i: IssueApiTokenInput!) { issueApiToken(input: $i) { token tokenId } }';
const REVOKE_TOKEN = 'mutation($i: RevokeApiTokenInput!) { revokeApiToken(input: $i) { revoked } }';
const UPDATE_USER = 'mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { id name role active } } }';
const CREATE_CLAIMANT = 'mutation($i: CreateClaimantInput!) { createClaimant(input: $i) { claimant { id name } } }';
const SET_RATING_SCALE = 'mutation($i: SetRatingScaleInput!) { setRatingScale(input: $i) { ratingScale { name labels { key value } } } }';
const CREATE_TOPIC = 'mutation($i: CreateTopicInput!) { createTopic(input: $i) { topic { id name wikidataId } } }';
const SET_CLAIM_TOPICS = 'mutation($i: SetClaimTopicsInput!) { setClaimTopics(input: $i) { claim { id version topics { id name } } } }';

const BODY = 'Aid convoys were hijacked every week. Officials denied it.';
const QUOTE = 'Aid convoys were hijacked every week.';
let serial = 0;

/** A claim of a new article, with "REVIEWER assigned" and a co-reviewer ACTIVE on it: IN_REVIEW. */
async function claimInReview() {
  const article = await ingestArticle(app, desk.editor.token, { body: BODY });
  const claimId = (await createClaim(app, desk.editor.token, { articleId: article.id, quote: QUOTE })).id;
  const { assignments } = ok(
    await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer1.globalId, desk.reviewer2.globalId] }),
  ).assignClaim;
  const coAssignmentId: string = assignments.find((a: any) => a.reviewer.name === desk.reviewer2.name).id;
  return { claimId, coAssignmentId };
}

/** As above, and the co-reviewer's verdict meets requiredVerdicts 1: REVIEWED ("REVIEWER assigned" still ACTIVE). */
async function reviewedClaim() {
  const { claimId } = await claimInReview();
  const { claim } = ok(
    await mutate(app, desk.reviewer2.token, 'verdict', { claimId, rating: 'TRUE', confidence: 'HIGH', rationale: 'Convoy logs agree.' }),
  ).submitVerdict;
  expect(claim.status).toBe('REVIEWED');
  return { claimId };
}

/** A new claimant, added by the editor. */
const newClaimant = async (): Promise<string> =>
  ok(await app.gql(CREATE_CLAIMANT, { i: { name: `Speaker ${serial++}`, kind: 'PERSON' } }, desk.editor.token)).createClaimant.claimant.id;

interface MutationOperation {
  document: string;
  field: string;
  /** Sets the scene and returns the variables. */
  prepare: () => Promise<Record<string, unknown>>;
}

const MUTATIONS: Record<string, MutationOperation> = {
  ingestArticle: {
    document: INGEST,
    field: 'ingestArticle',
    prepare: async () => ({ i: { url: `https://news.example/matrix-${serial++}`, title: 'A new source', body: BODY } }),
  },
  createClaim: {
    document: CREATE_CLAIM,
    field: 'createClaim',
    prepare: async () => ({ i: { articleId: (await ingestArticle(app, desk.editor.token, { body: BODY })).id, quote: QUOTE } }),
  },
  updateClaim: { document: M.update, field: 'updateClaim', prepare: async () => ({ i: { claimId: (await claimInReview()).claimId, priority: 'URGENT' } }) },
  assignClaim: {
    document: M.assign,
    field: 'assignClaim',
    prepare: async () => ({ i: { claimId: (await claimInReview()).claimId, reviewerIds: [spare.globalId] } }),
  },
  withdrawAssignment: {
    document: M.withdraw,
    field: 'withdrawAssignment',
    prepare: async () => ({ i: { assignmentId: (await claimInReview()).coAssignmentId } }),
  },
  addEvidence: {
    document: M.evidence,
    field: 'addEvidence',
    prepare: async () => ({
      i: { claimId: (await claimInReview()).claimId, kind: 'NEWS_REPORT', title: 'Convoy report', url: 'https://news.example/convoys', stance: 'SUPPORTS' },
    }),
  },
  submitVerdict: {
    document: M.verdict,
    field: 'submitVerdict',
    prepare: async () => ({
      i: { claimId: (await claimInReview()).claimId, rating: 'FALSE', confidence: 'HIGH', rationale: 'No weekly hijackings on record.' },
    }),
  },
  publishFactCheck: {
    document: M.publish,
    field: 'publishFactCheck',
    prepare: async () => ({ i: { claimId: (await reviewedClaim()).claimId, rating: 'TRUE', summary: 'Confirmed by convoy logs.' } }),
  },
  dismissClaim: {
    document: M.dismiss,
    field: 'dismissClaim',
    prepare: async () => ({ i: { claimId: (await claimInReview()).claimId, reason: 'Not checkable.' } }),
  },
  'dismissClaim (PUBLISHED)': {
    document: M.dismiss,
    field: 'dismissClaim',
    prepare: async () => {
      const { claimId } = await reviewedClaim();
      expect(
        ok(await mutate(app, desk.editor.token, 'publish', { claimId, rating: 'TRUE', summary: 'Confirmed by convoy logs.' })).publishFactCheck.claim.status,
      ).toBe('PUBLISHED');
      return { i: { claimId, reason: 'Retracted.' } };
    },
  },
  'publishFactCheck with publishAt': {
    document: M.publish,
    field: 'publishFactCheck',
    prepare: async () => ({
      i: {
        claimId: (await reviewedClaim()).claimId,
        rating: 'TRUE',
        summary: 'Confirmed by convoy logs.',
        publishAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    }),
  },
  cancelScheduledPublication: {
    document:
      'mutation($i: CancelScheduledPublicationInput!) { cancelScheduledPublication(input: $i) { claim { id version scheduledPublication { publishAt } } } }',
    field: 'cancelScheduledPublication',
    prepare: async () => {
      const { claimId } = await reviewedClaim();
      const publishAt = new Date(Date.now() + 86_400_000).toISOString();
      ok(await mutate(app, desk.editor.token, 'publish', { claimId, rating: 'TRUE', summary: 'Confirmed by convoy logs.', publishAt }));
      return { i: { claimId } };
    },
  },
  'createWebhookEndpoint with FACT_CHECK_SCHEDULED': {
    document: W.create,
    field: 'createWebhookEndpoint',
    prepare: async () => ({ i: { url: 'https://hooks.example/embargo', events: ['FACT_CHECK_SCHEDULED', 'FACT_CHECK_SCHEDULE_CANCELLED'] } }),
  },
  'updateUser embargoAccess': {
    document: 'mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { id embargoAccess } } }',
    field: 'updateUser',
    // A partner of its own, so that the rows' partner keeps no embargo access.
    prepare: async () => ({ i: { userId: (await createUser(app.database.db, 'PARTNER')).globalId, embargoAccess: true } }),
  },
  reopenClaim: { document: M.reopen, field: 'reopenClaim', prepare: async () => ({ i: { claimId: (await reviewedClaim()).claimId, reason: 'New figures.' } }) },
  addClaimAppearance: {
    document: 'mutation($i: AddClaimAppearanceInput!) { addClaimAppearance(input: $i) { claim { id version appearances { url firstAppearance } } } }',
    field: 'addClaimAppearance',
    prepare: async () => ({ i: { claimId: (await claimInReview()).claimId, url: `https://social.example/matrix-${serial++}`, firstAppearance: true } }),
  },
  createUser: {
    document: CREATE_USER,
    field: 'createUser',
    prepare: async () => ({ i: { name: 'New Reviewer', email: `new-${serial++}@example.org`, role: 'REVIEWER' } }),
  },
  issueApiToken: { document: ISSUE_TOKEN, field: 'issueApiToken', prepare: async () => ({ i: { userId: spare.globalId, label: 'another app' } }) },
  updateUser: {
    document: UPDATE_USER,
    field: 'updateUser',
    prepare: async () => ({ i: { userId: (await createUser(app.database.db, 'REVIEWER', `To Rename ${serial++}`)).globalId, name: 'Renamed', active: false } }),
  },
  setRatingScale: {
    document: SET_RATING_SCALE,
    field: 'setRatingScale',
    // The default scale's keys (fact checks of this file use them), under a new name each time, so that an allowed call changes something.
    prepare: async () => ({
      i: {
        name: `Matrix scale ${serial++}`,
        defaultLocale: 'en',
        labels: ['false', 'mostly-false', 'misleading', 'mixed', 'mostly-true', 'true', 'unproven'].map((key) => ({
          key,
          rating: key.toUpperCase().replace('-', '_'),
          names: [{ locale: 'en', text: key }],
        })),
      },
    }),
  },
  createClaimant: {
    document: CREATE_CLAIMANT,
    field: 'createClaimant',
    prepare: async () => ({ i: { name: `Claimant ${serial++}`, kind: 'PERSON' } }),
  },
  updateClaimant: {
    document: 'mutation($i: UpdateClaimantInput!) { updateClaimant(input: $i) { claimant { id name } } }',
    field: 'updateClaimant',
    prepare: async () => ({ i: { claimantId: await newClaimant(), name: `Renamed ${serial++}` } }),
  },
  mergeClaimants: {
    document: 'mutation($i: MergeClaimantsInput!) { mergeClaimants(input: $i) { movedClaims claimant { id } } }',
    field: 'mergeClaimants',
    prepare: async () => ({ i: { sourceId: await newClaimant(), targetId: await newClaimant() } }),
  },
  'updateClaim (PUBLISHED, the speaker alone)': {
    document: M.update,
    field: 'updateClaim',
    prepare: async () => {
      const { claimId } = await reviewedClaim();
      ok(await mutate(app, desk.editor.token, 'publish', { claimId, rating: 'TRUE', summary: 'Confirmed by convoy logs.' }));
      return { i: { claimId, speakerId: await newClaimant() } };
    },
  },
  revokeApiToken: {
    document: REVOKE_TOKEN,
    field: 'revokeApiToken',
    prepare: async () => ({
      i: { tokenId: ok(await app.gql(ISSUE_TOKEN, { i: { userId: spare.globalId, label: 'to revoke' } }, desk.admin.token)).issueApiToken.tokenId },
    }),
  },
};

/** An endpoint of the partner's (nothing is dispatched in this file: its deliveries stay PENDING). */
const partnerEndpoint = async () => (await createEndpoint(app, desk.partner.token, 'https://partner.example/hook', FACT_CHECK_EVENTS)).endpoint.id;

Object.assign(MUTATIONS, {
  createWebhookEndpoint: {
    document: W.create,
    field: 'createWebhookEndpoint',
    prepare: async () => ({ i: { url: 'https://hooks.example/in', events: FACT_CHECK_EVENTS } }),
  },
  'createWebhookEndpoint with staff events': {
    document: W.create,
    field: 'createWebhookEndpoint',
    prepare: async () => ({ i: { url: 'https://hooks.example/in', events: ['FACT_CHECK_PUBLISHED', 'CLAIM_STATUS_CHANGED', 'ASSIGNMENT_CREATED'] } }),
  },
  updateWebhookEndpoint: {
    document: W.update,
    field: 'updateWebhookEndpoint',
    prepare: async () => ({ i: { endpointId: await partnerEndpoint(), enabled: false } }),
  },
  rotateWebhookSecret: { document: W.rotate, field: 'rotateWebhookSecret', prepare: async () => ({ i: { endpointId: await partnerEndpoint() } }) },
  deleteWebhookEndpoint: { document: W.remove, field: 'deleteWebhookEndpoint', prepare: async () => ({ i: { endpointId: await partnerEndpoint() } }) },
  bulkAssignClaims: {
    document:
      'mutation($i: BulkAssignClaimsInput!) { bulkAssignClaims(input: $i) { succeeded failed results { claimId claim { id version } error { code } } } }',
    field: 'bulkAssignClaims',
    prepare: async () => ({ i: { claimIds: [(await claimInReview()).claimId, (await claimInReview()).claimId], reviewerIds: [spare.globalId] } }),
  },
  bulkDismissClaims: {
    document:
      'mutation($i: BulkDismissClaimsInput!) { bulkDismissClaims(input: $i) { succeeded failed results { claimId claim { id status } error { code } } } }',
    field: 'bulkDismissClaims',
    prepare: async () => ({ i: { claimIds: [(await claimInReview()).claimId, (await reviewedClaim()).claimId], reason: 'Not checkable.' } }),
  },
  redeliverWebhook: {
    document: W.redeliver,
    field: 'redeliverWebhook',
    prepare: async () => {
      const endpointId = await partnerEndpoint();
      const { claimId } = await reviewedClaim();
      ok(await mutate(app, desk.editor.token, 'publish', { claimId, rating: 'TRUE', summary: 'Confirmed.' }));
      const deliveries = ok(await app.gql(W.deliveries, { id: endpointId }, desk.partner.token)).node.deliveries.edges;
      return { i: { deliveryId: deliveries[0].node.id } };
    },
  },
} satisfies Record<string, MutationOperation>);

Object.assign(MUTATIONS, {
  createTopic: {
    document: CREATE_TOPIC,
    field: 'createTopic',
    prepare: async () => ({ i: { name: `Matrix topic ${serial++}`, wikidataId: 'Q42' } }),
  },
  setClaimTopics: {
    document: SET_CLAIM_TOPICS,
    field: 'setClaimTopics',
    prepare: async () => ({ i: { claimId: (await claimInReview()).claimId, topicIds: [fx.topicId] } }),
  },
  'createClaim with topics': {
    document: CREATE_CLAIM,
    field: 'createClaim',
    prepare: async () => ({ i: { articleId: (await ingestArticle(app, desk.editor.token, { body: BODY })).id, quote: QUOTE, topicIds: [fx.topicId] } }),
  },
  'createWebhookEndpoint with topics': {
    document: W.create,
    field: 'createWebhookEndpoint',
    prepare: async () => ({ i: { url: 'https://hooks.example/topics', events: FACT_CHECK_EVENTS, topicIds: [fx.topicId] } }),
  },
} satisfies Record<string, MutationOperation>);

/** A new feed, added by the editor. */
const newExternalSource = async (): Promise<string> =>
  ok(await app.gql(S.create, { i: { name: `Feed ${serial++}`, url: UNREACHABLE_FEED } }, desk.editor.token)).createExternalSource.source.id;

Object.assign(MUTATIONS, {
  createExternalSource: {
    document: S.create,
    field: 'createExternalSource',
    prepare: async () => ({ i: { name: `Feed ${serial++}`, url: UNREACHABLE_FEED, intervalMinutes: 30 } }),
  },
  updateExternalSource: {
    document: S.update,
    field: 'updateExternalSource',
    prepare: async () => ({ i: { sourceId: await newExternalSource(), name: `Renamed feed ${serial++}` } }),
  },
  deleteExternalSource: { document: S.delete, field: 'deleteExternalSource', prepare: async () => ({ i: { sourceId: await newExternalSource() } }) },
  fetchExternalSource: { document: S.fetch, field: 'fetchExternalSource', prepare: async () => ({ i: { sourceId: await newExternalSource() } }) },
} satisfies Record<string, MutationOperation>);

Object.assign(MUTATIONS, {
  requestCorrection: {
    document: CR.request,
    field: 'requestCorrection',
    prepare: async () => ({ i: { factCheckId: fx.factCheckId, message: `The figure is wrong (${serial++}).`, requesterName: 'A content owner' } }),
  },
  resolveCorrectionRequest: {
    document: CR.resolve,
    field: 'resolveCorrectionRequest',
    prepare: async () => ({
      i: {
        requestId: (await requestCorrection(app, desk.partner.token, fx.factCheckId, 'Please look again.')).id,
        state: 'ACCEPTED',
        note: 'We will correct it.',
      },
    }),
  },
  'createWebhookEndpoint with CORRECTION_REQUEST_RESOLVED': {
    document: W.create,
    field: 'createWebhookEndpoint',
    prepare: async () => ({ i: { url: 'https://hooks.example/requests', events: ['CORRECTION_REQUEST_RESOLVED'] } }),
  },
  setOrganization: {
    document: 'mutation($i: SetOrganizationInput!) { setOrganization(input: $i) { organization { name url logo correctionsPolicy } } }',
    field: 'setOrganization',
    // A new name each time, so that an allowed call changes something.
    prepare: async () => ({ i: { name: `Matrix Desk ${serial++}`, url: 'https://matrix.example', correctionsPolicy: 'https://matrix.example/corrections' } }),
  },
  importExternalFactChecks: {
    document: X.import,
    field: 'importExternalFactChecks',
    // A new review each time, so that an allowed call changes something.
    prepare: async () => ({ i: { document: JSON.stringify(claimReview(`https://checks.example/matrix/${serial++}`)) } }),
  },
  setExternalRatingRules: {
    document: X.setRules,
    field: 'setExternalRatingRules',
    prepare: async () => ({ i: { rules: [{ textualRating: `Matrix label ${serial++}`, rating: 'MIXED' }] } }),
  },
} satisfies Record<string, MutationOperation>);

const WHO_DOES_WHAT = matrix(
  MUTATIONS,
  `
  mutation (from the status set up)            | ADMIN     | EDITOR    | REVIEWER assigned | REVIEWER other | PARTNER   | no token        | revoked token | expired token   | deactivated user
  ingestArticle                                | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  createClaim                                  | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  updateClaim (IN_REVIEW)                      | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  assignClaim (IN_REVIEW)                      | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  withdrawAssignment (the co-reviewer's)       | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  addEvidence (IN_REVIEW)                      | yes       | yes       | yes               | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  submitVerdict (IN_REVIEW)                    | FORBIDDEN | FORBIDDEN | yes               | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  publishFactCheck (REVIEWED)                  | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  dismissClaim (IN_REVIEW)                     | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  reopenClaim (REVIEWED)                       | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  addClaimAppearance (IN_REVIEW)               | yes       | yes       | yes               | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  setClaimTopics (IN_REVIEW)                   | yes       | yes       | yes               | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  createTopic                                  | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  createClaim with topics                      | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  createWebhookEndpoint with topics            | yes       | yes       | FORBIDDEN         | FORBIDDEN      | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  createUser                                   | yes       | FORBIDDEN | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  issueApiToken                                | yes       | FORBIDDEN | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  revokeApiToken                               | yes       | FORBIDDEN | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  updateUser                                   | yes       | FORBIDDEN | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  setRatingScale                               | yes       | FORBIDDEN | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  createClaimant                               | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  updateClaimant                               | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  mergeClaimants                               | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  updateClaim (PUBLISHED, the speaker alone)   | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  dismissClaim (PUBLISHED)                     | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  createWebhookEndpoint                        | yes       | yes       | FORBIDDEN         | FORBIDDEN      | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  createWebhookEndpoint with staff events      | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  updateWebhookEndpoint (a partner's)          | yes       | NOT_FOUND | FORBIDDEN         | FORBIDDEN      | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  rotateWebhookSecret (a partner's)            | yes       | NOT_FOUND | FORBIDDEN         | FORBIDDEN      | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  deleteWebhookEndpoint (a partner's)          | yes       | NOT_FOUND | FORBIDDEN         | FORBIDDEN      | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  redeliverWebhook (to a partner's endpoint)   | yes       | NOT_FOUND | FORBIDDEN         | FORBIDDEN      | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  bulkAssignClaims (two IN_REVIEW)             | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  bulkDismissClaims (IN_REVIEW, REVIEWED)      | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  requestCorrection                            | yes       | yes       | yes               | yes            | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  resolveCorrectionRequest (a partner's, OPEN) | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  createWebhookEndpoint with CORRECTION_REQUEST_RESOLVED | yes       | yes       | FORBIDDEN         | FORBIDDEN      | yes       | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  setOrganization                              | yes       | FORBIDDEN | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  publishFactCheck with publishAt (REVIEWED)   | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  cancelScheduledPublication (scheduled)       | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  createWebhookEndpoint with FACT_CHECK_SCHEDULED | yes    | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  updateUser embargoAccess                     | yes       | FORBIDDEN | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  importExternalFactChecks                     | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  setExternalRatingRules                       | yes       | FORBIDDEN | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  createExternalSource                         | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  updateExternalSource                         | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  deleteExternalSource                         | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
  fetchExternalSource                          | yes       | yes       | FORBIDDEN         | FORBIDDEN      | FORBIDDEN | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED | UNAUTHENTICATED
`,
);

describe('who does what', () => {
  test.each(WHO_DOES_WHAT)('%s as %s: %s', async (_label, principal, outcome, operation) => {
    const variables = await operation.prepare();
    const before = await snapshotDatabase(app.database.db);
    const response = await app.gql(operation.document, variables, actors[principal].token);
    expectOutcome(response, outcome, principal, response.data?.[operation.field], { refusedAt: [operation.field] });
    const after = await snapshotDatabase(app.database.db);
    if (outcome === 'yes') expect(after).not.toEqual(before);
    else expect(after).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------------
// The tables above cover the schema: a new operation or field fails here until it has a row, or is
// listed below as readable by whoever may read its object (no permission of its own).

const READ_WITH_ITS_OBJECT: Record<string, string[]> = {
  User: ['id', 'name', 'role'],
  Article: ['id', 'url', 'title', 'publisher', 'author', 'publishedAt', 'language', 'ingestedAt', 'body'],
  Claim: [
    'id',
    'quote',
    'statement',
    'claimant',
    'status',
    'priority',
    'requiredVerdicts',
    'round',
    'dueAt',
    'version',
    'createdAt',
    'updatedAt',
    'article',
    'span',
    'createdBy',
    'assignments',
    'evidence',
    'factCheck',
    'similarFactChecks',
    'appearances',
  ],
  Claimant: ['id', 'name', 'kind', 'aliases', 'wikidataId', 'website', 'description', 'url', 'factChecks', 'record', 'createdAt', 'updatedAt'],
  Assignment: ['id', 'assignedAt', 'dueAt', 'state', 'claim', 'reviewer', 'assignedBy'],
  Evidence: ['id', 'kind', 'url', 'title', 'excerpt', 'stance', 'addedAt', 'claim', 'addedBy'],
  Verdict: ['id', 'rating', 'confidence', 'rationale', 'submittedAt', 'claim', 'reviewer', 'citedEvidence'],
  FactCheck: [
    'id',
    'claimReviewed',
    'quote',
    'claimant',
    'rating',
    'summary',
    'publishedAt',
    'updatedAt',
    'claimReview',
    'corrections',
    'textualRating',
    'appearances',
    'url',
  ],
  ApiToken: ['id', 'label', 'createdAt', 'expiresAt', 'lastUsedAt', 'revokedAt', 'rateLimitPerMinute', 'user'],
  // An endpoint is seen by its owner and admins only (rows: webhookEndpoints, node(WebhookEndpoint)); its fields and deliveries with it.
  WebhookEndpoint: ['id', 'url', 'events', 'description', 'enabled', 'createdAt', 'owner', 'deliveries'],
  WebhookDelivery: ['id', 'eventId', 'event', 'state', 'attempts', 'payload', 'createdAt', 'lastAttemptAt', 'nextAttemptAt', 'lastResponseStatus', 'lastError'],
  // Everyone who may read fact checks reads topics (rows: topics, node(Topic), Topic.factChecks).
  Topic: ['id', 'name', 'wikidataId'],
  // A request is seen by its requester, editors and admins (rows: correctionRequests, node(CorrectionRequest)); these fields with it.
  CorrectionRequest: ['id', 'requesterName', 'message', 'state', 'createdAt', 'resolvedAt', 'resolutionNote'],
  // Every role reads other publishers' fact checks (rows: externalFactChecks, node(ExternalFactCheck)); these fields with them.
  ExternalFactCheck: [
    'id',
    'reviewUrl',
    'publisherName',
    'publisherSite',
    'claimReviewed',
    'claimant',
    'textualRating',
    'rating',
    'language',
    'publishedAt',
    'appearanceUrls',
    'importedAt',
    'updatedAt',
    'claimReview',
  ],
  // Editors and admins see every feed (rows: externalSources, node(ExternalSource)); its fields with it.
  ExternalSource: ['id', 'name', 'url', 'intervalMinutes', 'enabled', 'lastFetchedAt', 'lastError', 'factCheckCount'],
};

test('every operation and Node type of the registry, and every field of a Node type, has a row (or is read with its object)', async () => {
  const schema = await getSchema();
  const labels = [...WHO_SEES_WHAT, ...BLIND_REVIEW, ...WHO_DOES_WHAT].map(([label]) => label);
  const roots = new Set(labels.map((label) => /^[A-Za-z]+/.exec(label)![0]));
  // "FactCheck.article.claims { totalCount }" has rows for FactCheck.article and Article.claims.
  const fieldsWithRows = new Set(
    labels.flatMap((label) => {
      const [typeName, ...path] = label.split(/[ ({]/)[0]!.split('.');
      const covered: string[] = [];
      let type = schema.getType(typeName!);
      for (const field of path) {
        if (!type || !('getFields' in type)) break;
        covered.push(`${type.name}.${field}`);
        type = getNamedType((type.getFields() as Record<string, { type: GraphQLType }>)[field]?.type);
      }
      return covered;
    }),
  );
  const missing: string[] = [];
  // The rows come from the registry (src/domain/features.ts): every operation a feature declares,
  // every Node type's node(id), and the fields of each (test/unit/registry.test.ts holds the
  // registry to the schema).
  for (const [name, { kind }] of OPERATIONS) if (!roots.has(name)) missing.push(`${kind === 'query' ? 'Query' : 'Mutation'}.${name}`);
  for (const typeName of NODE_TYPES) {
    if (!labels.some((label) => label.startsWith(`node(${typeName})`))) missing.push(`node(${typeName})`);
    const type = schema.getType(typeName);
    if (!isObjectType(type)) {
      missing.push(`${typeName} (no such object type)`);
      continue;
    }
    for (const name of Object.keys(type.getFields())) {
      if (!fieldsWithRows.has(`${type.name}.${name}`) && !READ_WITH_ITS_OBJECT[type.name]?.includes(name)) missing.push(`${type.name}.${name}`);
    }
  }
  expect(missing, 'give each a row in a table above, or list it in READ_WITH_ITS_OBJECT').toEqual([]);
});
