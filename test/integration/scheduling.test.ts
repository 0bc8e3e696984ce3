/**
 * Scheduled publication through the API (docs/design.md, "Scheduled publication"): validation, the
 * claim's guard while scheduled, embargoed delivery to the right endpoints only and its re-sends,
 * the release (never early, within a loose bound, as the usual publication), and rating labels
 * held by a schedule. What public reads show of it: scheduling-reads.test.ts; two processes:
 * scheduling-processes.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startWebhookDispatcher } from '../../src/jobs/webhook-dispatcher.js';
import { createLogger } from '../../src/server/logger.js';
import { dispatchSettings } from '../../src/server/webhook-settings.js';
import { codes, ok, type TestApp } from '../support/app.js';
import { createUser, startDeskApp, type Desk, type TestUser } from '../support/factories.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { inSeconds, S, schedule, setEmbargoAccess } from '../support/scheduling/scheduling.js';
import { createEndpoint, deliveriesOf, reviewedClaim, W } from '../support/webhooks.js';
import { M, mutate } from '../support/workflow.js';

let app: TestApp;
let desk: Desk;

beforeAll(async () => {
  ({ app, desk } = await startDeskApp({}, { releasePollMs: 100 }));
});
afterAll(() => app?.stop());

const claimOf = async (id: string, token = desk.editor.token) => ok(await app.gql(S.claim, { id }, token)).claim;
const DAY = 24 * 60 * 60 * 1000;

describe('publishFactCheck with publishAt', () => {
  test('schedules: one PUBLICATION_SCHEDULED event, the status kept, the ID and URL fixed, the payload as it will be published', async () => {
    const claimId = await reviewedClaim(app, desk);
    const before = await claimOf(claimId);
    // Any offset is accepted; the instant is stored and shown in UTC.
    const local = new Date(Date.now() + 3 * DAY);
    local.setUTCMilliseconds(0);
    // The same instant as a wall clock five hours ahead of UTC.
    const publishAt = `${new Date(local.getTime() + 5 * 3600_000).toISOString().slice(0, 19)}+05:00`;
    const { claim, factCheck } = await schedule(app, desk, claimId, publishAt, { summary: 'Embargoed until the debate.' });
    expect(new Date(publishAt).getTime()).toBe(local.getTime());
    expect(claim).toMatchObject({ status: before.status, version: before.version + 1, factCheck: null });
    expect(claim.scheduledPublication).toEqual({
      publishAt: local.toISOString(),
      factCheckId: factCheck.id,
      url: `https://factcheck.test/fact-checks/${factCheck.id}`,
      rating: 'FALSE',
      textualRating: factCheck.textualRating,
      summary: 'Embargoed until the debate.',
      scheduledBy: { name: desk.editor.name },
    });
    expect(factCheck).toMatchObject({ url: claim.scheduledPublication.url, summary: 'Embargoed until the debate.', publishedAt: local.toISOString() });
    expect(factCheck.claimReview).toMatchObject({ '@type': 'ClaimReview', url: factCheck.url, datePublished: local.toISOString() });
    const after = await claimOf(claimId);
    expect(after.history.at(-1)).toMatchObject({
      type: 'PUBLICATION_SCHEDULED',
      version: before.version + 1,
      fromStatus: before.status,
      toStatus: before.status,
    });
    // Invisible to every role until then.
    for (const token of [desk.admin.token, desk.editor.token, desk.partner.token]) {
      expect(ok(await app.gql(S.factCheck, { id: factCheck.id }, token)).factCheck).toBeNull();
      expect(ok(await app.gql(S.node, { id: factCheck.id }, token)).node).toBeNull();
    }
    // A partner cannot see the claim, nor so its schedule.
    expect(codes(await app.gql(S.claim, { id: claimId }, desk.partner.token))).toEqual(['FORBIDDEN']);
  });

  test('at most 90 days ahead; a first publication only; bad input changes nothing', async () => {
    const claimId = await reviewedClaim(app, desk);
    const before = await claimOf(claimId);
    const tooFar = await app.gql(
      S.publish,
      { i: { claimId, rating: 'FALSE', summary: 'x', publishAt: new Date(Date.now() + 91 * DAY).toISOString() } },
      desk.editor.token,
    );
    expect(codes(tooFar)).toEqual(['BAD_USER_INPUT']);
    expect(tooFar.errors![0]!.extensions!.field).toBe('publishAt');
    expect(await claimOf(claimId)).toEqual(before);

    const { factCheck } = await schedule(app, desk, claimId, null); // null: now
    expect(ok(await app.gql(S.factCheck, { id: factCheck.id }, desk.partner.token)).factCheck).toMatchObject({ id: factCheck.id });
    const published = await claimOf(claimId);
    for (const publishAt of [inSeconds(3600), new Date(Date.now() - DAY)]) {
      const again = await app.gql(
        S.publish,
        { i: { claimId, rating: 'FALSE', summary: 'y', correctionNote: 'z', publishAt: publishAt.toISOString() } },
        desk.editor.token,
      );
      expect(codes(again)).toEqual(['BAD_USER_INPUT']);
      expect(again.errors![0]!.extensions!.field).toBe('publishAt');
    }
    expect(await claimOf(claimId)).toEqual(published);
  });

  test('a past publishAt publishes now', async () => {
    const claimId = await reviewedClaim(app, desk);
    const { claim, factCheck } = await schedule(app, desk, claimId, new Date(Date.now() - 60_000));
    expect(claim.status).toBe('PUBLISHED');
    expect(claim.scheduledPublication).toBeNull();
    expect(Date.parse(factCheck.publishedAt)).toBeGreaterThan(Date.now() - 30_000);
    expect(ok(await app.gql(S.factCheck, { id: factCheck.id }, desk.partner.token)).factCheck).toMatchObject({ id: factCheck.id });
  });
});

describe('the claim while a publication is scheduled', () => {
  test('every action: allowed, or CONFLICT naming the schedule', async () => {
    const claimId = await reviewedClaim(app, desk);
    ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer2.globalId] }));
    const assignmentId =
      (await claimOf(claimId)) &&
      ok(await app.gql(`query($id: ID!) { claim(id: $id) { assignments { id state } } }`, { id: claimId }, desk.editor.token)).claim.assignments.find(
        (a: any) => a.state === 'ACTIVE',
      ).id;
    const at = inSeconds(7 * 24 * 3600);
    at.setUTCMilliseconds(0);
    const { factCheck } = await schedule(app, desk, claimId, at);
    const topic = ok(
      await app.gql('mutation($i: CreateTopicInput!) { createTopic(input: $i) { topic { id } } }', { i: { name: `Aid ${Date.now()}` } }, desk.editor.token),
    ).createTopic.topic;
    const speaker = ok(
      await app.gql(
        'mutation($i: CreateClaimantInput!) { createClaimant(input: $i) { claimant { id } } }',
        { i: { name: `Speaker ${Date.now()}`, kind: 'PERSON' } },
        desk.editor.token,
      ),
    ).createClaimant.claimant;

    const refused: [string, () => Promise<any>][] = [
      ['updateClaim', () => mutate(app, desk.editor.token, 'update', { claimId, statement: 'Hamas hijacks aid, often.' })],
      ['updateClaim', () => mutate(app, desk.editor.token, 'update', { claimId, priority: 'HIGH', speakerId: speaker.id })],
      ['assignClaim', () => mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer1.globalId] })],
      ['withdrawAssignment', () => mutate(app, desk.editor.token, 'withdraw', { assignmentId })],
      ['addEvidence', () => mutate(app, desk.editor.token, 'evidence', { claimId, kind: 'OTHER', title: 'More', stance: 'SUPPORTS' })],
      ['submitVerdict', () => mutate(app, desk.reviewer2.token, 'verdict', { claimId, rating: 'FALSE', confidence: 'HIGH', rationale: 'Same.' })],
      ['reopenClaim', () => mutate(app, desk.editor.token, 'reopen', { claimId, reason: 'Again.' })],
    ];
    for (const [action, attempt] of refused) {
      const before = await claimOf(claimId);
      const response = await attempt();
      expect(codes(response), action).toEqual(['CONFLICT']);
      expect(response.errors[0].message).toBe(
        `${action} is not allowed while a publication is scheduled for ${at.toISOString()} (cancelScheduledPublication first)`,
      );
      expect(await claimOf(claimId)).toEqual(before);
    }

    let version = (await claimOf(claimId)).version;
    const allowed: [string, () => Promise<any>][] = [
      [
        'addClaimAppearance',
        () =>
          app.gql(
            'mutation($i: AddClaimAppearanceInput!) { addClaimAppearance(input: $i) { claim { version } } }',
            { i: { claimId, url: 'https://social.example/post/1' } },
            desk.editor.token,
          ),
      ],
      [
        'setClaimTopics',
        () =>
          app.gql(
            'mutation($i: SetClaimTopicsInput!) { setClaimTopics(input: $i) { claim { version } } }',
            { i: { claimId, topicIds: [topic.id] } },
            desk.editor.token,
          ),
      ],
      ['updateClaim (speaker only)', () => mutate(app, desk.editor.token, 'update', { claimId, speakerId: speaker.id })],
      ['updateClaim (the claimant as written)', () => mutate(app, desk.editor.token, 'update', { claimId, claimant: 'A spokesman' })],
      ['publishFactCheck (a new time)', () => schedule(app, desk, claimId, new Date(at.getTime() + DAY)).then((data) => ({ data }))],
    ];
    for (const [action, attempt] of allowed) {
      const response = await attempt();
      expect(response.errors, action).toBeUndefined();
      const claim = await claimOf(claimId);
      expect(claim.version, action).toBe(version + 1);
      version = claim.version;
    }
    const claim = await claimOf(claimId);
    // Replaced, with the ID it was given: what embargoed partners hold stays valid.
    expect(claim.scheduledPublication).toMatchObject({ factCheckId: factCheck.id, publishAt: new Date(at.getTime() + DAY).toISOString() });
    expect(claim.factCheck).toBeNull();

    const cancelled = ok(await app.gql(S.cancel, { i: { claimId, expectedVersion: version } }, desk.editor.token)).cancelScheduledPublication.claim;
    expect(cancelled).toMatchObject({ status: claim.status, version: version + 1, scheduledPublication: null });
    expect((await claimOf(claimId)).history.at(-1)).toMatchObject({ type: 'PUBLICATION_CANCELLED', version: version + 1 });
    // Nothing left to cancel; the claim's actions are back.
    expect(codes(await app.gql(S.cancel, { i: { claimId } }, desk.editor.token))).toEqual(['CONFLICT']);
    expect(codes(await app.gql(S.cancel, { i: { claimId } }, desk.reviewer1.token))).toEqual(['FORBIDDEN']);
    ok(await mutate(app, desk.editor.token, 'update', { claimId, priority: 'HIGH' }));
  });

  test('dismissClaim drops the schedule within its one DISMISSED event; publishing now publishes with the fixed ID', async () => {
    const dismissed = await reviewedClaim(app, desk);
    await schedule(app, desk, dismissed, inSeconds(3600));
    const before = await claimOf(dismissed);
    const after = ok(await mutate(app, desk.editor.token, 'dismiss', { claimId: dismissed, reason: 'Not checkable after all.' })).dismissClaim.claim;
    expect(after).toMatchObject({ status: 'DISMISSED', version: before.version + 1 });
    expect((await claimOf(dismissed)).scheduledPublication).toBeNull();
    expect((await claimOf(dismissed)).history.at(-1)).toMatchObject({ type: 'DISMISSED' });

    const now = await reviewedClaim(app, desk);
    const { factCheck } = await schedule(app, desk, now, inSeconds(3600));
    const published = await schedule(app, desk, now, null);
    expect(published.factCheck.id).toBe(factCheck.id);
    expect(published.claim).toMatchObject({ status: 'PUBLISHED', scheduledPublication: null, factCheck: { id: factCheck.id } });
  });

  test('a rating label a schedule uses cannot be removed (CONFLICT)', async () => {
    const scale = ok(
      await app.gql('{ ratingScale { name defaultLocale labels { key rating value names { locale text } } } }', {}, desk.admin.token),
    ).ratingScale;
    const claimId = await reviewedClaim(app, desk);
    const label = scale.labels.find((l: any) => l.rating === 'FALSE');
    await schedule(app, desk, claimId, inSeconds(3600), { rating: null, ratingLabel: label.key });
    const without = { ...scale, labels: scale.labels.filter((l: any) => l.key !== label.key) };
    const refused = await app.gql(
      'mutation($i: SetRatingScaleInput!) { setRatingScale(input: $i) { ratingScale { name } } }',
      { i: without },
      desk.admin.token,
    );
    expect(codes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0]!.message).toContain(label.key);
    ok(await app.gql(S.cancel, { i: { claimId } }, desk.editor.token));
  });
});

describe('embargo', () => {
  let staff: Receiver;
  let embargoed: Receiver;
  let plain: Receiver;
  let revoked: Receiver;
  let embargoPartner: TestUser;
  let revokedPartner: TestUser;
  const SCHEDULE_EVENTS = ['FACT_CHECK_SCHEDULED', 'FACT_CHECK_SCHEDULE_CANCELLED', 'FACT_CHECK_PUBLISHED'];

  beforeAll(async () => {
    [staff, embargoed, plain, revoked] = await Promise.all([startReceiver(), startReceiver(), startReceiver(), startReceiver()]);
    embargoPartner = await createUser(app.database.db, 'PARTNER', 'Embargoed Platform');
    revokedPartner = await createUser(app.database.db, 'PARTNER', 'Formerly Embargoed');
  });
  afterAll(async () => {
    await Promise.all([staff, embargoed, plain, revoked].map((r) => r?.stop()));
  });

  test('embargoAccess: admins set it; a partner without it may not subscribe (FORBIDDEN)', async () => {
    const partnerNoAccess = await app.gql(W.create, { i: { url: plain.url, events: ['FACT_CHECK_SCHEDULED'] } }, desk.partner.token);
    expect(codes(partnerNoAccess)).toEqual(['FORBIDDEN']);
    expect(codes(await app.gql(W.create, { i: { url: plain.url, events: ['FACT_CHECK_SCHEDULE_CANCELLED'] } }, desk.partner.token))).toEqual(['FORBIDDEN']);
    expect(codes(await app.gql(S.updateUser, { i: { userId: embargoPartner.globalId, embargoAccess: true } }, desk.editor.token))).toEqual(['FORBIDDEN']);
    expect(await setEmbargoAccess(app, desk, embargoPartner.globalId, true)).toMatchObject({ embargoAccess: true });
    expect(await setEmbargoAccess(app, desk, revokedPartner.globalId, true)).toMatchObject({ embargoAccess: true });
    const viewer = ok(await app.gql('{ viewer { embargoAccess } }', {}, embargoPartner.token)).viewer;
    expect(viewer.embargoAccess).toBe(true);
    // An endpoint's events can be widened by update too, under the same rule.
    const endpoint = await createEndpoint(app, desk.partner.token, plain.url, ['FACT_CHECK_PUBLISHED']);
    expect(codes(await app.gql(W.update, { i: { endpointId: endpoint.endpoint.id, events: ['FACT_CHECK_SCHEDULED'] } }, desk.partner.token))).toEqual([
      'FORBIDDEN',
    ]);
  });

  test('fact_check.scheduled goes to staff and embargoed endpoints only, again on each change; cancellation sends fact_check.schedule_cancelled; access is checked again at sending', async () => {
    const staffEndpoint = await createEndpoint(app, desk.editor.token, staff.url, SCHEDULE_EVENTS);
    const embargoEndpoint = await createEndpoint(app, embargoPartner.token, embargoed.url, SCHEDULE_EVENTS);
    const revokedEndpoint = await createEndpoint(app, revokedPartner.token, revoked.url, SCHEDULE_EVENTS);
    const claimId = await reviewedClaim(app, desk);
    const at = inSeconds(3600);
    at.setUTCMilliseconds(0);
    // No dispatcher yet: the outbox's addressing is read from the deliveries, then sending.
    const { factCheck } = await schedule(app, desk, claimId, at, { summary: 'For the debate.' });
    await setEmbargoAccess(app, desk, revokedPartner.globalId, false);
    ok(
      await app.gql(
        'mutation($i: AddClaimAppearanceInput!) { addClaimAppearance(input: $i) { claim { version } } }',
        { i: { claimId, url: 'https://video.example/clip' } },
        desk.editor.token,
      ),
    );
    const later = new Date(at.getTime() + 3600_000);
    await schedule(app, desk, claimId, later, { summary: 'For the debate, an hour later.' });
    ok(await app.gql(S.cancel, { i: { claimId } }, desk.editor.token));

    const events = async (token: string, id: string) => (await deliveriesOf(app, token, id)).deliveries.map((d) => d.event).reverse();
    const expected = ['FACT_CHECK_SCHEDULED', 'FACT_CHECK_SCHEDULED', 'FACT_CHECK_SCHEDULED', 'FACT_CHECK_SCHEDULE_CANCELLED'];
    expect(await events(desk.editor.token, staffEndpoint.endpoint.id)).toEqual(expected);
    expect(await events(embargoPartner.token, embargoEndpoint.endpoint.id)).toEqual(expected);
    // Written while it had access: only the first; its sending is checked again below.
    expect(await events(revokedPartner.token, revokedEndpoint.endpoint.id)).toEqual(['FACT_CHECK_SCHEDULED']);

    const dispatcher = await startWebhookDispatcher(
      app.database,
      dispatchSettings({ NODE_ENV: 'test' }, { publicBaseUrl: 'https://factcheck.test', orgName: 'Test Desk', orgUrl: 'https://desk.test' }),
      createLogger('silent'),
    );
    try {
      const received = await embargoed.waitFor((r) => r.length === 4, 20_000);
      await staff.waitFor((r) => r.length === 4, 20_000);
      const bodies = received.map((r) => r.json).sort((a, b) => a.data.claimVersion - b.data.claimVersion);
      expect(bodies.map((b) => b.type)).toEqual(['fact_check.scheduled', 'fact_check.scheduled', 'fact_check.scheduled', 'fact_check.schedule_cancelled']);
      expect(bodies[0]!.data).toMatchObject({
        embargoUntil: at.toISOString(),
        factCheck: { id: factCheck.id, url: factCheck.url, summary: 'For the debate.', publishedAt: at.toISOString() },
      });
      expect(bodies[1]!.data.factCheck.claimReview.itemReviewed.appearance).toEqual(
        expect.arrayContaining([expect.objectContaining({ url: 'https://video.example/clip' })]),
      );
      expect(bodies[2]!.data).toMatchObject({ embargoUntil: later.toISOString(), factCheck: { id: factCheck.id, summary: 'For the debate, an hour later.' } });
      expect(bodies[3]!.data).toEqual({ factCheck: { id: factCheck.id, url: factCheck.url }, claimVersion: bodies[2]!.data.claimVersion + 1 });
      // Withheld at sending: never sent, FAILED with the reason.
      const start = Date.now();
      for (;;) {
        const [delivery] = (await deliveriesOf(app, revokedPartner.token, revokedEndpoint.endpoint.id)).deliveries;
        if (delivery!.state === 'FAILED') {
          expect(delivery!.lastError).toContain('withheld');
          expect(delivery!.attempts).toBe(0);
          break;
        }
        if (Date.now() - start > 10_000) throw new Error(`still ${delivery!.state}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(revoked.received).toEqual([]);
    } finally {
      await dispatcher.stop();
    }
  });
});

describe('embargoed partners stay in step with the speaker', () => {
  test("a claimant's rename and a merge send fact_check.scheduled again, with the speaker as it will be published", async () => {
    const CLAIMANT = 'mutation($i: CreateClaimantInput!) { createClaimant(input: $i) { claimant { id } } }';
    const speaker = ok(await app.gql(CLAIMANT, { i: { name: 'Pat Speaker', kind: 'PERSON' } }, desk.editor.token)).createClaimant.claimant;
    const duplicate = ok(await app.gql(CLAIMANT, { i: { name: 'P. Speaker', kind: 'PERSON' } }, desk.editor.token)).createClaimant.claimant;
    const endpoint = await createEndpoint(app, desk.editor.token, 'https://desk.example/embargo', ['FACT_CHECK_SCHEDULED']);
    const claimId = await reviewedClaim(app, desk);
    ok(await mutate(app, desk.editor.token, 'update', { claimId, speakerId: duplicate.id }));
    const { factCheck } = await schedule(app, desk, claimId, inSeconds(3600));
    ok(
      await app.gql(
        'mutation($i: UpdateClaimantInput!) { updateClaimant(input: $i) { claimant { id } } }',
        { i: { claimantId: duplicate.id, name: 'Patricia Speaker' } },
        desk.editor.token,
      ),
    );
    ok(
      await app.gql(
        'mutation($i: MergeClaimantsInput!) { mergeClaimants(input: $i) { movedClaims } }',
        { i: { sourceId: duplicate.id, targetId: speaker.id } },
        desk.editor.token,
      ),
    );
    const payloads = (await deliveriesOf(app, desk.editor.token, endpoint.endpoint.id)).deliveries
      .map((d) => d.payload.data)
      .filter((data) => data.factCheck.id === factCheck.id)
      .sort((a, b) => a.claimVersion - b.claimVersion);
    expect(payloads.map((p) => p.factCheck.speaker?.name)).toEqual(['P. Speaker', 'Patricia Speaker', 'Pat Speaker']);
    expect(new Set(payloads.map((p) => p.claimVersion)).size).toBe(3);
  });
});

describe('the release', () => {
  test('never early, within 10 s, as the usual publication by the editor who scheduled it; the change feed and webhooks see it', async () => {
    const receiver = await startReceiver();
    try {
      const partnerEndpoint = await createEndpoint(app, desk.partner.token, receiver.url, ['FACT_CHECK_PUBLISHED']);
      const claimId = await reviewedClaim(app, desk);
      const { factCheckChanges: before } = ok(await app.gql(W.changes, { first: 100 }, desk.partner.token)) as any;
      let cursor = before.pageInfo.endCursor as string;
      // Drain what is there already, so that the cursor is taken before the release.
      for (let page = before; page.pageInfo.hasNextPage;) {
        page = ok(await app.gql(W.changes, { after: cursor, first: 100 }, desk.partner.token)).factCheckChanges;
        cursor = page.pageInfo.endCursor;
      }
      const publishAt = inSeconds(3);
      const { factCheck, claim } = await schedule(app, desk, claimId, publishAt);
      let seenAt: number | null = null;
      while (seenAt === null) {
        const found = ok(await app.gql(S.factCheck, { id: factCheck.id }, desk.partner.token)).factCheck;
        const now = Date.now();
        if (found) seenAt = now;
        else if (now > publishAt.getTime() + 10_000) throw new Error('not released within 10 s');
        else await new Promise((r) => setTimeout(r, 50));
      }
      expect(seenAt).toBeGreaterThanOrEqual(publishAt.getTime());
      expect(seenAt).toBeLessThanOrEqual(publishAt.getTime() + 10_000);
      const released = await claimOf(claimId);
      expect(released).toMatchObject({ status: 'PUBLISHED', version: claim.version + 1, scheduledPublication: null, factCheck: { id: factCheck.id } });
      expect(Date.parse(released.factCheck.publishedAt)).toBeGreaterThanOrEqual(publishAt.getTime());
      expect(released.history.at(-1)).toMatchObject({
        type: 'PUBLISHED',
        version: claim.version + 1,
        actor: { name: desk.editor.name },
        toStatus: 'PUBLISHED',
      });
      // The change feed: a cursor taken before the release sees its PUBLISHED after it.
      let found: any = null;
      for (let tries = 0; !found && tries < 100; tries++) {
        const page = ok(await app.gql(W.changes, { after: cursor, first: 100 }, desk.partner.token)).factCheckChanges;
        found = page.edges.map((e: any) => e.node).find((n: any) => n.factCheckId === factCheck.id);
        if (!found) await new Promise((r) => setTimeout(r, 50));
      }
      expect(found).toMatchObject({ type: 'PUBLISHED', factCheckId: factCheck.id, factCheck: { id: factCheck.id } });
      // Exactly one fact_check.published delivery written for the partner.
      const { deliveries } = await deliveriesOf(app, desk.partner.token, partnerEndpoint.endpoint.id);
      expect(deliveries.filter((d) => d.payload.data.factCheck.id === factCheck.id).map((d) => d.event)).toEqual(['FACT_CHECK_PUBLISHED']);
    } finally {
      await receiver.stop();
    }
  });
});

void M;
