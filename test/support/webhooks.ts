/** Webhook and change-feed operations as a client sends them, and a claim taken to the point of publishing. */
import { ok, type TestApp } from './app.js';
import { eventually } from './eventually.js';
import { createClaim, ingestArticle, type Desk } from './factories.js';
import { mutate } from './workflow.js';

export const W = {
  create:
    'mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret endpoint { id url events enabled description owner { name } } } }',
  update: 'mutation($i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $i) { endpoint { id url events enabled description } } }',
  rotate: 'mutation($i: RotateWebhookSecretInput!) { rotateWebhookSecret(input: $i) { secret endpoint { id } } }',
  remove: 'mutation($i: DeleteWebhookEndpointInput!) { deleteWebhookEndpoint(input: $i) { deletedId } }',
  redeliver: 'mutation($i: RedeliverWebhookInput!) { redeliverWebhook(input: $i) { delivery { id state eventId } } }',
  endpoints: `query($first: Int, $after: String) { webhookEndpoints(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    edges { node { id url events enabled owner { name } } } } }`,
  deliveries: `query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { enabled deliveries(first: 100) { totalCount edges { node {
    id eventId event state attempts payload createdAt lastAttemptAt nextAttemptAt lastResponseStatus lastError } } } } } }`,
  changes: `query($after: String, $first: Int) { factCheckChanges(after: $after, first: $first) { pageInfo { hasNextPage endCursor }
    edges { cursor node { type at factCheckId factCheck { id rating } } } } }`,
};

export const ALL_EVENTS = ['FACT_CHECK_PUBLISHED', 'FACT_CHECK_CORRECTED', 'FACT_CHECK_RETRACTED', 'CLAIM_STATUS_CHANGED', 'ASSIGNMENT_CREATED'];
export const FACT_CHECK_EVENTS = ['FACT_CHECK_PUBLISHED', 'FACT_CHECK_CORRECTED', 'FACT_CHECK_RETRACTED'];

export async function createEndpoint(app: TestApp, token: string, url: string, events = ALL_EVENTS, description?: string) {
  return ok(await app.gql(W.create, { i: { url, events, description } }, token)).createWebhookEndpoint as {
    secret: string;
    endpoint: { id: string; enabled: boolean };
  };
}

export interface Delivery {
  id: string;
  eventId: string;
  event: string;
  state: string;
  attempts: number;
  payload: any;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  lastResponseStatus: number | null;
  lastError: string | null;
}

export async function deliveriesOf(app: TestApp, token: string, endpointId: string) {
  const node = ok(await app.gql(W.deliveries, { id: endpointId }, token)).node as {
    enabled: boolean;
    deliveries: { totalCount: number; edges: { node: Delivery }[] };
  };
  return { enabled: node.enabled, deliveries: node.deliveries.edges.map((e) => e.node) };
}

/** Polls the deliveries (through the API) until `predicate` holds; a test's own timeout bounds it. */
export async function waitForDeliveries(
  app: TestApp,
  token: string,
  endpointId: string,
  predicate: (d: Delivery[], enabled: boolean) => boolean,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { deliveries, enabled } = await deliveriesOf(app, token, endpointId);
    if (predicate(deliveries, enabled)) return { deliveries, enabled };
    if (Date.now() > deadline)
      throw new Error(`deliveries never matched: ${JSON.stringify(deliveries.map((d) => [d.event, d.state, d.attempts, d.lastError]))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A claim with one submitted verdict (REVIEWED), ready to publish. */
export async function reviewedClaim(app: TestApp, desk: Desk) {
  const article = await ingestArticle(app, desk.editor.token);
  const claim = await createClaim(app, desk.editor.token, {
    articleId: article.id,
    quote: 'has been routinely hijacked by Hamas terrorists',
    statement: 'Hamas routinely hijacks aid.',
  });
  ok(await mutate(app, desk.editor.token, 'assign', { claimId: claim.id, reviewerIds: [desk.reviewer1.globalId] }));
  ok(
    await mutate(app, desk.reviewer1.token, 'verdict', {
      claimId: claim.id,
      rating: 'FALSE',
      confidence: 'HIGH',
      rationale: 'UN data shows no systematic hijacking.',
    }),
  );
  return claim.id;
}

export async function publish(app: TestApp, desk: Desk, claimId: string, summary = 'No evidence of systematic hijacking.', correctionNote?: string) {
  return ok(await mutate(app, desk.editor.token, 'publish', { claimId, rating: 'FALSE', summary, correctionNote })).publishFactCheck as {
    factCheck: { id: string };
    claim: { version: number };
  };
}

/**
 * The change feed after `cursor`, once it shows a change: a change is listed only once every
 * transaction older than it has ended, and on a shared Postgres cluster (CI's, with other test files'
 * databases) another database's open transaction holds that horizon back for a moment, as any
 * partner polling the feed sees. Fails if the feed shows none within 15 s.
 */
export async function changesOnceListed(app: TestApp, token: string, cursor: string | null) {
  return eventually(
    async () => {
      const page = ok(await app.gql(W.changes, { after: cursor, first: 100 }, token)).factCheckChanges;
      return page.edges.length ? page : undefined;
    },
    { what: `a change in the feed after cursor ${cursor}`, timeoutMs: 15_000, intervalMs: 50 },
  );
}
