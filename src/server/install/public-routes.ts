import type express from 'express';
import type { ReadDatabases } from '../../domain/reads.js';
import type { ClaimReviewSettings } from '../../domain/fact-checks/schema-org-claim-review.js';
import type { AccessControl } from '../../domain/access/access-control.js';
import { publicRoutes } from '../public-routes.js';

/** The plain-HTTP routes beside /graphql: the fact-check pages and the Google-compatible search. */
export function installPublicRoutes(app: express.Express, reads: ReadDatabases, site: ClaimReviewSettings, access: AccessControl) {
  app.use(publicRoutes(reads, site, access));
}
