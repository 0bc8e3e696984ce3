import type express from 'express';
import type { DatabaseHandle } from '../../db/connection.js';
import type { ClaimReviewSettings } from '../../domain/fact-checks/schema-org-claim-review.js';
import type { AccessControl } from '../../domain/access/access-control.js';
import { publicRoutes } from '../public-routes.js';

/** The plain-HTTP routes beside /graphql: the fact-check pages and the Google-compatible search. */
export function installPublicRoutes(app: express.Express, database: DatabaseHandle, site: ClaimReviewSettings, access: AccessControl) {
  app.use(publicRoutes(database, site, access));
}
