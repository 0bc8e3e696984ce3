/**
 * Claimants through the API (docs/design.md, Claimants and topics): adding and editing them, linking
 * claims to them (speakerId), what partners see (ClaimReview author, webhooks, the change feed,
 * claims:search), their record and public page, and merging duplicates. Search ranking:
 * claimant-search.test.ts; merges racing on two processes: claimant-merge-processes.test.ts.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { claims } from '../../src/db/schema.js';
import { parseGlobalId } from '../../src/domain/global-ids.js';
import { codes, ok, TEST_SITE, type TestApp } from '../support/app.js';
import { C, createClaimant, type ClaimantData } from '../support/claimants/claimants.js';
import { snapshotDatabase } from '../support/database-state.js';
import { createClaim, ingestArticle, startDeskApp, type Desk } from '../support/factories.js';
import { checkInvariants } from '../support/invariants.js';
import { changesOnceListed, createEndpoint, deliveriesOf, publish, reviewedClaim, W } from '../support/webhooks.js';
import { claimState, mutate } from '../support/workflow.js';

const QUOTE = 'has been routinely hijacked by Hamas terrorists';
const CLAIM = `query($id: ID!) { claim(id: $id) { id version claimant speaker { id name } history { type note version } } }`;
const FACT_CHECK = `query($id: ID!) { factCheck(id: $id) { id url updatedAt claimReview speaker { id name wikidataId } } }`;
const UPDATE_SPEAKER = 'mutation($i: UpdateClaimInput!) { updateClaim(input: $i) { claim { id version claimant speaker { id name } } } }';

let app: TestApp;
let desk: Desk;
beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
});
afterAll(() => app?.stop());

let n = 0;
const unique = (name: string) => `${name} ${++n}${Date.now().toString(36)}`;
const wikidata = () => `Q${900_000_000 + ++n}`;

/** A published fact check of a claim linked to `speakerId`, with a partner endpoint listening for updates. */
async function publishedWithSpeaker(speakerId: string | null) {
  const claimId = await reviewedClaim(app, desk);
  if (speakerId) ok(await app.gql(UPDATE_SPEAKER, { i: { claimId, speakerId } }, desk.editor.token));
  const { factCheck } = await publish(app, desk, claimId);
  return { claimId, factCheckId: factCheck.id };
}

async function feedEnd(token = desk.partner.token) {
  let cursor: string | null = null;
  for (let more = true; more;) {
    const page: { pageInfo: { endCursor: string | null; hasNextPage: boolean } } = ok(
      await app.gql(W.changes, { after: cursor, first: 100 }, token),
    ).factCheckChanges;
    [cursor, more] = [page.pageInfo.endCursor ?? cursor, page.pageInfo.hasNextPage];
  }
  return cursor;
}

const changesAfter = async (cursor: string | null) =>
  (await changesOnceListed(app, desk.partner.token, cursor)).edges.map((e: any) => [e.node.type, e.node.factCheckId]);

