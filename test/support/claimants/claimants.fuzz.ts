/** Fuzzed operations on claimants (src/domain/claimants/): adding, editing, merging, reading and searching them. */
import fc from 'fast-check';
import { LIMITS } from '../../../src/domain/validation.js';
import { CLAIMANT_KINDS } from '../../../src/model/enums.js';
import { cursor, first, id, input } from '../fuzz/arbitraries.js';
import { EDITORS, EDITORS_MOSTLY, EVERYONE, from, type Families } from '../fuzz/family.js';
import { remember } from '../fuzz/world.js';
import { enumOf, mostly, optionalText, text, url, wrongType } from '../hostile-input.js';

const FIELDS = 'id name kind aliases wikidataId website description url record { factChecks byRating { rating count } method }';
const wikidataId = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 2_000 }).map((n) => `Q${n}`) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, null, 'Q', 'Q0', 'q42', '42', 'Q42 ', 'Q'.padEnd(30, '9'), 'P31', '') },
  { weight: 1, arbitrary: wrongType },
);
const aliases = mostly(fc.array(text(LIMITS.name), { maxLength: 4 }), fc.oneof(fc.array(fc.constant('a'), { minLength: 21, maxLength: 22 }), wrongType));
const harvest = (payload: any) => remember('claimant', payload?.claimant?.id);

/** Claimant families, keyed by root field. */
export const claimantFamilies = {
  createClaimant: {
    weight: 2,
    document: `mutation($i: CreateClaimantInput!) { createClaimant(input: $i) { claimant { ${FIELDS} } } }`,
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({
      name: text(LIMITS.name),
      kind: enumOf(CLAIMANT_KINDS),
      aliases: fc.oneof(fc.constant(undefined), aliases),
      wikidataId,
      website: fc.oneof(fc.constant(undefined), url),
      description: optionalText(LIMITS.short),
    }),
    harvest,
  },
  updateClaimant: {
    weight: 1,
    document: `mutation($i: UpdateClaimantInput!) { updateClaimant(input: $i) { claimant { ${FIELDS} } } }`,
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({
      claimantId: id('claimant'),
      name: fc.oneof(fc.constant(undefined), text(LIMITS.name)),
      kind: fc.oneof(fc.constant(undefined), enumOf(CLAIMANT_KINDS)),
      aliases: fc.oneof(fc.constant(undefined), aliases),
      wikidataId,
      website: fc.oneof(fc.constantFrom(undefined, null), url),
      description: optionalText(LIMITS.short),
    }),
    harvest,
  },
  mergeClaimants: {
    weight: 1,
    document: `mutation($i: MergeClaimantsInput!) { mergeClaimants(input: $i) { movedClaims claimant { ${FIELDS} } } }`,
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({ sourceId: id('claimant'), targetId: id('claimant') }),
    harvest,
  },
  claimant: {
    weight: 1,
    document: `query($id: ID!) { claimant(id: $id) { ${FIELDS} factChecks(first: 3) { totalCount edges { node { id speaker { id } } } } } }`,
    roles: EVERYONE,
    principal: from({ partner: 3 }),
    variables: fc.record({ id: id('claimant') }),
  },
  claimants: {
    weight: 1,
    document: `query($search: String, $first: Int, $after: String) { claimants(search: $search, first: $first, after: $after) {
      totalCount pageInfo { endCursor } edges { node { ${FIELDS} } } } }`,
    roles: EVERYONE,
    principal: from({ partner: 3 }),
    variables: fc.record({ search: fc.oneof(fc.constant(undefined), optionalText(LIMITS.name), wikidataId), first, after: cursor }),
    harvest: (connection) => {
      remember('cursor', connection.pageInfo.endCursor);
      for (const edge of connection.edges) remember('claimant', edge.node.id);
    },
  },
} satisfies Families;
