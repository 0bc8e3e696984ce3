/**
 * deskStatistics on a desk built through the API, with the timestamps of what happened then set in
 * the database (no mutation acts in the past), so that every figure has an answer worked out by hand
 * in the comments below. The window W is March 2021: [2021-03-01, 2021-04-01).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { assignments, claimEvents, claims, correctionRequests, corrections, factChecks, verdicts } from '../../src/db/schema.js';
import { fromGlobalId } from '../../src/domain/global-ids.js';
import { codes, ok, type TestApp } from '../support/app.js';
import { createClaim, createUser, ingestArticle, startDeskApp, type Desk, type TestUser } from '../support/factories.js';
import { mutate } from '../support/workflow.js';
import { requestCorrection, resolveCorrectionRequest } from '../support/correction-requests/requests.js';

const STATISTICS = /* GraphQL */ `query($from: DateTime, $to: DateTime) { deskStatistics(from: $from, to: $to) {
  from to claimsCreated factChecksPublished correctionsPublished
  claimsByStatus { status count } factChecksByRating { rating count }
  timeToPublish { count medianSeconds p90Seconds } timeToVerdict { count medianSeconds p90Seconds }
  disagreementRate overdueAssignments
  reviewers { reviewer { id name } activeAssignments overdueAssignments verdictsSubmitted medianSecondsToVerdict } } }`;

const W = { from: '2021-03-01T00:00:00.000Z', to: '2021-04-01T00:00:00.000Z' };
const HOUR = 3_600;
const DAY = 86_400;
const SENTENCES = Array.from(
  { length: 9 },
  (_, i) => `Claim number ${i + 1} says that ${['rents', 'wages', 'taxes', 'prices', 'crime', 'exports', 'births', 'floods', 'fares'][i]} doubled.`,
);

let app: TestApp;
let desk: Desk;
let r: Record<'r1' | 'r2' | 'r3' | 'r4' | 'r5', TestUser>;

const at = (iso: string) => new Date(iso);
const claimUuid = (globalId: string) => fromGlobalId(globalId, 'Claim', 'claimId');

/** The database side of what happened when: timestamps the API would have written at those times. */
const db = () => app.database.db;
const setCreated = (claim: string, iso: string) =>
  db()
    .update(claims)
    .set({ createdAt: at(iso) })
    .where(eq(claims.id, claimUuid(claim)));
const setAssigned = (claim: string, reviewer: TestUser, iso: string, dueAt?: string) =>
  db()
    .update(assignments)
    .set({ assignedAt: at(iso), ...(dueAt ? { dueAt: at(dueAt) } : {}) })
    .where(and(eq(assignments.claimId, claimUuid(claim)), eq(assignments.reviewerId, reviewer.id)));
/** The verdict and its event in the claim's history. */
async function setSubmitted(claim: string, reviewer: TestUser, iso: string) {
  await db()
    .update(verdicts)
    .set({ submittedAt: at(iso) })
    .where(and(eq(verdicts.claimId, claimUuid(claim)), eq(verdicts.reviewerId, reviewer.id)));
  await db()
    .update(claimEvents)
    .set({ at: at(iso) })
    .where(and(eq(claimEvents.claimId, claimUuid(claim)), eq(claimEvents.actorId, reviewer.id), eq(claimEvents.type, 'VERDICT_SUBMITTED')));
}
const setPublished = (claim: string, iso: string) =>
  db()
    .update(factChecks)
    .set({ publishedAt: at(iso) })
    .where(eq(factChecks.claimId, claimUuid(claim)));
const setCorrected = (note: string, iso: string) =>
  db()
    .update(corrections)
    .set({ at: at(iso) })
    .where(eq(corrections.note, note));

async function claim(quote: string, requiredVerdicts = 1) {
  return (await createClaim(app, desk.editor.token, { articleId, quote, requiredVerdicts })).id;
}
const assign = async (claimId: string, reviewers: TestUser[], dueAt?: string) =>
  ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: reviewers.map((x) => x.globalId), dueAt })).assignClaim.assignments as {
    id: string;
    reviewer: { name: string };
  }[];
