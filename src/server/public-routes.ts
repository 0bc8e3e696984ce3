/** Plain-HTTP routes beside /graphql: the public fact-check page and the Google-compatible claim search. */
import express, { type Request, type Response } from 'express';
import type { DatabaseHandle } from '../db/connection.js';
import { createLoaders } from '../db/loaders.js';
import { buildClaimReview, type ClaimReviewSettings } from '../domain/claim-review.js';
import { DomainError } from '../domain/errors.js';
import { getPublishedFactCheck, listFactChecks } from '../domain/fact-checks.js';
import { parseGoogleSearch, toGoogleClaim } from '../domain/google-claim-search.js';
import { parseGlobalId, toGlobalId } from '../graphql/ids.js';
import { authenticateRequest, bearerToken } from './context.js';
import type { AccessControl } from '../domain/access/access-control.js';
import { notFoundPage, renderFactCheckPage } from './fact-check-page.js';

async function loadPage(database: DatabaseHandle, site: ClaimReviewSettings, globalId: string) {
  const parsed = parseGlobalId(globalId);
  if (!parsed || parsed.type !== 'FactCheck') return null;
  const fc = await getPublishedFactCheck(database.db, parsed.id);
  if (!fc) return null;
  const claimReview = buildClaimReview(site, { ...fc, rating: fc.rating, publicId: globalId });
  return { fc, claimReview };
}

/** Google's error envelope: { error: { code, message, status } }. */
function googleError(res: Response, code: number, status: string, message: string) {
  res.status(code).json({ error: { code, message, status } });
}

export function publicRoutes(database: DatabaseHandle, site: ClaimReviewSettings, access: AccessControl) {
  const router = express.Router();

  router.get('/fact-checks/:id.jsonld', async (req: Request<{ id: string }>, res) => {
    const page = await loadPage(database, site, req.params.id);
    if (!page) return void res.status(404).type('application/ld+json').json({ error: 'Fact check not found' });
    res.set('cache-control', 'public, max-age=60').type('application/ld+json').send(JSON.stringify(page.claimReview));
  });

  router.get('/fact-checks/:id', async (req: Request<{ id: string }>, res) => {
    const page = await loadPage(database, site, req.params.id);
    if (!page) return void res.status(404).type('html').send(notFoundPage);
    const corrections = await createLoaders(database.db).correctionsByFactCheck.load(page.fc.id);
    res
      .set('cache-control', 'public, max-age=60')
      .type('html')
      .send(renderFactCheckPage({ factCheck: page.fc, article: page.fc.article, corrections, claimReview: page.claimReview, orgName: site.orgName }));
  });

  router.get(/^\/v1alpha1\/claims:search$/, async (req, res) => {
    const key = typeof req.query.key === 'string' ? req.query.key : null;
    const token = bearerToken(req.headers) ?? key;
    const auth = await authenticateRequest(access, token, req.ip ?? 'unknown', res);
    if ('refusal' in auth && auth.refusal === 'TOO_MANY_REQUESTS') return googleError(res, 429, 'RESOURCE_EXHAUSTED', auth.message);
    const viewer = 'viewer' in auth ? auth.viewer : null;
    if (!viewer) return googleError(res, 401, 'UNAUTHENTICATED', 'refusal' in auth ? auth.message : 'A valid API key (Authorization: Bearer <token> or ?key=) is required');
    try {
      const request = parseGoogleSearch(req.query as Record<string, unknown>, site);
      if (request.otherPublisher) return void res.json({});
      const page = await listFactChecks(database.db, viewer, { filter: request.filter, first: request.first, after: request.after });
      const loaders = createLoaders(database.db);
      const articles = await Promise.all(page.nodes.map((fc) => loaders.article.load(fc.articleId)));
      const claims = page.nodes.map((fc, i) => toGoogleClaim(site, { ...fc, publicId: toGlobalId('FactCheck', fc.id), article: articles[i]! }));
      res.json({ ...(claims.length ? { claims } : {}), ...(page.hasNextPage ? { nextPageToken: page.cursors.at(-1) } : {}) });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'BAD_USER_INPUT') return googleError(res, 400, 'INVALID_ARGUMENT', error.message);
      if (error instanceof DomainError && error.code === 'FORBIDDEN') return googleError(res, 403, 'PERMISSION_DENIED', error.message);
      throw error;
    }
  });

  return router;
}
