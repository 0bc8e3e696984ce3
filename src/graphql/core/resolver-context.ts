import type { Database, Loaders } from '../../domain/data-access.js';
import type { AccessInvalidation } from '../../domain/access/access-control.js';
import type { ItemJournal } from '../../domain/claims/bulk.js';
import type { ClaimReviewSettings } from '../../domain/fact-checks/schema-org-claim-review.js';
import type { RequestDatabases } from '../../domain/request-database.js';
import type { Viewer } from '../../domain/viewer.js';
import type { WebhookPolicy } from '../../domain/webhooks/endpoints.js';
import type { ImportSettings } from '../../domain/external-imports/settings.js';
import type { FeedRuntime } from '../../domain/external-sources/settings.js';

/** What every resolver gets, built once per request by the server. */
export interface Context {
  /**
   * The database this operation reads and writes: the primary, except for a query of partner reads
   * only, which src/server/read-routing.ts points at `requestDatabase(databases, viewer, 'partner-read')`
   * before it runs; a keyed mutation's transaction. Chosen by `requestDatabase` alone.
   */
  db: Database;
  viewer: Viewer | null;
  loaders: Loaders;
  site: ClaimReviewSettings;
  requestId: string;
  /** How endpoint URLs are checked and secrets sealed (config). */
  webhooks: WebhookPolicy;
  /** How imports of ClaimReview markup and re-maps of their ratings are batched (config). */
  imports: ImportSettings;
  /** How feeds are checked and fetched by this process (config), for createExternalSource … fetchExternalSource. */
  feeds: FeedRuntime;
  /** Tells this process's token cache about a change to users or tokens, right after its commit. */
  access: AccessInvalidation;
  /**
   * Aborted once the client has gone (its connection closed before the response was sent): work that
   * only waits on the client's behalf (fetchExternalSource waiting for another fetch) stops there.
   */
  signal: AbortSignal;
  /** What `db` was chosen from (src/domain/request-database.ts): the process's databases and the request's transaction, if any. */
  databases: RequestDatabases;
  /**
   * Set for a bulk action sent with an Idempotency-Key (src/server/idempotency.ts): each item's
   * outcome is recorded with its own transaction, so a retry answers the same without redoing it.
   */
  itemJournal?: ItemJournal;
}