describe('createClaimant and updateClaimant', () => {
  test('editors and admins add claimants; every role reads them (claimant, node); reviewers and partners may not add', async () => {
    const blinken = await createClaimant(app, desk.editor.token, {
      name: '  Antony Blinken ',
      kind: 'PERSON',
      aliases: ['Tony Blinken', 'tony blinken', 'Antony Blinken'],
      wikidataId: wikidata(),
      website: 'https://www.state.gov/',
      description: 'US Secretary of State 2021–2025',
    });
    expect(blinken).toMatchObject({ name: 'Antony Blinken', kind: 'PERSON', aliases: ['Tony Blinken'], website: 'https://www.state.gov/' });
    expect(blinken.url).toBe(`${TEST_SITE.PUBLIC_BASE_URL}/claimants/${blinken.id}`);
    const org = await createClaimant(app, desk.admin.token, { name: unique('State Department'), kind: 'ORGANIZATION' });
    expect(org).toMatchObject({ kind: 'ORGANIZATION', aliases: [], wikidataId: null, website: null, description: null });
    for (const user of Object.values(desk)) {
      expect(ok(await app.gql(C.one, { id: blinken.id }, user.token)).claimant).toMatchObject({ id: blinken.id, name: 'Antony Blinken' });
      const node = ok(await app.gql('query($id: ID!) { node(id: $id) { __typename ... on Claimant { name } } }', { id: org.id }, user.token)).node;
      expect(node).toEqual({ __typename: 'Claimant', name: org.name });
    }
    for (const user of [desk.reviewer1, desk.partner]) {
      expect(codes(await app.gql(C.create, { i: { name: 'X', kind: 'PERSON' } }, user.token))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(C.update, { i: { claimantId: org.id, name: 'Y' } }, user.token))).toEqual(['FORBIDDEN']);
    }
    expect(codes(await app.gql(C.create, { i: { name: 'X', kind: 'PERSON' } }))).toEqual(['UNAUTHENTICATED']);
  });

  test('bad input is a coded error naming its field and changes nothing', async () => {
    const holder = await createClaimant(app, desk.editor.token, { name: unique('Holder'), wikidataId: wikidata() });
    const before = await snapshotDatabase(app.database.db);
    const bad: [Record<string, unknown>, string][] = [
      [{ name: '' }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(201) }, 'name'],
      [{ name: 'A', aliases: Array.from({ length: 21 }, (_, i) => `a${i}`) }, 'aliases'],
      [{ name: 'A', aliases: [''] }, 'aliases.0'],
      [{ name: 'A', aliases: ['y'.repeat(201)] }, 'aliases.0'],
      [{ name: 'A', wikidataId: 'Q' }, 'wikidataId'],
      [{ name: 'A', wikidataId: '22686' }, 'wikidataId'],
      [{ name: 'A', wikidataId: 'Q0123' }, 'wikidataId'],
      [{ name: 'A', wikidataId: 'q22686x' }, 'wikidataId'],
      [{ name: 'A', description: 'd'.repeat(501) }, 'description'],
      [{ name: 'bad\u0000name' }, 'name'],
    ];
    for (const [input, field] of bad) {
      const response = await app.gql(C.create, { i: { kind: 'PERSON', ...input } }, desk.editor.token);
      expect(codes(response), JSON.stringify(input)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field).toBe(field);
    }
    expect(codes(await app.gql(C.create, { i: { name: 'A', kind: 'PERSON', website: 'ftp://x.example' } }, desk.editor.token))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await app.gql(C.create, { i: { name: 'A', kind: 'ROBOT' } }, desk.editor.token))).toEqual(['BAD_USER_INPUT']);
    // Another claimant's Wikidata ID: CONFLICT naming it.
    const taken = await app.gql(C.create, { i: { name: 'Twin', kind: 'PERSON', wikidataId: holder.wikidataId } }, desk.editor.token);
    expect(codes(taken)).toEqual(['CONFLICT']);
    expect(taken.errors![0]!.extensions!.claimantId).toBe(holder.id);
    // updateClaimant: unknown ID, a wrong type of ID, clearing the name, another's Wikidata ID.
    const other = await createClaimant(app, desk.editor.token, { name: unique('Other') });
    const after = await snapshotDatabase(app.database.db);
    expect(codes(await app.gql(C.update, { i: { claimantId: desk.editor.globalId, name: 'Z' } }, desk.editor.token))).toEqual(['BAD_USER_INPUT']);
    const unknown = Buffer.from('Claimant:00000000-0000-4000-8000-000000000000').toString('base64url');
    expect(codes(await app.gql(C.update, { i: { claimantId: unknown, name: 'Z' } }, desk.editor.token))).toEqual(['NOT_FOUND']);
    expect(codes(await app.gql(C.update, { i: { claimantId: other.id, name: null } }, desk.editor.token))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await app.gql(C.update, { i: { claimantId: other.id, kind: null } }, desk.editor.token))).toEqual(['BAD_USER_INPUT']);
    const conflict = await app.gql(C.update, { i: { claimantId: other.id, wikidataId: holder.wikidataId } }, desk.editor.token);
    expect(codes(conflict)).toEqual(['CONFLICT']);
    expect(conflict.errors![0]!.extensions!.claimantId).toBe(holder.id);
    expect(await snapshotDatabase(app.database.db)).toEqual(after);
    expect(after.claimants.length).toBe(before.claimants.length + 1);
  });

  test('updateClaimant: left out stays, null clears; a description alone touches no claim', async () => {
    const c = await createClaimant(app, desk.editor.token, {
      name: unique('Edit Me'),
      aliases: ['EM'],
      wikidataId: wikidata(),
      website: 'https://em.example/',
      description: 'one',
    });
    const claim = await createClaim(app, desk.editor.token, { articleId: (await ingestArticle(app, desk.editor.token)).id, quote: QUOTE, speakerId: c.id });
    const updated = ok(await app.gql(C.update, { i: { claimantId: c.id, description: 'two' } }, desk.editor.token)).updateClaimant.claimant;
    expect(updated).toMatchObject({ name: c.name, aliases: ['EM'], wikidataId: c.wikidataId, website: c.website, description: 'two' });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(c.updatedAt));
    expect((await claimState(app, desk.editor.token, claim.id)).version).toBe(1);
    const cleared = ok(
      await app.gql(C.update, { i: { claimantId: c.id, aliases: null, wikidataId: null, website: null, description: null } }, desk.editor.token),
    ).updateClaimant.claimant;
    expect(cleared).toMatchObject({ name: c.name, kind: 'PERSON', aliases: [], wikidataId: null, website: null, description: null });
    // Its Wikidata ID and site show in ClaimReview: the claim changed (version + 1, one UPDATED event).
    const state = await claimState(app, desk.editor.token, claim.id);
    expect(state.version).toBe(2);
    expect(state.history.at(-1)).toMatchObject({ type: 'UPDATED', version: 2 });
    // The same again changes nothing.
    ok(await app.gql(C.update, { i: { claimantId: c.id, website: null, description: null } }, desk.editor.token));
    expect((await claimState(app, desk.editor.token, claim.id)).version).toBe(2);
  });
});

