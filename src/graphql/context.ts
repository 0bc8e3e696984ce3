import type { Database } from '../db/connection.js';
import type { Loaders } from '../db/loaders.js';
import type { ReadDatabases } from '../domain/reads.js';
import type { ClaimReviewSettings } from '../domain/fact-checks/schema-org-claim-review.js';
import type { AccessInvalidation } from '../domain/access/access-control.js';
import type { ItemJournal } from '../domain/claims/bulk.js';
import type { Viewer } from '../domain/viewer.js';
import type { WebhookPolicy } from '../domain/webhooks/endpoints.js';

/** What every resolver gets, built once per request by the server. */
export interface Context {
  /**
   * The database this operation reads and writes: the primary, except for a query of partner reads
   * only, which src/server/read-routing.ts points at `readDatabaseFor(reads, viewer)` before it runs.
   */
  db: Database;
  viewer: Viewer | null;
  loaders: Loaders;
  site: ClaimReviewSettings;
  requestId: string;
  /** How endpoint URLs are checked and secrets sealed (config). */
  webhooks: WebhookPolicy;
  /** Tells this process's token cache about a change to users or tokens, right after its commit. */
  access: AccessInvalidation;
  /** The primary and the partner-read database (the replica with its fallback): pass to `readDatabaseFor()`. */
  reads: ReadDatabases;
  /**
   * Set for a bulk action sent with an Idempotency-Key (src/server/idempotency.ts): each item's
   * outcome is recorded with its own transaction, so a retry answers the same without redoing it.
   */
  itemJournal?: ItemJournal;
}
