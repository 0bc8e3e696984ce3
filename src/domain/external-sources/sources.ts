/**
 * Managing feeds (editors and admins): create, change, delete, list. A URL must be http(s) and, in
 * production unless EXTERNAL_SOURCES_ALLOW_PRIVATE_URLS=true, resolve to public addresses only (the
 * webhook rules, src/domain/webhooks/addresses.ts). Deleting a feed keeps what it brought in: the
 * foreign key sets their source_id to null.
 */
import { eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Database, Queryable } from '../../db/connection.js';
import { countWhere } from '../../db/keyset.js';
import { externalSources, type ExternalSourceRow } from '../../db/schema.js';
import { isoTime } from '../../model/time.js';
import { badInput, notFound } from '../coded-errors.js';
import { cursorTime, cursorUuid, keysetPage, type KeysetOrder, type Page, type PageArgs } from '../pagination.js';
import { httpUrl, LIMITS, parseInput, requiredText } from '../validation.js';
import { EDITORS, requireRole, type Viewer } from '../viewer.js';
import { assertPublicHost, ForbiddenAddressError } from '../webhooks/addresses.js';
import { clockNow, mayBePrivate, SYSTEM_CLOCK, type FeedClock, type FeedPolicy } from './settings.js';

export const INTERVAL_MINUTES = { min: 5, max: 10_080, default: 60 } as const;

const intervalMinutes = z
  .number()
  .int()
  .min(INTERVAL_MINUTES.min, `must be ${INTERVAL_MINUTES.min} to ${INTERVAL_MINUTES.max} minutes`)
  .max(INTERVAL_MINUTES.max, `must be ${INTERVAL_MINUTES.min} to ${INTERVAL_MINUTES.max} minutes`);

const createInput = z.object({ name: requiredText(LIMITS.name), url: httpUrl, intervalMinutes: intervalMinutes.nullish() });
const updateInput = z.object({
  sourceId: z.string(),
  name: requiredText(LIMITS.name).nullish(),
  url: httpUrl.nullish(),
  intervalMinutes: intervalMinutes.nullish(),
  enabled: z.boolean().nullish(),
});

export type CreateExternalSourceInput = z.input<typeof createInput>;
export type UpdateExternalSourceInput = z.input<typeof updateInput>;

/** The SSRF rule at registration; the fetch checks every hop again (fetch-document.ts). */
async function assertReachable(url: string, policy: FeedPolicy) {
  if (mayBePrivate(policy, new URL(url))) return;
  const { hostname } = new URL(url);
  try {
    await assertPublicHost(hostname);
  } catch (error) {
    const reason = error instanceof ForbiddenAddressError ? error.message : `${hostname} does not resolve`;
    throw badInput('url', `url is not allowed: ${reason}; feeds must be on public addresses`);
  }
}

export async function createExternalSource(
  db: Database,
  viewer: Viewer | null,
  input: CreateExternalSourceInput,
  policy: FeedPolicy,
  clock: FeedClock = SYSTEM_CLOCK,
): Promise<ExternalSourceRow> {
  const actor = requireRole(viewer, EDITORS);
  const data = parseInput(createInput, input);
  await assertReachable(data.url, policy);
  const now = clockNow(clock);
  // Due at once: the fetch job of some process takes it within its poll interval.
  const [created] = await db
    .insert(externalSources)
    .values({
      name: data.name.trim(),
      url: data.url,
      intervalMinutes: data.intervalMinutes ?? INTERVAL_MINUTES.default,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
      nextFetchAt: now,
    })
    .returning();
  return created!;
}

export async function existingSource(db: Queryable, sourceId: string, field = 'sourceId'): Promise<ExternalSourceRow> {
  const [source] = await db.select().from(externalSources).where(eq(externalSources.id, sourceId));
  if (!source) throw notFound('External source', field);
  return source;
}

/**
 * Fields left out stay. A new URL is fetched afresh (due now, no validators of the old one); a new
 * interval counts from the last fetch.
 */
export async function updateExternalSource(
  db: Database,
  viewer: Viewer | null,
  input: UpdateExternalSourceInput,
  policy: FeedPolicy,
  clock: FeedClock = SYSTEM_CLOCK,
): Promise<ExternalSourceRow> {
  requireRole(viewer, EDITORS);
  if (input.name === null) throw badInput('name', 'name cannot be removed');
  if (input.url === null) throw badInput('url', 'url cannot be removed');
  const data = parseInput(updateInput, input);
  const source = await existingSource(db, data.sourceId);
  const now = clockNow(clock);
  const changes: PgUpdateSetSource<typeof externalSources> = {};
  if (data.name && data.name.trim() !== source.name) changes.name = data.name.trim();
  if (data.url && data.url !== source.url) {
    await assertReachable(data.url, policy);
    Object.assign(changes, { url: data.url, etag: null, lastModified: null, nextFetchAt: now });
  }
  if (data.intervalMinutes != null && data.intervalMinutes !== source.intervalMinutes) {
    changes.intervalMinutes = data.intervalMinutes;
    changes.nextFetchAt ??= sql`coalesce(${externalSources.lastFetchedAt}, ${now}) + interval '1 minute' * ${data.intervalMinutes}::int`;
  }
  if (data.enabled != null && data.enabled !== source.enabled) changes.enabled = data.enabled;
  if (Object.keys(changes).length === 0) return source;
  const [updated] = await db
    .update(externalSources)
    .set({ ...changes, updatedAt: now })
    .where(eq(externalSources.id, source.id))
    .returning();
  if (!updated) throw notFound('External source', 'sourceId');
  return updated;
}

/** What it brought in stays (source_id becomes null); a fetch in flight finds no row to record into. */
export async function deleteExternalSource(db: Database, viewer: Viewer | null, sourceId: string): Promise<string> {
  requireRole(viewer, EDITORS);
  const [deleted] = await db.delete(externalSources).where(eq(externalSources.id, sourceId)).returning({ id: externalSources.id });
  if (!deleted) throw notFound('External source', 'sourceId');
  return deleted.id;
}

const newestFirst: KeysetOrder<ExternalSourceRow> = {
  keys: [externalSources.createdAt, externalSources.id],
  direction: 'desc',
  cursorOf: (s) => [isoTime(s.createdAt), s.id],
  parse: ([at, id]) => [cursorTime(at), cursorUuid(id)],
};

export async function listExternalSources(db: Queryable, viewer: Viewer | null, args: PageArgs): Promise<Page<ExternalSourceRow>> {
  requireRole(viewer, EDITORS);
  return keysetPage(db.select().from(externalSources).$dynamic(), newestFirst, args, undefined, () => countWhere(db, externalSources, undefined));
}
