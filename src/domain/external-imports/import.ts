/**
 * Importing a document of other publishers' ClaimReview markup (importExternalFactChecks, POST
 * /imports/claim-reviews, a feed's fetch). The document is parsed once (documents.ts); its items
 * are then read and written batch by batch (review.ts, store.ts), each batch its own transaction:
 * a failure midway keeps the batches done, and importing again is idempotent.
 *
 * A review URL given more than once in a document: the last one is imported, each earlier one is
 * skipped ("the same review URL appears later in the document"), so a document says once what a
 * review is, whichever batch its copies fall in.
 */
import type { Queryable } from '../../db/connection.js';
import { EDITORS, requireRole, type Viewer } from '../viewer.js';
import { documentItems, type ContentType, type DocumentItem } from './documents.js';
import { emptyImportReport, type ImportReport } from './report.js';
import { isUnder, reviewOf, reviewUrlOf, type ExternalReview } from './review.js';
import { analyzeIfUnanalyzed, writeReviews } from './store.js';
import { DEFAULT_IMPORT_SETTINGS } from './settings.js';

export const DEFAULT_IMPORT_BATCH_SIZE = DEFAULT_IMPORT_SETTINGS.batchSize;

export interface ImportOptions {
  /** The feed it came through; null or left out: imported by hand. */
  sourceId?: string | null;
  /** JSON or HTML; left out: JSON if it starts with { or [, else HTML. */
  contentType?: ContentType;
  /** The desk's PUBLIC_BASE_URL: reviews under it are its own fact checks, left out. */
  ownBaseUrl?: string | null;
  /** Reviews per batch (one transaction each). */
  batchSize?: number;
  /** The most skipped items the report lists (the first ones; skippedCount counts them all); left out: every one. */
  maxSkipped?: number;
  /** Once aborted, no further batch is written: the import throws the signal's reason (a feed's fetch that lost its lease). */
  signal?: AbortSignal;
}

export const DUPLICATE_LATER = 'the same review URL appears later in the document';
export const OWN_FACT_CHECK = "one of this desk's own fact checks";

/** Imports every valid review of the document; BAD_USER_INPUT (document) when it is no ClaimReview markup at all. */
export async function importExternalDocument(db: Queryable, document: string, options: ImportOptions = {}): Promise<ImportReport> {
  return importItems(db, documentItems(document, options.contentType), options);
}

async function importItems(db: Queryable, items: readonly DocumentItem[], options: ImportOptions): Promise<ImportReport> {
  const report = emptyImportReport();
  const urls = items.map(reviewUrlOf);
  const lastIndex = new Map<string, number>();
  urls.forEach((url, index) => 'normalized' in url && lastIndex.set(url.normalized, index));
  const batchSize = options.batchSize ?? DEFAULT_IMPORT_BATCH_SIZE;
  const maxSkipped = options.maxSkipped ?? Infinity;
  for (let start = 0; start < items.length; start += batchSize) {
    options.signal?.throwIfAborted();
    const batch: ExternalReview[] = [];
    for (let index = start; index < Math.min(items.length, start + batchSize); index++) {
      const url = urls[index]!;
      const skip = (reason: string, reviewUrl: string | null) => {
        if (report.skippedCount++ < maxSkipped) report.skipped.push({ index, reviewUrl, reason });
      };
      if ('problem' in url) skip(url.problem, url.url);
      else if (isUnder(url.normalized, options.ownBaseUrl ?? null)) skip(OWN_FACT_CHECK, url.url);
      else if (lastIndex.get(url.normalized) !== index) skip(DUPLICATE_LATER, url.url);
      else {
        const outcome = reviewOf(items[index]!, url);
        if ('skip' in outcome) skip(outcome.skip, outcome.reviewUrl);
        else batch.push(outcome.review);
      }
    }
    const counts = await writeReviews(db, batch, options.sourceId ?? null);
    report.created += counts.created;
    report.updated += counts.updated;
    report.unchanged += counts.unchanged;
  }
  if (report.created > 0) await analyzeIfUnanalyzed(db);
  return report;
}

/** importExternalFactChecks and POST /imports/claim-reviews: editors and admins. */
export async function importExternalFactChecks(
  db: Queryable,
  viewer: Viewer | null,
  input: { document: string; contentType?: ContentType },
  settings: { ownBaseUrl: string; batchSize?: number },
): Promise<ImportReport> {
  requireRole(viewer, EDITORS);
  return importExternalDocument(db, input.document, { contentType: input.contentType, ownBaseUrl: settings.ownBaseUrl, batchSize: settings.batchSize });
}