const verdict = async (claimId: string, reviewer: TestUser, rating: string) =>
  ok(await mutate(app, reviewer.token, 'verdict', { claimId, rating, confidence: 'HIGH', rationale: 'Checked against the statistics office.' }));
const publish = async (claimId: string, rating: string, correctionNote?: string) =>
  ok(await mutate(app, desk.editor.token, 'publish', { claimId, rating, summary: `Rated ${rating}.`, correctionNote }));

let articleId: string;

beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
  r = {
    r1: desk.reviewer1,
    r2: desk.reviewer2,
    r3: await createUser(db(), 'REVIEWER', 'Rosa Third'),
    r4: await createUser(db(), 'REVIEWER', 'Ravi Fourth'),
    r5: await createUser(db(), 'REVIEWER', 'Remy Fifth'),
  };
  articleId = (await ingestArticle(app, desk.editor.token, { body: SENTENCES.join(' ') })).id;
  const editor = desk.editor.token;

  // C1, created in W; two reviewers agree (FALSE); published in W, corrected in W and again after W.
  const c1 = await claim(SENTENCES[0]!, 2);
  await assign(c1, [r.r1, r.r2]);
  await verdict(c1, r.r1, 'FALSE');
  await verdict(c1, r.r2, 'FALSE');
  await publish(c1, 'FALSE');
  await publish(c1, 'MOSTLY_FALSE', 'c1 first correction');
  await publish(c1, 'MISLEADING', 'c1 second correction');
  await setCreated(c1, '2021-03-02T00:00:00Z');
  await setAssigned(c1, r.r1, '2021-03-03T00:00:00Z');
  await setAssigned(c1, r.r2, '2021-03-03T00:00:00Z');
  await setSubmitted(c1, r.r1, '2021-03-03T01:00:00Z'); // 1 h
  await setSubmitted(c1, r.r2, '2021-03-03T03:00:00Z'); // 3 h; the round is reached in W
  await setPublished(c1, '2021-03-05T00:00:00Z'); // 3 days after creation
  await setCorrected('c1 first correction', '2021-03-06T00:00:00Z');
  await setCorrected('c1 second correction', '2021-04-10T00:00:00Z'); // after W

  // C2, created in W; the reviewers disagree (TRUE, FALSE); published and corrected in W, then retracted.
  const c2 = await claim(SENTENCES[1]!, 2);
  await assign(c2, [r.r1, r.r2]);
  await verdict(c2, r.r1, 'TRUE');
  expect((await verdict(c2, r.r2, 'FALSE')).submitVerdict.claim.status).toBe('DISPUTED');
  await publish(c2, 'TRUE');
  await publish(c2, 'MIXED', 'c2 correction');
  ok(await mutate(app, editor, 'reopen', { claimId: c2, reason: 'New evidence came in.' }));
  ok(await mutate(app, editor, 'dismiss', { claimId: c2, reason: 'Withdrawn by the desk.' }));
  await setCreated(c2, '2021-03-10T00:00:00Z');
  await setAssigned(c2, r.r1, '2021-03-10T00:00:00Z');
  await setAssigned(c2, r.r2, '2021-03-10T00:00:00Z');
  await setSubmitted(c2, r.r1, '2021-03-10T02:00:00Z'); // 2 h
  await setSubmitted(c2, r.r2, '2021-03-10T05:00:00Z'); // 5 h
  await setPublished(c2, '2021-03-12T00:00:00Z'); // 2 days after creation
  await setCorrected('c2 correction', '2021-03-13T00:00:00Z');

  // C3, created before W; one verdict needed (MIXED), given in W; published in W as TRUE.
  const c3 = await claim(SENTENCES[2]!, 1);
  await assign(c3, [r.r3]);
  await verdict(c3, r.r3, 'MIXED');
  await publish(c3, 'TRUE');
  await setCreated(c3, '2021-02-01T00:00:00Z');
  await setAssigned(c3, r.r3, '2021-03-19T00:00:00Z');
  await setSubmitted(c3, r.r3, '2021-03-19T00:10:00Z'); // 10 min
  await setPublished(c3, '2021-03-20T00:00:00Z'); // 47 days after creation

  // C4, created in W, needs 2 verdicts: r1's in W, r2 still owes one, due long ago (overdue).
  const c4 = await claim(SENTENCES[3]!, 2);
  await assign(c4, [r.r1, r.r2]);
  await verdict(c4, r.r1, 'UNPROVEN');
  await setCreated(c4, '2021-03-23T00:00:00Z');
  await setAssigned(c4, r.r1, '2021-03-24T00:00:00Z');
  await setAssigned(c4, r.r2, '2021-03-24T00:00:00Z', '2020-01-01T00:00:00Z');
  await setSubmitted(c4, r.r1, '2021-03-25T00:00:00Z'); // 1 day

  // C5, created in W, needs 2 verdicts that disagree; the second comes after W: the round is not reached in W.
  const c5 = await claim(SENTENCES[4]!, 2);
  await assign(c5, [r.r1, r.r2]);
  await verdict(c5, r.r1, 'TRUE');
  await verdict(c5, r.r2, 'FALSE');
  await setCreated(c5, '2021-03-28T00:00:00Z');
  await setAssigned(c5, r.r1, '2021-03-28T12:00:00Z');
  await setAssigned(c5, r.r2, '2021-03-28T12:00:00Z');
  await setSubmitted(c5, r.r1, '2021-03-29T00:00:00Z'); // 12 h
  await setSubmitted(c5, r.r2, '2021-04-02T00:00:00Z'); // after W

  // C6, created in W: r3 owes a verdict due far in the future; r5 was assigned in W and withdrawn.
  const c6 = await claim(SENTENCES[5]!, 1);
  await assign(c6, [r.r3], '2999-01-01T00:00:00Z');
  const [r5Assignment] = await assign(c6, [r.r5]);
  ok(await mutate(app, editor, 'withdraw', { assignmentId: r5Assignment!.id }));
  await setCreated(c6, '2021-03-30T00:00:00Z');
  await setAssigned(c6, r.r3, '2021-03-30T02:00:00Z');
  await setAssigned(c6, r.r5, '2021-03-30T01:00:00Z');

  // C7, all of it in 2020: r4 reviewed it then and has done nothing since.
  const c7 = await claim(SENTENCES[6]!, 1);
  await assign(c7, [r.r4]);
  await verdict(c7, r.r4, 'FALSE');
  await setCreated(c7, '2020-01-01T00:00:00Z');
  await setAssigned(c7, r.r4, '2020-01-02T00:00:00Z');
  await setSubmitted(c7, r.r4, '2020-01-03T00:00:00Z');

  // C8, created after W, untouched.
  await setCreated(await claim(SENTENCES[7]!), '2021-04-15T00:00:00Z');

  // C9, all of it in June 2021: needs 2 verdicts, gets one; lowering requiredVerdicts to 1 completes the round.
  const c9 = await claim(SENTENCES[8]!, 2);
  await assign(c9, [r.r4]);
  await verdict(c9, r.r4, 'TRUE');
  const lowered = ok(await mutate(app, editor, 'update', { claimId: c9, requiredVerdicts: 1 })).updateClaim.claim;
  expect(lowered.status).toBe('REVIEWED');
  await setCreated(c9, '2021-06-01T00:00:00Z');
  await setAssigned(c9, r.r4, '2021-06-01T00:00:00Z');
  await setSubmitted(c9, r.r4, '2021-06-02T00:00:00Z');
  await db()
    .update(claimEvents)
    .set({ at: at('2021-06-10T00:00:00Z') })
    .where(and(eq(claimEvents.claimId, claimUuid(c9)), eq(claimEvents.type, 'UPDATED')));
});
afterAll(() => app?.stop());

