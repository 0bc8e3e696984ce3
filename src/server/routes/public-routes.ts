/** Plain-HTTP routes beside /graphql: the public fact-check and claimant pages, the Google-compatible claim search, the corrections log and the CSV exports. */
import express, { type Request, type Response } from 'express';
import type { Database } from '../../db/connection.js';
import { createLoaders } from '../../db/loaders.js';
import { claimReviewOf } from '../../domain/fact-checks/claim-review-of.js';
import { claimantUrl, factCheckUrl, type ClaimReviewSettings } from '../../domain/fact-checks/schema-org-claim-review.js';
import { claimantJsonLd, publicClaimant } from '../../domain/claimants/public-page.js';
import { renderClaimantPage } from './claimant-page.js';
import { getPublishedFactCheck } from '../../domain/fact-checks/queries.js';
import { parseGlobalId, toGlobalId } from '../../domain/global-ids.js';
import type { AccessControl } from '../../domain/access/access-control.js';
import { requestDatabase, type ReadDatabases } from '../../domain/request-database.js';
import { renderFactCheckPage } from './fact-check-page.js';
import { csvExportRoutes } from './csv-exports.js';
import { googleClaimSearch } from './google-claim-search.js';
import type { Logger } from '../logger.js';
import { sendError } from '../http-errors.js';
import { organizationProfile } from '../../domain/organization/organization.js';
import { correctionsLogRoutes, correctionsLogUrl } from './corrections-log.js';

async function loadPage(db: Database, site: ClaimReviewSettings, globalId: string) {
  const parsed = parseGlobalId(globalId);
  if (!parsed || parsed.type !== 'FactCheck') return null;
  const fc = await getPublishedFactCheck(db, parsed.id);
  if (!fc) return null;
  const loaders = createLoaders(db);
  const [claimReview, appearances, publisher] = await Promise.all([
    claimReviewOf(loaders, site, fc, globalId, fc.article),
    loaders.appearancesByClaim.load(fc.claimId),
    organizationProfile(loaders, site),
  ]);
  return { fc, claimReview, appearances, loaders, publisher };
}

/** The pages are public (no viewer): partner reads, on the read replica when there is one. */
export function publicRoutes(reads: ReadDatabases, site: ClaimReviewSettings, access: AccessControl, logger: Logger) {
  const router = express.Router();
  const pages = () => requestDatabase({ reads }, null, 'partner-read');

  router.get('/fact-checks/:id.jsonld', async (req: Request<{ id: string }>, res) => {
    const page = await loadPage(pages(), site, req.params.id);
    if (!page) return sendError(req, res, 404, 'Fact check not found');
    res.set('cache-control', 'public, max-age=60').type('application/ld+json').send(JSON.stringify(page.claimReview));
  });

  router.get('/fact-checks/:id', async (req: Request<{ id: string }>, res) => {
    const db = pages();
    const page = await loadPage(db, site, req.params.id);
    if (!page) return sendError(req, res, 404, 'Fact check not found'); // HTML for browsers
    const corrections = await page.loaders.correctionsByFactCheck.load(page.fc.id);
    res
      .set('cache-control', 'public, max-age=60')
      .type('html')
      .send(
        renderFactCheckPage({
          factCheck: page.fc,
          article: page.fc.article,
          corrections,
          appearances: page.appearances,
          claimReview: page.claimReview,
          orgName: page.publisher.name,
          correctionsUrl: correctionsLogUrl(site),
        }),
      );
  });

  const claimantPage = async (req: Request<{ id: string }>, res: Response, as: 'html' | 'jsonld') => {
    const parsed = parseGlobalId(req.params.id);
    const db = pages();
    const loaders = createLoaders(db);
    const found = parsed?.type === 'Claimant' ? await publicClaimant(db, loaders, parsed.id) : null;
    if (!found) return sendError(req, res, 404, 'Claimant not found');
    // A merged claimant's address moved for good.
    if (found.kind === 'moved') return res.redirect(301, `${claimantUrl(site, toGlobalId('Claimant', found.to))}${as === 'jsonld' ? '.jsonld' : ''}`);
    const jsonLd = claimantJsonLd(found.claimant, claimantUrl(site, req.params.id));
    res.set('cache-control', 'public, max-age=60');
    if (as === 'jsonld') return res.type('application/ld+json').send(JSON.stringify(jsonLd));
    const factCheckUrlOf = (id: string) => factCheckUrl(site, toGlobalId('FactCheck', id));
    const { name: orgName } = await organizationProfile(loaders, site);
    res.type('html').send(renderClaimantPage({ ...found, factCheckUrl: factCheckUrlOf, jsonLd, orgName }));
  };
  router.get('/claimants/:id.jsonld', (req: Request<{ id: string }>, res) => claimantPage(req, res, 'jsonld'));
  router.get('/claimants/:id', (req: Request<{ id: string }>, res) => claimantPage(req, res, 'html'));

  router.get(/^\/v1alpha1\/claims:search$/, googleClaimSearch(reads, site, access));

  // The public corrections log: an HTML page (paged, older entries by ?after=) and its Atom feed.
  const log = correctionsLogRoutes(pages, site);
  router.get(/^\/corrections\.atom$/, log.atom);
  router.get(/^\/corrections$/, log.page);

  const exports = csvExportRoutes(reads, site, access, logger);
  router.get('/exports/claims.csv', exports.claims);
  router.get('/exports/fact-checks.csv', exports.factChecks);

  return router;
}
