/** The workflow's mutations, as a client would send them. */
import { ok, type TestApp } from './app.js';

export const M = {
  assign: 'mutation($i: AssignClaimInput!) { assignClaim(input: $i) { claim { id status version } assignments { id state reviewer { name } } } }',
  withdraw: 'mutation($i: WithdrawAssignmentInput!) { withdrawAssignment(input: $i) { assignment { id state } } }',
  evidence: 'mutation($i: AddEvidenceInput!) { addEvidence(input: $i) { evidence { id title stance kind url addedBy { name } claim { id } } } }',
  verdict:
    'mutation($i: SubmitVerdictInput!) { submitVerdict(input: $i) { verdict { id rating confidence reviewer { name } citedEvidence { id } } claim { id status version } } }',
  publish:
    'mutation($i: PublishFactCheckInput!) { publishFactCheck(input: $i) { claim { id status version } factCheck { id rating summary corrections { note previousRating } } } }',
  update: 'mutation($i: UpdateClaimInput!) { updateClaim(input: $i) { claim { id status version statement claimant priority requiredVerdicts dueAt } } }',
  dismiss: 'mutation($i: DismissClaimInput!) { dismissClaim(input: $i) { claim { id status version } } }',
  reopen: 'mutation($i: ReopenClaimInput!) { reopenClaim(input: $i) { claim { id status version round } } }',
};

export const CLAIM_STATE = `query($id: ID!) { claim(id: $id) { status version round
  verdicts { rating reviewer { name } } factCheck { id rating }
  assignments { id state reviewer { name } }
  history { type fromStatus toStatus note version actor { name } } } }`;

export async function claimState(app: TestApp, token: string, id: string) {
  return ok(await app.gql(CLAIM_STATE, { id }, token)).claim as {
    status: string;
    version: number;
    round: number;
    verdicts: { rating: string; reviewer: { name: string } }[];
    factCheck: { id: string; rating: string } | null;
    assignments: { id: string; state: string; reviewer: { name: string } }[];
    history: { type: string; fromStatus: string | null; toStatus: string; note: string | null; version: number; actor: { name: string } }[];
  };
}

export const mutate = (app: TestApp, token: string, mutation: keyof typeof M, input: Record<string, unknown>) => app.gql(M[mutation], { i: input }, token);
