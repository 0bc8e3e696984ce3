/**
 * Correction requests through the API (docs/design.md, Correction requests): who may file one and
 * on what, who sees which, who answers and how often, what is refused and that a refusal changes
 * nothing, and which endpoints the answer is written for. Delivery to a real receiver, signed, is
 * in webhooks.test.ts; two editors answering at once on two processes in correction-requests-processes.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toGlobalId } from '../../src/domain/global-ids.js';
import { codes, ok, type TestApp } from '../support/app.js';
import { CR, requestCorrection, resolveCorrectionRequest, type CorrectionRequestView } from '../support/correction-requests/requests.js';
import { snapshotDatabase } from '../support/database-state.js';
import { createUser, startDeskApp, type Desk, type TestUser } from '../support/factories.js';
import { checkInvariants } from '../support/invariants.js';
import { createEndpoint, deliveriesOf, FACT_CHECK_EVENTS, publish, reviewedClaim } from '../support/webhooks.js';
import { mutate } from '../support/workflow.js';

let app: TestApp;
let desk: Desk;
/** A second partner app, who must never see the first one's requests. */
let otherPartner: TestUser;
/** Published, visible to partners. */
let factCheckId: string;
let claimId: string;
/** Published, then retracted (its claim dismissed). */
let retractedId: string;

const FACT_CHECK = `query($id: ID!) { factCheck(id: $id) { id rating summary textualRating updatedAt corrections { note } } }`;

beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
  otherPartner = await createUser(app.database.db, 'PARTNER', 'Other Partner');
  claimId = await reviewedClaim(app, desk);
  factCheckId = (await publish(app, desk, claimId)).factCheck.id;
  const retractedClaim = await reviewedClaim(app, desk);
  retractedId = (await publish(app, desk, retractedClaim)).factCheck.id;
  ok(await mutate(app, desk.editor.token, 'dismiss', { claimId: retractedClaim, reason: 'Retracted: the source was misread.' }));
});
afterAll(() => app?.stop());

const byNewest = (a: CorrectionRequestView, b: CorrectionRequestView) =>
  a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1;

