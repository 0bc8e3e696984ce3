// The GraphQL documents the bench sends.

export const DASHBOARD = `{ claims(first: 50) { edges { node { id quote status
  article { id title url }
  assignments { state reviewer { id name } }
  evidence { id title stance }
  verdicts { rating reviewer { name } }
  factCheck { id rating summary } } } } }`;
// The same fields and depth in PostGraphile's naming, in the same orders as our API's.
export const DASHBOARD_PGL = `{ allClaimsList(first: 50, orderBy: [CREATED_AT_DESC, PRIMARY_KEY_DESC]) { id quote status
  articleByArticleId { id title url }
  assignmentsByClaimIdList(orderBy: [ASSIGNED_AT_ASC, PRIMARY_KEY_ASC]) { state userByReviewerId { id name } }
  evidencesByClaimIdList(orderBy: [ADDED_AT_ASC, PRIMARY_KEY_ASC]) { id title stance }
  verdictsByClaimIdList(orderBy: [SUBMITTED_AT_ASC, PRIMARY_KEY_ASC]) { rating userByReviewerId { name } }
  factCheckByClaimId { id rating summary } } }`;
export const SEARCH = `query Search($q: String!) { factChecks(filter: { search: $q }, first: 20) {
  edges { node { id claimReviewed rating summary publishedAt article { url title } } } } }`;
export const LOOKUP = `query Lookup($url: URL!) { factChecks(filter: { appearanceUrl: $url }, first: 20) {
  edges { node { id claimReviewed rating summary publishedAt article { url title } } } } }`;
/**
 * `url` as the `i`th shared link would carry it, for the link lookups (LOOKUP, external-bench.mjs'):
 * a tracking parameter, sometimes a fragment, a slash before the query, an upper-case host. The
 * lookup must still find it.
 */
export function asSharedLink(url, i) {
  const u = new URL(url);
  u.searchParams.set(['utm_source', 'fbclid', 'gclid', 'mc_eid'][i % 4], `x${i}`);
  u.hash = i % 3 ? 'comments' : '';
  const shared = u.toString().replace('?', i % 5 ? '?' : '/?');
  return i % 2 ? shared.replace(u.hostname, u.hostname.toUpperCase()) : shared; // URL lowercases a host it is given
}
export const SUBMIT_VERDICT = `mutation($input: SubmitVerdictInput!) { submitVerdict(input: $input) { verdict { id rating } claim { id status version } } }`;
export const ADD_EVIDENCE = `mutation($input: AddEvidenceInput!) { addEvidence(input: $input) { evidence { id title } } }`;
export const PUBLISH_FACT_CHECK = 'mutation($i: PublishFactCheckInput!) { publishFactCheck(input: $i) { factCheck { id } } }';
export const CREATE_WEBHOOK_ENDPOINT = 'mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } } }';
export const DESK_STATISTICS = `query Stats($from: DateTime, $to: DateTime) { deskStatistics(from: $from, to: $to) {
  from to claimsCreated factChecksPublished correctionsPublished claimsByStatus { status count } factChecksByRating { rating count }
  timeToPublish { count medianSeconds p90Seconds } timeToVerdict { count medianSeconds p90Seconds } disagreementRate overdueAssignments
  reviewers { reviewer { id name } activeAssignments overdueAssignments verdictsSubmitted medianSecondsToVerdict } } }`;

/**
 * The data set spans 2025 (lib/dataset.mjs), so the default window (the last 30 days before today)
 * would be empty: 30-day windows starting every 30 days of that year instead.
 */
export function statisticsWindows() {
  const start = Date.parse('2025-01-01T00:00:00Z');
  const day = 86_400_000;
  return Array.from({ length: 12 }, (_, i) => ({
    from: new Date(start + i * 30 * day).toISOString(),
    to: new Date(start + (i + 1) * 30 * day).toISOString(),
  }));
}
