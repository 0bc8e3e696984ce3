import type { Database } from '../db/connection.js';
import type { Loaders } from '../db/loaders.js';
import type { ClaimReviewSettings } from '../domain/fact-checks/schema-org-claim-review.js';
import type { Viewer } from '../domain/viewer.js';
import type { WebhookPolicy } from '../domain/webhooks/endpoints.js';

/** What every resolver gets, built once per request by the server. */
export interface Context {
  db: Database;
  viewer: Viewer | null;
  loaders: Loaders;
  site: ClaimReviewSettings;
  requestId: string;
  /** How endpoint URLs are checked and secrets sealed (config). */
  webhooks: WebhookPolicy;
}
