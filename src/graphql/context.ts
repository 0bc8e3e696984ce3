import type { Database } from '../db/connection.js';
import type { Loaders } from '../db/loaders.js';
import type { AccessInvalidation } from '../domain/access/access-control.js';
import type { ClaimReviewSettings } from '../domain/claim-review.js';
import type { Viewer } from '../domain/viewer.js';

/** What every resolver gets, built once per request by the server. */
export interface Context {
  db: Database;
  viewer: Viewer | null;
  loaders: Loaders;
  site: ClaimReviewSettings;
  requestId: string;
  /** Tells this process's token cache about a change to users or tokens, right after its commit. */
  access: AccessInvalidation;
}
