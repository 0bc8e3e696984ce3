/**
 * Topics through the API (docs/design.md, Topics): createTopic, topics(search), setClaimTopics,
 * topicIds on createClaim, Claim.topics / FactCheck.topics / Topic.factChecks, the topicIds filter of
 * factChecks, ClaimReview `about`, and webhook endpoints that follow topics.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { snapshotDatabase } from '../support/database-state.js';
import { codes, ok, type GraphQLResponse, type TestApp } from '../support/app.js';
import { createClaim, createUser, ingestArticle, startDeskApp, type Desk, type TestUser } from '../support/factories.js';
import { claimState, mutate } from '../support/workflow.js';
import { changesOnceListed, createEndpoint, deliveriesOf, W } from '../support/webhooks.js';
import { toGlobalId } from '../../src/domain/global-ids.js';

const CREATE = 'mutation($i: CreateTopicInput!) { createTopic(input: $i) { topic { id name wikidataId } } }';
const SET = `mutation($i: SetClaimTopicsInput!) { setClaimTopics(input: $i) { claim { id status version topics { id name wikidataId } } } }`;
const LIST = `query($search: String, $first: Int, $after: String) { topics(search: $search, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name wikidataId } } } }`;
const FACT_CHECK = `query($id: ID!) { factCheck(id: $id) { id publishedAt updatedAt rating corrections { note } claimReview topics { id name } } }`;
const BY_TOPICS = `query($f: FactCheckFilter, $first: Int, $after: String) { factChecks(filter: $f, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`;
const TOPIC_FACT_CHECKS = `query($id: ID!, $first: Int, $after: String) { node(id: $id) { ... on Topic { name
  factChecks(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } } }`;
const ENDPOINT_CREATE = `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id events topics { id name } } } }`;
const ENDPOINT_UPDATE = `mutation($i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $i) { endpoint { id topics { id name } } } }`;

const QUOTE = 'has been routinely hijacked by Hamas terrorists';

let app: TestApp;
let desk: Desk;
let serial = 0;
beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
});
afterAll(() => app?.stop());

const create = (input: Record<string, unknown>, token = desk.editor.token) => app.gql(CREATE, { i: input }, token);
/** A new topic with a name no other test uses (the suffix), or the name given. */
async function topic(name = `Topic ${serial++}`, wikidataId?: string): Promise<{ id: string; name: string; wikidataId: string | null }> {
  return ok(await create({ name, wikidataId })).createTopic.topic;
}
const set = (token: string, input: Record<string, unknown>) => app.gql(SET, { i: input }, token);
const setTopics = async (claimId: string, topicIds: string[], token = desk.editor.token) => ok(await set(token, { claimId, topicIds })).setClaimTopics.claim;
const field = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.field;

/** A claim of a new article, reviewer1 ACTIVE on it: IN_REVIEW. */
async function claimInReview(input: Record<string, unknown> = {}) {
  const article = await ingestArticle(app, desk.editor.token);
  const claim = await createClaim(app, desk.editor.token, {
    articleId: article.id,
    quote: QUOTE,
    statement: `Hamas routinely hijacks aid (${serial++}).`,
    ...input,
  });
  ok(await mutate(app, desk.editor.token, 'assign', { claimId: claim.id, reviewerIds: [desk.reviewer1.globalId] }));
  return claim.id;
}

/** As above, then reviewed and published. */
async function publishedClaim(input: Record<string, unknown> = {}) {
  const claimId = await claimInReview(input);
  ok(await mutate(app, desk.reviewer1.token, 'verdict', { claimId, rating: 'FALSE', confidence: 'HIGH', rationale: 'UN data shows no systematic hijacking.' }));
  const published = ok(await mutate(app, desk.editor.token, 'publish', { claimId, rating: 'FALSE', summary: 'No evidence of systematic hijacking.' }));
  return { claimId, factCheckId: published.publishFactCheck.factCheck.id as string };
}