describe('claims and their speaker', () => {
  test('createClaim with speakerId: claimant defaults to the name; updateClaim moves, keeps or removes it', async () => {
    const speaker = await createClaimant(app, desk.editor.token, { name: unique('Yoav Gallant') });
    const other = await createClaimant(app, desk.editor.token, { name: unique('Matthew Miller') });
    const articleId = (await ingestArticle(app, desk.editor.token)).id;
    const claim = await createClaim(app, desk.editor.token, { articleId, quote: QUOTE, speakerId: speaker.id });
    let read = ok(await app.gql(CLAIM, { id: claim.id }, desk.editor.token)).claim;
    expect(read).toMatchObject({ claimant: speaker.name, speaker: { id: speaker.id, name: speaker.name }, version: 1 });
    const written = await createClaim(app, desk.editor.token, { articleId, quote: 'navigating', claimant: "Gallant's office", speakerId: speaker.id });
    expect(ok(await app.gql(CLAIM, { id: written.id }, desk.editor.token)).claim.claimant).toBe("Gallant's office");

    ok(await app.gql(UPDATE_SPEAKER, { i: { claimId: claim.id, speakerId: other.id } }, desk.editor.token));
    read = ok(await app.gql(CLAIM, { id: claim.id }, desk.editor.token)).claim;
    expect(read).toMatchObject({ claimant: speaker.name, speaker: { id: other.id }, version: 2 });
    expect(read.history.at(-1)).toMatchObject({ type: 'UPDATED', note: 'Changed speakerId', version: 2 });
    ok(await app.gql(UPDATE_SPEAKER, { i: { claimId: claim.id, speakerId: other.id } }, desk.editor.token));
    ok(await app.gql(UPDATE_SPEAKER, { i: { claimId: claim.id, priority: 'HIGH' } }, desk.editor.token));
    read = ok(await app.gql(CLAIM, { id: claim.id }, desk.editor.token)).claim;
    expect(read).toMatchObject({ speaker: { id: other.id }, version: 3 });
    ok(await app.gql(UPDATE_SPEAKER, { i: { claimId: claim.id, speakerId: null } }, desk.editor.token));
    read = ok(await app.gql(CLAIM, { id: claim.id }, desk.editor.token)).claim;
    expect(read).toMatchObject({ speaker: null, claimant: speaker.name, version: 4 });

    const before = await snapshotDatabase(app.database.db);
    const unknown = Buffer.from('Claimant:00000000-0000-4000-8000-000000000000').toString('base64url');
    expect(codes(await app.gql(UPDATE_SPEAKER, { i: { claimId: claim.id, speakerId: unknown } }, desk.editor.token))).toEqual(['NOT_FOUND']);
    expect(codes(await app.gql(UPDATE_SPEAKER, { i: { claimId: claim.id, speakerId: claim.id } }, desk.editor.token))).toEqual(['BAD_USER_INPUT']);
    const create = await app.gql(
      'mutation($i: CreateClaimInput!) { createClaim(input: $i) { claim { id } } }',
      { i: { articleId, quote: 'watching', speakerId: unknown } },
      desk.editor.token,
    );
    expect(codes(create)).toEqual(['NOT_FOUND']);
    expect(await snapshotDatabase(app.database.db)).toEqual(before);
  });

  test("ClaimReview's author is the speaker (Person or Organization, sameAs Wikidata and site); partners hear the change", async () => {
    const wikidataId = wikidata();
    const person = await createClaimant(app, desk.editor.token, { name: unique('Antony Blinken'), wikidataId, website: 'https://www.state.gov/' });
    const org = await createClaimant(app, desk.editor.token, { name: unique('UNRWA'), kind: 'ORGANIZATION' });
    const { claimId, factCheckId } = await publishedWithSpeaker(person.id);
    let fc = ok(await app.gql(FACT_CHECK, { id: factCheckId }, desk.partner.token)).factCheck;
    expect(fc.url).toBe(`${TEST_SITE.PUBLIC_BASE_URL}/fact-checks/${factCheckId}`);
    expect(fc.speaker).toEqual({ id: person.id, name: person.name, wikidataId });
    expect(fc.claimReview.itemReviewed.author).toEqual({
      '@type': 'Person',
      name: person.name,
      sameAs: [`https://www.wikidata.org/wiki/${wikidataId}`, 'https://www.state.gov/'],
    });

    const endpoint = await createEndpoint(app, desk.partner.token, 'https://partner.example/speakers', ['FACT_CHECK_UPDATED']);
    const cursor = await feedEnd();
    // On a published claim the speaker alone may change; anything more is CONFLICT.
    const mixed = await app.gql(UPDATE_SPEAKER, { i: { claimId, speakerId: org.id, priority: 'HIGH' } }, desk.editor.token);
    expect(codes(mixed)).toEqual(['CONFLICT']);
    const moved = ok(await app.gql(UPDATE_SPEAKER, { i: { claimId, speakerId: org.id } }, desk.editor.token)).updateClaim.claim;
    fc = ok(await app.gql(FACT_CHECK, { id: factCheckId }, desk.partner.token)).factCheck;
    expect(fc.claimReview.itemReviewed.author).toEqual({ '@type': 'Organization', name: org.name });
    expect(fc.claimReview.dateModified).toBe(fc.updatedAt);
    expect(await changesAfter(cursor)).toEqual([['UPDATED', factCheckId]]);
    const { deliveries } = await deliveriesOf(app, desk.partner.token, endpoint.endpoint.id);
    expect(deliveries.map((d) => d.event)).toEqual(['FACT_CHECK_UPDATED']);
    const data = deliveries[0]!.payload.data;
    expect(data.claimVersion).toBe(moved.version);
    expect(data.factCheck.speaker).toEqual({ id: org.id, name: org.name, wikidataId: null });
    expect(data.factCheck.claimReview).toEqual(fc.claimReview);

    // An edit of what ClaimReview shows reaches partners too, in claimVersion order.
    const renamed = ok(await app.gql(C.update, { i: { claimantId: org.id, name: `${org.name} (UN)` } }, desk.editor.token)).updateClaimant.claimant;
    const again = (await deliveriesOf(app, desk.partner.token, endpoint.endpoint.id)).deliveries;
    expect(again.map((d) => d.event)).toEqual(['FACT_CHECK_UPDATED', 'FACT_CHECK_UPDATED']);
    const latest = again.find((d) => d.id !== deliveries[0]!.id)!.payload.data;
    expect(latest.claimVersion).toBe(moved.version + 1);
    expect(latest.factCheck.speaker.name).toBe(renamed.name);
    expect(latest.factCheck.claimReview.itemReviewed.author.name).toBe(renamed.name);

    // Google's claims:search names the speaker as claimant.
    const search = await fetch(`${app.url}/v1alpha1/claims:search?query=${encodeURIComponent('Hamas hijacks')}&pageSize=100`, {
      headers: { authorization: `Bearer ${desk.partner.token}` },
    });
    const found = ((await search.json()) as { claims: { claimant?: string; claimReview: { url: string }[] }[] }).claims.find((c) =>
      c.claimReview[0]!.url.endsWith(factCheckId),
    );
    expect(found?.claimant).toBe(renamed.name);
    expect((await checkInvariants(app.database.db)).violations).toEqual([]);
  });
});

