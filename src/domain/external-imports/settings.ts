/** How imports of ClaimReview markup run (config: EXTERNAL_IMPORT_*; docs/operations.md). */
export interface ImportSettings {
  /** Reviews per batch, each batch one transaction. */
  batchSize: number;
  /** Rows per batch when setExternalRatingRules re-maps what is stored. */
  remapBatchSize: number;
  /** The largest body POST /imports/claim-reviews takes, in bytes. */
  maxBytes: number;
}

export const DEFAULT_IMPORT_SETTINGS: ImportSettings = { batchSize: 500, remapBatchSize: 2_000, maxBytes: 50 * 1024 * 1024 };
