/**
 * The organisation's profile (docs/design.md, Corrections and transparency): `organization` for
 * every role, `setOrganization` for admins with its validation, and the profile as ClaimReview's
 * author in every place ClaimReview is produced (GraphQL, the public page's JSON-LD, `.jsonld`,
 * webhook payloads rendered at sending) and as the Google-compatible answer's publisher, at once
 * after a change, which sends no per-fact-check event.
 */
import { asc, count } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { factCheckChanges, organization, webhookEvents } from '../../src/db/schema.js';
import { codes, ok, startTestApp, TEST_SITE, type TestApp } from '../support/app.js';
import { createDesk, type Desk } from '../support/factories.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { createEndpoint, deliveriesOf, FACT_CHECK_EVENTS, publish, reviewedClaim } from '../support/webhooks.js';

const PROFILE_FIELDS = 'name url logo correctionsPolicy verificationFactCheckingPolicy ownershipFundingInfo ethicsPolicy publishingPrinciples';
const ORGANIZATION = `{ organization { ${PROFILE_FIELDS} } }`;
const SET = `mutation($i: SetOrganizationInput!) { setOrganization(input: $i) { organization { ${PROFILE_FIELDS} } } }`;
const CLAIM_REVIEW = 'query($id: ID!) { factCheck(id: $id) { claimReview } }';

const FULL = {
  name: 'Verify Desk',
  url: 'https://verify.example/',
  logo: 'https://verify.example/logo.png',
  correctionsPolicy: 'https://verify.example/corrections',
  verificationFactCheckingPolicy: 'https://verify.example/methodology',
  ownershipFundingInfo: 'https://verify.example/funding',
  ethicsPolicy: 'https://verify.example/ethics',
  publishingPrinciples: 'https://ifcncodeofprinciples.poynter.org/',
};
/** FULL as schema.org Organization, ClaimReview's author. */
const FULL_AUTHOR = { '@type': 'Organization', ...FULL };

let app: TestApp;
let desk: Desk;
const receivers: Receiver[] = [];

beforeAll(async () => {
  app = await startTestApp({}, { webhookDispatcher: { WEBHOOK_RETRY_BASE_MS: 100, WEBHOOK_MAX_ATTEMPTS: 5, WEBHOOK_TIMEOUT_MS: 10_000 } });
  desk = await createDesk(app.database.db);
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});
afterAll(() => app?.stop());

const set = (input: Record<string, unknown>, token = desk.admin.token) => app.gql(SET, { i: input }, token);
const stored = () => app.database.db.select().from(organization).orderBy(asc(organization.singleton));

describe('organization and setOrganization', () => {
  test('until an admin sets it, the profile is ORG_NAME and ORG_URL, for every role', async () => {
    for (const user of [desk.admin, desk.editor, desk.reviewer1, desk.partner]) {
      expect(ok(await app.gql(ORGANIZATION, {}, user.token)).organization).toEqual({
        name: TEST_SITE.ORG_NAME,
        url: TEST_SITE.ORG_URL,
        logo: null,
        correctionsPolicy: null,
        verificationFactCheckingPolicy: null,
        ownershipFundingInfo: null,
        ethicsPolicy: null,
        publishingPrinciples: null,
      });
    }
    expect(codes(await app.gql(ORGANIZATION, {}, null))).toEqual(['UNAUTHENTICATED']);
  });

  test('bad input is BAD_USER_INPUT naming the field, and changes nothing; editors are FORBIDDEN', async () => {
    ok(await set({ name: 'Before', url: 'https://before.example' }));
    const before = await stored();
    const cases: [Record<string, unknown>, string | undefined][] = [
      [{ name: '', url: 'https://a.example' }, 'name'],
      [{ name: '   ', url: 'https://a.example' }, 'name'],
      [{ name: 'x'.repeat(201), url: 'https://a.example' }, 'name'],
      [{ name: 'Nul\u0000', url: 'https://a.example' }, 'name'],
      [{ name: 'Ok', url: `https://a.example/${'x'.repeat(2_100)}` }, 'url'],
      [{ name: 'Ok', url: 'https://a.example', correctionsPolicy: `https://a.example/${'é'.repeat(1_100)}` }, 'correctionsPolicy'],
    ];
    for (const [input, field] of cases) {
      const response = await set(input);
      expect(codes(response), JSON.stringify(input).slice(0, 80)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field).toBe(field);
    }
    // The URL scalar refuses other schemes before the domain sees them (no field then).
    for (const input of [
      { name: 'Ok', url: 'ftp://a.example' },
      { name: 'Ok', url: 'https://a.example', logo: 'javascript:alert(1)' },
      { name: 'Ok', url: 'https://a.example', ethicsPolicy: 'not a url' },
    ])
      expect(codes(await set(input))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await set({ name: 'Editor', url: 'https://e.example' }, desk.editor.token))).toEqual(['FORBIDDEN']);
    expect(await stored()).toEqual(before);
  });

  test('a profile is set whole: given fields as given (the name trimmed), left-out or null ones cleared', async () => {
    expect(ok(await set({ ...FULL, name: `  ${FULL.name} ` })).setOrganization.organization).toEqual(FULL);
    expect(ok(await app.gql(ORGANIZATION, {}, desk.partner.token)).organization).toEqual(FULL);
    const cleared = ok(await set({ name: 'Verify Desk', url: 'https://verify.example/', logo: null, ethicsPolicy: 'https://verify.example/ethics' }))
      .setOrganization.organization;
    expect(cleared).toEqual({
      ...Object.fromEntries(Object.keys(FULL).map((k) => [k, null])),
      name: 'Verify Desk',
      url: 'https://verify.example/',
      ethicsPolicy: FULL.ethicsPolicy,
    });
    const [row] = await stored();
    expect(row).toMatchObject({ singleton: true, logo: null, updatedBy: desk.admin.id });
  });
});