describe('requestCorrection', () => {
  test('partners, reviewers, editors and admins file requests on a fact check they can see: OPEN, theirs', async () => {
    for (const user of [desk.partner, desk.reviewer1, desk.editor, desk.admin]) {
      const request = await requestCorrection(app, user.token, factCheckId, `From ${user.name}: the figure is from 2019.`, 'Example Media Ltd');
      expect(request).toMatchObject({
        state: 'OPEN',
        message: `From ${user.name}: the figure is from 2019.`,
        requesterName: 'Example Media Ltd',
        factCheck: { id: factCheckId },
        requestedBy: { id: user.globalId, name: user.name },
        resolvedAt: null,
        resolvedBy: null,
        resolutionNote: null,
      });
      expect(Date.parse(request.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    }
    // 5,000 code points (10,000 UTF-16 units) is the limit, not 5,000 units; requesterName is optional, and blank is none.
    const long = await requestCorrection(app, desk.partner.token, factCheckId, '🧾'.repeat(5_000), '   ');
    expect([[...long.message].length, long.requesterName]).toEqual([5_000, null]);
    expect(codes(await app.gql(CR.request, { i: { factCheckId, message: 'Anonymous.' } }, null))).toEqual(['UNAUTHENTICATED']);
  });

  test.each([
    ['an empty message', 'BAD_USER_INPUT', 'message', { message: '' }],
    ['a blank message', 'BAD_USER_INPUT', 'message', { message: ' \n\t ' }],
    ['a message of 5,001 characters', 'BAD_USER_INPUT', 'message', { message: 'x'.repeat(5_001) }],
    ['a message with a NUL', 'BAD_USER_INPUT', 'message', { message: 'a\u0000b' }],
    ['a message with a lone surrogate', 'BAD_USER_INPUT', 'message', { message: 'a\ud800b' }],
    ['a requesterName of 201 characters', 'BAD_USER_INPUT', 'requesterName', { requesterName: 'n'.repeat(201) }],
    ['a malformed factCheckId', 'BAD_USER_INPUT', 'factCheckId', { factCheckId: 'not-an-id' }],
    ['a claim ID as factCheckId', 'BAD_USER_INPUT', 'factCheckId', { factCheckId: 'claim' }],
    ['an unknown fact check', 'NOT_FOUND', 'factCheckId', { factCheckId: toGlobalId('FactCheck', '00000000-0000-4000-8000-000000000000') }],
    ['a retracted fact check', 'NOT_FOUND', 'factCheckId', { factCheckId: 'retracted' }],
  ])('%s is %s naming %s, and changes nothing', async (_name, code, field, change) => {
    const input: Record<string, unknown> = { factCheckId, message: 'Please check the date.', ...change };
    if (input.factCheckId === 'claim') input.factCheckId = claimId;
    if (input.factCheckId === 'retracted') input.factCheckId = retractedId;
    const before = await snapshotDatabase(app.database.db);
    const response = await app.gql(CR.request, { i: input }, desk.partner.token);
    expect(codes(response)).toEqual([code]);
    expect(response.errors![0]!.extensions!.field).toBe(field);
    expect(response.data?.requestCorrection ?? null).toBeNull();
    expect(await snapshotDatabase(app.database.db)).toEqual(before);
  });
});

describe('reading requests', () => {
  test('editors and admins see every request, reviewers and partners their own: newest first, paged, counted, by state', async () => {
    const mine = await requestCorrection(app, otherPartner.token, factCheckId, 'Only mine.');
    const everyone = ok(await app.gql(CR.list, { first: 100 }, desk.editor.token)).correctionRequests;
    const all: CorrectionRequestView[] = everyone.edges.map((e: any) => e.node);
    expect(all).toEqual([...all].sort(byNewest));
    expect(everyone.totalCount).toBe(all.length);
    expect(all.map((r) => r.id)).toContain(mine.id);
    expect(ok(await app.gql(CR.list, { first: 100 }, desk.admin.token)).correctionRequests.totalCount).toBe(all.length);

    for (const user of [desk.partner, otherPartner, desk.reviewer1, desk.reviewer2]) {
      const own = ok(await app.gql(CR.list, { first: 100 }, user.token)).correctionRequests;
      const expected = all.filter((r) => r.requestedBy.id === user.globalId);
      expect(own.edges.map((e: any) => e.node.id)).toEqual(expected.map((r) => r.id));
      expect(own.totalCount).toBe(expected.length);
      // A partner may see itself as the requester; nobody else's request shows.
      for (const edge of own.edges) expect(edge.node.requestedBy.id).toBe(user.globalId);
    }
    expect(ok(await app.gql(CR.list, {}, desk.reviewer2.token)).correctionRequests).toMatchObject({ totalCount: 0, edges: [] });

    // Page by page, one at a time: the same list, each once.
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = ok(await app.gql(CR.list, { first: 2, after }, desk.editor.token)).correctionRequests;
      seen.push(...page.edges.map((e: any) => e.node.id));
      expect(page.totalCount).toBe(all.length);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.map((r) => r.id));

    // By state: OPEN now, ACCEPTED once one is answered.
    await resolveCorrectionRequest(app, desk.editor.token, mine.id, 'ACCEPTED', 'We will correct the date.');
    const accepted = ok(await app.gql(CR.list, { state: 'ACCEPTED' }, desk.editor.token)).correctionRequests;
    expect(accepted.edges.map((e: any) => e.node.id)).toEqual([mine.id]);
    expect(accepted.totalCount).toBe(1);
    expect(ok(await app.gql(CR.list, { state: 'OPEN', first: 100 }, desk.editor.token)).correctionRequests.totalCount).toBe(all.length - 1);
    expect(ok(await app.gql(CR.list, { state: 'ACCEPTED' }, otherPartner.token)).correctionRequests.totalCount).toBe(1);
    expect(ok(await app.gql(CR.list, { state: 'ACCEPTED' }, desk.partner.token)).correctionRequests.totalCount).toBe(0);
  });

  test('bad arguments are BAD_USER_INPUT; no token is UNAUTHENTICATED', async () => {
    for (const [variables, field] of [
      [{ first: 0 }, 'first'],
      [{ first: 101 }, 'first'],
      [{ after: 'bm90IGEgY3Vyc29y' }, 'after'],
      [{ after: Buffer.from(JSON.stringify(['0000-01-01T00:00:00.000Z', '00000000-0000-4000-8000-000000000000'])).toString('base64url') }, 'after'],
    ] as const) {
      const response = await app.gql(CR.list, variables, desk.editor.token);
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field).toBe(field);
    }
    expect(codes(await app.gql(CR.list, { state: 'CLOSED' }, desk.editor.token))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await app.gql(CR.list, {}, null))).toEqual(['UNAUTHENTICATED']);
  });

  test('node(id): the requester and staff see a request, other reviewers and partners null; who answered is for editors and admins only (null, not FORBIDDEN, for the others)', async () => {
    const partners = await requestCorrection(app, desk.partner.token, factCheckId, 'Partner asks.', 'Content owner');
    const reviewers = await requestCorrection(app, desk.reviewer1.token, factCheckId, 'Reviewer asks.');
    for (const request of [partners, reviewers]) await resolveCorrectionRequest(app, desk.editor.token, request.id, 'DECLINED', 'The fact check stands.');
    const node = async (id: string, user: TestUser | null) => {
      const response = await app.gql(CR.node, { id }, user?.token);
      expect(response.errors).toBeUndefined();
      return response.data.node as (CorrectionRequestView & { __typename: string }) | null;
    };
    for (const user of [desk.editor, desk.admin]) {
      for (const request of [partners, reviewers]) {
        expect(await node(request.id, user)).toMatchObject({
          __typename: 'CorrectionRequest',
          id: request.id,
          state: 'DECLINED',
          resolutionNote: 'The fact check stands.',
          resolvedBy: { id: desk.editor.globalId, name: desk.editor.name },
        });
      }
    }
    expect(await node(partners.id, desk.partner)).toMatchObject({
      id: partners.id,
      state: 'DECLINED',
      requesterName: 'Content owner',
      resolutionNote: 'The fact check stands.',
      resolvedBy: null,
      requestedBy: { id: desk.partner.globalId },
      factCheck: { id: factCheckId },
    });
    expect(await node(reviewers.id, desk.reviewer1)).toMatchObject({ id: reviewers.id, resolvedBy: null, requestedBy: { id: desk.reviewer1.globalId } });
    // Someone else's request is not there at all.
    expect(await node(partners.id, otherPartner)).toBeNull();
    expect(await node(partners.id, desk.reviewer1)).toBeNull();
    expect(await node(reviewers.id, desk.partner)).toBeNull();
    expect(await node(reviewers.id, desk.reviewer2)).toBeNull();
    // The lists say the same.
    const listed = ok(await app.gql(CR.list, { state: 'DECLINED' }, desk.partner.token)).correctionRequests.edges.map((e: any) => e.node);
    expect(listed).toEqual([expect.objectContaining({ id: partners.id, resolvedBy: null })]);
  });

  test('a request outlives its fact check: once it is retracted, `factCheck` is null (for every role)', async () => {
    const claim = await reviewedClaim(app, desk);
    const published = (await publish(app, desk, claim)).factCheck.id;
    const request = await requestCorrection(app, desk.partner.token, published, 'This is wrong.');
    expect(request.factCheck).toEqual({ id: published });
    ok(await mutate(app, desk.editor.token, 'dismiss', { claimId: claim, reason: 'Retracted after the request.' }));
    for (const user of [desk.partner, desk.editor]) expect(ok(await app.gql(CR.node, { id: request.id }, user.token)).node.factCheck).toBeNull();
    // It may still be answered.
    const answered = await resolveCorrectionRequest(app, desk.editor.token, request.id, 'ACCEPTED', 'Retracted.');
    expect(answered).toMatchObject({ state: 'ACCEPTED', factCheck: null });
  });
});

