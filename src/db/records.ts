/**
 * Rows as the domain and the API read them, whether drizzle read them (Dates) or a claims page
 * built them as JSON in Postgres (ISO strings), with what a page fetched with them under `fetched`
 * (src/db/claim-page.ts). The upper layers import these through src/domain/records.ts.
 */
import type { ArticleRow, AssignmentRow, ClaimRow, EvidenceRow, FactCheckRow, UserRow, VerdictRow } from './schema.js';

/** A row as a page's JSON carries it: timestamps as ISO strings (`2025-01-31T12:00:00.000Z`). */
export type JsonRow<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };
/** What a page fetched with a row, by GraphQL field name; absent: not fetched (the loader's turn). */
export type Fetched<R> = { readonly fetched?: Partial<R> };
/** A row however it was read: by drizzle (Dates) or from a page's JSON (ISO strings), with what was fetched with it. */
export type Readable<T, R = Record<never, never>> = (T | JsonRow<T>) & Fetched<R>;

export type UserRecord = Readable<UserRow>;
/** An article as lists prefetch it: without its body (up to a million characters), loaded on demand. */
export type ArticleRecord = Readable<Omit<ArticleRow, 'body'>> & { body?: string };
export type AssignmentRecord = Readable<AssignmentRow, { reviewer: UserRecord; assignedBy: UserRecord }>;
export type EvidenceRecord = Readable<EvidenceRow, { addedBy: UserRecord }>;
export type VerdictRecord = Readable<VerdictRow, { reviewer: UserRecord }>;
export type FactCheckRecord = Readable<Omit<FactCheckRow, 'searchVector'>>;
/** A claim as pages and loaders yield it (a page leaves out the search vector, which only SQL reads). */
export type ClaimRecord = Readable<
  Omit<ClaimRow, 'searchVector'>,
  {
    article: ArticleRecord;
    createdBy: UserRecord;
    assignments: AssignmentRecord[];
    evidence: EvidenceRecord[];
    verdicts: VerdictRecord[];
    /** null: the claim has none. */
    factCheck: FactCheckRecord | null;
  }
>;
