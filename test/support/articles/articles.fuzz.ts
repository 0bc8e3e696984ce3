/** Fuzzed operations on articles (src/domain/articles/articles.ts): ingesting them, and listing them with their claims and claim suggestions. */
import fc from 'fast-check';
import { LIMITS } from '../../../src/domain/validation.js';
import { cursor, first, input } from '../fuzz/arbitraries.js';
import { EDITORS, EDITORS_MOSTLY, from, STAFF, type Families } from '../fuzz/family.js';
import { articles, Lazy, pick, remember } from '../fuzz/world.js';
import { dateTime, int, languageTag, mostly, NASTY_STRINGS, optionalText, text, url } from '../hostile-input.js';

/** Article bodies to ingest: prose in several scripts, with emoji before the interesting parts. */
export const BODIES = [
  'Breaking 👍🏽: the café said “prices rose 12%” — naïve readers 🇮🇱 believed it. Later, prices rose 12% again.',
  'قال المتحدث إن المساعدات "تُسرق بشكل روتيني". The spokesman said aid is "routinely stolen". הדובר הכחיש זאת.',
  'Family 👩‍👩‍👧‍👦 photos; combining e\u0301 accents; 𝕄𝕒𝕥𝕙 letters; 数据显示，援助物资被劫持。 Repeat. Repeat. Repeat.',
  'Unemployment fell to 3.4%, the lowest level since 1969, the minister said on Tuesday.',
];
/** Not a body: blank, NUL, lone surrogates, one code point over the limit (in ASCII and in emoji), not a string. */
const hostileBody = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.constantFrom('x'.repeat(LIMITS.body + 1), '😀'.repeat(LIMITS.body + 1)),
  fc.constantFrom<unknown>(null, 5, ['body']),
);

/** Article families, keyed by root field. */
export const articleFamilies = {
  ingestArticle: {
    weight: 2,
    document: 'mutation($i: IngestArticleInput!) { ingestArticle(input: $i) { created article { id url title body language publisher author publishedAt } } }',
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({
      url: fc.oneof({ weight: 6, arbitrary: url }, { weight: 1, arbitrary: fc.nat().map((i) => new Lazy(() => pick(articles, i)!.url)) }),
      title: text(LIMITS.title),
      body: mostly(fc.constantFrom(...BODIES), hostileBody),
      publisher: optionalText(LIMITS.short),
      author: optionalText(LIMITS.short),
      publishedAt: fc.oneof(fc.constant(undefined), dateTime),
      language: languageTag,
    }),
    harvest: ({ article }) => {
      if (!articles.some((a) => a.id === article.id)) articles.push({ id: article.id, url: article.url, body: article.body });
      remember('article', article.id);
    },
  },
  articles: {
    weight: 1,
    document: `query($first: Int, $after: String, $claims: Int, $suggestions: Int) {
      articles(first: $first, after: $after) { totalCount pageInfo { endCursor } edges { node { id claims(first: $claims) { totalCount pageInfo { endCursor } }
      claimSuggestions(limit: $suggestions) { quote span { start end } score } } } } }`,
    roles: STAFF,
    principal: from({ editor: 3, reviewer1: 2 }),
    variables: fc.record({ first: fc.oneof(fc.constant(3), first), after: cursor, claims: first, suggestions: fc.oneof(fc.constant(undefined), int(1, 50)) }),
    harvest: (connection) => remember('cursor', connection.pageInfo.endCursor),
  },
} satisfies Families;
