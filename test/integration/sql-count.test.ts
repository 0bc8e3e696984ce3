/** Per request, relations are batched: a page of 100 claims costs the same few statements as a page of 10. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ok, type TestApp } from '../support/app.js';
import { buildDashboard, DASHBOARD } from '../support/dashboard.js';
import { type Desk, publishedArchive, startDeskApp } from '../support/factories.js';
import { claims, claimTopics, factChecks } from '../../src/db/schema.js';
import { corrections, retractions } from '../../src/db/schema.js';
import { createClaimant } from '../../src/domain/claimants/claimants.js';
import { addClaimAppearance } from '../../src/domain/claims/appearances.js';
import { updateClaim } from '../../src/domain/claims/editorial.js';
import { createTopic } from '../../src/domain/topics/topics.js';
import { createEndpoint, publish, reviewedClaim } from '../support/webhooks.js';
import { mutate } from '../support/workflow.js';
import { createExternalSource } from '../../src/domain/external-sources/sources.js';
import { importExternalDocument } from '../../src/domain/external-imports/import.js';
import { claimReview } from '../support/external-sources/claim-reviews.js';

const statements: string[] = [];
let app: TestApp;
let desk: Desk;
beforeAll(async () => {
  ({ app, desk } = await startDeskApp({}, { onQuery: (sql) => void statements.push(sql) }));
  await buildDashboard(app.database.db, desk, 120);
});
afterAll(() => app?.stop());

/**
 * Bookkeeping of access that is no part of a page: the lastUsedAt stamp (written after the
 * response, at most once a minute) and a lease of the token's request budget (once per 2 % of it).
 */
const BOOKKEEPING = /^(update "api_tokens" set last_used_at|insert into "rate_limits")/i;

async function countStatements(query: string, variables: Record<string, unknown>) {
  // The token is verified once, then cached: the pages below cost no token lookup.
  ok(await app.gql('{ viewer { id } }', {}, desk.editor.token));
  statements.length = 0;
  const data = ok(await app.gql(query, variables, desk.editor.token));
  const counted = statements.filter((s) => !BOOKKEEPING.test(s.trim()));
  return { data, count: counted.length, sql: counted };
}

test('the dashboard costs the same number of statements for 10 and 100 claims, and at most 2 (1 with the token cached)', async () => {
  const ten = await countStatements(DASHBOARD, { first: 10 });
  const hundred = await countStatements(DASHBOARD, { first: 100 });
  expect(ten.data.claims.edges).toHaveLength(10);
  expect(hundred.data.claims.edges).toHaveLength(100);
  console.log(`dashboard: ${ten.count} statements for 10 claims, ${hundred.count} for 100`);
  expect(hundred.count).toBe(ten.count);
  expect(hundred.count, hundred.sql.join('\n')).toBeLessThanOrEqual(2);
});

test('the prefetched page answers exactly what the loaders would', async () => {
  const { data } = await countStatements(DASHBOARD, { first: 100 });
  const node = data.claims.edges.map((e: any) => e.node).find((n: any) => n.status === 'PUBLISHED');
  expect(node.assignments.map((a: any) => a.reviewer.name).sort()).toEqual(['Rafael Reviewer', 'Rina Reviewer']);
  expect(node.assignments.map((a: any) => a.state).sort()).toEqual(['ACTIVE', 'SUBMITTED']);
  expect(node.evidence).toEqual([{ id: expect.any(String), title: expect.stringMatching(/^Data for \d+$/), stance: 'REFUTES', kind: 'DATASET' }]);
  expect(node.verdicts).toEqual([
    { id: expect.any(String), rating: 'FALSE', confidence: 'HIGH', reviewer: { id: desk.reviewer1.globalId, name: 'Rafael Reviewer' } },
  ]);
  expect(node.factCheck).toMatchObject({ rating: 'FALSE', summary: expect.stringMatching(/^Claim \d+ is false\.$/) });
  expect(node.createdBy).toEqual({ id: desk.editor.globalId, name: 'Erin Editor' });
  const open = data.claims.edges.map((e: any) => e.node).find((n: any) => n.status === 'OPEN');
  expect(open).toMatchObject({ assignments: [], evidence: [], verdicts: [], factCheck: null });
  const viaClaim = ok(
    await app.gql(
      'query($id: ID!) { claim(id: $id) { assignments { id state reviewer { name } } evidence { id } verdicts { id } factCheck { id } } }',
      { id: node.id },
      desk.editor.token,
    ),
  );
  expect(viaClaim.claim.assignments.map((a: any) => a.id)).toEqual(node.assignments.map((a: any) => a.id));
  expect(viaClaim.claim.factCheck.id).toBe(node.factCheck.id);
});

