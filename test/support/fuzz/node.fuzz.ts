/** The fuzzed node(id) query (src/domain/nodes/nodes.ts): any object by its global ID, which spans every feature, so it belongs to none. */
import fc from 'fast-check';
import { id } from './arbitraries.js';
import { EVERYONE, from, type Families } from './family.js';
import { people, roleOf, TYPE_OF, type IdPool } from './world.js';

/** The node family, keyed by root field. */
export const nodeFamilies = {
  node: {
    weight: 1,
    document:
      'query($id: ID!) { node(id: $id) { id __typename ... on User { name } ... on Claim { quote status } ... on Verdict { rating } ... on FactCheck { rating } ... on ApiToken { label user { id } } ... on WebhookEndpoint { owner { id } } ... on CorrectionRequest { requestedBy { id } resolvedBy { id } } } }',
    roles: EVERYONE,
    principal: from({}),
    variables: fc.record({ id: fc.constantFrom(...(Object.keys(TYPE_OF) as IdPool[])).chain((pool) => id(pool)) }),
    check: (principal, data) => {
      const node = data.node;
      if (!node || roleOf(principal) !== 'PARTNER') return [];
      const own =
        (node.__typename === 'User' && node.id === people.partner.globalId) ||
        (node.__typename === 'ApiToken' && node.user.id === people.partner.globalId) ||
        (node.__typename === 'WebhookEndpoint' && node.owner.id === people.partner.globalId) ||
        // A partner's own correction request, without who answered it.
        (node.__typename === 'CorrectionRequest' && node.requestedBy.id === people.partner.globalId && node.resolvedBy === null);
      // Partners read published fact checks, the topics they are filed under and the claimants who made their claims.
      const published = ['FactCheck', 'Topic', 'Claimant'].includes(node.__typename);
      return published || own ? [] : [`node(id) showed a partner a ${node.__typename}`];
    },
  },
} satisfies Families;
