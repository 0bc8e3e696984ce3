/** Claimant operations as a client sends them, and a factory. */
import { ok, type TestApp } from '../app.js';

const CLAIMANT_FIELDS = 'id name kind aliases wikidataId website description url createdAt updatedAt';

export const C = {
  create: `mutation($i: CreateClaimantInput!) { createClaimant(input: $i) { claimant { ${CLAIMANT_FIELDS} } } }`,
  update: `mutation($i: UpdateClaimantInput!) { updateClaimant(input: $i) { claimant { ${CLAIMANT_FIELDS} } } }`,
  merge: `mutation($i: MergeClaimantsInput!) { mergeClaimants(input: $i) { movedClaims claimant { ${CLAIMANT_FIELDS} } } }`,
  one: `query($id: ID!) { claimant(id: $id) { ${CLAIMANT_FIELDS} record { factChecks byRating { rating count } method } } }`,
  list: `query($search: String, $first: Int, $after: String) { claimants(search: $search, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name aliases } } } }`,
  claims: `query($id: ID!, $first: Int, $after: String) { claimant(id: $id) { claims(first: $first, after: $after) { totalCount
    pageInfo { hasNextPage endCursor } edges { node { id claimant speaker { id } version } } } } }`,
  factChecks: `query($id: ID!) { claimant(id: $id) { factChecks { totalCount edges { node { id rating speaker { id name } } } } } }`,
};

export interface ClaimantData {
  id: string;
  name: string;
  kind: string;
  aliases: string[];
  wikidataId: string | null;
  website: string | null;
  description: string | null;
  url: string;
  createdAt: string;
  updatedAt: string;
}

export async function createClaimant(app: TestApp, token: string, input: Record<string, unknown>): Promise<ClaimantData> {
  return ok(await app.gql(C.create, { i: { kind: 'PERSON', ...input } }, token)).createClaimant.claimant;
}
