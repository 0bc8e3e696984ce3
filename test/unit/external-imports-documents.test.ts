/** Reading documents of ClaimReview markup into items, and each item into a review or a skip reason (src/domain/external-imports/). */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { documentItems, type DocumentItem } from '../../src/domain/external-imports/documents.js';
import { isUnder, reviewOf, reviewUrlOf, type ExternalReview } from '../../src/domain/external-imports/review.js';
import { DomainError } from '../../src/domain/coded-errors.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/claim-review/${name}`, import.meta.url), 'utf8');

/** Each item's review or its skip reason. */
function read(items: DocumentItem[]): (ExternalReview | string)[] {
  return items.map((item) => {
    const url = reviewUrlOf(item);
    if ('problem' in url) return url.problem;
    const outcome = reviewOf(item, url);
    return 'skip' in outcome ? outcome.skip : outcome.review;
  });
}

const badDocument = (text: string, contentType?: 'json' | 'html') => {
  try {
    documentItems(text, contentType);
  } catch (error) {
    return error instanceof DomainError ? [error.code, error.field] : error;
  }
  return 'no error';
};

describe('document forms', () => {
  test('a ClaimReview object: every field read, the URL normalised as the link lookup does, ratingValue placed on its range', () => {
    const [review] = read(documentItems(fixture('politifact-claim-review.json')));
    expect(review).toMatchObject({
      reviewUrl: 'https://www.politifact.com/factchecks/2024/jun/28/donald-trump/trump-falsely-says-biden-wants-to-quadruple-taxes/?utm_source=newsletter',
      reviewUrlNormalized: 'https://www.politifact.com/factchecks/2024/jun/28/donald-trump/trump-falsely-says-biden-wants-to-quadruple-taxes',
      publisherName: 'PolitiFact',
      publisherSite: 'https://www.politifact.com/',
      claimReviewed: 'Joe Biden "wants to quadruple your taxes."',
      claimant: 'Donald Trump',
      textualRating: 'Pants on Fire',
      textualRatingKey: 'pants on fire',
      ratingPosition: 0,
      language: 'en',
      publishedAt: new Date('2024-06-28T00:00:00Z'),
      appearanceUrls: [
        'https://www.youtube.com/watch?v=qqG96G8YdcE&t=1200',
        'https://www.cnn.com/2024/06/27/politics/read-biden-trump-debate-rush-transcript/index.html',
      ],
      appearanceUrlsNormalized: [
        'https://www.youtube.com/watch?t=1200&v=qqG96G8YdcE',
        'https://www.cnn.com/2024/06/27/politics/read-biden-trump-debate-rush-transcript/index.html',
      ],
    });
  });

  test('a list: each element an item, validated on its own', () => {
    const reviews = read(documentItems(fixture('afp-list.json')));
    expect(reviews.map((r) => (typeof r === 'string' ? r : r.textualRating))).toEqual(['Misleading', 'Faux', 'no reviewRating']);
    expect((reviews[0] as ExternalReview).ratingPosition).toBe(0.25); // "2" on "1".."5"
  });

  test('a DataFeed: the items of its dataFeedElement', () => {
    const reviews = read(documentItems(fixture('full-fact-data-feed.json')));
    expect(reviews.map((r) => (typeof r === 'string' ? r : r.reviewUrl))).toEqual([
      'https://fullfact.org/economy/labour-tax-rise-2000-claim/',
      'https://fullfact.org/health/nhs-waiting-list-7-million/',
      'url is not http(s)',
      'no publisher name',
    ]);
    expect(reviews[0]).toMatchObject({ language: 'en-GB', appearanceUrls: ['https://www.bbc.co.uk/iplayer/episode/m0020abc/the-leaders-debate'] });
  });

  test("a Fact Check Tools answer: each claimReview with its claim's text and claimant; a bare site becomes https://", () => {
    const reviews = read(documentItems(fixture('fact-check-tools.json')));
    expect(reviews).toHaveLength(4);
    expect(reviews[0]).toMatchObject({
      publisherName: 'Maldita.es',
      publisherSite: 'https://maldita.es',
      claimReviewed: 'Las vacunas contra el COVID-19 contienen grafeno',
      claimant: 'Publicaciones en redes sociales',
      textualRating: 'Falso',
      language: 'es',
      publishedAt: new Date('2021-07-02T10:00:00Z'),
      ratingPosition: null,
    });
    expect(reviews[2]).toMatchObject({ language: 'pt-BR', textualRatingKey: 'enganoso' });
    expect(reviews[3]).toBe('no textualRating');
    expect(documentItems('{}')).toEqual([]); // Google's answer when nothing matches
  });

  test('HTML: the JSON-LD blocks (also @graph), other nodes and broken blocks left out, other scripts ignored', () => {
    const reviews = read(documentItems(fixture('correctiv-page.html')));
    expect(reviews.map((r) => (typeof r === 'string' ? r : [r.textualRating, r.textualRatingKey]))).toEqual([
      ['Größtenteils falsch', 'grosstenteils falsch'],
      ['Irreführend', 'irrefuhrend'],
    ]);
    expect(documentItems(fixture('correctiv-page.html'), 'html')).toHaveLength(2);
  });

  test('anything else is BAD_USER_INPUT on document', () => {
    for (const text of ['{"@type": "NewsArticle"}', '"text"', '42', '{"claims": 1}', '{ not json', '<html><body>no markup</body></html>', '']) {
      expect(badDocument(text), text).toEqual(['BAD_USER_INPUT', 'document']);
    }
    expect(badDocument('<p>', 'json')).toEqual(['BAD_USER_INPUT', 'document']);
    expect(badDocument('<script type="application/ld+json">{"@type":"WebPage"}</script>')).toEqual(['BAD_USER_INPUT', 'document']);
    expect(badDocument('<script type="application/ld+json">{}</script>')).toEqual(['BAD_USER_INPUT', 'document']);
  });
});

