// Other publishers' fact checks for `bench:search -- --external N`: N reviews as an import leaves
// them (external_fact_checks with their ClaimReview, external_fact_check_appearances), loaded with
// COPY. Claims are the news-like sentences of lib/text.mjs (Zipf-drawn words, so searches meet common
// and selective terms); publishers are Zipf-drawn too (a few large ones, a long tail), in five
// languages; each review lists 1 to 4 appearance URLs (a social post, a video, a blog, a news page),
// normalised by the project's own normaliser (dist/). Dates: published over eight years (5 % without
// a date); most were brought in by one bulk import, the rest by feeds over the following months.
import { createHash } from 'node:crypto';
import { DAY, EPOCH, loadUsers, makeUsers, RATINGS } from './dataset.mjs';
import { copyRows, withoutSecondaryIndexes } from './db.mjs';
import { makeRandom } from './random.mjs';
import * as text from './text.mjs';

const { normalizeLookupUrl } = await import('../../dist/src/model/lookup-url.js');
// Rated as an import rates them (the built-in rules), so that the server finds nothing to re-map.
const { ratingKey, ratingRules } = await import('../../dist/src/domain/external-imports/rating-rules.js');
const ratingOf = ratingRules([]);

const REVIEW_COLUMNS = [
  'id',
  'review_url',
  'review_url_normalized',
  'publisher_name',
  'publisher_site',
  'claim_reviewed',
  'claimant',
  'textual_rating',
  'textual_rating_key',
  'rating',
  'language',
  'published_at',
  'appearance_urls',
  'imported_at',
  'updated_at',
  'claim_review',
  'content_hash',
];
const APPEARANCE_COLUMNS = ['url_normalized', 'external_fact_check_id'];

/** [language, weight, labels by rating]: the publishers' own words, as their markup carries them. */
const LANGUAGES = [
  [
    'en',
    60,
    {
      FALSE: 'False',
      MOSTLY_FALSE: 'Mostly False',
      MISLEADING: 'Misleading',
      MIXED: 'Half True',
      MOSTLY_TRUE: 'Mostly True',
      TRUE: 'True',
      UNPROVEN: 'Unproven',
    },
  ],
  [
    'es',
    15,
    {
      FALSE: 'Falso',
      MOSTLY_FALSE: 'Mayormente falso',
      MISLEADING: 'Engañoso',
      MIXED: 'Medio verdadero',
      MOSTLY_TRUE: 'Mayormente verdadero',
      TRUE: 'Verdadero',
      UNPROVEN: 'Sin evidencia',
    },
  ],
  [
    'pt-BR',
    10,
    {
      FALSE: 'Falso',
      MOSTLY_FALSE: 'Distorcido',
      MISLEADING: 'Enganoso',
      MIXED: 'Impreciso',
      MOSTLY_TRUE: 'Verdadeiro, mas',
      TRUE: 'Verdadeiro',
      UNPROVEN: 'Insustentável',
    },
  ],
  [
    'fr',
    8,
    { FALSE: 'Faux', MOSTLY_FALSE: 'Plutôt faux', MISLEADING: 'Trompeur', MIXED: 'À nuancer', MOSTLY_TRUE: 'Plutôt vrai', TRUE: 'Vrai', UNPROVEN: 'Infondé' },
  ],
  [
    'de',
    7,
    {
      FALSE: 'Falsch',
      MOSTLY_FALSE: 'Größtenteils falsch',
      MISLEADING: 'Irreführend',
      MIXED: 'Teilweise falsch',
      MOSTLY_TRUE: 'Größtenteils richtig',
      TRUE: 'Richtig',
      UNPROVEN: 'Unbelegt',
    },
  ],
];
const APPEARANCE_HOSTS = ['social.example.net', 'video.example.org', 'forum.example.com', 'blog.example.io', 'news.example.com', 'chat.example.app'];

