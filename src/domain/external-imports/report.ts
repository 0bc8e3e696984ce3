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
  skipped: ImportSkip[];
}

export const emptyImportReport = (): ImportReport => ({ created: 0, updated: 0, unchanged: 0, skipped: [] });
