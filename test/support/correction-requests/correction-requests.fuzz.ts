/**
 * Fuzzed operations on correction requests (src/domain/correction-requests/): filing one, answering
 * one (once), and the list, which shows reviewers and partners their own only and never tells them
 * who answered.
 */
import fc from 'fast-check';
import { CORRECTION_REQUEST_STATES } from '../../../src/model/enums.js';
import { cursor, first, id, input } from '../fuzz/arbitraries.js';
import { EDITORS, EDITORS_MOSTLY, EVERYONE, from, type Families, type Principal } from '../fuzz/family.js';
import { people, remember, roleOf } from '../fuzz/world.js';
import { enumOf, optionalText, text } from '../hostile-input.js';

const FIELDS = 'id state message requesterName createdAt resolvedAt resolutionNote factCheck { id } requestedBy { id } resolvedBy { id }';

interface Request {
  id: string;
  state: string;
  resolvedAt: string | null;
  resolutionNote: string | null;
  requestedBy: { id: string };
  resolvedBy: { id: string } | null;
}

/** What a request shows the sender: their own unless they are an editor or admin; who answered only to those; answered exactly when not OPEN. */
function requestHolds(principal: Principal, request: Request | null | undefined): string[] {
  if (!request) return [];
  const problems: string[] = [];
  const editor = ['ADMIN', 'EDITOR'].includes(roleOf(principal) ?? '');
  if (!editor && principal !== 'none' && request.requestedBy.id !== people[principal].globalId) problems.push(`${principal} was shown someone else's request`);
  if (!editor && request.resolvedBy !== null) problems.push(`${principal} was shown who answered a request`);
  if ((request.state === 'OPEN') !== (request.resolvedAt === null) || (request.state === 'OPEN') !== (request.resolutionNote === null))
    problems.push(`a ${request.state} request with resolvedAt ${request.resolvedAt} and note ${request.resolutionNote === null ? 'unset' : 'set'}`);
  if (editor && request.state !== 'OPEN' && request.resolvedBy === null) problems.push('an editor was not shown who answered a request');
  return problems;
}

/** Correction-request families, keyed by root field. */
export const correctionRequestFamilies = {
  requestCorrection: {
    weight: 2,
    document: `mutation($i: RequestCorrectionInput!) { requestCorrection(input: $i) { correctionRequest { ${FIELDS} } } }`,
    roles: EVERYONE,
    principal: from({ partner: 5, reviewer1: 2, editor: 2 }),
    variables: input({ factCheckId: id('factCheck'), message: text(5_000), requesterName: optionalText(200) }),
    harvest: (payload) => remember('correctionRequest', payload.correctionRequest?.id),
    check: (principal, data) => {
      const request = data.requestCorrection?.correctionRequest;
      if (!request) return [];
      const problems = requestHolds(principal, request);
      if (request.state !== 'OPEN') problems.push(`a new request is ${request.state}`);
      if (principal !== 'none' && request.requestedBy.id !== people[principal].globalId) problems.push('a request filed in someone else’s name');
      return problems;
    },
  },
  resolveCorrectionRequest: {
    weight: 2,
    document: `mutation($i: ResolveCorrectionRequestInput!) { resolveCorrectionRequest(input: $i) { correctionRequest { ${FIELDS} } } }`,
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({ requestId: id('correctionRequest'), state: enumOf(CORRECTION_REQUEST_STATES), note: text(5_000) }),
    check: (principal, data) => {
      const request = data.resolveCorrectionRequest?.correctionRequest;
      if (!request) return [];
      const problems = requestHolds(principal, request);
      if (request.state === 'OPEN') problems.push('an answer left the request OPEN');
      if (request.resolvedBy?.id !== people[principal as Exclude<Principal, 'none'>]?.globalId) problems.push('an answer not recorded as the sender’s');
      return problems;
    },
  },
  correctionRequests: {
    weight: 1,
    document: `query($state: CorrectionRequestState, $first: Int, $after: String) { correctionRequests(state: $state, first: $first, after: $after) {
      totalCount pageInfo { endCursor } edges { node { ${FIELDS} } } } }`,
    roles: EVERYONE,
    principal: from({ partner: 3, editor: 2, reviewer1: 2 }),
    variables: fc.record({ state: fc.oneof(fc.constantFrom(undefined, null), enumOf(CORRECTION_REQUEST_STATES)), first, after: cursor }),
    harvest: (connection) => {
      remember('cursor', connection.pageInfo.endCursor);
      for (const edge of connection.edges) remember('correctionRequest', edge.node.id);
    },
    check: (principal, data) => {
      const nodes: Request[] = (data.correctionRequests?.edges ?? []).map((e: any) => e.node);
      const problems = nodes.flatMap((node) => requestHolds(principal, node));
      if (new Set(nodes.map((n) => n.id)).size !== nodes.length) problems.push('a request listed twice on a page');
      return problems;
    },
  },
} satisfies Families;