describe('record, fact checks and claims of a claimant', () => {
  test('record counts published fact checks by current rating, never retracted ones; factChecks and the speakerId filter agree', async () => {
    const c = await createClaimant(app, desk.editor.token, { name: unique('Record Holder') });
    const first = await publishedWithSpeaker(c.id);
    const second = await publishedWithSpeaker(c.id);
    const third = await publishedWithSpeaker(c.id);
    await publishedWithSpeaker(null);
    // A correction moves the second to MISLEADING; the third is retracted.
    ok(await mutate(app, desk.editor.token, 'publish', { claimId: second.claimId, rating: 'MISLEADING', summary: 'Revised.', correctionNote: 'New data.' }));
    ok(await mutate(app, desk.editor.token, 'dismiss', { claimId: third.claimId, reason: 'Retracted.' }));
    const read = ok(await app.gql(C.one, { id: c.id }, desk.partner.token)).claimant;
    expect(read.record.factChecks).toBe(2);
    expect(read.record.byRating).toEqual([
      { rating: 'MISLEADING', count: 1 },
      { rating: 'FALSE', count: 1 },
    ]);
    expect(read.record.method).toMatch(/not a measure/);
    const listed = ok(await app.gql(C.factChecks, { id: c.id }, desk.partner.token)).claimant.factChecks;
    expect(listed.totalCount).toBe(2);
    expect(listed.edges.map((e: any) => e.node.id)).toEqual([second.factCheckId, first.factCheckId]);
    expect(listed.edges[0].node.speaker).toEqual({ id: c.id, name: c.name });
    const filtered = ok(
      await app.gql('query($s: ID) { factChecks(filter: { speakerId: $s }) { totalCount edges { node { id } } } }', { s: c.id }, desk.partner.token),
    ).factChecks;
    expect(filtered.edges.map((e: any) => e.node.id)).toEqual([second.factCheckId, first.factCheckId]);
    const searched = ok(
      await app.gql('query($s: ID) { factChecks(filter: { speakerId: $s, search: "Hamas" }) { totalCount } }', { s: c.id }, desk.partner.token),
    ).factChecks;
    expect(searched.totalCount).toBe(2);
    expect(codes(await app.gql('query { factChecks(filter: { speakerId: "nope" }) { totalCount } }', {}, desk.partner.token))).toEqual(['BAD_USER_INPUT']);
  });

  test('Claimant.claims: newest first, paged, staff only', async () => {
    const c = await createClaimant(app, desk.editor.token, { name: unique('Prolific') });
    const articleId = (await ingestArticle(app, desk.editor.token)).id;
    const made: string[] = [];
    for (const quote of ['warned', 'officials', 'bilateral', 'professional'])
      made.unshift((await createClaim(app, desk.editor.token, { articleId, quote, speakerId: c.id })).id);
    const page1 = ok(await app.gql(C.claims, { id: c.id, first: 1 }, desk.reviewer1.token)).claimant.claims;
    expect(page1.totalCount).toBe(made.length);
    expect(page1.edges.map((e: any) => e.node.id)).toEqual([made[0]]);
    const page2 = ok(await app.gql(C.claims, { id: c.id, first: 10, after: page1.pageInfo.endCursor }, desk.editor.token)).claimant.claims;
    expect(page2.edges.map((e: any) => e.node.id)).toEqual(made.slice(1));
    const partner = await app.gql(C.claims, { id: c.id, first: 1 }, desk.partner.token);
    expect(codes(partner)).toEqual(['FORBIDDEN']);
  });
});