test('a page of articles with their first claims is batched too', async () => {
  const query =
    'query($first: Int!) { articles(first: $first) { edges { node { id claims(first: 3) { totalCount pageInfo { hasNextPage endCursor } edges { node { id quote } } } } } } }';
  const few = await countStatements(query, { first: 1 });
  for (let i = 0; i < 6; i++) {
    await app.gql(
      'mutation($i: IngestArticleInput!) { ingestArticle(input: $i) { created } }',
      { i: { url: `https://news.example/extra-${i}`, title: `Extra ${i}`, body: `First claim ${i}. Second claim ${i}.` } },
      desk.editor.token,
    );
  }
  const many = await countStatements(query, { first: 7 });
  expect(many.data.articles.edges).toHaveLength(7);
  expect(many.count).toBe(few.count);
  const dashboard = many.data.articles.edges.find((e: any) => e.node.claims.totalCount === 120).node.claims;
  expect(dashboard.edges).toHaveLength(3);
  expect(dashboard.pageInfo.hasNextPage).toBe(true);
  // The batched first page and the per-article next page agree on the order.
  const articleId = many.data.articles.edges.find((e: any) => e.node.claims.totalCount === 120).node.id;
  const next = ok(
    await app.gql(
      'query($id: ID!, $after: String) { article(id: $id) { claims(first: 3, after: $after) { edges { node { id } } } } }',
      { id: articleId, after: dashboard.pageInfo.endCursor },
      desk.editor.token,
    ),
  );
  const all = ok(await app.gql('query($id: ID!) { article(id: $id) { claims(first: 6) { edges { node { id } } } } }', { id: articleId }, desk.editor.token));
  expect([...dashboard.edges, ...next.article.claims.edges].map((e: any) => e.node.id)).toEqual(all.article.claims.edges.map((e: any) => e.node.id));
});

test('a page of fact checks with their rating labels reads the rating scale once per request, whatever its size', async () => {
  // buildDashboard publishes with a plain rating (no label shown); as if each had been published with the label it took.
  await app.database.db.update(factChecks).set({ ratingLabelChosen: true });
  const query = 'query($first: Int!) { factChecks(first: $first) { edges { node { id textualRating ratingLabel { key name names { locale } } } } } }';
  const without = await countStatements('query($first: Int!) { factChecks(first: $first) { edges { node { id textualRating } } } }', { first: 100 });
  const few = await countStatements(query, { first: 2 });
  const many = await countStatements(query, { first: 100 });
  expect(many.data.factChecks.edges.length).toBeGreaterThan(10);
  expect(many.data.factChecks.edges.every((e: any) => e.node.ratingLabel.key === 'false' && e.node.textualRating === 'False')).toBe(true);
  console.log(
    `fact checks with labels: ${few.count} statements for 2, ${many.count} for ${many.data.factChecks.edges.length}; ${without.count} without labels`,
  );
  expect(many.count).toBe(few.count);
  expect(many.count - without.count, many.sql.join('\n')).toBe(1); // the scale's row beside its labels
});

