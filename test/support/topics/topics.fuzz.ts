/** Fuzzed operations on topics (src/domain/topics/): creating them, filing claims under them, and the list with its search. */
import fc from 'fast-check';
import { claimOfSender, cursor, first, id, input, version } from '../fuzz/arbitraries.js';
import { EDITORS, EDITORS_MOSTLY, EVERYONE, from, REVIEWERS_MOSTLY, STAFF, type Families } from '../fuzz/family.js';
import { remember } from '../fuzz/world.js';
import { mostly, optionalText, text, wrongType } from '../hostile-input.js';

const TOPIC_FIELDS = 'id name wikidataId factChecks(first: 3) { totalCount edges { node { id topics { id name } } } }';

/** Names: mostly a few again and again (CONFLICT regardless of case and accents), sometimes new or hostile ones, around the 100 limit. */
const topicName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('Health', 'health', ' HEALTH ', 'Élections', 'elections!', 'Gaza humanitarian aid', 'Santé publique', 'Climate') },
  { weight: 3, arbitrary: text(100) },
  { weight: 1, arbitrary: fc.constantFrom('!!!', '—', `${'é'.repeat(100)}`, `${'é'.repeat(101)}`, ` ${'x'.repeat(100)} `) },
);
const wikidataId = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(undefined, null, 'Q42', 'Q1068495') },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('', 'Q', 'Q0', 'Q012', 'q42', 'P31', 'Q42 ', `Q${'9'.repeat(30)}`), wrongType) },
);
/** A claim's topics: mostly a few existing ones (sometimes repeated, sometimes over 10), or none; else garbage. */
const topicIds = mostly(fc.array(id('topic'), { maxLength: 12 }), fc.oneof(fc.constantFrom<unknown>(null, 'x', {}), wrongType));

const harvestTopic = (topic: any) => remember('topic', topic?.id);
/** A claim's topics come by name and at most 10, each once. */
const topicsHold = (topics: { id: string; name: string }[] | undefined) => {
  if (!topics) return [];
  const problems: string[] = [];
  if (topics.length > 10) problems.push(`a claim under ${topics.length} topics`);
  if (new Set(topics.map((t) => t.id)).size !== topics.length) problems.push('a topic listed twice');
  return problems;
};

/** Topic families, keyed by root field. */
export const topicFamilies = {
  createTopic: {
    weight: 1,
    document: `mutation($i: CreateTopicInput!) { createTopic(input: $i) { topic { ${TOPIC_FIELDS} } } }`,
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({ name: topicName, wikidataId }),
    harvest: (payload) => harvestTopic(payload.topic),
    check: (_principal, data) => {
      const name = data.createTopic?.topic?.name;
      return typeof name === 'string' && (name !== name.trim() || name.length === 0) ? [`a topic named ${JSON.stringify(name)}`] : [];
    },
  },
  setClaimTopics: {
    weight: 2,
    document:
      'mutation($i: SetClaimTopicsInput!) { setClaimTopics(input: $i) { claim { id status version topics { id name wikidataId } factCheck { id claimReview } } } }',
    roles: STAFF,
    principal: REVIEWERS_MOSTLY,
    variables: input({ claimId: claimOfSender, expectedVersion: version, topicIds }),
    harvest: (payload) => payload.claim?.topics?.forEach(harvestTopic),
    check: (_principal, data) => topicsHold(data.setClaimTopics?.claim?.topics),
  },
  topics: {
    weight: 1,
    document: `query($search: String, $first: Int, $after: String) { topics(search: $search, first: $first, after: $after) {
      totalCount pageInfo { endCursor } edges { node { ${TOPIC_FIELDS} } } } }`,
    roles: EVERYONE,
    principal: from({ partner: 3, editor: 2 }),
    variables: fc.record({
      search: fc.oneof(
        { weight: 2, arbitrary: fc.constantFrom('health', 'HELTH', 'élec', 'gaza aid', 'q42', '!!!') },
        { weight: 2, arbitrary: optionalText(500) },
      ),
      first,
      after: cursor,
    }),
    harvest: (connection) => {
      remember('cursor', connection.pageInfo.endCursor);
      for (const edge of connection.edges) harvestTopic(edge.node);
    },
    check: (_principal, data) => {
      const ids = (data.topics?.edges ?? []).map((e: any) => e.node.id);
      return new Set(ids).size === ids.length ? [] : ['a topic listed twice on a page'];
    },
  },
} satisfies Families;