describe('the profile in every ClaimReview, at once', () => {
  test('GraphQL, the public page, .jsonld, claims:search and the page titles follow each change; no event is sent', async () => {
    const claimId = await reviewedClaim(app, desk);
    const { factCheck } = await publish(app, desk, claimId);
    const read = async () => {
      const graphql = ok(await app.gql(CLAIM_REVIEW, { id: factCheck.id }, desk.partner.token)).factCheck.claimReview;
      const html = await (await fetch(`${app.url}/fact-checks/${factCheck.id}`)).text();
      const page = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
      const jsonLd = await (await fetch(`${app.url}/fact-checks/${factCheck.id}.jsonld`)).json();
      const search: any = await (await fetch(`${app.url}/v1alpha1/claims:search?query=hijacks&key=${desk.partner.token}`)).json();
      return { graphql, page, jsonLd, html, search };
    };
    const counts = async () => ({
      events: (await app.database.db.select({ n: count() }).from(webhookEvents))[0]!.n,
      changes: (await app.database.db.select({ n: count() }).from(factCheckChanges))[0]!.n,
    });

    ok(await set(FULL));
    const before = await counts();
    const first = await read();
    for (const claimReview of [first.graphql, first.page, first.jsonLd]) expect(claimReview.author).toEqual(FULL_AUTHOR);
    expect(first.page).toEqual(first.graphql);
    expect(first.jsonLd).toEqual(first.graphql);
    expect(first.html).toContain('<title>Fact check: Hamas routinely hijacks aid. — Verify Desk</title>');
    expect(first.search.claims.length).toBeGreaterThan(0);
    for (const claim of first.search.claims) expect(claim.claimReview[0].publisher).toEqual({ name: 'Verify Desk', site: 'verify.example' });
    const filtered = (site: string) =>
      fetch(`${app.url}/v1alpha1/claims:search?reviewPublisherSiteFilter=${site}&key=${desk.partner.token}`).then((r) => r.json() as Promise<any>);
    expect((await filtered('verify.example')).claims.length).toBeGreaterThan(0);
    expect(await filtered('desk.test')).toEqual({});

    ok(await set({ name: 'Renamed Desk', url: 'https://renamed.example', logo: 'https://renamed.example/logo.svg' }));
    const second = await read();
    const renamed = { '@type': 'Organization', name: 'Renamed Desk', url: 'https://renamed.example', logo: 'https://renamed.example/logo.svg' };
    for (const claimReview of [second.graphql, second.page, second.jsonLd]) expect(claimReview.author).toEqual(renamed);
    expect(second.search.claims[0].claimReview[0].publisher).toEqual({ name: 'Renamed Desk', site: 'renamed.example' });
    // setOrganization wrote no event for any fact check: partners re-read `organization`.
    expect(await counts()).toEqual(before);
  });

  test('a webhook payload carries the profile as it is when it is sent, not when its event was written', async () => {
    ok(await set(FULL));
    // The first attempt hangs until released; the profile changes meanwhile; the retry is rendered anew.
    const partner = await startReceiver((_request, index) => (index === 0 ? 'hang' : 200));
    receivers.push(partner);
    const { endpoint } = await createEndpoint(app, desk.partner.token, partner.url, FACT_CHECK_EVENTS);
    const claimId = await reviewedClaim(app, desk);
    await publish(app, desk, claimId);
    const [firstAttempt] = await partner.waitFor((r) => r.length === 1);
    expect(firstAttempt!.json.data.factCheck.claimReview.author).toEqual(FULL_AUTHOR);

    ok(await set({ name: 'Later Desk', url: 'https://later.example', correctionsPolicy: 'https://later.example/corrections' }));
    const later = { '@type': 'Organization', name: 'Later Desk', url: 'https://later.example', correctionsPolicy: 'https://later.example/corrections' };
    partner.release(500);
    const [, retry] = await partner.waitFor((r) => r.length === 2);
    expect(retry!.headers['webhook-id']).toBe(firstAttempt!.headers['webhook-id']);
    expect(retry!.json.data.factCheck.claimReview.author).toEqual(later);
    // What the API shows of a delivery is rendered the same way.
    const { deliveries } = await deliveriesOf(app, desk.partner.token, endpoint.id);
    expect(deliveries[0]!.payload.data.factCheck.claimReview.author).toEqual(later);
  });
});
