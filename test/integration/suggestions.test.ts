import { afterAll, beforeAll, expect, test } from 'vitest';
import { codes, ok, type TestApp } from '../support/app.js';
import { createClaim, ingestArticle, SEED_BODY, type Desk, startDeskApp } from '../support/factories.js';

let app: TestApp;
let desk: Desk;
let articleId: string;
beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
  articleId = (await ingestArticle(app, desk.editor.token)).id;
});
afterAll(() => app?.stop());

const SUGGESTIONS = 'query($id: ID!, $limit: Int) { article(id: $id) { body claimSuggestions(limit: $limit) { quote span { start end } score reasons } } }';

test('the seed article: the sentences a desk would check come first, with exact code-point spans', async () => {
  const { article } = ok(await app.gql(SUGGESTIONS, { id: articleId, limit: 5 }, desk.reviewer1.token));
  const quotes = article.claimSuggestions.map((s: any) => s.quote).join('\n');
  expect(quotes).toContain('has been routinely hijacked by Hamas terrorists');
  expect(quotes).toContain('is apparently holding Israel responsible');
  expect(quotes).toContain('the reason for Blinken’s statement is unclear');
  expect(quotes).not.toContain('Gallant is set to meet Tuesday afternoon at the Pentagon');
  expect(quotes).not.toContain('Later in the day the minister will meet with members of Congress');
  for (const s of article.claimSuggestions) {
    expect(Array.from(SEED_BODY).slice(s.span.start, s.span.end).join('')).toBe(s.quote);
    expect(s.score).toBeGreaterThanOrEqual(0);
    expect(s.score).toBeLessThanOrEqual(1);
    expect(s.reasons.length).toBeGreaterThan(0);
  }
  const scores = article.claimSuggestions.map((s: any) => s.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
});

test('sentences already covered by a claim are left out', async () => {
  await createClaim(app, desk.editor.token, { articleId, quote: 'has been routinely hijacked by Hamas terrorists' });
  const { article } = ok(await app.gql(SUGGESTIONS, { id: articleId, limit: 50 }, desk.editor.token));
  expect(article.claimSuggestions.some((s: any) => s.quote.includes('routinely hijacked'))).toBe(false);
  expect(article.claimSuggestions.some((s: any) => s.quote.includes('reason for Blinken’s statement'))).toBe(true);
});

test('staff only; limit is validated', async () => {
  const partner = await app.gql('query($id: ID!) { article(id: $id) { claimSuggestions { quote } } }', { id: articleId }, desk.partner.token);
  expect(codes(partner)).toEqual(['FORBIDDEN']);
  const bad = await app.gql(SUGGESTIONS, { id: articleId, limit: 0 }, desk.editor.token);
  expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'limit' });
});

test('a suggestion after a leading emoji starts at the sentence, at code-point offsets a claim can be created from', async () => {
  const body = '🚨🇮🇱 The mayor said crime fell by 30% since 2020.';
  const { id } = await ingestArticle(app, desk.editor.token, { body });
  const { article } = ok(await app.gql(SUGGESTIONS, { id, limit: 5 }, desk.editor.token));
  const quote = 'The mayor said crime fell by 30% since 2020.';
  // 🚨 is one code point, 🇮🇱 two, then a space; in UTF-16 that would be 7 units.
  expect(article.claimSuggestions.map((s: any) => [s.quote, s.span])).toEqual([[quote, { start: 4, end: 4 + Array.from(quote).length }]]);
  expect(article.claimSuggestions[0].reasons).not.toContain('causal claim');
  const claim = await createClaim(app, desk.editor.token, { articleId: id, quote, span: article.claimSuggestions[0].span });
  expect(claim.span).toEqual(article.claimSuggestions[0].span);
});
