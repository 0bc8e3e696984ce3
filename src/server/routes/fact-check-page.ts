import type { ArticleRow, ClaimAppearanceRow, CorrectionRow, FactCheckRow } from '../../db/schema.js';
import { day, escapeHtml, scriptJson } from './html.js';

/** The published page a ClaimReview's `url` points at: readable by people and crawlers, public. */
export function renderFactCheckPage(input: {
  factCheck: FactCheckRow;
  article: ArticleRow;
  corrections: CorrectionRow[];
  /** In their order (first appearance first). */
  appearances: Pick<ClaimAppearanceRow, 'url' | 'appearedAt' | 'archivedUrl' | 'firstAppearance'>[];
  claimReview: Record<string, unknown>;
  orgName: string;
  /** The public corrections log (GET /corrections), linked from the Corrections section. */
  correctionsUrl: string;
}): string {
  const { factCheck: fc, article, corrections, appearances, claimReview, orgName, correctionsUrl } = input;
  const rating = fc.textualRating;
  const correctionItems = corrections
    .map((c) => `<li><time datetime="${c.at.toISOString()}">${day(c.at)}</time>: ${escapeHtml(c.note)} (was: ${escapeHtml(c.previousTextualRating)})</li>`)
    .join('');
  const appearanceItems = appearances
    .map(
      (a) =>
        `<li><a href="${escapeHtml(a.url)}" rel="nofollow noopener">${escapeHtml(a.url)}</a>${a.appearedAt ? `, <time datetime="${a.appearedAt.toISOString()}">${day(a.appearedAt)}</time>` : ''}${a.firstAppearance ? ' (first appearance)' : ''}${a.archivedUrl ? ` (<a href="${escapeHtml(a.archivedUrl)}" rel="nofollow noopener">archived copy</a>)` : ''}</li>`,
    )
    .join('');
  const updated = fc.updatedAt.getTime() > fc.publishedAt.getTime();
  return `<!doctype html>
<html lang="${escapeHtml(fc.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fact check: ${escapeHtml(fc.claimReviewed)} — ${escapeHtml(orgName)}</title>
<link rel="canonical" href="${escapeHtml(String(claimReview.url))}">
<meta name="description" content="${escapeHtml(`${rating}. ${fc.summary}`.slice(0, 300))}">
<script type="application/ld+json">${scriptJson(claimReview)}</script>
</head>
<body>
<main>
<article>
<p>${escapeHtml(orgName)} · Fact check · published <time datetime="${fc.publishedAt.toISOString()}">${day(fc.publishedAt)}</time>${updated ? `, updated <time datetime="${fc.updatedAt.toISOString()}">${day(fc.updatedAt)}</time>` : ''}</p>
<h1>${escapeHtml(fc.claimReviewed)}</h1>
<p><strong>Rating: ${escapeHtml(rating)}</strong></p>
<blockquote>“${escapeHtml(fc.quote)}”${fc.claimant ? ` — ${escapeHtml(fc.claimant)}` : ''}</blockquote>
<p>Source: <a href="${escapeHtml(article.url)}" rel="nofollow noopener">${escapeHtml(article.title)}</a>${article.publisher ? `, ${escapeHtml(article.publisher)}` : ''}</p>
<section><h2>Our findings</h2><p>${escapeHtml(fc.summary)}</p></section>
${appearances.length ? `<section><h2>Where the claim also appeared</h2><ul>${appearanceItems}</ul></section>` : ''}
${corrections.length ? `<section><h2>Corrections</h2><ul>${correctionItems}</ul><p><a href="${escapeHtml(correctionsUrl)}">Every correction and retraction by ${escapeHtml(orgName)}</a></p></section>` : ''}
</article>
</main>
</body>
</html>
`;
}

export const notFoundPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head><body><h1>Fact check not found</h1><p>It does not exist or is no longer published.</p></body></html>\n`;