describe('createTopic', () => {
  test('editors and admins add topics; the name is trimmed, the Wikidata ID kept', async () => {
    const made = ok(await create({ name: '  Gaza humanitarian aid ', wikidataId: 'Q123456' })).createTopic.topic;
    expect(made).toEqual({ id: expect.any(String), name: 'Gaza humanitarian aid', wikidataId: 'Q123456' });
    expect(ok(await create({ name: 'Vaccines' }, desk.admin.token)).createTopic.topic.wikidataId).toBeNull();
    const node = ok(await app.gql('query($id: ID!) { node(id: $id) { __typename ... on Topic { id name wikidataId } } }', { id: made.id }, desk.partner.token));
    expect(node.node).toEqual({ __typename: 'Topic', ...made });
  });

  test('a name that exists regardless of case, accents and punctuation is CONFLICT naming the topic', async () => {
    const existing = await topic('Élections européennes');
    for (const name of ['élections européennes', 'ELECTIONS EUROPEENNES', 'Elections  européennes!', ' elections-europeennes ']) {
      const response = await create({ name });
      expect(codes(response), name).toEqual(['CONFLICT']);
      expect(response.errors![0]!.extensions).toMatchObject({ field: 'name', topicId: existing.id });
      expect(response.errors![0]!.message).toContain('Élections européennes');
    }
    // Two requests for one name at once: one topic, the other CONFLICT.
    const raced = await Promise.all([create({ name: 'Raced topic' }), create({ name: 'raced TOPIC' }), create({ name: 'Raced Topic' }, desk.admin.token)]);
    expect(raced.map((r) => codes(r)[0] ?? 'OK').sort()).toEqual(['CONFLICT', 'CONFLICT', 'OK']);
  });

  test('bad input is BAD_USER_INPUT naming the field, and changes nothing; reviewers and partners are refused', async () => {
    const before = await snapshotDatabase(app.database.db);
    for (const [name, bad] of [
      ['name', { name: '' }],
      ['name', { name: '   ' }],
      ['name', { name: 'x'.repeat(101) }],
      ['name', { name: '🗳️'.repeat(60) }], // 120 code points
      ['name', { name: '!!! ???' }], // nothing to compare names by
      ['name', { name: 'a\u0000b' }],
      ['name', { name: 'a\ud800b' }],
      ['wikidataId', { name: 'Fine', wikidataId: '' }],
      ['wikidataId', { name: 'Fine', wikidataId: 'Q0' }],
      ['wikidataId', { name: 'Fine', wikidataId: 'Q012' }],
      ['wikidataId', { name: 'Fine', wikidataId: 'q42' }],
      ['wikidataId', { name: 'Fine', wikidataId: 'Q42a' }],
      ['wikidataId', { name: 'Fine', wikidataId: 'P31' }],
      ['wikidataId', { name: 'Fine', wikidataId: `Q${'1'.repeat(40)}` }],
    ] as const) {
      const response = await create(bad);
      expect(codes(response), JSON.stringify(bad)).toEqual(['BAD_USER_INPUT']);
      expect(field(response), JSON.stringify(bad)).toBe(name);
    }
    expect(codes(await create({ name: 'Fine' }, desk.reviewer1.token))).toEqual(['FORBIDDEN']);
    expect(codes(await create({ name: 'Fine' }, desk.partner.token))).toEqual(['FORBIDDEN']);
    expect(codes(await create({ name: 'Fine' }, null as unknown as string))).toEqual(['UNAUTHENTICATED']);
    expect(await snapshotDatabase(app.database.db)).toEqual(before);
    // 100 code points after trimming is the most.
    expect(ok(await create({ name: ` ${'ü'.repeat(99)}z ` })).createTopic.topic.name).toBe(`${'ü'.repeat(99)}z`);
  });
});