describe('mergeClaimants', () => {
  test('claims move (version + 1, one UPDATED event each), names become aliases, the ID leads to the target everywhere', async () => {
    const source = await createClaimant(app, desk.editor.token, { name: unique('A. Blinken'), aliases: ['Secretary Blinken'], wikidataId: wikidata() });
    const target = await createClaimant(app, desk.editor.token, { name: unique('Antony Blinken'), aliases: ['Tony'] });
    const { claimId, factCheckId } = await publishedWithSpeaker(source.id);
    const open = await createClaim(app, desk.editor.token, { articleId: (await ingestArticle(app, desk.editor.token)).id, quote: QUOTE, speakerId: source.id });
    const endpoint = await createEndpoint(app, desk.partner.token, 'https://partner.example/merge', ['FACT_CHECK_UPDATED']);
    const cursor = await feedEnd();
    const versions = { published: (await claimState(app, desk.editor.token, claimId)).version, open: 1 };

    const merged = ok(await app.gql(C.merge, { i: { sourceId: source.id, targetId: target.id } }, desk.editor.token)).mergeClaimants;
    expect(merged.movedClaims).toBe(2);
    expect(merged.claimant).toMatchObject({ id: target.id, name: target.name, wikidataId: source.wikidataId });
    expect(merged.claimant.aliases).toEqual(['Tony', source.name, 'Secretary Blinken']);

    // The name as written stays: none on the first (its speaker was set later), the source's on the second.
    for (const [id, version, claimant] of [
      [claimId, versions.published + 1, null],
      [open.id, versions.open + 1, source.name],
    ] as const) {
      const claim = ok(await app.gql(CLAIM, { id }, desk.editor.token)).claim;
      expect(claim).toMatchObject({ version, speaker: { id: target.id }, claimant });
      expect(claim.history.at(-1)).toMatchObject({ type: 'UPDATED', version });
    }
    // The source's ID leads to the target: claimant(id), node(id), the filter, the public page.
    expect(ok(await app.gql(C.one, { id: source.id }, desk.partner.token)).claimant.id).toBe(target.id);
    const node = ok(await app.gql('query($id: ID!) { node(id: $id) { ... on Claimant { id } } }', { id: source.id }, desk.partner.token)).node;
    expect(node).toEqual({ id: target.id });
    const filtered = ok(
      await app.gql('query($s: ID) { factChecks(filter: { speakerId: $s }) { edges { node { id } } } }', { s: source.id }, desk.partner.token),
    );
    expect(filtered.factChecks.edges.map((e: any) => e.node.id)).toEqual([factCheckId]);
    const page = await fetch(`${app.url}/claimants/${source.id}`, { redirect: 'manual' });
    expect(page.status).toBe(301);
    expect(page.headers.get('location')).toBe(`${TEST_SITE.PUBLIC_BASE_URL}/claimants/${target.id}`);
    const list = ok(await app.gql(C.list, { search: source.name, first: 100 }, desk.editor.token)).claimants;
    expect(list.edges.map((e: any) => e.node.id)).not.toContain(source.id);
    expect(list.edges[0].node.id).toBe(target.id);
    // The Wikidata ID of the source now finds the target.
    expect(ok(await app.gql(C.list, { search: source.wikidataId }, desk.editor.token)).claimants.edges[0].node.id).toBe(target.id);

    // Partners heard of the one published fact check, at its new claimVersion.
    expect(await changesAfter(cursor)).toEqual([['UPDATED', factCheckId]]);
    const { deliveries } = await deliveriesOf(app, desk.partner.token, endpoint.endpoint.id);
    expect(deliveries.map((d) => [d.event, d.payload.data.claimVersion, d.payload.data.factCheck.speaker.id])).toEqual([
      ['FACT_CHECK_UPDATED', versions.published + 1, target.id],
    ]);
    expect((await checkInvariants(app.database.db)).violations).toEqual([]);
  });

  test('merges chain (A into B, then B into C: A leads to C); into itself is BAD_USER_INPUT and changes nothing', async () => {
    const [a, b, c] = await Promise.all(['Chain A', 'Chain B', 'Chain C'].map((name) => createClaimant(app, desk.editor.token, { name: unique(name) })));
    const claim = await createClaim(app, desk.editor.token, { articleId: (await ingestArticle(app, desk.editor.token)).id, quote: QUOTE, speakerId: a!.id });
    ok(await app.gql(C.merge, { i: { sourceId: a!.id, targetId: b!.id } }, desk.editor.token));
    ok(await app.gql(C.merge, { i: { sourceId: b!.id, targetId: c!.id } }, desk.editor.token));
    for (const id of [a!.id, b!.id, c!.id]) expect(ok(await app.gql(C.one, { id }, desk.partner.token)).claimant.id).toBe(c!.id);
    const read = ok(await app.gql(CLAIM, { id: claim.id }, desk.editor.token)).claim;
    expect(read).toMatchObject({ speaker: { id: c!.id }, version: 3 });
    expect(ok(await app.gql(C.one, { id: c!.id }, desk.editor.token)).claimant.aliases).toEqual([b!.name, a!.name]);
    // A claim given a merged claimant's ID gets the claimant it leads to.
    const late = await createClaim(app, desk.editor.token, { articleId: (await ingestArticle(app, desk.editor.token)).id, quote: QUOTE, speakerId: a!.id });
    expect(ok(await app.gql(CLAIM, { id: late.id }, desk.editor.token)).claim.speaker.id).toBe(c!.id);

    const before = await snapshotDatabase(app.database.db);
    for (const [sourceId, targetId] of [
      [c!.id, c!.id],
      [a!.id, c!.id],
      [c!.id, b!.id],
    ]) {
      const response = await app.gql(C.merge, { i: { sourceId, targetId } }, desk.editor.token);
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    }
    expect(codes(await app.gql(C.merge, { i: { sourceId: c!.id, targetId: claim.id } }, desk.editor.token))).toEqual(['BAD_USER_INPUT']);
    for (const user of [desk.reviewer1, desk.partner]) {
      expect(codes(await app.gql(C.merge, { i: { sourceId: a!.id, targetId: c!.id } }, user.token))).toEqual(['FORBIDDEN']);
    }
    expect(await snapshotDatabase(app.database.db)).toEqual(before);
  });
});

