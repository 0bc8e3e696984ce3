// Published fact checks for the search bench: N claims (ten per article, quoted at valid spans),
// each PUBLISHED with its fact check. Cheaper than the main data set: no review trail, just the
// CREATED and PUBLISHED events (set-based SQL), so version = number of events still holds. A third
// of the claims have one recorded appearance elsewhere (the link lookup's data); articles carry
// their normalised URL, computed by the project's own normaliser (dist/, built by `npm run bench`).
// Appearances are rows without their APPEARANCE_ADDED event, as if recorded before publication by
// a tool outside the API; the lookup reads only the rows.
import { COLUMNS, DAY, EPOCH, loadUsers, makeUsers, publishedLabel, RATINGS, shuffle } from './dataset.mjs';
import { copyRows, withoutSecondaryIndexes } from './db.mjs';
import { makeRandom } from './random.mjs';
import * as text from './text.mjs';

const { normalizeLookupUrl } = await import('../../dist/src/model/lookup-url.js');
const ARTICLE_COLUMNS = [...COLUMNS.articles, 'url_normalized'];
const APPEARANCE_COLUMNS = ['id', 'claim_id', 'url', 'url_normalized', 'appeared_at', 'archived_url', 'first_appearance', 'added_by', 'created_at'];
const SOCIAL_HOSTS = ['social.example.net', 'video.example.org', 'forum.example.com', 'blog.example.io'];

const CLAIMS_PER_ARTICLE = 10;

export async function loadSearchData(sql, { factChecks, seed = 7 }, log) {
  const r = makeRandom(seed);
  const people = makeUsers(r);
  const articles = Math.ceil(factChecks / CLAIMS_PER_ARTICLE);
  const step = (2 * 365 * DAY) / factChecks; // two years of publishing
  await withoutSecondaryIndexes(sql, ['articles', 'claims', 'fact_checks', 'claim_events', 'claim_appearances'], async () => {
    await loadUsers(sql, people);
    const chunk = 2_000; // articles per COPY batch
    for (let first = 0; first < articles; first += chunk) {
      const out = { articles: [], claims: [], fact_checks: [], claim_appearances: [] };
      for (let a = first; a < Math.min(articles, first + chunk); a++) {
        const art = text.article(r, r.between(CLAIMS_PER_ARTICLE, 14));
        const articleId = r.uuid();
        const editor = r.pick(people.editors);
        const ingestedAt = EPOCH - 2 * 365 * DAY + a * CLAIMS_PER_ARTICLE * step;
        const url = `https://news.example.com/${art.topic.name}/${a}-${r.int(1e9).toString(36)}`;
        out.articles.push([
          articleId,
          url,
          art.title,
          art.body,
          art.publisher,
          art.author,
          new Date(ingestedAt - 3_600_000),
          'en',
          editor.id,
          new Date(ingestedAt),
          normalizeLookupUrl(url),
        ]);
        for (const span of shuffle(r, [...art.spans]).slice(0, CLAIMS_PER_ARTICLE)) {
          const claimant = text.claimantOf(r);
          const statement = text.statementOf(span.text, claimant);
          const createdAt = new Date(ingestedAt + r.int(step));
          const publishedAt = new Date(createdAt.getTime() + r.between(1, 72) * 3_600_000);
          const claimId = r.uuid();
          const rating = r.weighted(RATINGS);
          out.claims.push([
            claimId,
            articleId,
            span.text,
            span.start,
            span.end,
            statement,
            claimant,
            'NORMAL',
            1,
            null,
            'PUBLISHED',
            1,
            false,
            1,
            2,
            editor.id,
            createdAt,
            publishedAt,
          ]);
          out.fact_checks.push([
            r.uuid(),
            claimId,
            articleId,
            statement,
            span.text,
            claimant,
            'en',
            rating,
            text.summary(r, art.topic, rating),
            editor.id,
            publishedAt,
            publishedAt,
            null,
            ...publishedLabel(rating),
          ]);
          if (r.int(3) === 0) {
            const appearance = `https://${r.pick(SOCIAL_HOSTS)}/${art.topic.name}/status/${r.int(1e12).toString(36)}`;
            out.claim_appearances.push([
              r.uuid(),
              claimId,
              appearance,
              normalizeLookupUrl(appearance),
              new Date(createdAt.getTime() - 3_600_000),
              null,
              r.int(2) === 0,
              editor.id,
              createdAt,
            ]);
          }
        }
      }
      await copyRows(sql, 'articles', ARTICLE_COLUMNS, out.articles);
      for (const table of ['claims', 'fact_checks']) await copyRows(sql, table, COLUMNS[table], out[table]);
      await copyRows(sql, 'claim_appearances', APPEARANCE_COLUMNS, out.claim_appearances);
      const done = Math.min(articles, first + chunk) * CLAIMS_PER_ARTICLE;
      if ((first / chunk) % 10 === 9) log(`  loaded ${done}/${factChecks} fact checks`);
    }
    await sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`; // consistent by construction: skip FK triggers
      await tx`
      insert into claim_events (claim_id, actor_id, type, from_status, to_status, version, at)
      select id, created_by, 'CREATED'::claim_event_type, null::claim_status, 'OPEN'::claim_status, 1, created_at from claims
      union all
      select claim_id, published_by, 'PUBLISHED', 'OPEN', 'PUBLISHED', 2, published_at from fact_checks`;
    });
  });
}
