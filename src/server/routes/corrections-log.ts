/**
 * The public corrections log (docs/design.md, Corrections and transparency): `GET /corrections`, an
 * HTML page of 50 entries, newest first, with a link to the older ones (`?after=<cursor>`), and
 * `GET /corrections.atom`, the newest 50 as Atom 1.0 (RFC 4287), written by the `feed` library.
 * Both are public partner reads (the read replica when there is one), read through the same domain
 * function as Query.corrections. A retraction shows its public note and links nowhere: its fact
 * check's page answers 404.
 */
import type { Request, RequestHandler } from 'express';
import { Feed } from 'feed';
import { createLoaders, type Database } from '../../domain/data-access.js';
import { DomainError } from '../../domain/coded-errors.js';
import { correctionLogPage, LOG_PAGE_SIZE, type CorrectionLogEntry } from '../../domain/corrections/log.js';
import { factCheckUrl, type ClaimReviewSettings } from '../../domain/fact-checks/schema-org-claim-review.js';
import { toGlobalId } from '../../domain/global-ids.js';
import { organizationProfile, type OrganizationProfile } from '../../domain/organization/organization.js';
import { sendError } from '../http-errors.js';
import { day, escapeHtml } from './html.js';
import { queryPairs } from './query-string.js';

export const correctionsLogUrl = (site: ClaimReviewSettings) => `${site.publicBaseUrl}/corrections`;
const feedUrl = (site: ClaimReviewSettings) => `${site.publicBaseUrl}/corrections.atom`;

class BadParameter extends Error {}

/** `after` from the query string, once at most; other parameters (a shared link's utm_…) are ignored. */
function afterParameter(req: Request): string | null {
  const rawQuery = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
  let after: string | null = null;
  for (const [name, value] of queryPairs(rawQuery, (_what, message) => new BadParameter(message))) {
    if (name !== 'after') continue;
    if (after !== null) throw new BadParameter('after is given more than once');
    after = value;
  }
  return after;
}

const KIND_WORD = { CORRECTED: 'Corrected', RETRACTED: 'Retracted' } as const;

/** What a rating did, in words: a correction's before and after, a retraction's withdrawn rating. */
function ratingLine(e: CorrectionLogEntry): string {
  if (e.kind === 'RETRACTED') return `Withdrawn rating: ${e.previousTextualRating}.`;
  return e.previousRating === e.rating && e.previousTextualRating === e.textualRating
    ? `Rating unchanged: ${e.textualRating}.`
    : `Rating: was ${e.previousTextualRating}, now ${e.textualRating}.`;
}

/** A visible fact check's page; none once retracted (that page is 404). */
const linkOf = (site: ClaimReviewSettings, e: CorrectionLogEntry) => (e.visible ? factCheckUrl(site, toGlobalId('FactCheck', e.factCheck.id)) : null);

