/** What an import of ClaimReview markup did (importExternalFactChecks, POST /imports/claim-reviews, a feed's fetch). */
export interface ImportSkip {
  /** The item's position among the document's reviews, from 0. */
  index: number;
  reviewUrl: string | null;
  reason: string;
}

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  /** In document order; for a feed's fetch, only the first STORED_SKIPS. */
  skipped: ImportSkip[];
  /** Every item left out, listed or not. */
  skippedCount: number;
}

/**
 * The skipped items a feed's fetch keeps: its report is stored in the feed's row (last_report), and a
 * feed of 100k bad items would make that row megabytes. skippedCount still counts them all.
 */
export const STORED_SKIPS = 100;

export const emptyImportReport = (): ImportReport => ({ created: 0, updated: 0, unchanged: 0, skipped: [], skippedCount: 0 });

/** A feed's stored report (last_report); one stored before skippedCount existed lists every skip, so counts them. */
export function storedReport(value: unknown): ImportReport | null {
  if (value === null || typeof value !== 'object') return null;
  const report = value as Omit<ImportReport, 'skippedCount'> & { skippedCount?: number };
  return { ...report, skippedCount: report.skippedCount ?? report.skipped.length };
}