/**
 * Embedded PGlite runs on this thread: seconds of SQL here hold up the event loop, and the HTTP
 * server's keep-alive timer may then close a socket just as the next request goes out on it
 * (ECONNRESET). One turn of the timers phase lets both sides' expired keep-alive timers run first.
 */
const idleTimersRun = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('a prolific claimant', () => {
  test('10,000 claims: a rename and a merge each change every claim (version + 1, one UPDATED event), with no parameter per claim', async () => {
    const db = app.database.db;
    const source = await createClaimant(app, desk.editor.token, { name: unique('Prolific Speaker') });
    const target = await createClaimant(app, desk.editor.token, { name: unique('Prolific Target') });
    const article = await ingestArticle(app, desk.editor.token, { body: 'x'.repeat(20_001) });
    const [sourceId, editorId, articleId] = [parseGlobalId(source.id)!.id, desk.editor.id, parseGlobalId(article.id)!.id];
    // Written directly (10,000 createClaim calls would only slow the test): spans 2i..2i+1 of the body.
    await db.execute(sql`insert into claims (article_id, quote, span_start, span_end, statement, speaker_id, created_by)
      select ${articleId}::uuid, 'x', 2 * i, 2 * i + 1, 'Statement ' || i, ${sourceId}::uuid, ${editorId}::uuid from generate_series(0, 9999) as i`);
    await db.execute(sql`insert into claim_events (claim_id, actor_id, type, to_status, version)
      select id, ${editorId}::uuid, 'CREATED', 'OPEN', 1 from claims where speaker_id = ${sourceId}::uuid`);
    await idleTimersRun();
    ok(await app.gql(C.update, { i: { claimantId: source.id, name: `${source.name} II` } }, desk.editor.token));
    const merged = ok(await app.gql(C.merge, { i: { sourceId: source.id, targetId: target.id } }, desk.editor.token)).mergeClaimants;
    expect(merged.movedClaims).toBe(10_000);
    const targetId = parseGlobalId(target.id)!.id;
    const [counts] = await db
      .select({ claims: sql<number>`count(*)`.mapWith(Number), atThree: sql<number>`count(*) filter (where ${claims.version} = 3)`.mapWith(Number) })
      .from(claims)
      .where(eq(claims.speakerId, targetId));
    expect(counts).toEqual({ claims: 10_000, atThree: 10_000 });
    expect((await checkInvariants(db)).violations).toEqual([]);
    await idleTimersRun();
  });
});

