/**
 * The relations a claims page can fetch with each claim, named as the API names them (a claim's
 * `article`, an assignment's `reviewer`): the look-ahead (src/graphql) reads them from a query, the
 * page statement (src/db/claim-page.ts) fetches them. Pure vocabulary, shared by every layer.
 */
/** `a.b` is relation b of every a. */
export const CLAIM_RELATIONS = [
  'article',
  'createdBy',
  'factCheck',
  'assignments',
  'assignments.reviewer',
  'assignments.assignedBy',
  'evidence',
  'evidence.addedBy',
  'verdicts',
  'verdicts.reviewer',
] as const;
export type ClaimRelation = (typeof CLAIM_RELATIONS)[number];

/** Where a page reads rows: the claim itself, or one of its relations. */
export type ClaimPath = 'claim' | ClaimRelation;
export const CLAIM_PATHS: readonly ClaimPath[] = ['claim', ...CLAIM_RELATIONS];