describe('resolveCorrectionRequest', () => {
  test('editors and admins answer ACCEPTED or DECLINED with a note, once; accepting leaves the fact check as it was', async () => {
    const before = ok(await app.gql(FACT_CHECK, { id: factCheckId }, desk.partner.token)).factCheck;
    const first = await requestCorrection(app, desk.partner.token, factCheckId, 'Wrong year.');
    const second = await requestCorrection(app, desk.partner.token, factCheckId, 'Wrong name.');
    const accepted = await resolveCorrectionRequest(app, desk.editor.token, first.id, 'ACCEPTED', '🙏 We will correct it. '.repeat(200).slice(0, 4_000));
    expect(accepted).toMatchObject({ id: first.id, state: 'ACCEPTED', resolvedBy: { id: desk.editor.globalId }, message: 'Wrong year.' });
    expect(Date.parse(accepted.resolvedAt!)).toBeGreaterThanOrEqual(Date.parse(accepted.createdAt));
    const declined = await resolveCorrectionRequest(app, desk.admin.token, second.id, 'DECLINED', 'The name is right.');
    expect(declined).toMatchObject({ state: 'DECLINED', resolvedBy: { id: desk.admin.globalId }, resolutionNote: 'The name is right.' });
    // Accepting does not correct anything by itself.
    expect(ok(await app.gql(FACT_CHECK, { id: factCheckId }, desk.partner.token)).factCheck).toEqual(before);

    // A second answer, of either kind, by anyone, is CONFLICT and changes nothing.
    const snapshot = await snapshotDatabase(app.database.db);
    for (const [user, state] of [
      [desk.editor, 'DECLINED'],
      [desk.admin, 'ACCEPTED'],
      [desk.editor, 'ACCEPTED'],
    ] as const) {
      const again = await app.gql(CR.resolve, { i: { requestId: first.id, state, note: 'Changed our mind.' } }, user.token);
      expect(codes(again)).toEqual(['CONFLICT']);
      expect(again.errors![0]!.message).toMatch(/answered already \(ACCEPTED\)/);
    }
    expect(await snapshotDatabase(app.database.db)).toEqual(snapshot);
  });

  test('two answers at the same moment: one wins, the other is CONFLICT', async () => {
    const request = await requestCorrection(app, desk.partner.token, factCheckId, 'Race.');
    const answers = await Promise.all([
      app.gql(CR.resolve, { i: { requestId: request.id, state: 'ACCEPTED', note: 'Yes.' } }, desk.editor.token),
      app.gql(CR.resolve, { i: { requestId: request.id, state: 'DECLINED', note: 'No.' } }, desk.admin.token),
    ]);
    expect(answers.map((a) => codes(a)[0] ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
    const winner = answers.find((a) => !a.errors)!.data.resolveCorrectionRequest.correctionRequest;
    expect(ok(await app.gql(CR.node, { id: request.id }, desk.editor.token)).node).toMatchObject({
      state: winner.state,
      resolutionNote: winner.resolutionNote,
    });
  });

  test.each([
    ['OPEN as the answer', 'BAD_USER_INPUT', 'state', { state: 'OPEN' }],
    ['an empty note', 'BAD_USER_INPUT', 'note', { note: '' }],
    ['a blank note', 'BAD_USER_INPUT', 'note', { note: '   ' }],
    ['a note of 5,001 characters', 'BAD_USER_INPUT', 'note', { note: 'n'.repeat(5_001) }],
    ['a malformed requestId', 'BAD_USER_INPUT', 'requestId', { requestId: 'nope' }],
    ['a fact check ID as requestId', 'BAD_USER_INPUT', 'requestId', { requestId: 'factCheck' }],
    ['an unknown request', 'NOT_FOUND', 'requestId', { requestId: toGlobalId('CorrectionRequest', '00000000-0000-4000-8000-000000000000') }],
  ])('%s is %s naming %s, and changes nothing', async (_name, code, field, change) => {
    const request = await requestCorrection(app, desk.partner.token, factCheckId, 'Bad answers follow.');
    const input: Record<string, unknown> = { requestId: request.id, state: 'ACCEPTED', note: 'Fine.', ...change };
    if (input.requestId === 'factCheck') input.requestId = factCheckId;
    const before = await snapshotDatabase(app.database.db);
    const response = await app.gql(CR.resolve, { i: input }, desk.editor.token);
    expect(codes(response)).toEqual([code]);
    expect(response.errors![0]!.extensions!.field).toBe(field);
    expect(await snapshotDatabase(app.database.db)).toEqual(before);
  });

  test('reviewers and partners may not answer, not even their own request: FORBIDDEN, changing nothing', async () => {
    for (const user of [desk.partner, desk.reviewer1]) {
      const request = await requestCorrection(app, user.token, factCheckId, 'Mine.');
      const before = await snapshotDatabase(app.database.db);
      expect(codes(await app.gql(CR.resolve, { i: { requestId: request.id, state: 'ACCEPTED', note: 'Self-service.' } }, user.token))).toEqual(['FORBIDDEN']);
      expect(await snapshotDatabase(app.database.db)).toEqual(before);
    }
    const anyRequest = toGlobalId('CorrectionRequest', '00000000-0000-4000-8000-000000000000');
    expect(codes(await app.gql(CR.resolve, { i: { requestId: anyRequest, state: 'ACCEPTED', note: 'n' } }, null))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('the answer as a webhook event', () => {
  test("is written for the requester's endpoints and staff endpoints that subscribe, never another partner's; not for a change of nothing", async () => {
    const EVENT = 'CORRECTION_REQUEST_RESOLVED';
    const requester = await createEndpoint(app, desk.partner.token, 'https://partner.example/requests', [...FACT_CHECK_EVENTS, EVENT]);
    const unsubscribed = await createEndpoint(app, desk.partner.token, 'https://partner.example/fact-checks', FACT_CHECK_EVENTS);
    const other = await createEndpoint(app, otherPartner.token, 'https://other.example/requests', [EVENT]);
    const editors = await createEndpoint(app, desk.editor.token, 'https://desk.example/requests', [EVENT]);
    const admins = await createEndpoint(app, desk.admin.token, 'https://admin.example/requests', [EVENT, 'CLAIM_STATUS_CHANGED']);
    const disabled = await createEndpoint(app, desk.editor.token, 'https://desk.example/disabled', [EVENT]);
    ok(
      await app.gql(
        'mutation($i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $i) { endpoint { id } } }',
        { i: { endpointId: disabled.endpoint.id, enabled: false } },
        desk.editor.token,
      ),
    );
    const heard = async () => ({
      requester: (await deliveriesOf(app, desk.partner.token, requester.endpoint.id)).deliveries.filter((d) => d.event === EVENT),
      unsubscribed: (await deliveriesOf(app, desk.partner.token, unsubscribed.endpoint.id)).deliveries.filter((d) => d.event === EVENT),
      other: (await deliveriesOf(app, otherPartner.token, other.endpoint.id)).deliveries,
      editors: (await deliveriesOf(app, desk.editor.token, editors.endpoint.id)).deliveries,
      admins: (await deliveriesOf(app, desk.admin.token, admins.endpoint.id)).deliveries.filter((d) => d.event === EVENT),
      disabled: (await deliveriesOf(app, desk.editor.token, disabled.endpoint.id)).deliveries,
    });

    // Filing a request sends nothing.
    const request = await requestCorrection(app, desk.partner.token, factCheckId, 'Wrong year.', 'Example Media');
    expect(Object.values(await heard()).map((d) => d.length)).toEqual([0, 0, 0, 0, 0, 0]);

    const resolved = await resolveCorrectionRequest(app, desk.editor.token, request.id, 'DECLINED', 'The year is right.');
    const after = await heard();
    expect(Object.fromEntries(Object.entries(after).map(([k, d]) => [k, d.length]))).toEqual({
      requester: 1,
      unsubscribed: 0,
      other: 0,
      editors: 1,
      admins: 1,
      disabled: 0,
    });
    const expected = {
      type: 'correction_request.resolved',
      timestamp: expect.any(String),
      data: {
        correctionRequest: {
          id: request.id,
          factCheckId,
          state: 'DECLINED',
          requesterName: 'Example Media',
          resolutionNote: 'The year is right.',
          resolvedAt: resolved.resolvedAt,
        },
      },
    };
    for (const d of [after.requester[0]!, after.editors[0]!, after.admins[0]!]) expect(d.payload).toEqual(expected);
    // One event, the same at every endpoint.
    expect(new Set([after.requester[0]!.eventId, after.editors[0]!.eventId, after.admins[0]!.eventId]).size).toBe(1);

    // A CONFLICT writes no second event.
    await app.gql(CR.resolve, { i: { requestId: request.id, state: 'ACCEPTED', note: 'Again.' } }, desk.admin.token);
    expect((await heard()).editors).toHaveLength(1);

    // A reviewer's request: staff endpoints hear its answer, no partner's does.
    const reviewers = await requestCorrection(app, desk.reviewer1.token, factCheckId, 'From the desk.');
    await resolveCorrectionRequest(app, desk.admin.token, reviewers.id, 'ACCEPTED', 'Agreed.');
    const last = await heard();
    expect([last.requester.length, last.other.length, last.editors.length, last.admins.length]).toEqual([1, 0, 2, 2]);
    expect(last.editors.map((d) => d.payload.data.correctionRequest.id).sort()).toEqual([request.id, reviewers.id].sort());
    expect((await checkInvariants(app.database.db)).violations).toEqual([]);
  });
});