/** 150 publishers per language, most frequent first. */
function publishers(language) {
  return Array.from({ length: 150 }, (_, i) => ({
    name: `${language.toUpperCase()} Fact Desk ${i + 1}`,
    site: `https://factdesk${i + 1}.${language.toLowerCase()}.example`,
  }));
}

export async function loadExternalData(sql, { reviews, seed = 11 }, log) {
  const r = makeRandom(seed);
  const people = makeUsers(r);
  const byLanguage = Object.fromEntries(LANGUAGES.map(([language]) => [language, publishers(language)]));
  const bulkImport = EPOCH + 150 * DAY; // one bulk import of most reviews, within a few hours
  await withoutSecondaryIndexes(sql, ['external_fact_checks', 'external_fact_check_appearances'], async () => {
    await loadUsers(sql, people);
    const chunk = 20_000;
    for (let first = 0; first < reviews; first += chunk) {
      const out = { reviews: [], appearances: [] };
      for (let i = first; i < Math.min(reviews, first + chunk); i++) {
        const [language, , labels] = r.weighted(LANGUAGES.map((l) => [l, l[1]]));
        const publisher = r.zipf(byLanguage[language], 1.2);
        const topic = text.pickTopic(r);
        const claimant = text.claimantOf(r);
        const claim = text.sentence(r, topic);
        const textual = labels[r.weighted(RATINGS)];
        const rating = ratingOf({ textualRatingKey: ratingKey(textual), language, ratingPosition: null });
        const publishedAt = r.chance(0.05) ? null : new Date(EPOCH - 8 * 365 * DAY + r.int(8 * 365 * DAY));
        const importedAt = r.chance(0.7) ? new Date(bulkImport + r.int(4 * 3_600_000)) : new Date(bulkImport + r.int(180 * DAY));
        const reviewUrl = `${publisher.site}/${topic.name}/${i}-${r.int(1e9).toString(36)}`;
        const appearances = Array.from(
          { length: r.between(1, 4) },
          () => `https://${r.pick(APPEARANCE_HOSTS)}/${topic.name}/${r.pick(['status', 'watch', 'post', 'p'])}/${r.int(1e12).toString(36)}`,
        );
        const review = {
          '@context': 'https://schema.org',
          '@type': 'ClaimReview',
          url: reviewUrl,
          claimReviewed: claim,
          ...(publishedAt ? { datePublished: publishedAt.toISOString().slice(0, 10) } : {}),
          inLanguage: language,
          author: { '@type': 'Organization', name: publisher.name, url: publisher.site },
          reviewRating: { '@type': 'Rating', alternateName: textual },
          itemReviewed: {
            '@type': 'Claim',
            ...(claimant ? { author: { '@type': 'Person', name: claimant } } : {}),
            appearance: appearances.map((url) => ({ '@type': 'CreativeWork', url })),
          },
        };
        const json = JSON.stringify(review);
        const id = r.uuid();
        out.reviews.push([
          id,
          reviewUrl,
          normalizeLookupUrl(reviewUrl),
          publisher.name,
          publisher.site,
          claim,
          claimant,
          textual,
          ratingKey(textual),
          rating,
          language,
          publishedAt,
          `{${appearances.map((u) => `"${u}"`).join(',')}}`,
          importedAt,
          importedAt,
          json,
          createHash('sha256').update(json).digest('hex'),
        ]);
        for (const url of new Set(appearances.map(normalizeLookupUrl))) out.appearances.push([url, id]);
      }
      await copyRows(sql, 'external_fact_checks', REVIEW_COLUMNS, out.reviews);
      await copyRows(sql, 'external_fact_check_appearances', APPEARANCE_COLUMNS, out.appearances);
      const done = Math.min(reviews, first + chunk);
      if ((first / chunk) % 5 === 4 || done === reviews) log(`  loaded ${done}/${reviews} external fact checks`);
    }
  });
  // Every row is rated by the rules in force: the re-map that migration 0021 leaves pending has
  // nothing to do, and would otherwise read 1M rows in the background of the first measurement.
  await sql`update external_rating_remap set pending = false, after_id = null`;
}
