import type { ClaimantRecord } from '../../domain/claimants/record.js';
import type { PageFactCheck } from '../../domain/claimants/public-page.js';
import type { ClaimantRow } from '../../domain/records.js';
import { day, escapeHtml, scriptJson } from './html.js';

/** The public page of a claimant (its Claimant.url): who it is, its record, its published fact checks. */
export function renderClaimantPage(input: {
  claimant: ClaimantRow;
  record: ClaimantRecord;
  factChecks: PageFactCheck[];
  factCheckUrl: (id: string) => string;
  jsonLd: Record<string, unknown>;
  orgName: string;
}): string {
  const { claimant: c, record, factChecks, factCheckUrl, jsonLd, orgName } = input;
  const counts = record.byRating.map((r) => `<li>${escapeHtml(r.rating.replace(/_/g, ' ').toLowerCase())}: ${r.count}</li>`).join('');
  const items = factChecks
    .map(
      (fc) =>
        `<li><a href="${escapeHtml(factCheckUrl(fc.id))}">${escapeHtml(fc.claimReviewed)}</a> — <strong>${escapeHtml(fc.textualRating)}</strong>, <time datetime="${fc.publishedAt.toISOString()}">${day(fc.publishedAt)}</time></li>`,
    )
    .join('');
  const links = [
    ...(c.wikidataId ? [`<a href="https://www.wikidata.org/wiki/${escapeHtml(c.wikidataId)}" rel="nofollow noopener">Wikidata</a>`] : []),
    ...(c.website ? [`<a href="${escapeHtml(c.website)}" rel="nofollow noopener">${escapeHtml(c.website)}</a>`] : []),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(c.name)}: fact checks — ${escapeHtml(orgName)}</title>
<link rel="canonical" href="${escapeHtml(String(jsonLd.url))}">
<meta name="description" content="${escapeHtml(`Fact checks by ${orgName} of claims made by ${c.name}.`.slice(0, 300))}">
<script type="application/ld+json">${scriptJson(jsonLd)}</script>
</head>
<body>
<main>
<h1>${escapeHtml(c.name)}</h1>
${c.description ? `<p>${escapeHtml(c.description)}</p>` : ''}
${c.aliases.length ? `<p>Also known as: ${c.aliases.map(escapeHtml).join(', ')}</p>` : ''}
${links.length ? `<p>${links.join(' · ')}</p>` : ''}
<section><h2>Record</h2>
<p>${record.factChecks} published fact check${record.factChecks === 1 ? '' : 's'} of claims attributed to ${escapeHtml(c.name)}.</p>
${counts ? `<ul>${counts}</ul>` : ''}
<p><small>${escapeHtml(record.method)}</small></p>
</section>
${items ? `<section><h2>Fact checks</h2><ul>${items}</ul></section>` : ''}
</main>
</body>
</html>
`;
}