describe('topics(search)', () => {
  let names: Record<string, string>;
  beforeAll(async () => {
    names = {};
    for (const name of [
      'Health',
      'Health care',
      'Healthy eating',
      'Public health',
      'Wealth',
      'Mental Health Services',
      'Tobacco',
      'Éducation',
      'Education policy',
    ])
      names[name] = (await topic(name)).id;
  });
  const search = async (text: string | null, first = 20, after?: string, token = desk.partner.token) =>
    ok(await app.gql(LIST, { search: text, first, after }, token)).topics;
  const found = async (text: string) => (await search(text)).edges.map((e: any) => e.node.name);

  test('without a search: by name, case and accents ignored, paged by keyset; every role reads them', async () => {
    const all: string[] = [];
    let after: string | undefined;
    let total = 0;
    for (let more = true; more;) {
      const page = await search(null, 3, after);
      all.push(...page.edges.map((e: any) => e.node.name));
      total = page.totalCount;
      [after, more] = [page.pageInfo.endCursor, page.pageInfo.hasNextPage];
    }
    expect(all).toHaveLength(total);
    const keys = all.map((n) => n.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase());
    expect(keys.indexOf('education')).toBeLessThan(keys.indexOf('education policy'));
    expect(keys.indexOf('health')).toBeLessThan(keys.indexOf('health care'));
    expect(all.indexOf('Éducation')).toBeLessThan(all.indexOf('Health'));
    for (const token of [desk.admin.token, desk.editor.token, desk.reviewer1.token, desk.partner.token])
      expect((await search(null, 1, undefined, token)).totalCount).toBe(total);
    expect(codes(await app.gql(LIST, {}, null))).toEqual(['UNAUTHENTICATED']);
    // Punctuation alone has nothing to match on: the list by name.
    expect((await search('!!!', 1)).totalCount).toBe(total);
  });

  test('best match first: the exact name, names starting with it, a word starting with it, then near spellings', async () => {
    const health = await found('health');
    expect(health[0]).toBe('Health');
    expect(health.slice(1, 3).sort()).toEqual(['Health care', 'Healthy eating']);
    expect(health.slice(3, 5).sort()).toEqual(['Mental Health Services', 'Public health']);
    expect(health.slice(5)).toEqual(['Wealth']); // similar (pg_trgm), not a prefix
    expect(health).not.toContain('Tobacco');
    // Case, accents and punctuation are ignored; a typo still finds it.
    expect((await found('HEALTH'))[0]).toBe('Health');
    expect((await found('helth'))[0]).toBe('Health');
    expect((await found('educ')).slice(0, 2)).toEqual(['Éducation', 'Education policy']);
    expect((await found('éducation!'))[0]).toBe('Éducation');
    expect((await found('mental-health'))[0]).toBe('Mental Health Services');
    expect((await found('serv'))[0]).toBe('Mental Health Services');
    expect(await found('zzzzqqq')).toEqual([]);
  });

  test('a ranked search pages with its own cursors, and counts its matches', async () => {
    const whole = await search('health');
    const first = await search('health', 2);
    expect(first.totalCount).toBe(whole.totalCount);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await search('health', 2, first.pageInfo.endCursor);
    const third = await search('health', 10, second.pageInfo.endCursor);
    expect([...first.edges, ...second.edges, ...third.edges].map((e: any) => e.node.id)).toEqual(whole.edges.map((e: any) => e.node.id));
    expect(third.pageInfo.hasNextPage).toBe(false);
    // A cursor of the list by name is not one of a search, nor the reverse; forged ones are refused.
    const byName = await search(null, 1);
    for (const [text, after] of [
      ['health', byName.pageInfo.endCursor],
      [null, first.pageInfo.endCursor],
      ['health', Buffer.from('[-1]').toString('base64url')],
      ['health', Buffer.from('[1.5]').toString('base64url')],
      ['health', Buffer.from('[99999999]').toString('base64url')],
      ['health', 'not a cursor'],
    ] as const) {
      const response = await app.gql(LIST, { search: text, after }, desk.partner.token);
      expect(codes(response), String(after)).toEqual(['BAD_USER_INPUT']);
      expect(field(response)).toBe('after');
    }
    for (const bad of ['a\u0000b', 'x'.repeat(501)]) expect(field(await app.gql(LIST, { search: bad }, desk.partner.token))).toBe('search');
  });
});