const statistics = async (variables: Record<string, unknown> = {}, token = desk.editor.token) => ok(await app.gql(STATISTICS, variables, token)).deskStatistics;

/** Every claim, whatever the window: C1 C3 published, C2 dismissed, C4 C6 in review, C5 disputed, C7 C9 reviewed, C8 open. */
const CLAIMS_BY_STATUS = [
  { status: 'OPEN', count: 1 },
  { status: 'IN_REVIEW', count: 2 },
  { status: 'DISPUTED', count: 1 },
  { status: 'REVIEWED', count: 2 },
  { status: 'PUBLISHED', count: 2 },
  { status: 'DISMISSED', count: 1 },
];
const ratings = (counts: Record<string, number>) =>
  ['TRUE', 'MOSTLY_TRUE', 'MIXED', 'MISLEADING', 'MOSTLY_FALSE', 'FALSE', 'UNPROVEN'].map((rating) => ({ rating, count: counts[rating] ?? 0 }));

describe('deskStatistics over a window with known answers', () => {
  test('counts: claims created, fact checks first published (retracted included), corrections', async () => {
    const s = await statistics(W);
    expect([s.from, s.to]).toEqual([W.from, W.to]);
    expect(s.claimsCreated).toBe(5); // C1 C2 C4 C5 C6; not C3 (February), C7 (2020), C8 (April)
    expect(s.factChecksPublished).toBe(3); // C1, C2 (retracted since), C3; C1's corrections are not publications
    expect(s.correctionsPublished).toBe(2); // C1's first, C2's (its fact check retracted since); not C1's second (April)
  });

  test('claims by status now, and fact checks of the window by their rating now', async () => {
    const s = await statistics(W);
    expect(s.claimsByStatus).toEqual(CLAIMS_BY_STATUS);
    // C1 was published FALSE and corrected to MISLEADING; C2 published TRUE, corrected to MIXED, retracted; C3 TRUE.
    expect(s.factChecksByRating).toEqual(ratings({ MISLEADING: 1, MIXED: 1, TRUE: 1 }));
  });

  test('time to publish: median and p90 of creation to first publication', async () => {
    // 2 days (C2), 3 days (C1), 47 days (C3): median 3 days; p90 = 3 + 0.8 × (47 − 3) days.
    expect((await statistics(W)).timeToPublish).toEqual({ count: 3, medianSeconds: 3 * DAY, p90Seconds: expect.closeTo(3 * DAY + 0.8 * 44 * DAY, 6) });
  });

  test('time to verdict: median and p90 of assignment to verdict, for verdicts submitted in the window', async () => {
    // 10 min, 1 h, 2 h, 3 h, 5 h, 12 h, 1 day (not C5's second, in April, nor C7's, in 2020):
    // median 3 h; p90 at rank 0.9 × 6 = 5.4: 12 h + 0.4 × (24 h − 12 h).
    expect((await statistics(W)).timeToVerdict).toEqual({ count: 7, medianSeconds: 3 * HOUR, p90Seconds: expect.closeTo(12 * HOUR + 0.4 * 12 * HOUR, 6) });
  });

  test('disagreement: of the rounds reaching their required verdicts in the window, those whose ratings differ', async () => {
    // Reached in W: C1 (agree), C2 (TRUE vs FALSE), C3 (one verdict, agrees). Not C4 (one of two),
    // C5 (disagrees, but reached in April), C7 (2020).
    expect((await statistics(W)).disagreementRate).toBeCloseTo(1 / 3, 12);
    // March 29 to April 3 holds C5's completing verdict only: one round, disagreeing.
    expect((await statistics({ from: '2021-03-29T00:00:00Z', to: '2021-04-03T00:00:00Z' })).disagreementRate).toBe(1);
    // March 1 to 4 holds C1 only: one round, agreeing.
    expect((await statistics({ from: '2021-03-01T00:00:00Z', to: '2021-03-04T00:00:00Z' })).disagreementRate).toBe(0);
    // C1's round is reached by its second verdict (03:00), not its first (01:00).
    expect((await statistics({ from: '2021-03-03T00:30:00Z', to: '2021-03-03T02:00:00Z' })).disagreementRate).toBeNull();
    expect((await statistics({ from: '2021-03-03T02:00:00Z', to: '2021-03-03T04:00:00Z' })).disagreementRate).toBe(0);
    // C9's round was completed by lowering requiredVerdicts (June 10), not by its verdict (June 2).
    expect((await statistics({ from: '2021-06-01T00:00:00Z', to: '2021-06-05T00:00:00Z' })).disagreementRate).toBeNull();
    expect((await statistics({ from: '2021-06-05T00:00:00Z', to: '2021-06-15T00:00:00Z' })).disagreementRate).toBe(0);
  });

  test("reviewers' workload, most active assignments first; overdue assignments now", async () => {
    const s = await statistics(W);
    expect(s.overdueAssignments).toBe(1); // r2's on C4; r3's on C6 is due in 2999
    expect(s.reviewers.map((x: any) => ({ ...x, reviewer: x.reviewer.name }))).toEqual([
      // r2 and r3 owe one each; r2 submitted more. r2: 3 h and 5 h in W (not C5's, April).
      { reviewer: r.r2.name, activeAssignments: 1, overdueAssignments: 1, verdictsSubmitted: 2, medianSecondsToVerdict: 4 * HOUR },
      { reviewer: r.r3.name, activeAssignments: 1, overdueAssignments: 0, verdictsSubmitted: 1, medianSecondsToVerdict: 10 * 60 },
      // r1: 1 h, 2 h, 12 h, 1 day: median (2 h + 12 h) / 2.
      { reviewer: r.r1.name, activeAssignments: 0, overdueAssignments: 0, verdictsSubmitted: 4, medianSecondsToVerdict: 7 * HOUR },
      // r5 was assigned in W (and withdrawn); r4 did nothing in W and is not listed.
      { reviewer: r.r5.name, activeAssignments: 0, overdueAssignments: 0, verdictsSubmitted: 0, medianSecondsToVerdict: null },
    ]);
    expect(s.reviewers[0].reviewer.id).toBe(r.r2.globalId);
  });

  test('an empty window: zero counts, null durations and rate; what is "now" stays', async () => {
    const s = await statistics({ from: '2010-01-01T00:00:00Z', to: '2010-02-01T00:00:00Z' });
    expect(s).toMatchObject({
      claimsCreated: 0,
      factChecksPublished: 0,
      correctionsPublished: 0,
      timeToPublish: null,
      timeToVerdict: null,
      disagreementRate: null,
      factChecksByRating: ratings({}),
      claimsByStatus: CLAIMS_BY_STATUS,
      overdueAssignments: 1,
    });
    // Only those who owe verdicts now.
    expect(s.reviewers.map((x: any) => [x.reviewer.name, x.activeAssignments, x.verdictsSubmitted, x.medianSecondsToVerdict])).toEqual([
      [r.r2.name, 1, 0, null],
      [r.r3.name, 1, 0, null],
    ]);
  });

  test('admins see the same figures as editors', async () => {
    expect(await statistics(W, desk.admin.token)).toEqual(await statistics(W));
  });
});

