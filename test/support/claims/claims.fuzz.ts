/**
 * Fuzzed operations on claims (src/domain/claims/): taking them from articles, editing, assigning,
 * evidence and verdicts, appearances, dismissing and reopening, the bulk actions, and reading them.
 */
import fc from 'fast-check';
import { LIMITS } from '../../../src/domain/validation.js';
import { ASSIGNMENT_STATES, CLAIM_ORDERS, CLAIM_STATUSES, CONFIDENCES, EVIDENCE_KINDS, PRIORITIES, RATINGS, STANCES } from '../../../src/model/enums.js';
import { claimIn, claimOfSender, cursor, first, id, input, version } from '../fuzz/arbitraries.js';
import { EDITORS, EDITORS_MOSTLY, from, REVIEWERS_MOSTLY, STAFF, type Families } from '../fuzz/family.js';
import { articles, assignedTo, evidenceOf, Lazy, remember, resolve } from '../fuzz/world.js';
import { dateTime, enumOf, int, mostly, optionalText, text, url, wrongType } from '../hostile-input.js';

/** The statuses in which a claim may be assigned (src/domain/workflow.ts, EDITABLE). */
const EDITABLE = ['OPEN', 'IN_REVIEW', 'DISPUTED', 'REVIEWED'];

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

/** Claim families, keyed by root field. */
export const claimFamilies = {
  createClaim: {
    weight: 3,
    document:
      'mutation($i: CreateClaimInput!) { createClaim(input: $i) { claim { id quote statement status version round requiredVerdicts span { start end } article { id } } } }',
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
  updateClaim: {
    weight: 2,
    document: 'mutation($i: UpdateClaimInput!) { updateClaim(input: $i) { claim { id status version statement claimant priority requiredVerdicts dueAt } } }',
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
      speakerId: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: id('claimant') }),
    }),
  },
  assignClaim: {
    weight: 2,
    document: 'mutation($i: AssignClaimInput!) { assignClaim(input: $i) { claim { id status version } assignments { id state dueAt reviewer { id } } } }',
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
  withdrawAssignment: {
    weight: 1,
    document: 'mutation($i: WithdrawAssignmentInput!) { withdrawAssignment(input: $i) { assignment { id state claim { id status } } } }',
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({ assignmentId: id('assignment') }),
  },
  addEvidence: {
    weight: 2,
    document: 'mutation($i: AddEvidenceInput!) { addEvidence(input: $i) { evidence { id kind url title excerpt stance claim { id } addedBy { id } } } }',
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
  submitVerdict: {
    weight: 2,
    document:
      'mutation($i: SubmitVerdictInput!) { submitVerdict(input: $i) { verdict { id rating confidence citedEvidence { id } } claim { id status version } } }',
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
  addClaimAppearance: {
    weight: 2,
    document:
      'mutation($i: AddClaimAppearanceInput!) { addClaimAppearance(input: $i) { claim { id status version appearances { url appearedAt archivedUrl firstAppearance } factCheck { id updatedAt claimReview } } } }',
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
  dismissClaim: {
    weight: 1,
    document: 'mutation($i: DismissClaimInput!) { dismissClaim(input: $i) { claim { id status version round } } }',
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({
      claimId: claimIn([...EDITABLE, 'PUBLISHED']),
      expectedVersion: version,
      reason: text(LIMITS.reason),
      // What the corrections log says of a retraction; left out: "Retracted".
      publicNote: optionalText(LIMITS.note),
    }),
  },
  reopenClaim: {
    weight: 1,
    document: 'mutation($i: ReopenClaimInput!) { reopenClaim(input: $i) { claim { id status version round } } }',
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({ claimId: claimIn(['DISPUTED', 'REVIEWED', 'PUBLISHED', 'DISMISSED']), expectedVersion: version, reason: text(LIMITS.reason) }),
  },
  bulkAssignClaims: {
    weight: 1,
    document:
      'mutation($i: BulkAssignClaimsInput!) { bulkAssignClaims(input: $i) { succeeded failed results { claimId claim { id status version } error { code message } } } }',
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({
      claimIds: mostly(fc.array(claimIn(EDITABLE), { minLength: 1, maxLength: 6 }), fc.oneof(fc.array(id('claim'), { maxLength: 110 }), wrongType)),
      reviewerIds: mostly(fc.array(id('reviewer'), { minLength: 1, maxLength: 3 }), fc.oneof(fc.array(id('user'), { maxLength: 25 }), wrongType)),
      dueAt: fc.oneof(fc.constant(undefined), dateTime),
    }),
    check: (_principal, data) => bulkCheck(data.bulkAssignClaims),
  },
  bulkDismissClaims: {
    weight: 1,
    document:
      'mutation($i: BulkDismissClaimsInput!) { bulkDismissClaims(input: $i) { succeeded failed results { claimId claim { id status version } error { code message } } } }',
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
  claim: {
    weight: 1,
    document: `query($id: ID!, $limit: Int) { claim(id: $id) { id quote status span { start end } verdicts { id rating } history { type note }
      evidence { id } assignments { id state } factCheck { id } similarFactChecks(limit: $limit) { similarity factCheck { id } } } }`,
    roles: STAFF,
    principal: from({ editor: 2, reviewer1: 2, reviewer2: 2 }),
    variables: fc.record({ id: id('claim'), limit: fc.oneof(fc.constant(undefined), int(1, 20)) }),
  },
  claims: {
    weight: 1,
    document: `query($filter: ClaimFilter, $orderBy: ClaimOrder, $first: Int, $after: String) {
      claims(filter: $filter, orderBy: $orderBy, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id status quote span { start end } } } } }`,
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
  myAssignments: {
    weight: 1,
    document:
      'query($state: AssignmentState, $first: Int, $after: String) { myAssignments(state: $state, first: $first, after: $after) { totalCount pageInfo { endCursor } edges { node { id state dueAt claim { id status } } } } }',
    roles: STAFF,
    principal: REVIEWERS_MOSTLY,
    variables: fc.record({ state: fc.oneof(fc.constant(undefined), enumOf(ASSIGNMENT_STATES)), first, after: cursor }),
    harvest: (connection) => remember('cursor', connection.pageInfo.endCursor),
  },
} satisfies Families;
