import type express from 'express';
import type { DatabaseHandle } from '../../db/connection.js';
import type { ClaimReviewSettings } from '../../domain/fact-checks/schema-org-claim-review.js';
import type { AuthLimiter } from '../auth-limiter.js';
import { publicRoutes } from '../public-routes.js';

/** The plain-HTTP routes beside /graphql: the fact-check pages and the Google-compatible search. */
export function installPublicRoutes(app: express.Express, database: DatabaseHandle, site: ClaimReviewSettings, authLimiter: AuthLimiter) {
  app.use(publicRoutes(database, site, authLimiter));
}