export function renderCorrectionsPage(input: {
  entries: readonly CorrectionLogEntry[];
  publisher: OrganizationProfile;
  site: ClaimReviewSettings;
  /** The older entries' page, if there are more. */
  olderUrl: string | null;
  firstPage: boolean;
}): string {
  const { entries, publisher, site, olderUrl, firstPage } = input;
  const items = entries
    .map((e) => {
      const link = linkOf(site, e);
      const claim = link ? `<a href="${escapeHtml(link)}">${escapeHtml(e.factCheck.claimReviewed)}</a>` : escapeHtml(e.factCheck.claimReviewed);
      return `<li><p><time datetime="${e.at.toISOString()}">${day(e.at)}</time> · <strong>${KIND_WORD[e.kind]}</strong> · ${claim}</p><p>${escapeHtml(e.note)}</p><p>${escapeHtml(ratingLine(e))}</p></li>`;
    })
    .join('\n');
  const policy = publisher.correctionsPolicy ? ` <a href="${escapeHtml(publisher.correctionsPolicy)}">Our corrections policy</a>.` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Corrections and retractions — ${escapeHtml(publisher.name)}</title>
${firstPage ? `<link rel="canonical" href="${escapeHtml(correctionsLogUrl(site))}">\n` : ''}<link rel="alternate" type="application/atom+xml" title="${escapeHtml(`${publisher.name}: corrections and retractions`)}" href="${escapeHtml(feedUrl(site))}">
<meta name="description" content="${escapeHtml(`Every correction and retraction of a fact check published by ${publisher.name}, newest first.`.slice(0, 300))}">
</head>
<body>
<main>
<h1>Corrections and retractions</h1>
<p>Every correction and retraction of a fact check published by <a href="${escapeHtml(publisher.url)}">${escapeHtml(publisher.name)}</a>, newest first.${policy} Also as an <a href="${escapeHtml(feedUrl(site))}">Atom feed</a>.</p>
${entries.length ? `<ol>\n${items}\n</ol>` : `<p>${firstPage ? 'No fact check has been corrected or retracted.' : 'No older entries.'}</p>`}
${olderUrl ? `<nav><a rel="next" href="${escapeHtml(olderUrl)}">Older entries</a></nav>` : ''}
</main>
</body>
</html>
`;
}

/** XML 1.0 allows no C0 control character but tab, LF and CR, nor U+FFFE/U+FFFF; such a character in a note is shown as U+FFFD. */
// eslint-disable-next-line no-control-regex -- these very characters are what it replaces
const xmlText = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
/** Entry titles and contents are `type="html"`: escaped HTML, so that the text reads as written. */
const htmlText = (s: string) => escapeHtml(xmlText(s));

export function renderCorrectionsFeed(input: { entries: readonly CorrectionLogEntry[]; publisher: OrganizationProfile; site: ClaimReviewSettings }): string {
  const { entries, publisher, site } = input;
  const feed = new Feed({
    // A permanent IRI of the feed (RFC 4287 4.2.6): the log's own address.
    id: correctionsLogUrl(site),
    title: xmlText(`${publisher.name}: corrections and retractions`),
    description: xmlText(`Every correction and retraction of a fact check published by ${publisher.name}, newest first.`),
    link: correctionsLogUrl(site),
    feed: feedUrl(site),
    // The newest entry's time; an empty log never changed.
    updated: entries[0]?.at ?? new Date(0),
    author: { name: xmlText(publisher.name), link: publisher.url },
    ...(publisher.logo ? { image: publisher.logo } : {}),
    generator: false,
  });
  for (const e of entries) {
    const link = linkOf(site, e);
    feed.addItem({
      // Unique and permanent: the correction's or retraction's own row.
      id: `urn:uuid:${e.id}`,
      title: htmlText(`${KIND_WORD[e.kind]}: ${e.factCheck.claimReviewed}`),
      // A retraction (or a correction of a fact check retracted since) has no alternate link: see below.
      link: link ?? (undefined as unknown as string),
      date: e.at,
      published: e.at,
      content: `<p>${htmlText(e.note)}</p><p>${htmlText(ratingLine(e))}</p>`,
    });
  }
  // The library writes an entry's link always, as `<link/>` when it has none: an atom:link must have
  // an href, so such an element is left out (the entry has its content, as RFC 4287 4.1.1 asks of an
  // entry without an alternate link).
  return feed.atom1().replace(/\n[ \t]*<link\/>/g, '');
}

/** The two routes, reading from `database()` (the partner-read database) per request. */
export function correctionsLogRoutes(database: () => Database, site: ClaimReviewSettings): { page: RequestHandler; atom: RequestHandler } {
  const read = async (after: string | null) => {
    const db = database();
    const [log, publisher] = await Promise.all([correctionLogPage(db, { first: LOG_PAGE_SIZE, after }), organizationProfile(createLoaders(db), site)]);
    return { log, publisher };
  };
  return {
    page: async (req, res) => {
      let found: Awaited<ReturnType<typeof read>>;
      let after: string | null = null;
      try {
        after = afterParameter(req) || null;
        found = await read(after);
      } catch (error) {
        if (error instanceof BadParameter || (error instanceof DomainError && error.code === 'BAD_USER_INPUT')) return sendError(req, res, 400, error.message);
        throw error;
      }
      const { log, publisher } = found;
      const olderUrl = log.hasNextPage ? `${correctionsLogUrl(site)}?after=${encodeURIComponent(log.cursors.at(-1)!)}` : null;
      res
        .set('cache-control', 'public, max-age=60')
        .type('html')
        .send(renderCorrectionsPage({ entries: log.nodes, publisher, site, olderUrl, firstPage: after === null }));
    },
    atom: async (_req, res) => {
      const { log, publisher } = await read(null);
      res
        .set('cache-control', 'public, max-age=60')
        .type('application/atom+xml')
        .send(renderCorrectionsFeed({ entries: log.nodes, publisher, site }));
    },
  };
}