describe('the public claimant page', () => {
  test('HTML with escaped names, Person JSON-LD, the record and published fact checks; .jsonld; 404s', async () => {
    const hostile = await createClaimant(app, desk.editor.token, {
      name: `</script><script>alert(1)</script> <img src=x onerror=alert(2)>`,
      aliases: ['"quoted" & <b>bold</b>'],
      description: `<img onerror="alert(3)" src=x>`,
      wikidataId: wikidata(),
      website: 'https://example.org/?a=<x>&b="y"',
    });
    const { factCheckId } = await publishedWithSpeaker(hostile.id);
    const response = await fetch(`${app.url}/claimants/${hostile.id}`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'none'|default-src 'none'/);
    const html = await response.text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<img onerror');
    expect(html).toContain('&#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
    const blocks = [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((m) => m[1]!);
    expect(blocks).toHaveLength(1);
    expect(html.match(/<script/g)).toHaveLength(1);
    const jsonLd = JSON.parse(blocks[0]!);
    expect(jsonLd).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Person',
      name: hostile.name,
      url: hostile.url,
      alternateName: ['"quoted" & <b>bold</b>'],
      sameAs: [`https://www.wikidata.org/wiki/${hostile.wikidataId}`, hostile.website],
    });
    expect(html).toContain(`${TEST_SITE.PUBLIC_BASE_URL}/fact-checks/${factCheckId}`);
    expect(html).toContain('1 published fact check');
    expect(html).toContain('not a measure');

    const ld = await fetch(`${app.url}/claimants/${hostile.id}.jsonld`);
    expect(ld.status).toBe(200);
    expect(ld.headers.get('content-type')).toMatch(/application\/ld\+json/);
    expect(await ld.json()).toEqual(jsonLd);

    const org = await createClaimant(app, desk.editor.token, { name: unique('Hamas'), kind: 'ORGANIZATION' });
    const orgLd = (await (await fetch(`${app.url}/claimants/${org.id}.jsonld`)).json()) as Record<string, unknown>;
    expect(orgLd['@type']).toBe('Organization');
    for (const path of [
      '/claimants/nope',
      `/claimants/${factCheckId}`,
      `/claimants/${Buffer.from('Claimant:00000000-0000-4000-8000-000000000000').toString('base64url')}`,
    ]) {
      expect((await fetch(`${app.url}${path}`)).status, path).toBe(404);
    }
  });
});