test('a page of fact checks with their appearances and ClaimReview costs the same for 3 and 30', async () => {
  const editor = { id: desk.editor.id, name: desk.editor.name, role: desk.editor.role };
  const published = await app.database.db.select({ claimId: factChecks.claimId }).from(factChecks);
  expect(published.length).toBeGreaterThanOrEqual(30);
  for (const [i, { claimId }] of published.entries()) {
    await addClaimAppearance(app.database.db, editor, { claimId, url: `https://social.example/${i}/later`, appearedAt: new Date(Date.UTC(2024, 5, 2)) });
    await addClaimAppearance(app.database.db, editor, {
      claimId,
      url: `https://social.example/${i}/first`,
      appearedAt: new Date(Date.UTC(2024, 5, 1)),
      firstAppearance: true,
    });
  }
  const query = 'query($first: Int!) { factChecks(first: $first) { edges { node { id appearances { url firstAppearance } claimReview } } } }';
  const few = await countStatements(query, { first: 3 });
  const many = await countStatements(query, { first: 30 });
  expect(many.data.factChecks.edges).toHaveLength(30);
  expect(many.count, many.sql.join('\n')).toBe(few.count);
  for (const { node } of many.data.factChecks.edges) {
    expect(node.appearances.map((a: any) => a.firstAppearance)).toEqual([true, false]);
    expect(node.claimReview.itemReviewed.appearance).toHaveLength(3);
    expect(node.claimReview.itemReviewed.firstAppearance.url).toBe(node.appearances[0].url);
  }
  console.log(`fact checks with appearances: ${few.count} statements for 3, ${many.count} for 30`);
});

test('a page of claimants with their records, and of fact checks with their speakers, costs the same for 3 and 30', async () => {
  const editor = { id: desk.editor.id, name: desk.editor.name, role: desk.editor.role };
  const published = await app.database.db.select({ claimId: factChecks.claimId }).from(factChecks).limit(30);
  expect(published).toHaveLength(30);
  for (const [i, { claimId }] of published.entries()) {
    const speaker = await createClaimant(app.database.db, editor, {
      name: `Counted Speaker ${String(i).padStart(2, '0')}`,
      kind: 'PERSON',
      wikidataId: `Q${7000 + i}`,
    });
    await updateClaim(app.database.db, editor, { claimId, speakerId: speaker.id });
  }
  const claimantsQuery = `query($first: Int!) { claimants(search: "counted speaker", first: $first) {
    edges { node { id name record { factChecks byRating { rating count } } } } } }`;
  const few = await countStatements(claimantsQuery, { first: 3 });
  const many = await countStatements(claimantsQuery, { first: 30 });
  expect(many.data.claimants.edges).toHaveLength(30);
  expect(many.data.claimants.edges.every((e: any) => e.node.record.factChecks === 1)).toBe(true);
  expect(many.count, many.sql.join('\n')).toBe(few.count);

  const factCheckQuery = 'query($first: Int!) { factChecks(first: $first) { edges { node { id speaker { id name } claimReview } } } }';
  const fewChecks = await countStatements(factCheckQuery, { first: 3 });
  const manyChecks = await countStatements(factCheckQuery, { first: 30 });
  expect(manyChecks.count, manyChecks.sql.join('\n')).toBe(fewChecks.count);
  const named = manyChecks.data.factChecks.edges.filter((e: any) => e.node.speaker);
  expect(named.length).toBeGreaterThan(0);
  for (const { node } of named)
    expect(node.claimReview.itemReviewed.author).toEqual({
      '@type': 'Person',
      name: node.speaker.name,
      sameAs: [expect.stringMatching(/^https:\/\/www\.wikidata\.org\/wiki\/Q7\d{3}$/)],
    });
  console.log(
    `claimants with records: ${few.count} statements for 3, ${many.count} for 30; fact checks with speakers: ${fewChecks.count} for 3, ${manyChecks.count} for 30`,
  );
});

