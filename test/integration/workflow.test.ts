import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, ok, type TestApp } from '../support/app.js';
import { CREATE_CLAIM, createClaim, createUser, INGEST, SEED_BODY, type Desk, type TestUser, startDeskApp } from '../support/factories.js';
import { claimState, mutate } from '../support/workflow.js';

let app: TestApp;
let desk: Desk;
let outsider: TestUser;
beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
  outsider = await createUser(app.database.db, 'REVIEWER', 'Otto Outsider');
});
afterAll(() => app?.stop());

/** A refused action must leave the claim exactly as it was: same version, same history. */
async function expectRefused(claimId: string, code: string, action: () => Promise<{ errors?: { extensions?: { code?: string } }[] }>) {
  const before = await claimState(app, desk.editor.token, claimId);
  const response = await action();
  expect(response.errors?.map((e) => e.extensions?.code)).toEqual([code]);
  expect(await claimState(app, desk.editor.token, claimId)).toEqual(before);
  return response;
}

describe('the life of a claim from the seed article', () => {
  test('ingest → claim → assign → evidence → disputed verdicts → publish → correct → reopen → dismiss', async () => {
    const url = 'https://news.example/2024/06/24/gallant-blinken';
    const ingest = (body: string) =>
      app.gql(
        INGEST,
        { input: { url, title: 'Gallant meets Blinken', body, publisher: 'Example News', publishedAt: '2024-06-24T20:00:00Z' } },
        desk.editor.token,
      );
    const first = ok(await ingest(SEED_BODY)).ingestArticle;
    expect(first.created).toBe(true);
    const again = ok(await ingest(SEED_BODY)).ingestArticle;
    expect(again).toMatchObject({ created: false, article: { id: first.article.id } });
    expect(codes(await ingest(SEED_BODY + ' Updated.'))).toEqual(['CONFLICT']);
    const articleId = first.article.id;

    const claim = await createClaim(app, desk.editor.token, {
      articleId,
      quote: 'has been routinely hijacked by Hamas terrorists',
      requiredVerdicts: 2,
      claimant: 'The article',
    });
    expect(claim).toMatchObject({ status: 'OPEN', version: 1, round: 1, statement: 'has been routinely hijacked by Hamas terrorists' });
    expect(Array.from(SEED_BODY).slice(claim.span.start, claim.span.end).join('')).toBe('has been routinely hijacked by Hamas terrorists');
    const claimId = claim.id;

    await expectRefused(claimId, 'BAD_USER_INPUT', () => mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.editor.globalId] }));
    await expectRefused(claimId, 'FORBIDDEN', () => mutate(app, desk.reviewer1.token, 'assign', { claimId, reviewerIds: [desk.reviewer1.globalId] }));
    const assigned = ok(
      await mutate(app, desk.editor.token, 'assign', {
        claimId,
        reviewerIds: [desk.reviewer1.globalId, desk.reviewer2.globalId],
        dueAt: '2030-01-01T00:00:00Z',
      }),
    ).assignClaim;
    expect(assigned.claim).toMatchObject({ status: 'IN_REVIEW', version: 2 });
    expect(assigned.assignments.map((a: any) => a.reviewer.name).sort()).toEqual(['Rafael Reviewer', 'Rina Reviewer']);
    // Assigning an active reviewer again changes nothing: no event, same version.
    const repeat = ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer1.globalId] })).assignClaim;
    expect(repeat.claim.version).toBe(2);
    expect(repeat.assignments).toHaveLength(1);

    const mine = ok(await app.gql('{ myAssignments { totalCount edges { node { state claim { id } dueAt } } } }', {}, desk.reviewer1.token)).myAssignments;
    expect(mine.edges).toEqual([{ node: { state: 'ACTIVE', claim: { id: claimId }, dueAt: '2030-01-01T00:00:00.000Z' } }]);

    const refuting = ok(
      await mutate(app, desk.reviewer1.token, 'evidence', {
        claimId,
        kind: 'OFFICIAL_STATEMENT',
        title: 'UN OCHA access report',
        url: 'https://www.unocha.org/report',
        stance: 'REFUTES',
        excerpt: 'No systematic diversion documented.',
      }),
    ).addEvidence.evidence;
    const supporting = ok(
      await mutate(app, desk.reviewer2.token, 'evidence', { claimId, kind: 'NEWS_REPORT', title: 'Reports of looted convoys', stance: 'SUPPORTS' }),
    ).addEvidence.evidence;
    ok(await mutate(app, desk.editor.token, 'evidence', { claimId, kind: 'OTHER', title: 'Background on aid routes', stance: 'CONTEXT' }));
    expect(refuting).toMatchObject({ stance: 'REFUTES', addedBy: { name: 'Rafael Reviewer' }, claim: { id: claimId } });
    await expectRefused(claimId, 'FORBIDDEN', () => mutate(app, outsider.token, 'evidence', { claimId, kind: 'OTHER', title: 'x', stance: 'CONTEXT' }));
    await expectRefused(claimId, 'FORBIDDEN', () => mutate(app, desk.partner.token, 'evidence', { claimId, kind: 'OTHER', title: 'x', stance: 'CONTEXT' }));
    await expectRefused(claimId, 'BAD_USER_INPUT', () =>
      mutate(app, desk.editor.token, 'evidence', { claimId, kind: 'OTHER', title: 'x', stance: 'CONTEXT', url: 'ftp://example.org/x' }),
    );

    // Blind review: reviewer 2 sees no verdict until submitting one.
    const v1 = ok(
      await mutate(app, desk.reviewer1.token, 'verdict', {
        claimId,
        rating: 'FALSE',
        confidence: 'HIGH',
        rationale: 'UN data shows no systematic hijacking.',
        evidenceIds: [refuting.id],
      }),
    ).submitVerdict;
    expect(v1.claim).toMatchObject({ status: 'IN_REVIEW' });
    expect(v1.verdict.citedEvidence).toEqual([{ id: refuting.id }]);
    const blind = await claimState(app, desk.reviewer2.token, claimId);
    expect(blind.verdicts).toEqual([]);
    expect(JSON.stringify(blind.history)).not.toContain('FALSE'); // the audit trail must not leak the rating
    expect((await claimState(app, desk.reviewer1.token, claimId)).verdicts).toEqual([{ rating: 'FALSE', reviewer: { name: 'Rafael Reviewer' } }]);
    expect((await claimState(app, desk.editor.token, claimId)).verdicts).toHaveLength(1);
    const verdictNode = ok(await app.gql('query($id: ID!) { node(id: $id) { id } }', { id: v1.verdict.id }, desk.reviewer2.token)).node;
    expect(verdictNode).toBeNull();

    await expectRefused(claimId, 'CONFLICT', () =>
      mutate(app, desk.reviewer1.token, 'verdict', { claimId, rating: 'TRUE', confidence: 'LOW', rationale: 'Changed my mind.' }),
    );
    await expectRefused(claimId, 'FORBIDDEN', () =>
      mutate(app, outsider.token, 'verdict', { claimId, rating: 'TRUE', confidence: 'LOW', rationale: 'Not mine to judge.' }),
    );
    await expectRefused(claimId, 'FORBIDDEN', () =>
      mutate(app, desk.editor.token, 'verdict', { claimId, rating: 'TRUE', confidence: 'LOW', rationale: 'Editors do not vote.' }),
    );
    await expectRefused(claimId, 'BAD_USER_INPUT', () =>
      mutate(app, desk.reviewer2.token, 'verdict', { claimId, rating: 'MISLEADING', confidence: 'MEDIUM', rationale: ' ' }),
    );
    await expectRefused(claimId, 'FORBIDDEN', () =>
      mutate(app, desk.reviewer2.token, 'publish', { claimId, rating: 'FALSE', summary: 'Reviewers do not publish.' }),
    );
    await expectRefused(claimId, 'CONFLICT', () => mutate(app, desk.editor.token, 'publish', { claimId, rating: 'FALSE', summary: 'Not reviewed yet.' }));

    const v2 = ok(
      await mutate(app, desk.reviewer2.token, 'verdict', {
        claimId,
        rating: 'MISLEADING',
        confidence: 'MEDIUM',
        rationale: 'Some diversion happened; "routinely" overstates it.',
        evidenceIds: [supporting.id, refuting.id],
      }),
    ).submitVerdict;
    expect(v2.claim.status).toBe('DISPUTED');
    expect((await claimState(app, desk.reviewer2.token, claimId)).verdicts.map((v) => v.rating)).toEqual(['FALSE', 'MISLEADING']);
    expect(ok(await app.gql('query($id: ID!) { node(id: $id) { id } }', { id: v1.verdict.id }, desk.reviewer2.token)).node).toEqual({ id: v1.verdict.id });

    const version = v2.claim.version;
    await expectRefused(claimId, 'CONFLICT', () =>
      mutate(app, desk.editor.token, 'publish', { claimId, rating: 'FALSE', summary: 'Stale.', expectedVersion: version - 1 }),
    );
    const published = ok(
      await mutate(app, desk.editor.token, 'publish', {
        claimId,
        rating: 'MISLEADING',
        summary: 'Aid diversion occurred, but not routinely.',
        expectedVersion: version,
      }),
    ).publishFactCheck;
    expect(published.claim).toMatchObject({ status: 'PUBLISHED', version: version + 1 });
    expect(published.factCheck).toMatchObject({ rating: 'MISLEADING', corrections: [] });
    const factCheckId = published.factCheck.id;
    const partnerView = 'query($id: ID!) { factCheck(id: $id) { id rating claimReviewed article { url } corrections { previousRating note } } }';
    expect(ok(await app.gql(partnerView, { id: factCheckId }, desk.partner.token)).factCheck).toMatchObject({ rating: 'MISLEADING', article: { url } });

    await expectRefused(claimId, 'BAD_USER_INPUT', () => mutate(app, desk.editor.token, 'publish', { claimId, rating: 'MOSTLY_FALSE', summary: 'Corrected.' }));
    await expectRefused(claimId, 'CONFLICT', () => mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [outsider.globalId] }));
    const corrected = ok(
      await mutate(app, desk.editor.token, 'publish', {
        claimId,
        rating: 'MOSTLY_FALSE',
        summary: 'New figures from the UN.',
        correctionNote: 'Rating revised after UN figures.',
      }),
    ).publishFactCheck;
    expect(corrected.factCheck).toMatchObject({
      id: factCheckId,
      rating: 'MOSTLY_FALSE',
      corrections: [{ previousRating: 'MISLEADING', note: 'Rating revised after UN figures.' }],
    });

    const reopened = ok(await mutate(app, desk.editor.token, 'reopen', { claimId, reason: 'New UN report expected.' })).reopenClaim.claim;
    expect(reopened).toMatchObject({ status: 'OPEN', round: 2 });
    const afterReopen = await claimState(app, desk.editor.token, claimId);
    expect(afterReopen.verdicts).toEqual([]);
    expect(afterReopen.assignments.every((a) => a.state !== 'ACTIVE')).toBe(true);
    expect(ok(await app.gql(partnerView, { id: factCheckId }, desk.partner.token)).factCheck.rating).toBe('MOSTLY_FALSE');

    const dismissed = ok(await mutate(app, desk.editor.token, 'dismiss', { claimId, reason: 'Superseded by a broader claim.' })).dismissClaim.claim;
    expect(dismissed.status).toBe('DISMISSED');
    expect(ok(await app.gql(partnerView, { id: factCheckId }, desk.partner.token)).factCheck).toBeNull();
    expect(ok(await app.gql('{ factChecks { totalCount } }', {}, desk.partner.token)).factChecks.totalCount).toBe(0);

    const { history, version: finalVersion } = await claimState(app, desk.editor.token, claimId);
    expect(history.map((h) => [h.type, h.fromStatus, h.toStatus])).toEqual([
      ['CREATED', null, 'OPEN'],
      ['ASSIGNED', 'OPEN', 'IN_REVIEW'],
      ['EVIDENCE_ADDED', 'IN_REVIEW', 'IN_REVIEW'],
      ['EVIDENCE_ADDED', 'IN_REVIEW', 'IN_REVIEW'],
      ['EVIDENCE_ADDED', 'IN_REVIEW', 'IN_REVIEW'],
      ['VERDICT_SUBMITTED', 'IN_REVIEW', 'IN_REVIEW'],
      ['VERDICT_SUBMITTED', 'IN_REVIEW', 'DISPUTED'],
      ['PUBLISHED', 'DISPUTED', 'PUBLISHED'],
      ['CORRECTED', 'PUBLISHED', 'PUBLISHED'],
      ['REOPENED', 'PUBLISHED', 'OPEN'],
      ['DISMISSED', 'OPEN', 'DISMISSED'],
    ]);
    expect(history.map((h) => h.version)).toEqual(history.map((_, i) => i + 1));
    expect(finalVersion).toBe(history.length);
    expect(history.at(-1)).toMatchObject({ note: 'Superseded by a broader claim.', actor: { name: 'Erin Editor' } });

    // Reopened from DISMISSED and republished: the retracted fact check comes back, as a correction.
    ok(await mutate(app, desk.editor.token, 'reopen', { claimId, reason: 'Back on the desk.' }));
    ok(await mutate(app, desk.editor.token, 'update', { claimId, requiredVerdicts: 1 }));
    ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer1.globalId] }));
    ok(await mutate(app, desk.reviewer1.token, 'verdict', { claimId, rating: 'FALSE', confidence: 'HIGH', rationale: 'Round three.' }));
    const republished = ok(
      await mutate(app, desk.editor.token, 'publish', { claimId, rating: 'FALSE', summary: 'Final.', correctionNote: 'Republished after review.' }),
    ).publishFactCheck;
    expect(republished.factCheck.corrections).toHaveLength(2);
    expect(ok(await app.gql(partnerView, { id: factCheckId }, desk.partner.token)).factCheck.rating).toBe('FALSE');
  });
});

