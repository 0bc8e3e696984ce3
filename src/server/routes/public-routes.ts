/** Plain-HTTP routes beside /graphql: the public fact-check page, the Google-compatible claim search and the CSV exports. */
import express, { type Request } from 'express';
import type { Database } from '../../db/connection.js';
import { createLoaders } from '../../db/loaders.js';
import { buildClaimReview, type ClaimReviewSettings } from '../../domain/fact-checks/schema-org-claim-review.js';
import { getPublishedFactCheck } from '../../domain/fact-checks/queries.js';
import { parseGlobalId } from '../../domain/global-ids.js';
import type { AccessControl } from '../../domain/access/access-control.js';
import { requestDatabase, type ReadDatabases } from '../../domain/request-database.js';
import { renderFactCheckPage } from './fact-check-page.js';
import { csvExportRoutes } from './csv-exports.js';
import { googleClaimSearch } from './google-claim-search.js';
import type { Logger } from '../logger.js';
import { sendError } from '../http-errors.js';

async function loadPage(db: Database, site: ClaimReviewSettings, globalId: string) {
  const parsed = parseGlobalId(globalId);
  if (!parsed || parsed.type !== 'FactCheck') return null;
  const fc = await getPublishedFactCheck(db, parsed.id);
  if (!fc) return null;
  const loaders = createLoaders(db);
  const appearances = await loaders.appearancesByClaim.load(fc.claimId);
  const topics = await loaders.topicsByClaim.load(fc.claimId);
  const claimReview = buildClaimReview(site, { ...fc, publicId: globalId, appearances, topics });
  return { fc, claimReview, appearances, loaders };
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
          orgName: site.orgName,
        }),
      );
  });

  router.get(/^\/v1alpha1\/claims:search$/, googleClaimSearch(reads, site, access));

  const exports = csvExportRoutes(reads, site, access, logger);
  router.get('/exports/claims.csv', exports.claims);
  router.get('/exports/fact-checks.csv', exports.factChecks);

  return router;
}