test('blind review and retraction hold on the prefetched page exactly as through the loaders', async () => {
  const PAGE = 'query($first: Int!) { claims(first: $first) { edges { node { id status verdicts { id rating reviewer { id } } factCheck { id } } } } }';
  const ONE = 'query($id: ID!) { claim(id: $id) { verdicts { id rating reviewer { id } } factCheck { id } } }';
  const published = ok(await app.gql(PAGE, { first: 100 }, desk.editor.token))
    .claims.edges.map((e: any) => e.node)
    .find((n: any) => n.status === 'PUBLISHED');
  ok(
    await app.gql(
      'mutation($i: DismissClaimInput!) { dismissClaim(input: $i) { claim { id } } }',
      { i: { claimId: published.id, reason: 'Not checkable after all.' } },
      desk.editor.token,
    ),
  );
  const pages = new Map<string, any[]>();
  for (const who of [desk.editor, desk.reviewer1, desk.reviewer2]) {
    const page = ok(await app.gql(PAGE, { first: 100 }, who.token)).claims.edges.map((e: any) => e.node);
    pages.set(who.name, page);
    // Every kind of claim (OPEN, IN_REVIEW, REVIEWED, PUBLISHED, the dismissed one) against claim(id), which reads through the loaders.
    const sample = [...new Map(page.map((n: any) => [n.status, n])).values(), page.find((n: any) => n.id === published.id)];
    for (const node of sample) {
      const one = ok(await app.gql(ONE, { id: node.id }, who.token)).claim;
      expect({ verdicts: node.verdicts, factCheck: node.factCheck }, `${who.name}, ${node.status}`).toEqual(one);
    }
  }
  // reviewer2 is assigned everywhere and has submitted nothing: blind review hides reviewer1's verdicts.
  expect(pages.get(desk.editor.name)!.some((n) => n.verdicts.length > 0)).toBe(true);
  expect(pages.get(desk.reviewer1.name)!.filter((n) => n.verdicts.length).length).toBe(pages.get(desk.editor.name)!.filter((n) => n.verdicts.length).length);
  expect(pages.get(desk.reviewer2.name)!.every((n) => n.verdicts.length === 0)).toBe(true);
  // The dismissed claim's fact check is retracted: null on the page as through the loader.
  expect(pages.get(desk.editor.name)!.find((n) => n.id === published.id)!.factCheck).toBeNull();
  expect(pages.get(desk.editor.name)!.some((n) => n.factCheck !== null)).toBe(true);
});

/**
 * The statements of one request's transaction in the order they were sent, each with its round trip
 * (numbered from 1): a statement sent while none is in flight opens one; one sent without waiting
 * for those before it (src/db/pipeline.ts) goes in theirs. (The driver's own begin and commit are
 * not drizzle's: not counted.)
 */
async function roundTrips(request: () => Promise<unknown>) {
  let inFlight = 0;
  let trips = 0;
  let inTransaction = false;
  const sent: { sql: string; trip: number }[] = [];
  // Counted by statement, so that the token's bookkeeping (written by a timer, maybe meanwhile) is not.
  const stop = app.database.observe({
    queryStarted: () => {},
    queryEnded: () => {},
    transactionStarted: () => void (inTransaction = true),
    transactionEnded: () => void (inTransaction = false),
    statementStarted: (sql) => {
      if (!inTransaction || BOOKKEEPING.test(sql.trim())) return () => {};
      if (inFlight++ === 0) trips++;
      sent.push({ sql: sql.trim(), trip: trips });
      return () => void inFlight--;
    },
  });
  try {
    await request();
  } finally {
    stop();
  }
  return { statements: sent.map((s) => s.sql), trips: new Set(sent.map((s) => s.trip)).size, tripOf: sent.map((s) => s.trip) };
}

const CLAIM_UPDATE_WITH_RECORD = /^with "action" as \(insert into "claim_events" .*\) update "claims" set .* returning /s;

test("publishing is two round trips in its transaction, with and without a subscribed endpoint: the lock with what it reads, then the fact check with the claim's update, its ClaimEvent and the partners' rows", async () => {
  const publishOnce = async () => {
    const claimId = await reviewedClaim(app, desk);
    return roundTrips(() => publish(app, desk, claimId));
  };
  const alone = await publishOnce();
  await createEndpoint(app, desk.admin.token, 'http://127.0.0.1:9/never-called', ['FACT_CHECK_PUBLISHED']);
  const heard = await publishOnce();
  for (const published of [alone, heard]) {
    const all = published.statements.join('\n');
    // First the lock, then, sent behind it, the status's facts (with the claim's schedule: read once
    // the lock is granted, scheduling-lock.test.ts), the article with any fact check and schedule, the scale, the appearances and
    // the speaker with the topics; then the fact check and, last, one statement with the claim's
    // update, its record and the partners' rows.
    expect(published.statements, all).toHaveLength(8);
    expect(published.statements[0], all).toMatch(/^select .* from "claims" where "claims"."id" = \$1 for update$/);
    expect(published.statements[6], all).toMatch(/^insert into "fact_checks"/);
    expect(published.statements[7], all).toMatch(CLAIM_UPDATE_WITH_RECORD);
    expect(published.statements.filter((s) => /claim_events|fact_check_changes|webhook_deliveries/.test(s))).toHaveLength(1);
    expect(published.trips, all).toBe(2);
    expect(published.tripOf, all).toEqual([1, 1, 1, 1, 1, 1, 2, 2]);
  }
  for (const { statements } of [alone, heard])
    expect(statements[7]).toMatch(/insert into fact_check_changes[\s\S]*insert into webhook_deliveries[\s\S]*pg_notify/);
});

