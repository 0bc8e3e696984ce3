/** Registering and managing webhook endpoints (admins, editors, partners; each their own, admins all). */
import { and, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Queryable } from '../../db/connection.js';
import { users, webhookEndpoints, type WebhookEndpointRow } from '../../db/schema.js';
import { badInput, forbidden, notFound } from '../coded-errors.js';
import { cursorDate, cursorUuid, decodeCursor, pageLimit, toPage, type Page, type PageArgs } from '../pagination.js';
import { httpUrl, LIMITS, optionalText, parseInput } from '../validation.js';
import type { Role } from '../../model/enums.js';
import { requireRole, type Viewer } from '../viewer.js';
import { assertPublicHost, ForbiddenAddressError } from './addresses.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../model/enums.js';
import { ENDPOINT_OWNER_ROLES, mayReceive } from './events.js';
import { newWebhookSecret, sealSecret } from './secrets.js';
import { existingTopics, topicIdList } from '../topics/topics.js';

/** How many topics an endpoint may follow. */
export const ENDPOINT_TOPICS_MAX = 50;
/** An endpoint's topics: row ids (GraphQL decodes the global IDs); empty: every fact check. */
const endpointTopics = topicIdList(ENDPOINT_TOPICS_MAX);

/** How this installation treats endpoint URLs and secrets (from config). */
export interface WebhookPolicy {
  /** False in production unless WEBHOOK_ALLOW_PRIVATE_URLS=true. */
  allowPrivateUrls: boolean;
  secretKey: string | null;
}

const eventList = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1, 'must name at least one event')
  .transform((events) => [...new Set(events)]);

const createInput = z.object({ url: httpUrl, events: eventList, description: optionalText(LIMITS.short), topicIds: endpointTopics.nullish() });
const updateInput = z.object({
  endpointId: z.string(),
  url: httpUrl.nullish(),
  events: eventList.nullish(),
  description: optionalText(LIMITS.short),
  enabled: z.boolean().nullish(),
  topicIds: endpointTopics.nullish(),
});

type EndpointOwner = { role: Role; embargoAccess: boolean };

function assertMayReceive(owner: EndpointOwner, events: readonly WebhookEventType[]) {
  const hidden = events.filter((e) => !mayReceive(owner, e));
  if (hidden.length)
    throw forbidden(
      `A ${owner.role} endpoint cannot receive ${hidden.join(', ')}: partners hear about published fact checks and the answers to their own correction requests only (scheduled ones with embargo access, which admins grant)`,
    );
}

/** The owner's role and embargo access as stored now (the viewer's cached role may be a moment old). */
async function ownerOf(db: Queryable, ownerId: string): Promise<EndpointOwner> {
  const [owner] = await db.select({ role: users.role, embargoAccess: users.embargoAccess }).from(users).where(eq(users.id, ownerId));
  if (!owner) throw notFound('User');
  return owner;
}

async function assertReachable(url: string, policy: WebhookPolicy) {
  if (policy.allowPrivateUrls) return;
  try {
    await assertPublicHost(new URL(url).hostname);
  } catch (error) {
    const reason = error instanceof ForbiddenAddressError ? error.message : `${new URL(url).hostname} does not resolve`;
    throw badInput('url', `url is not allowed: ${reason}; endpoints must be on public addresses`);
  }
}

/** The endpoint, if the viewer owns it or is an admin; NOT_FOUND otherwise (others' endpoints are not revealed). */
export async function ownedEndpoint(
  db: Queryable,
  viewer: Viewer,
  endpointId: string,
  field = 'endpointId',
): Promise<WebhookEndpointRow & { ownerRole: Role; ownerEmbargoAccess: boolean }> {
  const [row] = await db
    .select({ endpoint: webhookEndpoints, ownerRole: users.role, ownerEmbargoAccess: users.embargoAccess })
    .from(webhookEndpoints)
    .innerJoin(users, eq(users.id, webhookEndpoints.ownerId))
    .where(eq(webhookEndpoints.id, endpointId));
  if (!row || (viewer.role !== 'ADMIN' && row.endpoint.ownerId !== viewer.id)) throw notFound('Webhook endpoint', field);
  return { ...row.endpoint, ownerRole: row.ownerRole, ownerEmbargoAccess: row.ownerEmbargoAccess };
}

