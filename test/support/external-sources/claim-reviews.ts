/** Other publishers' ClaimReview markup as it is published: full schema.org objects, in a DataFeed. */

export interface ReviewOptions {
  site?: string;
  publisher?: string;
  rating?: string;
  ratingValue?: number;
  language?: string;
}

export function claimReview(n: number, options: ReviewOptions = {}) {
  const site = options.site ?? 'https://checks.example.org';
  return {
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    url: `${site}/fact-checks/${n}-wind-turbines-and-bird-deaths`,
    claimReviewed: `Wind turbines kill ${n} million birds every year in Germany alone (${n})`,
    author: { '@type': 'Organization', name: options.publisher ?? 'Checks Example', url: site },
    reviewRating: {
      '@type': 'Rating',
      alternateName: options.rating ?? 'False',
      ratingValue: options.ratingValue ?? 1,
      bestRating: 5,
      worstRating: 1,
    },
    itemReviewed: {
      '@type': 'Claim',
      author: { '@type': 'Person', name: 'A. Politician' },
      datePublished: '2026-10-01',
      appearance: [{ '@type': 'CreativeWork', url: `https://social.example/posts/${n}` }],
    },
    datePublished: '2026-10-03T09:00:00Z',
    inLanguage: options.language ?? 'en',
  };
}

/** A schema.org DataFeed of the reviews (the form Google's Fact Check Markup Tool exports). */
export function dataFeed(reviews: object[]): string {
  return JSON.stringify({
    '@context': 'https://schema.org',
    '@type': 'DataFeed',
    dateModified: '2026-10-04T00:00:00Z',
    dataFeedElement: reviews.map((item) => ({ '@type': 'DataFeedItem', dateCreated: '2026-10-03T09:00:00Z', item })),
  });
}