test("the write mix's actions are two round trips each: the lock with what they read, then their writes with the claim's update and record", async () => {
  const claimId = await reviewedClaim(app, desk);
  // Back to IN_REVIEW: a second reviewer owes a verdict.
  ok(await app.gql('mutation($i: UpdateClaimInput!) { updateClaim(input: $i) { claim { id } } }', { i: { claimId, requiredVerdicts: 2 } }, desk.editor.token));
  ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer2.globalId] }));
  const evidence = await roundTrips(async () =>
    ok(await mutate(app, desk.editor.token, 'evidence', { claimId, kind: 'DATASET', title: 'Official statistics', stance: 'CONTEXT' })),
  );
  const reviewerEvidence = await roundTrips(async () =>
    ok(await mutate(app, desk.reviewer2.token, 'evidence', { claimId, kind: 'DATASET', title: 'More statistics', stance: 'SUPPORTS' })),
  );
  const verdict = await roundTrips(async () =>
    ok(await mutate(app, desk.reviewer2.token, 'verdict', { claimId, rating: 'FALSE', confidence: 'HIGH', rationale: 'Agrees.' })),
  );
  // addEvidence: lock, facts; the evidence, the claim with its record. A reviewer's assignment is read beside the lock.
  expect(evidence.statements, evidence.statements.join('\n')).toHaveLength(4);
  expect(evidence.tripOf).toEqual([1, 1, 2, 2]);
  expect(reviewerEvidence.tripOf).toEqual([1, 1, 1, 2, 2]);
  // submitVerdict: lock, facts, the assignment; the verdict, the assignment's end, the claim with its record.
  expect(verdict.statements, verdict.statements.join('\n')).toHaveLength(6);
  expect(verdict.tripOf).toEqual([1, 1, 1, 2, 2, 2]);
  for (const { statements } of [evidence, reviewerEvidence, verdict]) expect(statements.at(-1)).toMatch(CLAIM_UPDATE_WITH_RECORD);
  const state = ok(await app.gql('query($id: ID!) { claim(id: $id) { status version } }', { id: claimId }, desk.editor.token)).claim;
  expect(state.status).toBe('REVIEWED');
});

test('Claim.topics and FactCheck.topics cost the same statements for a page of 5 and of 50 (one batched read of claim_topics)', async () => {
  const editor = { id: desk.editor.id, name: desk.editor.name, role: desk.editor.role };
  await publishedArchive(
    app.database.db,
    desk.editor.id,
    Array.from({ length: 30 }, (_, i) => ({ statement: `Archived statement ${i} about the budget.`, daysAgo: 400 + i })),
  );
  const filed = [
    await createTopic(app.database.db, editor, { name: 'Budget' }),
    await createTopic(app.database.db, editor, { name: 'Aid', wikidataId: 'Q1068495' }),
  ];
  const all = await app.database.db.select({ id: claims.id }).from(claims);
  await app.database.db.insert(claimTopics).values(all.flatMap(({ id }, i) => filed.slice(0, 1 + (i % 2)).map((t) => ({ claimId: id, topicId: t.id }))));

  const CLAIMS = 'query($first: Int!) { claims(first: $first) { edges { node { id topics { id name wikidataId } factCheck { id topics { name } } } } } }';
  const FACT_CHECKS = 'query($first: Int!) { factChecks(first: $first) { edges { node { id topics { name wikidataId } claimReview } } } }';
  for (const query of [CLAIMS, FACT_CHECKS]) {
    const few = await countStatements(query, { first: 5 });
    const many = await countStatements(query, { first: 50 });
    const nodes = (many.data.claims ?? many.data.factChecks).edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(50);
    expect(nodes.every((n: any) => n.topics.some((t: any) => t.name === 'Budget'))).toBe(true);
    expect(nodes.some((n: any) => n.topics.length === 2)).toBe(true);
    expect(many.count, many.sql.join('\n')).toBe(few.count);
    console.log(`${query === CLAIMS ? 'claims' : 'fact checks'} with topics: ${few.count} statements for 5, ${many.count} for 50`);
  }
  const review = (await countStatements(FACT_CHECKS, { first: 50 })).data.factChecks.edges.map((e: any) => e.node.claimReview.about);
  expect(review.every((about: any) => about.at(-1).name === 'Budget' && about.at(-1).sameAs === undefined)).toBe(true);
  expect(review.some((about: any) => about.length === 2 && about[0].sameAs === 'https://www.wikidata.org/wiki/Q1068495')).toBe(true);
});

