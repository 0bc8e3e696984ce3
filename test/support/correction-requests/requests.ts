/** Correction requests as a client sends them (src/domain/correction-requests/). */
import { ok, type TestApp } from '../app.js';

const FIELDS = `id state message requesterName createdAt resolvedAt resolutionNote
  factCheck { id } requestedBy { id name } resolvedBy { id name }`;

export const CR = {
  request: `mutation($i: RequestCorrectionInput!) { requestCorrection(input: $i) { correctionRequest { ${FIELDS} } } }`,
  resolve: `mutation($i: ResolveCorrectionRequestInput!) { resolveCorrectionRequest(input: $i) { correctionRequest { ${FIELDS} } } }`,
  list: `query($state: CorrectionRequestState, $first: Int, $after: String) { correctionRequests(state: $state, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${FIELDS} } } } }`,
  node: `query($id: ID!) { node(id: $id) { id __typename ... on CorrectionRequest { ${FIELDS} } } }`,
};

export interface CorrectionRequestView {
  id: string;
  state: 'OPEN' | 'ACCEPTED' | 'DECLINED';
  message: string;
  requesterName: string | null;
  createdAt: string;
  resolvedAt: string | null;
  resolutionNote: string | null;
  factCheck: { id: string } | null;
  requestedBy: { id: string; name: string };
  resolvedBy: { id: string; name: string } | null;
}

/** Files a request (it must succeed). */
export async function requestCorrection(
  app: TestApp,
  token: string,
  factCheckId: string,
  message = 'The figure is from 2019, not 2024.',
  requesterName?: string,
) {
  return ok(await app.gql(CR.request, { i: { factCheckId, message, requesterName } }, token)).requestCorrection.correctionRequest as CorrectionRequestView;
}

/** Answers a request (it must succeed). */
export async function resolveCorrectionRequest(app: TestApp, token: string, requestId: string, state: 'ACCEPTED' | 'DECLINED', note = 'Checked again.') {
  return ok(await app.gql(CR.resolve, { i: { requestId, state, note } }, token)).resolveCorrectionRequest.correctionRequest as CorrectionRequestView;
}