describe('claimants(), without search', () => {
  test('by name, paged with cursors, totalCount over all pages', async () => {
    const first = await createClaimant(app, desk.editor.token, { name: 'aaa Listed' });
    const middle = await createClaimant(app, desk.editor.token, { name: 'Mmm Listed' });
    const last = await createClaimant(app, desk.editor.token, { name: 'ÿÿÿ Listed' });
    const all: ClaimantData[] = [];
    let after: string | null = null;
    let total = 0;
    for (let more = true; more;) {
      const page: any = ok(await app.gql(C.list, { first: 7, after }, desk.partner.token)).claimants;
      all.push(...page.edges.map((e: any) => e.node));
      total = page.totalCount;
      [after, more] = [page.pageInfo.endCursor, page.pageInfo.hasNextPage];
    }
    expect(all.length).toBe(total);
    expect(new Set(all.map((c) => c.id)).size).toBe(total);
    // By name, case and accents ignored (the collation decides the rest of the order).
    const names = all.map((c) => c.name);
    expect(names.indexOf(first.name)).toBeLessThan(names.indexOf(middle.name));
    expect(names.indexOf(middle.name)).toBeLessThan(names.indexOf(last.name));
    expect(all.map((c) => c.id)).toEqual(ok(await app.gql(C.list, { first: 100 }, desk.partner.token)).claimants.edges.map((e: any) => e.node.id));
    expect(codes(await app.gql(C.list, { first: 7, after: 'bogus' }, desk.partner.token))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await app.gql(C.list, { first: 0 }, desk.partner.token))).toEqual(['BAD_USER_INPUT']);
  });
});