export async function createWebhookEndpoint(db: Database, viewer: Viewer | null, input: z.input<typeof createInput>, policy: WebhookPolicy) {
  const owner = requireRole(viewer, ENDPOINT_OWNER_ROLES);
  const data = parseInput(createInput, input);
  // Embargo access is read only when an event needs it.
  const withoutEmbargo = { role: owner.role, embargoAccess: false };
  assertMayReceive(data.events.every((e) => mayReceive(withoutEmbargo, e)) ? withoutEmbargo : await ownerOf(db, owner.id), data.events);
  await assertReachable(data.url, policy);
  await existingTopics(db, data.topicIds ?? [], 'topicIds');
  const secret = newWebhookSecret();
  const [endpoint] = await db
    .insert(webhookEndpoints)
    .values({
      ownerId: owner.id,
      url: data.url,
      events: data.events,
      description: data.description ?? null,
      topicIds: data.topicIds ?? [],
      secret: sealSecret(secret, policy.secretKey),
    })
    .returning();
  return { endpoint: endpoint!, secret };
}

/** Fields left out stay; enabling resets the failure count. */
export async function updateWebhookEndpoint(db: Database, viewer: Viewer | null, input: z.input<typeof updateInput>, policy: WebhookPolicy) {
  const actor = requireRole(viewer, ENDPOINT_OWNER_ROLES);
  const data = parseInput(updateInput, input);
  const endpoint = await ownedEndpoint(db, actor, data.endpointId);
  const changes: Partial<WebhookEndpointRow> = {};
  if (data.events) {
    assertMayReceive({ role: endpoint.ownerRole, embargoAccess: endpoint.ownerEmbargoAccess }, data.events);
    changes.events = data.events;
  }
  if (data.url) {
    await assertReachable(data.url, policy);
    changes.url = data.url;
  }
  if (data.description !== undefined) changes.description = data.description;
  if (data.topicIds) {
    await existingTopics(db, data.topicIds, 'topicIds');
    if (data.topicIds.length !== endpoint.topicIds.length || data.topicIds.some((id) => !endpoint.topicIds.includes(id))) changes.topicIds = data.topicIds;
  }
  if (data.enabled != null) {
    changes.enabled = data.enabled;
    if (data.enabled) changes.consecutiveFailures = 0;
  }
  if (Object.keys(changes).length === 0) return endpoint;
  const [updated] = await db.update(webhookEndpoints).set(changes).where(eq(webhookEndpoints.id, endpoint.id)).returning();
  return updated!;
}

export async function rotateWebhookSecret(db: Database, viewer: Viewer | null, endpointId: string, policy: WebhookPolicy) {
  const actor = requireRole(viewer, ENDPOINT_OWNER_ROLES);
  const endpoint = await ownedEndpoint(db, actor, endpointId);
  const secret = newWebhookSecret();
  const [updated] = await db
    .update(webhookEndpoints)
    .set({ secret: sealSecret(secret, policy.secretKey) })
    .where(eq(webhookEndpoints.id, endpoint.id))
    .returning();
  return { endpoint: updated!, secret };
}

/** Its deliveries go with it (ON DELETE CASCADE): pending ones are dropped. */
export async function deleteWebhookEndpoint(db: Database, viewer: Viewer | null, endpointId: string): Promise<string> {
  const actor = requireRole(viewer, ENDPOINT_OWNER_ROLES);
  const endpoint = await ownedEndpoint(db, actor, endpointId);
  await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
  return endpoint.id;
}

/** The viewer's own endpoints, every endpoint for admins; newest first. */
export async function listWebhookEndpoints(db: Queryable, viewer: Viewer | null, args: PageArgs): Promise<Page<WebhookEndpointRow>> {
  const actor = requireRole(viewer, ENDPOINT_OWNER_ROLES);
  const limit = pageLimit(args.first);
  const mine = actor.role === 'ADMIN' ? undefined : eq(webhookEndpoints.ownerId, actor.id);
  let after: SQL | undefined;
  if (args.after) {
    const [at, id] = decodeCursor(args.after, 2);
    after = sql`(${webhookEndpoints.createdAt}, ${webhookEndpoints.id}) < (${cursorDate(at).toISOString()}, ${cursorUuid(id)})`;
  }
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(and(mine, after))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id))
    .limit(limit + 1);
  const totalCount = async () => Number((await db.select({ n: count() }).from(webhookEndpoints).where(mine))[0]?.n ?? 0);
  return toPage(rows, limit, (e) => [e.createdAt.toISOString(), e.id], totalCount);
}

export const isValidEventType = (value: string): value is WebhookEventType => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);

export const mayOwnEndpoints = (viewer: Viewer) => ENDPOINT_OWNER_ROLES.includes(viewer.role);

/** For node(id): the endpoint if the viewer may manage it, null otherwise. */
export async function webhookEndpointFor(db: Queryable, viewer: Viewer, endpointId: string): Promise<WebhookEndpointRow | null> {
  if (!mayOwnEndpoints(viewer)) return null;
  const [endpoint] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId));
  return endpoint && (viewer.role === 'ADMIN' || endpoint.ownerId === viewer.id) ? endpoint : null;
}