describe('claims and their spans', () => {
  let articleId: string;
  const body = 'Breaking 👍🏽: the café said “prices rose 12%” — naïve readers 🇮🇱 believed it. Later, prices rose 12% again.';
  beforeAll(async () => {
    articleId = ok(await app.gql(INGEST, { input: { url: 'https://news.example/emoji', title: 'Émojis', body } }, desk.editor.token)).ingestArticle.article.id;
  });
  const cp = (s: string) => Array.from(s).length;

  test('offsets are code points: an emoji before the quote counts once', async () => {
    const quote = 'naïve readers 🇮🇱 believed it';
    const claim = await createClaim(app, desk.editor.token, { articleId, quote });
    const start = cp(body.slice(0, body.indexOf(quote)));
    expect(claim.span).toEqual({ start, end: start + cp(quote) });
    expect(start).toBeLessThan(body.indexOf(quote)); // UTF-16 would give a larger offset
    expect(Array.from(body).slice(claim.span.start, claim.span.end).join('')).toBe(quote);
  });

  test('a span in UTF-16 units does not match, and is refused', async () => {
    const quote = 'the café said';
    const utf16 = body.indexOf(quote);
    const response = await app.gql(
      'mutation($input: CreateClaimInput!) { createClaim(input: $input) { claim { id } } }',
      { input: { articleId, quote, span: { start: utf16, end: utf16 + quote.length } } },
      desk.editor.token,
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'span' });
  });

  test('a quote that occurs twice needs its span; with it, the right one is taken', async () => {
    const quote = 'prices rose 12%';
    const without = await app.gql(
      'mutation($input: CreateClaimInput!) { createClaim(input: $input) { claim { id } } }',
      { input: { articleId, quote } },
      desk.editor.token,
    );
    expect(without.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'span' });
    const second = cp(body.slice(0, body.lastIndexOf(quote)));
    const claim = await createClaim(app, desk.editor.token, { articleId, quote, span: { start: second, end: second + cp(quote) } });
    expect(claim.span.start).toBe(second);
  });

  test.each([
    [{ quote: 'not in the article' }, 'quote'],
    [{ quote: '' }, 'quote'],
    [{ quote: 'café', span: { start: -1, end: 3 } }, 'span'],
    [{ quote: 'café', span: { start: 5, end: 5000 } }, 'span'],
    [{ quote: 'café', requiredVerdicts: 6 }, 'requiredVerdicts'],
    [{ quote: 'café', requiredVerdicts: 0 }, 'requiredVerdicts'],
    [{ quote: 'café', statement: 'x'.repeat(2001) }, 'statement'],
  ])('refused: %j', async (patch, field) => {
    const response = await app.gql(
      'mutation($input: CreateClaimInput!) { createClaim(input: $input) { claim { id } } }',
      { input: { articleId, ...patch } },
      desk.editor.token,
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  test('an unknown article is NOT_FOUND; a reviewer may not create claims', async () => {
    const missing = Buffer.from('Article:00000000-0000-4000-8000-000000000000').toString('base64url');
    expect(
      codes(
        await app.gql(
          'mutation($input: CreateClaimInput!) { createClaim(input: $input) { claim { id } } }',
          { input: { articleId: missing, quote: 'x' } },
          desk.editor.token,
        ),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(
      codes(
        await app.gql(
          'mutation($input: CreateClaimInput!) { createClaim(input: $input) { claim { id } } }',
          { input: { articleId, quote: 'café' } },
          desk.reviewer1.token,
        ),
      ),
    ).toEqual(['FORBIDDEN']);
  });
});

describe('exact duplicates: the same article, span and statement', () => {
  let articleId: string;
  const body = '🚨 The mayor said crime fell by 30%. The mayor said crime fell by 30%. Bus fares doubled.';
  const quote = 'The mayor said crime fell by 30%.';
  const firstSpan = { start: 2, end: 2 + Array.from(quote).length };
  const secondSpan = { start: firstSpan.end + 1, end: firstSpan.end + 1 + Array.from(quote).length };
  beforeAll(async () => {
    articleId = ok(await app.gql(INGEST, { input: { url: 'https://news.example/duplicates', title: 'D', body } }, desk.editor.token)).ingestArticle.article.id;
  });
  const claimCount = async () =>
    ok(await app.gql('query($id: ID!) { article(id: $id) { claims { totalCount } } }', { id: articleId }, desk.editor.token)).article.claims
      .totalCount as number;
  const create = (input: Record<string, unknown>) => app.gql(CREATE_CLAIM, { input: { articleId, ...input } }, desk.editor.token);

  test('is CONFLICT naming the existing claim in the message and extensions.existingClaimId; nothing is written', async () => {
    const existing = await createClaim(app, desk.editor.token, { articleId, quote, span: firstSpan });
    const before = await claimCount();
    // The default statement is the quote, so giving it explicitly is the same claim.
    for (const input of [
      { quote, span: firstSpan },
      { quote, span: firstSpan, statement: quote, claimant: 'Someone else', priority: 'URGENT' },
    ]) {
      const response = await create(input);
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', existingClaimId: existing.id });
      expect(response.errors![0]!.message).toContain(existing.id);
      expect(response.data?.createClaim ?? null).toBeNull();
    }
    expect(await claimCount()).toBe(before);
    expect((await claimState(app, desk.editor.token, existing.id)).version).toBe(1);
  });

  test('another span of the same words, or another statement at the same span, is another claim', async () => {
    const [first] = ok(
      await app.gql('query($id: ID!) { article(id: $id) { claims { edges { node { id span { start } } } } } }', { id: articleId }, desk.editor.token),
    ).article.claims.edges.filter((e: any) => e.node.span.start === firstSpan.start);
    const elsewhere = await createClaim(app, desk.editor.token, { articleId, quote, span: secondSpan });
    const restated = await createClaim(app, desk.editor.token, { articleId, quote, span: firstSpan, statement: 'Crime in the city fell by 30% last year.' });
    expect(new Set([first.node.id, elsewhere.id, restated.id]).size).toBe(3);
    // Restating it as another claim at the same span already says is refused too, naming that claim.
    const response = await mutate(app, desk.editor.token, 'update', { claimId: restated.id, statement: quote });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', existingClaimId: first.node.id });
    expect(response.errors?.[0]?.message).toContain(first.node.id);
    expect((await claimState(app, desk.editor.token, restated.id)).version).toBe(1);
    ok(await mutate(app, desk.editor.token, 'update', { claimId: restated.id, statement: 'Crime fell by 30%, the mayor said.' }));
  });

  test('a dismissed claim counts: the duplicate is refused with advice to reopen it', async () => {
    const dismissed = await createClaim(app, desk.editor.token, { articleId, quote: 'Bus fares doubled.' });
    ok(await mutate(app, desk.editor.token, 'dismiss', { claimId: dismissed.id, reason: 'Not now.' }));
    const response = await create({ quote: 'Bus fares doubled.' });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', existingClaimId: dismissed.id });
    expect(response.errors?.[0]?.message).toMatch(/DISMISSED.*reopen/);
    expect(ok(await mutate(app, desk.editor.token, 'reopen', { claimId: dismissed.id, reason: 'Now.' })).reopenClaim.claim.status).toBe('OPEN');
  });

  test('a 2,000-code-point statement (8,000 bytes, beyond a btree entry) is compared whole', async () => {
    const long = '😀'.repeat(1_999);
    ok(await create({ quote: 'Bus fares doubled.', statement: `${long}a` }));
    ok(await create({ quote: 'Bus fares doubled.', statement: `${long}b` }));
    expect(codes(await create({ quote: 'Bus fares doubled.', statement: `${long}a` }))).toEqual(['CONFLICT']);
  });
});

describe('updates, withdrawals and re-derived status', () => {
  let articleId: string;
  beforeAll(async () => {
    articleId = ok(
      await app.gql(
        INGEST,
        { input: { url: 'https://news.example/update', title: 'U', body: 'One claim here. Another claim there. A third claim somewhere.' } },
        desk.editor.token,
      ),
    ).ingestArticle.article.id;
  });

  test('changing requiredVerdicts moves the status; an empty update writes no event', async () => {
    const { id: claimId } = await createClaim(app, desk.editor.token, { articleId, quote: 'One claim here.' });
    ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer1.globalId, desk.reviewer2.globalId] }));
    const afterVerdict = ok(await mutate(app, desk.reviewer1.token, 'verdict', { claimId, rating: 'TRUE', confidence: 'HIGH', rationale: 'Checks out.' }))
      .submitVerdict.claim;
    expect(afterVerdict.status).toBe('REVIEWED');
    const raised = ok(await mutate(app, desk.editor.token, 'update', { claimId, requiredVerdicts: 2, expectedVersion: afterVerdict.version })).updateClaim
      .claim;
    expect(raised).toMatchObject({ status: 'IN_REVIEW', version: afterVerdict.version + 1, requiredVerdicts: 2 });
    const same = ok(await mutate(app, desk.editor.token, 'update', { claimId, requiredVerdicts: 2 })).updateClaim.claim;
    expect(same.version).toBe(raised.version);
    const edited = ok(
      await mutate(app, desk.editor.token, 'update', {
        claimId,
        statement: 'A restated claim.',
        claimant: 'Someone',
        priority: 'URGENT',
        dueAt: '2031-05-01T10:00:00Z',
      }),
    ).updateClaim.claim;
    expect(edited).toMatchObject({ statement: 'A restated claim.', claimant: 'Someone', priority: 'URGENT', dueAt: '2031-05-01T10:00:00.000Z' });
    const cleared = ok(await mutate(app, desk.editor.token, 'update', { claimId, claimant: null, dueAt: null })).updateClaim.claim;
    expect(cleared).toMatchObject({ claimant: null, dueAt: null, statement: 'A restated claim.' });
    await expectRefused(claimId, 'CONFLICT', () => mutate(app, desk.editor.token, 'update', { claimId, priority: 'LOW', expectedVersion: 1 }));
    await expectRefused(claimId, 'BAD_USER_INPUT', () => mutate(app, desk.editor.token, 'update', { claimId, statement: '' }));
  });

  test('withdrawing the only active assignment returns the claim to OPEN; twice is CONFLICT', async () => {
    const { id: claimId } = await createClaim(app, desk.editor.token, { articleId, quote: 'Another claim there.' });
    const assignment = ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer1.globalId] })).assignClaim.assignments[0];
    expect(ok(await mutate(app, desk.editor.token, 'withdraw', { assignmentId: assignment.id })).withdrawAssignment.assignment.state).toBe('WITHDRAWN');
    expect((await claimState(app, desk.editor.token, claimId)).status).toBe('OPEN');
    await expectRefused(claimId, 'CONFLICT', () => mutate(app, desk.editor.token, 'withdraw', { assignmentId: assignment.id }));
    await expectRefused(claimId, 'FORBIDDEN', () => mutate(app, desk.reviewer1.token, 'withdraw', { assignmentId: assignment.id }));
    // A withdrawn reviewer can no longer add evidence or vote; re-assigning makes a new ACTIVE assignment.
    await expectRefused(claimId, 'FORBIDDEN', () =>
      mutate(app, desk.reviewer1.token, 'evidence', { claimId, kind: 'OTHER', title: 'late', stance: 'CONTEXT' }),
    );
    const again = ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer1.globalId] })).assignClaim;
    expect(again.assignments[0].id).not.toBe(assignment.id);
    expect((await claimState(app, desk.editor.token, claimId)).assignments.map((a) => a.state)).toEqual(['WITHDRAWN', 'ACTIVE']);
  });

  test('dismissing withdraws active assignments; cited evidence must be the claim’s own', async () => {
    const { id: claimId } = await createClaim(app, desk.editor.token, { articleId, quote: 'A third claim somewhere.' });
    const { id: otherId } = await createClaim(app, desk.editor.token, { articleId, quote: 'claim there' });
    const foreign = ok(await mutate(app, desk.editor.token, 'evidence', { claimId: otherId, kind: 'DATASET', title: 'Other data', stance: 'SUPPORTS' }))
      .addEvidence.evidence;
    ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer2.globalId] }));
    await expectRefused(claimId, 'BAD_USER_INPUT', () =>
      mutate(app, desk.reviewer2.token, 'verdict', {
        claimId,
        rating: 'TRUE',
        confidence: 'LOW',
        rationale: 'Cites another claim.',
        evidenceIds: [foreign.id],
      }),
    );
    await expectRefused(claimId, 'BAD_USER_INPUT', () => mutate(app, desk.editor.token, 'dismiss', { claimId, reason: '' }));
    ok(await mutate(app, desk.editor.token, 'dismiss', { claimId, reason: 'Not checkable.' }));
    const state = await claimState(app, desk.editor.token, claimId);
    expect(state.status).toBe('DISMISSED');
    expect(state.assignments.map((a) => a.state)).toEqual(['WITHDRAWN']);
    await expectRefused(claimId, 'CONFLICT', () => mutate(app, desk.editor.token, 'evidence', { claimId, kind: 'OTHER', title: 'late', stance: 'CONTEXT' }));
    await expectRefused(claimId, 'CONFLICT', () => mutate(app, desk.editor.token, 'dismiss', { claimId, reason: 'Twice.' }));
  });

  test('dismissing a PUBLISHED claim retracts its fact check in one step: one event, assignments withdrawn', async () => {
    const { id: claimId } = await createClaim(app, desk.editor.token, { articleId, quote: 'claim here' });
    ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer1.globalId, desk.reviewer2.globalId] }));
    ok(await mutate(app, desk.reviewer1.token, 'verdict', { claimId, rating: 'FALSE', confidence: 'HIGH', rationale: 'One verdict is enough here.' }));
    const published = ok(await mutate(app, desk.editor.token, 'publish', { claimId, rating: 'FALSE', summary: 'Not so.' })).publishFactCheck;
    expect(published.claim.status).toBe('PUBLISHED');
    // Reviewer 2 was still ACTIVE when the fact check went out; the retraction withdraws that too.
    expect((await claimState(app, desk.editor.token, claimId)).assignments.map((a) => a.state).sort()).toEqual(['ACTIVE', 'SUBMITTED']);
    const partnerView = 'query($id: ID!) { factCheck(id: $id) { id } }';
    expect(ok(await app.gql(partnerView, { id: published.factCheck.id }, desk.partner.token)).factCheck).toEqual({ id: published.factCheck.id });

    await expectRefused(claimId, 'CONFLICT', () =>
      mutate(app, desk.editor.token, 'dismiss', { claimId, reason: 'Stale.', expectedVersion: published.claim.version - 1 }),
    );
    const dismissed = ok(
      await mutate(app, desk.editor.token, 'dismiss', { claimId, reason: 'Retracted: the quote was misattributed.', expectedVersion: published.claim.version }),
    ).dismissClaim.claim;
    expect(dismissed).toMatchObject({ status: 'DISMISSED', version: published.claim.version + 1 });
    const state = await claimState(app, desk.editor.token, claimId);
    expect(state.assignments.map((a) => a.state).sort()).toEqual(['SUBMITTED', 'WITHDRAWN']);
    expect(state.history.slice(-2).map((h) => [h.type, h.fromStatus, h.toStatus, h.note])).toEqual([
      ['PUBLISHED', 'REVIEWED', 'PUBLISHED', 'FALSE'],
      ['DISMISSED', 'PUBLISHED', 'DISMISSED', 'Retracted: the quote was misattributed.'],
    ]);
    expect(state.version).toBe(state.history.length);
    expect(ok(await app.gql(partnerView, { id: published.factCheck.id }, desk.partner.token)).factCheck).toBeNull();
    await expectRefused(claimId, 'CONFLICT', () => mutate(app, desk.editor.token, 'dismiss', { claimId, reason: 'Twice.' }));
  });

  test('a mutation naming a claim that does not exist is NOT_FOUND', async () => {
    const missing = Buffer.from('Claim:00000000-0000-4000-8000-000000000000').toString('base64url');
    for (const [mutation, input] of [
      ['assign', { claimId: missing, reviewerIds: [desk.reviewer1.globalId] }],
      ['evidence', { claimId: missing, kind: 'OTHER', title: 'x', stance: 'CONTEXT' }],
      ['publish', { claimId: missing, rating: 'TRUE', summary: 'x' }],
      ['dismiss', { claimId: missing, reason: 'x' }],
      ['reopen', { claimId: missing, reason: 'x' }],
      ['update', { claimId: missing, priority: 'LOW' }],
    ] as const) {
      const response = await mutate(app, desk.editor.token, mutation, input);
      expect(response.errors?.[0]?.extensions, mutation).toMatchObject({ code: 'NOT_FOUND' });
    }
  });
});

