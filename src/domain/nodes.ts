/** node(id): any object by its type and row id, or null when it does not exist or the viewer may not see it. */
import type { Database } from '../db/connection.js';
import type { Loaders } from '../db/loaders.js';
import { findApiToken } from './access/tokens.js';
import { badInput } from './errors.js';
import { parseGlobalId, type NodeType } from './global-ids.js';
import { requireViewer, type Viewer } from './viewer.js';
import { mayRead, maySee } from './visibility.js';
import { getDelivery } from './webhooks/deliveries.js';
import { mayOwnEndpoints, webhookEndpointFor } from './webhooks/endpoints.js';

export async function readNode(db: Database, loaders: Loaders, viewer: Viewer | null, globalId: string): Promise<{ type: NodeType; row: object } | null> {
  const me = requireViewer(viewer);
  const parsed = parseGlobalId(globalId);
  if (!parsed) throw badInput('id', 'id is not a valid global ID');
  const row = await visibleRow(db, loaders, me, parsed);
  return row ? { type: parsed.type, row } : null;
}

async function visibleRow(db: Database, loaders: Loaders, me: Viewer, { type, id }: { type: NodeType; id: string }): Promise<object | null> {
  switch (type) {
    case 'User':
      return maySee(me, 'User', { id }) ? loaders.user.load(id) : null;
    case 'FactCheck': {
      const factCheck = await loaders.factCheck.load(id);
      return factCheck && maySee(me, 'FactCheck', factCheck) ? factCheck : null;
    }
    case 'Verdict': {
      if (!mayRead(me, 'Verdict')) return null;
      const verdict = await loaders.verdict.load(id);
      if (!verdict) return null;
      const round = await loaders.verdictsByRound.load({ claimId: verdict.claimId, round: verdict.round });
      return maySee(me, 'Verdict', { verdict, round }) ? verdict : null;
    }
    case 'Article':
    case 'Claim':
    case 'Assignment':
    case 'Evidence':
      // Their rule is the role alone: nothing is read for a viewer who may not see them.
      return mayRead(me, type) ? loaders[LOADER[type]].load(id) : null;
    case 'ApiToken':
      // A token's rule (admins, or its own user) lives with the tokens.
      return findApiToken(db, me, id);
    case 'WebhookEndpoint':
      // The endpoints' own rule (admins: all; editors and partners: their own) lives with them.
      return webhookEndpointFor(db, me, id);
    case 'WebhookDelivery':
      return mayOwnEndpoints(me) ? getDelivery(db, me, id) : null;
    default:
      return null;
  }
}

const LOADER = { Article: 'article', Claim: 'claim', Assignment: 'assignment', Evidence: 'evidence' } as const;