describe('the window', () => {
  const DAY_MS = DAY * 1000;
  const span = (s: { from: string; to: string }) => Date.parse(s.to) - Date.parse(s.from);

  test('defaults to the 30 days before now; `to` alone keeps 30 days before it', async () => {
    const before = Date.now();
    const s = await statistics();
    const after = Date.now();
    expect(Date.parse(s.to)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(s.to)).toBeLessThanOrEqual(after);
    expect(span(s)).toBe(30 * DAY_MS);
    expect(await statistics({ to: '2021-03-31T00:00:00Z' })).toMatchObject({
      from: '2021-03-01T00:00:00.000Z',
      to: '2021-03-31T00:00:00.000Z',
      claimsCreated: 5,
    });
    const tenDaysAgo = new Date(before - 10 * DAY_MS).toISOString();
    const sinceThen = await statistics({ from: tenDaysAgo });
    expect(sinceThen.from).toBe(tenDaysAgo);
    expect(Date.parse(sinceThen.to)).toBeGreaterThanOrEqual(before);
  });

  test('is half-open: from is in it, to is not', async () => {
    // C1 was created at 2021-03-02T00:00.
    expect((await statistics({ from: '2021-03-02T00:00:00Z', to: '2021-03-02T00:00:00.001Z' })).claimsCreated).toBe(1);
    expect((await statistics({ from: '2021-03-01T00:00:00Z', to: '2021-03-02T00:00:00Z' })).claimsCreated).toBe(0);
  });

  test('may be 5 years long (1,827 days), no longer', async () => {
    const from = '2018-01-01T00:00:00.000Z';
    const longest = new Date(Date.parse(from) + 1_827 * DAY_MS).toISOString();
    expect(span(await statistics({ from, to: longest }))).toBe(1_827 * DAY_MS);
    const tooLong = await app.gql(STATISTICS, { from, to: new Date(Date.parse(longest) + 1).toISOString() }, desk.editor.token);
    expect(codes(tooLong)).toEqual(['BAD_USER_INPUT']);
    expect(tooLong.errors![0]!.extensions!.field).toBe('from');
    expect(tooLong.data).toBeNull();
  });

  test.each([
    ['from equal to to', { from: W.from, to: W.from }, 'from'],
    ['from after to', { from: W.to, to: W.from }, 'from'],
    ['from after now, to omitted', { from: '2999-01-01T00:00:00Z' }, 'from'],
    ['to too early to leave 30 days before it', { to: '0001-01-15T00:00:00Z' }, 'to'],
  ])('%s is BAD_USER_INPUT naming its field', async (_label, variables, field) => {
    const response = await app.gql(STATISTICS, variables, desk.editor.token);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions!.field).toBe(field);
    expect(response.data).toBeNull();
  });

  test('a malformed date is refused by the DateTime scalar', async () => {
    expect(codes(await app.gql(STATISTICS, { from: 'last tuesday' }, desk.editor.token))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('correction requests', () => {
  const REQUESTS = /* GraphQL */ `query($from: DateTime, $to: DateTime) { deskStatistics(from: $from, to: $to) {
    openCorrectionRequests medianSecondsToResolveCorrectionRequests } }`;
  const figures = async (variables: Record<string, unknown>) => ok(await app.gql(REQUESTS, variables, desk.editor.token)).deskStatistics;

  /** Files a request, answers it (unless `resolved` is null), and sets when both happened. */
  async function request(factCheckId: string, created: string, resolved: string | null) {
    const filed = await requestCorrection(app, desk.partner.token, factCheckId, `Filed ${created}.`);
    if (resolved) await resolveCorrectionRequest(app, desk.editor.token, filed.id, 'DECLINED', 'No change.');
    await db()
      .update(correctionRequests)
      .set({ createdAt: at(created), ...(resolved ? { resolvedAt: at(resolved) } : {}) })
      .where(eq(correctionRequests.id, fromGlobalId(filed.id, 'CorrectionRequest', 'id')));
  }

  beforeAll(async () => {
    const factCheckId = ok(await app.gql('{ factChecks(first: 1) { edges { node { id } } } }', {}, desk.partner.token)).factChecks.edges[0].node.id;
    await request(factCheckId, '2021-03-01T00:00:00Z', '2021-03-01T01:00:00Z'); // 1 h, in W
    await request(factCheckId, '2021-03-10T00:00:00Z', '2021-03-10T02:00:00Z'); // 2 h, in W
    await request(factCheckId, '2021-02-27T00:00:00Z', '2021-03-01T10:00:00Z'); // 58 h, answered in W (filed before it)
    await request(factCheckId, '2021-03-30T00:00:00Z', '2021-04-01T00:00:00Z'); // 2 days, answered at W's end: not in W
    await request(factCheckId, '2021-03-15T00:00:00Z', null); // OPEN
    await request(factCheckId, '2020-01-01T00:00:00Z', null); // OPEN
  });

  test('open requests now, whatever the window; the median time to answer of the requests answered in the window', async () => {
    // In W: 1 h, 2 h, 58 h: median 2 h.
    expect(await figures(W)).toEqual({ openCorrectionRequests: 2, medianSecondsToResolveCorrectionRequests: 2 * HOUR });
    // Half-open: the one answered at 2021-04-01T00:00 is in the next window.
    expect(await figures({ from: W.to, to: '2021-04-02T00:00:00Z' })).toEqual({ openCorrectionRequests: 2, medianSecondsToResolveCorrectionRequests: 2 * DAY });
    // Two: the mean of the middle ones (percentile_cont).
    expect((await figures({ from: W.from, to: '2021-03-05T00:00:00Z' })).medianSecondsToResolveCorrectionRequests).toBe(((1 + 58) * HOUR) / 2);
    expect(await figures({ from: '2010-01-01T00:00:00Z', to: '2010-02-01T00:00:00Z' })).toEqual({
      openCorrectionRequests: 2,
      medianSecondsToResolveCorrectionRequests: null,
    });
  });
});
