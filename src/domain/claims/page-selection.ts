/**
 * What a claims page reads, worked out from the fields a query selects (the look-ahead in
 * src/graphql/claims/claim-page.lookahead.ts): which relations it fetches with each claim and which
 * columns of each. src/db/claim-page.ts builds the one statement for it.
 */
export { CLAIM_RELATIONS, type ClaimPath, type ClaimRelation } from '../../model/claim-relations.js';
export { claimPageSelection, type ClaimPageSelection } from '../../db/claim-page.js';