describe('setClaimTopics', () => {
  test('replaces the set: one UPDATED event and version + 1; the same set again (any order, repeated) changes nothing', async () => {
    const [a, b, c] = [await topic('Zebra crossings'), await topic('aid convoys'), await topic('Border crossings')];
    const claimId = await claimInReview();
    const before = await claimState(app, desk.editor.token, claimId);
    const claim = await setTopics(claimId, [a.id, b.id]);
    expect(claim.version).toBe(before.version + 1);
    expect(claim.status).toBe('IN_REVIEW');
    expect(claim.topics.map((t: any) => t.name)).toEqual(['aid convoys', 'Zebra crossings']); // by name, case ignored
    const again = await setTopics(claimId, [b.id, a.id, b.id]);
    expect(again.version).toBe(claim.version);
    const replaced = await setTopics(claimId, [c.id, a.id], desk.reviewer1.token);
    expect(replaced.version).toBe(claim.version + 1);
    expect(replaced.topics.map((t: any) => t.name)).toEqual(['Border crossings', 'Zebra crossings']);
    const cleared = await setTopics(claimId, []);
    expect(cleared.topics).toEqual([]);
    expect(cleared.version).toBe(claim.version + 2);
    expect((await setTopics(claimId, [])).version).toBe(cleared.version);
    const history = (await claimState(app, desk.editor.token, claimId)).history.slice(before.history.length);
    expect(history.map((e) => [e.type, e.fromStatus, e.toStatus, e.note, e.actor.name])).toEqual([
      ['UPDATED', 'IN_REVIEW', 'IN_REVIEW', 'Topics: aid convoys, Zebra crossings', 'Erin Editor'],
      ['UPDATED', 'IN_REVIEW', 'IN_REVIEW', 'Topics: Border crossings, Zebra crossings', 'Rafael Reviewer'],
      ['UPDATED', 'IN_REVIEW', 'IN_REVIEW', 'Topics: none', 'Erin Editor'],
    ]);
  });

  test('at most 10 distinct topics; unknown or malformed IDs; permissions, expectedVersion, DISMISSED: refused, changing nothing', async () => {
    const eleven = await Promise.all(Array.from({ length: 11 }, () => topic()));
    const ids = eleven.map((t) => t.id);
    const claimId = await claimInReview();
    const other = await createUser(app.database.db, 'REVIEWER');
    const { version } = await claimState(app, desk.editor.token, claimId);
    const before = await snapshotDatabase(app.database.db);
    const refusals: [string, string, Record<string, unknown>, string?][] = [
      [desk.editor.token, 'BAD_USER_INPUT', { claimId, topicIds: ids }, 'topicIds'],
      [desk.editor.token, 'NOT_FOUND', { claimId, topicIds: [ids[0], toGlobalId('Topic', '00000000-0000-4000-8000-000000000000')] }, 'topicIds'],
      [desk.editor.token, 'BAD_USER_INPUT', { claimId, topicIds: [claimId] }, 'topicIds'], // a claim's ID
      [desk.editor.token, 'BAD_USER_INPUT', { claimId, topicIds: ['not-an-id'] }, 'topicIds'],
      [desk.editor.token, 'BAD_USER_INPUT', { claimId: ids[0], topicIds: [] }, 'claimId'],
      [desk.editor.token, 'NOT_FOUND', { claimId: toGlobalId('Claim', '00000000-0000-4000-8000-000000000000'), topicIds: [] }, 'claimId'],
      [desk.editor.token, 'CONFLICT', { claimId, topicIds: [ids[0]], expectedVersion: version - 1 }],
      [other.token, 'FORBIDDEN', { claimId, topicIds: [ids[0]] }], // a reviewer not assigned to it
      [desk.reviewer2.token, 'FORBIDDEN', { claimId, topicIds: [ids[0]] }],
      [desk.partner.token, 'FORBIDDEN', { claimId, topicIds: [ids[0]] }],
    ];
    for (const [token, code, input, name] of refusals) {
      const response = await set(token, input);
      expect(codes(response), JSON.stringify(input)).toEqual([code]);
      if (name) expect(field(response)).toBe(name);
    }
    expect(codes(await app.gql(SET, { i: { claimId, topicIds: [] } }, null))).toEqual(['UNAUTHENTICATED']);
    expect(await snapshotDatabase(app.database.db)).toEqual(before);
    // Ten distinct, however often named, are fine.
    const ten = await setTopics(claimId, [...ids.slice(0, 10), ...ids.slice(0, 3)]);
    expect(ten.topics).toHaveLength(10);
    expect((await set(desk.editor.token, { claimId, topicIds: [ids[0]], expectedVersion: ten.version })).errors).toBeUndefined();

    ok(await mutate(app, desk.editor.token, 'dismiss', { claimId, reason: 'Not checkable.' }));
    const dismissed = await set(desk.editor.token, { claimId, topicIds: [] });
    expect(codes(dismissed)).toEqual(['CONFLICT']);
    expect(dismissed.errors![0]!.message).toContain('DISMISSED');
  });

  test('a reviewer whose assignment was withdrawn may no longer', async () => {
    const t = await topic();
    const claimId = await claimInReview();
    const assignments = ok(await app.gql('query($id: ID!) { claim(id: $id) { assignments { id state } } }', { id: claimId }, desk.editor.token)).claim
      .assignments;
    expect((await set(desk.reviewer1.token, { claimId, topicIds: [t.id] })).errors).toBeUndefined();
    ok(await mutate(app, desk.editor.token, 'withdraw', { assignmentId: assignments[0].id }));
    expect(codes(await set(desk.reviewer1.token, { claimId, topicIds: [] }))).toEqual(['FORBIDDEN']);
  });
});