test('the corrections log costs one statement a page, with its fact checks, for 5 entries and 50; their ClaimReview with its corrections the same for both', async () => {
  const factCheckIds = await publishedArchive(
    app.database.db,
    desk.editor.id,
    Array.from({ length: 30 }, (_, i) => ({ statement: `Corrected statement ${i} about the harbour.`, daysAgo: 300 + i })),
  );
  const at = (i: number) => new Date(Date.now() - 1_000 * (120 - i));
  const correction = (factCheckId: string, i: number) => ({
    factCheckId,
    note: `Fix ${i}.`,
    previousRating: 'FALSE' as const,
    previousTextualRating: 'False',
    previousRatingLabelKey: 'false',
    previousBestRating: 5,
    previousWorstRating: 1,
    previousSummary: 'Archived.',
    rating: 'FALSE' as const,
    textualRating: 'False',
    ratingChanged: false,
    correctedBy: desk.editor.id,
    at: at(i),
  });
  await app.database.db.insert(corrections).values(factCheckIds.flatMap((id, i) => [correction(id, 2 * i), correction(id, 2 * i + 1)]));
  await app.database.db
    .insert(retractions)
    .values(
      factCheckIds
        .slice(0, 10)
        .map((id, i) => ({ factCheckId: id, publicNote: 'Retracted', previousRating: 'FALSE' as const, previousTextualRating: 'False', at: at(70 + i) })),
    );
  const LOG = 'query($first: Int!) { corrections(first: $first) { edges { node { kind note factCheckUrl factCheck { id claimReview } } } } }';
  const few = await countStatements(LOG, { first: 5 });
  const many = await countStatements(LOG, { first: 50 });
  const nodes = many.data.corrections.edges.map((e: any) => e.node);
  expect(nodes).toHaveLength(50);
  expect(nodes.some((n: any) => n.kind === 'RETRACTED')).toBe(true);
  expect(nodes.find((n: any) => n.kind === 'CORRECTED').factCheck.claimReview.correction).toHaveLength(2);
  expect(many.count, many.sql.join('\n')).toBe(few.count);
  // The page itself, with the fact checks it names, is one statement; the rest is ClaimReview's loaders.
  expect(many.sql.filter((s) => /union all/.test(s))).toHaveLength(1);
  console.log(`the corrections log with ClaimReview: ${few.count} statements for 5, ${many.count} for 50`);
});

test('a page of feeds with their fact-check counts costs the same for 3 and 30 (one batched count)', async () => {
  const editor = { id: desk.editor.id, name: desk.editor.name, role: desk.editor.role };
  const policy = { allowPrivateUrls: true, trustedOrigins: [] };
  for (let i = 0; i < 30; i++) {
    const source = await createExternalSource(app.database.db, editor, { name: `Counted feed ${i}`, url: `http://127.0.0.1:9/feed-${i}.json` }, policy);
    const review = claimReview(9_000 + i, { site: `https://feed-${i}.example` });
    await importExternalDocument(app.database.db, JSON.stringify([review]), { sourceId: source.id, contentType: 'json' });
  }
  const query = 'query($first: Int!) { externalSources(first: $first) { totalCount edges { node { id name factCheckCount } } } }';
  const few = await countStatements(query, { first: 3 });
  const many = await countStatements(query, { first: 30 });
  expect(many.data.externalSources.edges).toHaveLength(30);
  expect(many.data.externalSources.edges.every((e: any) => e.node.factCheckCount === 1)).toBe(true);
  expect(many.count, many.sql.join('\n')).toBe(few.count);
  expect(many.count, many.sql.join('\n')).toBeLessThanOrEqual(3);
  console.log(`feeds with counts: ${few.count} statements for 3, ${many.count} for 30`);
});