describe('items', () => {
  const base = {
    '@type': 'ClaimReview',
    url: 'https://example.org/a',
    claimReviewed: 'A claim',
    author: { name: 'Example' },
    reviewRating: { alternateName: 'False' },
  };
  const one = (review: unknown) => read(documentItems(JSON.stringify([review])))[0];

  test('each reason', () => {
    expect(one({ ...base, url: undefined })).toBe('no url');
    expect(one({ ...base, url: 'javascript:alert(1)' })).toBe('url is not http(s)');
    expect(one({ ...base, claimReviewed: ' ' })).toBe('no claimReviewed');
    expect(one({ ...base, author: [{ '@type': 'Organization' }] })).toBe('no publisher name');
    expect(one({ ...base, author: undefined, publisher: { name: 'Pub' } })).toMatchObject({ publisherName: 'Pub' });
    expect(one({ ...base, reviewRating: undefined })).toBe('no reviewRating');
    expect(one({ ...base, reviewRating: { ratingValue: 1 } })).toBe('reviewRating has no alternateName');
    expect(one({ ...base, '@type': 'NewsArticle' })).toBe('not a ClaimReview');
    expect(one({ ...base, claimReviewed: 'nul\u0000' })).toBe('contains NUL characters or lone surrogates');
    expect(one({ ...base, claimReviewed: 'x'.repeat(5_001) })).toBe('claimReviewed is longer than 5,000 characters');
    let deep: unknown = 'leaf';
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(one({ ...base, extra: deep })).toBe('nested more than 32 levels deep');
    expect(one(7)).toBe('no url');
  });

  test('odd but valid markup: schema.org URL types, inLanguage objects, appearance strings, bad dates and languages ignored', () => {
    expect(
      one({
        ...base,
        '@type': ['https://schema.org/ClaimReview'],
        inLanguage: { '@type': 'Language', name: 'Spanish', alternateName: 'es' },
        datePublished: 'yesterday',
        itemReviewed: { appearance: 'https://example.com/post/1', firstAppearance: { url: 'not a url' } },
        reviewRating: { alternateName: 'False', ratingValue: 9, bestRating: 5, worstRating: 1 },
      }),
    ).toMatchObject({ language: 'es', publishedAt: null, appearanceUrls: ['https://example.com/post/1'], ratingPosition: null });
    expect(one({ ...base, inLanguage: 'English (US)' })).toMatchObject({ language: null });
  });

  test('the same content hashes the same; a change in what is stored changes the hash', () => {
    const hash = (review: unknown) => (one(review) as ExternalReview).contentHash;
    expect(hash(base)).toBe(hash({ ...base }));
    expect(hash(base)).not.toBe(hash({ ...base, reviewRating: { alternateName: 'Mostly false' } }));
  });

  test("the desk's own fact checks: under PUBLIC_BASE_URL, path boundaries respected", () => {
    expect(isUnder('https://desk.example/fact-checks/abc', 'https://desk.example')).toBe(true);
    expect(isUnder('https://desk.example', 'https://desk.example/')).toBe(true);
    expect(isUnder('https://desk.example/news/fact-checks/abc', 'https://desk.example/news')).toBe(true);
    expect(isUnder('https://desk.example/newsroom/abc', 'https://desk.example/news')).toBe(false);
    expect(isUnder('https://desk.example.org/fact-checks/abc', 'https://desk.example')).toBe(false);
    expect(isUnder('https://desk.example/a', '')).toBe(false);
  });
});

test('a URL whose normalised form (percent-encoded) is over 2,048 bytes is too long, as an appearance is left out', () => {
  const cjk = `https://checks.example/${'事'.repeat(600)}`; // 1,823 bytes as given, 5,423 percent-encoded
  const item = { form: 'claim-review' as const, review: { url: cjk } };
  expect(reviewUrlOf(item)).toEqual({ problem: 'url is longer than 2048 bytes', url: null });
  const review = {
    url: 'https://checks.example/a',
    claimReviewed: 'c',
    author: { name: 'p' },
    reviewRating: { alternateName: 'False' },
    itemReviewed: { appearance: [cjk, 'https://x.example/'] },
  };
  const url = reviewUrlOf({ form: 'claim-review', review });
  expect('normalized' in url && reviewOf({ form: 'claim-review', review }, url)).toMatchObject({ review: { appearanceUrls: ['https://x.example/'] } });
});