describe('createClaim with topicIds', () => {
  test('files the new claim under them in its own transaction; unknown or too many: nothing is created', async () => {
    const [a, b] = [await topic('Hijacking'), await topic('Aid')];
    const article = await ingestArticle(app, desk.editor.token);
    const CREATE_CLAIM = 'mutation($i: CreateClaimInput!) { createClaim(input: $i) { claim { id version topics { name } history { type } } } }';
    const before = await snapshotDatabase(app.database.db);
    const unknown = await app.gql(
      CREATE_CLAIM,
      { i: { articleId: article.id, quote: QUOTE, topicIds: [a.id, toGlobalId('Topic', '00000000-0000-4000-8000-000000000001')] } },
      desk.editor.token,
    );
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    expect(field(unknown)).toBe('topicIds');
    const many = await Promise.all(Array.from({ length: 11 }, () => topic()));
    const tooMany = await app.gql(CREATE_CLAIM, { i: { articleId: article.id, quote: QUOTE, topicIds: many.map((t) => t.id) } }, desk.editor.token);
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
    expect(field(tooMany)).toBe('topicIds');
    const malformed = await app.gql(CREATE_CLAIM, { i: { articleId: article.id, quote: QUOTE, topicIds: [article.id] } }, desk.editor.token);
    expect(field(malformed)).toBe('topicIds');
    const after = await snapshotDatabase(app.database.db);
    expect({ ...after, topics: before.topics }).toEqual(before); // only the eleven new topics
    const claim = ok(await app.gql(CREATE_CLAIM, { i: { articleId: article.id, quote: QUOTE, topicIds: [b.id, a.id, a.id] } }, desk.editor.token)).createClaim
      .claim;
    expect(claim.topics).toEqual([{ name: 'Aid' }, { name: 'Hijacking' }]);
    expect(claim.version).toBe(1);
    expect(claim.history).toEqual([{ type: 'CREATED' }]);
  });
});

describe('on a published claim', () => {
  test('ClaimReview about, updatedAt and partners: an update, not a correction; the public page and its JSON-LD too', async () => {
    const { claimId, factCheckId } = await publishedClaim();
    const t1 = await topic('Humanitarian aid', 'Q1068495');
    const t2 = await topic('Gaza Strip');
    const endpoint = await createEndpoint(app, desk.partner.token, 'https://partner.example/hook', ['FACT_CHECK_UPDATED', 'FACT_CHECK_CORRECTED']);
    let cursor: string | null = null;
    for (let more = true; more;) {
      const page: { pageInfo: { endCursor: string; hasNextPage: boolean } } = ok(
        await app.gql(W.changes, { after: cursor, first: 100 }, desk.partner.token),
      ).factCheckChanges;
      [cursor, more] = [page.pageInfo.endCursor, page.pageInfo.hasNextPage];
    }
    const published = ok(await app.gql(FACT_CHECK, { id: factCheckId }, desk.partner.token)).factCheck;
    expect(published.claimReview.about).toBeUndefined();
    expect(published.topics).toEqual([]);

    await new Promise((r) => setTimeout(r, 5));
    const claim = await setTopics(claimId, [t1.id, t2.id]);
    expect(claim.status).toBe('PUBLISHED');
    const updated = ok(await app.gql(FACT_CHECK, { id: factCheckId }, desk.partner.token)).factCheck;
    expect(updated.topics.map((t: any) => t.name)).toEqual(['Gaza Strip', 'Humanitarian aid']);
    expect(updated.publishedAt).toBe(published.publishedAt);
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(published.updatedAt));
    expect(updated.corrections).toEqual([]);
    expect(updated.claimReview.dateModified).toBe(updated.updatedAt);
    expect(updated.claimReview.about).toEqual([
      { '@type': 'Thing', name: 'Gaza Strip' },
      { '@type': 'Thing', name: 'Humanitarian aid', sameAs: 'https://www.wikidata.org/wiki/Q1068495' },
    ]);

    const feed = await changesOnceListed(app, desk.partner.token, cursor);
    expect(feed.edges.map((e: any) => [e.node.type, e.node.factCheckId])).toEqual([['UPDATED', factCheckId]]);
    const { deliveries } = await deliveriesOf(app, desk.partner.token, endpoint.endpoint.id);
    expect(deliveries.map((d) => d.event)).toEqual(['FACT_CHECK_UPDATED']);
    const payload = deliveries[0]!.payload;
    expect(payload.data.claimVersion).toBe(claim.version);
    expect(payload.data.factCheck.topics).toEqual([
      { id: t2.id, name: 'Gaza Strip' },
      { id: t1.id, name: 'Humanitarian aid' },
    ]);
    expect(payload.data.factCheck.claimReview).toEqual(updated.claimReview);
    expect(JSON.stringify(payload)).not.toContain('topicIdsBefore');

    const html = await (await fetch(`${app.url}/fact-checks/${factCheckId}`, { headers: { accept: 'text/html' } })).text();
    const jsonLd = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(jsonLd).toEqual(updated.claimReview);
    expect(await (await fetch(`${app.url}/fact-checks/${factCheckId}.jsonld`)).json()).toEqual(updated.claimReview);

    // The same set again tells nobody anything.
    await setTopics(claimId, [t2.id, t1.id]);
    expect(ok(await app.gql(W.changes, { after: feed.pageInfo.endCursor, first: 100 }, desk.partner.token)).factCheckChanges.edges).toEqual([]);
    expect((await deliveriesOf(app, desk.partner.token, endpoint.endpoint.id)).deliveries).toHaveLength(1);
  });
});

