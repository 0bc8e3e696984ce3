/**
 * Topics: the subjects the desk files claims under (docs/design.md, Topics). Editors and admins
 * create them; everyone who may read fact checks reads them. A name is unique regardless of case
 * and accents (`searchKey`, the unique index on name_key), and a topic is never renamed.
 *
 * `topics(search)` ranks the names that match, best first: the exact name, then names that start
 * with the search, then names with a word that starts with it, then names pg_trgm finds similar
 * (a typo); within each, the closest first. Without a search, by name.
 */
import { asc, count, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Queryable } from '../../db/connection.js';
import { topics, type TopicRow } from '../../db/schema.js';
import { searchKey } from '../../model/search-key.js';
import { DomainError, notFound } from '../coded-errors.js';
import { toGlobalId } from '../global-ids.js';
import {
  cursorString,
  cursorUuid,
  decodeCursor,
  invalidCursor,
  keysetPage,
  pageLimit,
  toPage,
  type KeysetOrder,
  type Page,
  type PageArgs,
} from '../pagination.js';
import { codePointLength } from '../spans.js';
import { isSafeText, LIMITS, optionalText, parseInput } from '../validation.js';
import { EDITORS, requireRole, type Viewer } from '../viewer.js';
import { requireReader } from '../visibility.js';

/** A topic's name, in code points, after trimming. */
export const TOPIC_NAME_MAX = 100;

/** A Wikidata item ID: "Q" and digits, no leading zero (Q42). */
export const wikidataId = z
  .string()
  .max(20, 'must be at most 20 characters')
  .regex(/^Q[1-9][0-9]*$/, 'must be a Wikidata item ID: "Q" and digits, e.g. Q42');

const topicName = z
  .string()
  .refine(isSafeText, 'must not contain NUL characters or lone surrogates')
  .transform((s) => s.trim())
  .refine((s) => s.length > 0, 'must not be empty')
  .refine((s) => codePointLength(s) <= TOPIC_NAME_MAX, `must be at most ${TOPIC_NAME_MAX} characters`)
  .refine((s) => searchKey(s) !== '', 'must contain a letter or a digit');

const createInput = z.object({ name: topicName, wikidataId: wikidataId.nullish() });
export type CreateTopicInput = z.input<typeof createInput>;

/** CONFLICT when the name, compared as searchKey does, is taken; `extensions.topicId` names the topic that has it. */
function nameTaken(existing: Pick<TopicRow, 'id' | 'name'>): DomainError {
  const topicId = toGlobalId('Topic', existing.id);
  return new DomainError('CONFLICT', `A topic named "${existing.name}" already exists (${topicId}); topics are unique regardless of case and accents`, 'name', {
    topicId,
  });
}

export async function createTopic(db: Database, viewer: Viewer | null, input: CreateTopicInput): Promise<TopicRow> {
  const actor = requireRole(viewer, EDITORS);
  const data = parseInput(createInput, input);
  const nameKey = searchKey(data.name);
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(topics)
      .values({ name: data.name, nameKey, wikidataId: data.wikidataId ?? null, createdBy: actor.id })
      // The unique index on name_key: an existing name, or one created by a concurrent request.
      .onConflictDoNothing()
      .returning();
    if (created) return created;
    const [existing] = await tx.select({ id: topics.id, name: topics.name }).from(topics).where(eq(topics.nameKey, nameKey));
    if (!existing) throw notFound('Topic', 'name'); // cannot happen: topics are never deleted
    throw nameTaken(existing);
  });
}

const byName: KeysetOrder<TopicRow> = {
  keys: [topics.nameKey, topics.id],
  direction: 'asc',
  cursorOf: (t) => [t.nameKey, t.id],
  parse: ([key, id]) => [cursorString(key), cursorUuid(id)],
};

const listInput = z.object({ search: optionalText(LIMITS.short) });

/** How far a ranked page may go (an offset cursor): far beyond any typeahead, bounded so an offset stays cheap. */
const MAX_SEARCH_OFFSET = 10_000;

/** Topics by name; with `search`, the names that match it, best first (every role). */
export async function listTopics(db: Queryable, viewer: Viewer | null, args: PageArgs & { search?: string | null }): Promise<Page<TopicRow>> {
  requireReader(viewer, 'Topic');
  const { search } = parseInput(listInput, { search: args.search });
  const key = search ? searchKey(search) : '';
  // A search of punctuation only has nothing to match on: the list by name, as without one.
  if (!key) return keysetPage(db.select().from(topics).$dynamic(), byName, args, undefined, () => countWhere(db, undefined));
  return searchTopics(db, key, args);
}

const countWhere = async (db: Queryable, where: SQL | undefined) => Number((await db.select({ n: count() }).from(topics).where(where))[0]?.n ?? 0);

/**
 * The ranked page. `key` holds only letters, digits and single spaces (searchKey), so it needs no
 * escaping inside LIKE. pg_trgm's `%` (similarity ≥ pg_trgm.similarity_threshold, 0.3) and `<%`
 * (a word of the name close to the search: word_similarity ≥ 0.6) find typos; both use the
 * trigram index on name_key.
 */
async function searchTopics(db: Queryable, key: string, args: PageArgs): Promise<Page<TopicRow>> {
  const limit = pageLimit(args.first);
  let offset = 0;
  if (args.after) {
    const [skip] = decodeCursor(args.after, 1);
    if (typeof skip !== 'number' || !Number.isInteger(skip) || skip < 1 || skip > MAX_SEARCH_OFFSET) throw invalidCursor();
    offset = skip;
  }
  const prefix = sql`${topics.nameKey} like ${`${key}%`}`;
  const wordPrefix = sql`${topics.nameKey} like ${`% ${key}%`}`;
  const similar = or(sql`${topics.nameKey} % ${key}`, sql`${key} <% ${topics.nameKey}`);
  const where = or(prefix, wordPrefix, similar);
  const tier = sql`case when ${topics.nameKey} = ${key} then 0 when ${prefix} then 1 when ${wordPrefix} then 2 else 3 end`;
  const closeness = sql`greatest(similarity(${topics.nameKey}, ${key}), word_similarity(${key}, ${topics.nameKey}))`;
  const rows = await db
    .select()
    .from(topics)
    .where(where)
    .orderBy(tier, sql`${closeness} desc`, asc(topics.nameKey), asc(topics.id))
    .limit(limit + 1)
    .offset(offset);
  // A row's cursor is how many rows precede the next one.
  const position = new Map(rows.map((row, i) => [row, offset + i + 1]));
  const page = toPage(
    rows,
    limit,
    (row) => [position.get(row)!],
    () => countWhere(db, where),
  );
  // The ranked list ends about MAX_SEARCH_OFFSET rows in: no next page is offered beyond it.
  if (offset + limit >= MAX_SEARCH_OFFSET) page.hasNextPage = false;
  return page;
}

/** The topics of `ids` that exist, by name; NOT_FOUND naming `field` if one does not. */
export async function existingTopics(db: Queryable, ids: readonly string[], field: string): Promise<TopicRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select()
    .from(topics)
    .where(inArray(topics.id, [...ids]))
    .orderBy(asc(topics.nameKey), asc(topics.id));
  if (rows.length !== new Set(ids).size) throw notFound('Topic', field);
  return rows;
}

/** A list of topic IDs as an input takes it: row ids (the API decodes global IDs), duplicates dropped, at most `max`. */
export const topicIdList = (max: number) =>
  z
    .array(z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be topic IDs'))
    .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))])
    .refine((ids) => ids.length <= max, `must name at most ${max} topics`);
