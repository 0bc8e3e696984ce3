/** Fuzzed operations on feeds (src/domain/external-sources/): registering, changing, removing, fetching and listing them. */
import fc from 'fast-check';
import { LIMITS } from '../../../src/domain/validation.js';
import { cursor, first, id, input } from '../fuzz/arbitraries.js';
import { EDITORS, EDITORS_MOSTLY, type Families } from '../fuzz/family.js';
import { remember } from '../fuzz/world.js';
import { int, mostly, text, wrongType } from '../hostile-input.js';

const FIELDS = 'id name url intervalMinutes enabled lastFetchedAt lastError factCheckCount';
/**
 * Feed URLs on a loopback port nothing listens on (a fetch fails at once: no request leaves the
 * machine), or not URLs a feed may have.
 */
const feedUrl = mostly(
  fc.webPath().map((path) => `http://127.0.0.1:9${path.startsWith('/') ? path : `/${path}`}`),
  fc.oneof(
    fc.constantFrom<unknown>('ftp://127.0.0.1/feed', 'file:///etc/passwd', 'javascript:alert(1)', 'http://', '', ' ', 'feed.json', 'http://127.0.0.1:9/\u0000'),
    fc.constant(`http://127.0.0.1:9/${'a'.repeat(LIMITS.url)}`),
    wrongType,
  ),
);
const interval = fc.oneof(fc.constant(undefined), int(5, 10_080));
const harvest = (payload: any) => remember('externalSource', payload?.source?.id);

/** Feed families, keyed by root field. */
export const externalSourceFamilies = {
  createExternalSource: {
    weight: 2,
    document: `mutation($i: CreateExternalSourceInput!) { createExternalSource(input: $i) { source { ${FIELDS} } } }`,
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({ name: text(LIMITS.name), url: feedUrl, intervalMinutes: interval }),
    harvest,
  },
  updateExternalSource: {
    weight: 1,
    document: `mutation($i: UpdateExternalSourceInput!) { updateExternalSource(input: $i) { source { ${FIELDS} } } }`,
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({
      sourceId: id('externalSource'),
      name: fc.oneof(fc.constant(undefined), text(LIMITS.name)),
      url: fc.oneof(fc.constant(undefined), feedUrl),
      intervalMinutes: interval,
      enabled: fc.oneof(fc.constantFrom<unknown>(undefined, null, true, false), wrongType),
    }),
    harvest,
  },
  deleteExternalSource: {
    weight: 1,
    document: `mutation($i: DeleteExternalSourceInput!) { deleteExternalSource(input: $i) { deletedSourceId } }`,
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({ sourceId: id('externalSource') }),
  },
  fetchExternalSource: {
    weight: 1,
    document: `mutation($i: FetchExternalSourceInput!) { fetchExternalSource(input: $i) { source { ${FIELDS} } report { created updated unchanged } } }`,
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({ sourceId: id('externalSource') }),
    harvest,
  },
  externalSources: {
    weight: 1,
    document: `query($first: Int, $after: String) { externalSources(first: $first, after: $after) { totalCount pageInfo { endCursor } edges { node { ${FIELDS} } } } }`,
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: fc.record({ first, after: cursor }),
    harvest: (connection) => {
      remember('cursor', connection.pageInfo.endCursor);
      for (const edge of connection.edges) remember('externalSource', edge.node.id);
    },
  },
} satisfies Families;
