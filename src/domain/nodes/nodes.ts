/** node(id): any object by its type and row id, or null when it does not exist or the viewer may not see it. */
import type { Database } from '../../db/connection.js';
import type { Loaders } from '../../db/loaders.js';
import { findApiToken } from '../access/tokens.js';
import { readExternalFactCheck } from '../external-fact-checks/queries.js';
import { externalSourceFor } from '../external-sources/queries.js';
import { badInput } from '../coded-errors.js';
import { parseGlobalId, type NodeType } from '../global-ids.js';
import { requireViewer, type Viewer } from '../viewer.js';
import { mayRead, maySee } from '../visibility.js';
import { getDelivery } from '../webhooks/deliveries.js';
import { mayOwnEndpoints, webhookEndpointFor } from '../webhooks/endpoints.js';

export async function readNode(db: Database, loaders: Loaders, viewer: Viewer | null, globalId: string): Promise<{ type: NodeType; row: object } | null> {
  const me = requireViewer(viewer);
  const parsed = parseGlobalId(globalId);
  if (!parsed) throw badInput('id', 'id is not a valid global ID');
  const row = await visibleRow(db, loaders, me, parsed);
  return row ? { type: parsed.type, row } : null;
}

type Row = object | null;
type NodeReader = (db: Database, loaders: Loaders, me: Viewer, id: string) => Row | Promise<Row>;

/**
 * How node(id) reads each Node type for a viewer: null where it does not exist or the viewer may not
 * see it. A Record over every declared Node type (src/domain/features.ts), so that a new type does
 * not compile until it says how it is read.
 */
const READ_NODE: Record<NodeType, NodeReader> = {
  User: (_db, loaders, me, id) => (maySee(me, 'User', { id }) ? loaders.user.load(id) : null),
  FactCheck: async (_db, loaders, me, id) => {
    const factCheck = await loaders.factCheck.load(id);
    return factCheck && maySee(me, 'FactCheck', factCheck) ? factCheck : null;
  },
  Verdict: async (_db, loaders, me, id) => {
    if (!mayRead(me, 'Verdict')) return null;
    const verdict = await loaders.verdict.load(id);
    if (!verdict) return null;
    const round = await loaders.verdictsByRound.load({ claimId: verdict.claimId, round: verdict.round });
    return maySee(me, 'Verdict', { verdict, round }) ? verdict : null;
  },
  // Their rule is the role alone: nothing is read for a viewer who may not see them.
  Article: (_db, loaders, me, id) => (mayRead(me, 'Article') ? loaders.article.load(id) : null),
  Claim: (_db, loaders, me, id) => (mayRead(me, 'Claim') ? loaders.claim.load(id) : null),
  Assignment: (_db, loaders, me, id) => (mayRead(me, 'Assignment') ? loaders.assignment.load(id) : null),
  Evidence: (_db, loaders, me, id) => (mayRead(me, 'Evidence') ? loaders.evidence.load(id) : null),
  // A token's rule (admins, or its own user) lives with the tokens.
  ApiToken: (db, _loaders, me, id) => findApiToken(db, me, id),
  // The endpoints' own rule (admins: all; editors and partners: their own) lives with them.
  WebhookEndpoint: (db, _loaders, me, id) => webhookEndpointFor(db, me, id),
  WebhookDelivery: (db, _loaders, me, id) => (mayOwnEndpoints(me) ? getDelivery(db, me, id) : null),
  // A merged claimant's ID leads to the claimant it was merged into.
  Claimant: (_db, loaders, me, id) => (mayRead(me, 'Claimant') ? loaders.liveClaimant.load(id) : null),
  Topic: (_db, loaders, me, id) => (mayRead(me, 'Topic') ? loaders.topic.load(id) : null),
  CorrectionRequest: async (_db, loaders, me, id) => {
    const request = await loaders.correctionRequest.load(id);
    return request && maySee(me, 'CorrectionRequest', request) ? request : null;
  },
  ExternalFactCheck: (_db, loaders, me, id) => readExternalFactCheck(loaders, me, id),
  ExternalSource: (_db, loaders, me, id) => externalSourceFor(loaders, me, id),
};

const visibleRow = (db: Database, loaders: Loaders, me: Viewer, { type, id }: { type: NodeType; id: string }) => READ_NODE[type](db, loaders, me, id);