describe('found by fuzzing', () => {
  test('a reviewer who has given this round’s verdict cannot be assigned again (one verdict per reviewer and round)', async () => {
    const articleId = ok(
      await app.gql(INGEST, { input: { url: 'https://news.example/reassign', title: 'R', body: 'Reassigned claim here.' } }, desk.editor.token),
    ).ingestArticle.article.id;
    const { id: claimId } = await createClaim(app, desk.editor.token, { articleId, quote: 'Reassigned claim here.', requiredVerdicts: 2 });
    ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer1.globalId] }));
    ok(await mutate(app, desk.reviewer1.token, 'verdict', { claimId, rating: 'TRUE', confidence: 'LOW', rationale: 'First.' }));
    await expectRefused(claimId, 'CONFLICT', () => mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer1.globalId] }));
    await expectRefused(claimId, 'CONFLICT', () =>
      mutate(app, desk.reviewer1.token, 'verdict', { claimId, rating: 'FALSE', confidence: 'LOW', rationale: 'Second.' }),
    );
    // In a new round the same reviewer may be assigned and vote again.
    ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer2.globalId] }));
    ok(await mutate(app, desk.reviewer2.token, 'verdict', { claimId, rating: 'FALSE', confidence: 'LOW', rationale: 'Disagree.' }));
    ok(await mutate(app, desk.editor.token, 'reopen', { claimId, reason: 'Again.' }));
    ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer1.globalId] }));
    ok(await mutate(app, desk.reviewer1.token, 'verdict', { claimId, rating: 'FALSE', confidence: 'HIGH', rationale: 'Round two.' }));
  });
});
