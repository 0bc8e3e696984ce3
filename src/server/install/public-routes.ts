import type express from 'express';
import type { ReadDatabases } from '../../domain/request-database.js';
import type { ClaimReviewSettings } from '../../domain/fact-checks/schema-org-claim-review.js';
import type { AccessControl } from '../../domain/access/access-control.js';
import type { Logger } from '../logger.js';
import { publicRoutes } from '../routes/public-routes.js';

/** The plain-HTTP routes beside /graphql: the fact-check pages, the Google-compatible search and the CSV exports. */
export function installPublicRoutes(app: express.Express, reads: ReadDatabases, site: ClaimReviewSettings, access: AccessControl, logger: Logger) {
  app.use(publicRoutes(reads, site, access, logger));
}