describe('factChecks(filter: { topicIds }) and Topic.factChecks', () => {
  test('fact checks of claims under any of the topics, newest first; with search and other filters; retracted never', async () => {
    const [t1, t2, t3] = [await topic(), await topic(), await topic()];
    const one = await publishedClaim({ topicIds: [t1.id] });
    const both = await publishedClaim({ topicIds: [t1.id, t2.id] });
    const two = await publishedClaim({ topicIds: [t2.id] });
    await publishedClaim(); // under none
    const listed = async (filter: Record<string, unknown>, token = desk.partner.token) =>
      ok(await app.gql(BY_TOPICS, { f: filter }, token)).factChecks.edges.map((e: any) => e.node.id);
    expect(await listed({ topicIds: [t1.id] })).toEqual([both.factCheckId, one.factCheckId]);
    expect(await listed({ topicIds: [t2.id, t1.id] })).toEqual([two.factCheckId, both.factCheckId, one.factCheckId]);
    expect(await listed({ topicIds: [t3.id] })).toEqual([]);
    expect(await listed({ topicIds: [t1.id], rating: ['TRUE'] })).toEqual([]);
    // The ranked search (a prepared statement) with the topics as one parameter, of any number.
    expect((await listed({ topicIds: [t2.id], search: 'hijacks' })).sort()).toEqual([both.factCheckId, two.factCheckId].sort());
    expect((await listed({ topicIds: [t1.id, t2.id, t3.id], search: 'hijacks' })).sort()).toEqual([one.factCheckId, both.factCheckId, two.factCheckId].sort());
    expect(ok(await app.gql(BY_TOPICS, { f: { topicIds: [t1.id] } }, desk.partner.token)).factChecks.totalCount).toBe(2);
    // An empty list filters nothing, as an empty rating list does.
    const all = ok(await app.gql(BY_TOPICS, { f: {}, first: 100 }, desk.partner.token)).factChecks.totalCount;
    expect(ok(await app.gql(BY_TOPICS, { f: { topicIds: [] }, first: 100 }, desk.partner.token)).factChecks.totalCount).toBe(all);
    // A topic that does not exist finds nothing; a malformed ID, or too many, is refused.
    expect(await listed({ topicIds: [toGlobalId('Topic', '00000000-0000-4000-8000-000000000002')] })).toEqual([]);
    for (const topicIds of [
      ['garbage'],
      [one.factCheckId],
      Array.from({ length: 101 }, (_, i) => toGlobalId('Topic', `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)),
    ]) {
      const response = await app.gql(BY_TOPICS, { f: { topicIds } }, desk.partner.token);
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(field(response)).toBe('filter.topicIds');
    }

    const viaTopic = async (id: string, first?: number, after?: string) =>
      ok(await app.gql(TOPIC_FACT_CHECKS, { id, first, after }, desk.partner.token)).node.factChecks;
    const page1 = await viaTopic(t1.id, 1);
    expect(page1.totalCount).toBe(2);
    expect(page1.edges.map((e: any) => e.node.id)).toEqual([both.factCheckId]);
    const page2 = await viaTopic(t1.id, 1, page1.pageInfo.endCursor);
    expect(page2.edges.map((e: any) => e.node.id)).toEqual([one.factCheckId]);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    // Retracted: gone from both; the claim keeps its topics.
    ok(await mutate(app, desk.editor.token, 'dismiss', { claimId: both.claimId, reason: 'Retracted.' }));
    expect(await listed({ topicIds: [t1.id, t2.id] })).toEqual([two.factCheckId, one.factCheckId]);
    expect((await viaTopic(t1.id)).edges.map((e: any) => e.node.id)).toEqual([one.factCheckId]);
    expect(ok(await app.gql('query($id: ID!) { claim(id: $id) { topics { id } } }', { id: both.claimId }, desk.editor.token)).claim.topics).toHaveLength(2);
  });
});

describe('webhook endpoints that follow topics', () => {
  const EVENTS = ['FACT_CHECK_PUBLISHED', 'FACT_CHECK_CORRECTED', 'FACT_CHECK_RETRACTED', 'FACT_CHECK_UPDATED', 'CLAIM_STATUS_CHANGED'];
  const endpoint = async (owner: TestUser, topicIds: string[], events = EVENTS) =>
    ok(await app.gql(ENDPOINT_CREATE, { i: { url: `https://hooks.example/${serial++}`, events, topicIds } }, owner.token)).createWebhookEndpoint.endpoint;
  /** What an endpoint was sent, as [event, fact check id or claim status]. */
  const sent = async (owner: TestUser, endpointId: string) =>
    (await deliveriesOf(app, owner.token, endpointId)).deliveries
      .map((d) => [d.event, d.payload.data.factCheck?.id ?? d.payload.data.claim?.status] as const)
      .reverse();

  test('topicIds on create and update: existing topics, at most 50, shown by name; an empty list receives all', async () => {
    const [b, a] = [await topic('Beta topic'), await topic('alpha topic')];
    const made = await endpoint(desk.partner, [b.id, a.id, b.id], ['FACT_CHECK_PUBLISHED']);
    expect(made.topics.map((t: any) => t.name)).toEqual(['alpha topic', 'Beta topic']);
    const listed = ok(await app.gql('{ webhookEndpoints(first: 100) { edges { node { id topics { name } } } } }', {}, desk.partner.token)).webhookEndpoints;
    expect(listed.edges.find((e: any) => e.node.id === made.id).node.topics).toEqual([{ name: 'alpha topic' }, { name: 'Beta topic' }]);
    const update = (input: Record<string, unknown>) => app.gql(ENDPOINT_UPDATE, { i: { endpointId: made.id, ...input } }, desk.partner.token);
    expect(ok(await update({ topicIds: [a.id] })).updateWebhookEndpoint.endpoint.topics).toEqual([{ id: a.id, name: 'alpha topic' }]);
    expect(ok(await update({ description: 'kept' })).updateWebhookEndpoint.endpoint.topics).toEqual([{ id: a.id, name: 'alpha topic' }]);
    expect(ok(await update({ topicIds: [] })).updateWebhookEndpoint.endpoint.topics).toEqual([]);

    const before = await snapshotDatabase(app.database.db);
    const unknown = toGlobalId('Topic', '00000000-0000-4000-8000-000000000003');
    const fiftyOne = Array.from({ length: 51 }, (_, i) => toGlobalId('Topic', `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`));
    for (const [code, topicIds] of [
      ['NOT_FOUND', [a.id, unknown]],
      ['BAD_USER_INPUT', fiftyOne],
      ['BAD_USER_INPUT', ['garbage']],
      ['BAD_USER_INPUT', [made.id]],
    ] as const) {
      for (const response of [
        await app.gql(ENDPOINT_CREATE, { i: { url: 'https://hooks.example/refused', events: ['FACT_CHECK_PUBLISHED'], topicIds } }, desk.partner.token),
        await update({ topicIds }),
      ]) {
        expect(codes(response)).toEqual([code]);
        expect(field(response)).toBe('topicIds');
      }
    }
    expect(await snapshotDatabase(app.database.db)).toEqual(before);
  });

  test('fact_check.* events only for fact checks under a topic before or after the change; a retraction to whoever was sent the fact check', async () => {
    const [T, U, V, W] = [await topic(), await topic(), await topic(), await topic()];
    const all = await endpoint(desk.editor, []);
    const onT = await endpoint(
      desk.partner,
      [T.id],
      EVENTS.filter((e) => e.startsWith('FACT_CHECK_')),
    );
    const onU = await endpoint(desk.editor, [U.id]);
    const onV = await endpoint(desk.editor, [V.id, W.id]);
    const onW = await endpoint(desk.editor, [W.id]);

    const a = await publishedClaim({ topicIds: [T.id] });
    const b = await publishedClaim(); // under no topic
    expect(await sent(desk.partner, onT.id)).toEqual([['FACT_CHECK_PUBLISHED', a.factCheckId]]);
    // claim.status_changed is not filtered by topics.
    expect((await sent(desk.editor, onU.id)).filter(([event]) => event.startsWith('FACT_CHECK_'))).toEqual([]);
    expect((await sent(desk.editor, onU.id)).some(([event]) => event === 'CLAIM_STATUS_CHANGED')).toBe(true);
    expect((await sent(desk.editor, all.id)).filter(([event]) => event === 'FACT_CHECK_PUBLISHED')).toEqual([
      ['FACT_CHECK_PUBLISHED', a.factCheckId],
      ['FACT_CHECK_PUBLISHED', b.factCheckId],
    ]);

    const factCheckEvents = async (owner: TestUser, id: string) => (await sent(owner, id)).filter(([event]) => event.startsWith('FACT_CHECK_'));
    // From T to U: both hear it (T before, U after).
    await setTopics(a.claimId, [U.id]);
    expect(await factCheckEvents(desk.partner, onT.id)).toEqual([
      ['FACT_CHECK_PUBLISHED', a.factCheckId],
      ['FACT_CHECK_UPDATED', a.factCheckId],
    ]);
    expect(await factCheckEvents(desk.editor, onU.id)).toEqual([['FACT_CHECK_UPDATED', a.factCheckId]]);
    // From U to V: U and V hear it, T no longer.
    await setTopics(a.claimId, [V.id]);
    expect(await factCheckEvents(desk.partner, onT.id)).toHaveLength(2);
    expect(await factCheckEvents(desk.editor, onU.id)).toHaveLength(2);
    expect(await factCheckEvents(desk.editor, onV.id)).toEqual([['FACT_CHECK_UPDATED', a.factCheckId]]);
    // A correction while under V: only V (and the endpoint without topics).
    ok(await mutate(app, desk.editor.token, 'reopen', { claimId: a.claimId, reason: 'New figures.' }));
    ok(await mutate(app, desk.editor.token, 'assign', { claimId: a.claimId, reviewerIds: [desk.reviewer1.globalId] }));
    ok(await mutate(app, desk.reviewer1.token, 'verdict', { claimId: a.claimId, rating: 'MISLEADING', confidence: 'HIGH', rationale: 'Partly.' }));
    ok(await mutate(app, desk.editor.token, 'publish', { claimId: a.claimId, rating: 'MISLEADING', summary: 'Partly.', correctionNote: 'New figures.' }));
    expect(await factCheckEvents(desk.partner, onT.id)).toHaveLength(2);
    expect(await factCheckEvents(desk.editor, onU.id)).toHaveLength(2);
    expect((await factCheckEvents(desk.editor, onV.id)).map(([event]) => event)).toEqual(['FACT_CHECK_UPDATED', 'FACT_CHECK_CORRECTED']);

    // The retraction: to T and U, which were sent the fact check's events, and to V, under which it is;
    // not to W, which never was sent it and is not its topic.
    ok(await mutate(app, desk.editor.token, 'dismiss', { claimId: a.claimId, reason: 'Retracted.' }));
    for (const [owner, id] of [
      [desk.partner, onT.id],
      [desk.editor, onU.id],
      [desk.editor, onV.id],
      [desk.editor, all.id],
    ] as const) {
      expect((await factCheckEvents(owner, id)).at(-1), id).toEqual(['FACT_CHECK_RETRACTED', a.factCheckId]);
    }
    expect(await factCheckEvents(desk.editor, onW.id)).toEqual([]);
    // b's retraction: nobody with topics hears it (T's partner endpoint was never sent b).
    ok(await mutate(app, desk.editor.token, 'dismiss', { claimId: b.claimId, reason: 'Retracted.' }));
    expect((await factCheckEvents(desk.partner, onT.id)).filter(([, id]) => id === b.factCheckId)).toEqual([]);
    expect((await factCheckEvents(desk.editor, all.id)).at(-1)).toEqual(['FACT_CHECK_RETRACTED', b.factCheckId]);
  });
});
