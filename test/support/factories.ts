import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/db/connection.js';
import { apiTokens, articles, claimEvents, claims, factChecks, users } from '../../src/db/schema.js';
import { hashToken, newToken } from '../../src/domain/access/users.js';
import type { Role } from '../../src/model/enums.js';
import { toGlobalId } from '../../src/domain/global-ids.js';
import { seedsFolder } from '../../src/paths.js';
import { ok, startTestApp, type TestApp } from './app.js';

export interface TestUser {
  id: string;
  globalId: string;
  name: string;
  role: Role;
  token: string;
}

export const SEED_BODY = readFileSync(join(seedsFolder, '000_0c7b228e49d440e0.txt'), 'utf8').trimEnd();

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomUUID().slice(0, 4)}`;

export async function createUser(db: Database, role: Role, name = `${role.toLowerCase()} ${unique()}`): Promise<TestUser> {
  const [user] = await db
    .insert(users)
    .values({ name, email: `${unique()}@test.local`, role })
    .returning();
  const token = newToken();
  await db.insert(apiTokens).values({ userId: user!.id, label: 'test', tokenHash: hashToken(token) });
  return { id: user!.id, globalId: toGlobalId('User', user!.id), name, role, token };
}

/** The people of a fact-check desk: an admin, an editor, two reviewers and a partner app. */
export async function createDesk(db: Database) {
  return {
    admin: await createUser(db, 'ADMIN', 'Ada Admin'),
    editor: await createUser(db, 'EDITOR', 'Erin Editor'),
    reviewer1: await createUser(db, 'REVIEWER', 'Rafael Reviewer'),
    reviewer2: await createUser(db, 'REVIEWER', 'Rina Reviewer'),
    partner: await createUser(db, 'PARTNER', 'Partner App'),
  };
}
export type Desk = Awaited<ReturnType<typeof createDesk>>;

/** A test file's world: the real server on a fresh database, with a desk of users in it. */
export async function startDeskApp(...args: Parameters<typeof startTestApp>): Promise<{ app: TestApp; desk: Desk }> {
  const app = await startTestApp(...args);
  return { app, desk: await createDesk(app.database.db) };
}

export const INGEST = /* GraphQL */ `
  mutation Ingest($input: IngestArticleInput!) { ingestArticle(input: $input) { created article { id url body language } } }`;

export async function ingestArticle(
  app: TestApp,
  token: string,
  input: Partial<{ url: string; title: string; body: string; language: string; publishedAt: string }> = {},
) {
  const data = ok(
    await app.gql(
      INGEST,
      { input: { url: `https://news.example/${unique()}`, title: 'Gallant meets Blinken', body: SEED_BODY, publishedAt: '2024-06-24T20:00:00Z', ...input } },
      token,
    ),
  );
  return data.ingestArticle.article as { id: string; url: string; body: string };
}

export const CREATE_CLAIM = /* GraphQL */ `
  mutation Create($input: CreateClaimInput!) { createClaim(input: $input) { claim { id quote statement status version span { start end } round } } }`;

export async function createClaim(app: TestApp, token: string, input: Record<string, unknown>) {
  return ok(await app.gql(CREATE_CLAIM, { input }, token)).createClaim.claim as {
    id: string;
    version: number;
    status: string;
    span: { start: number; end: number };
  };
}

const DAY_MS = 86_400_000;

/**
 * An archive of fact checks published in the past, one per statement, `daysAgo` before now. No
 * mutation publishes in the past, so this writes the rows a publication leaves (claim, fact check,
 * CREATED and PUBLISHED events) directly. Returns the fact checks' IDs in the order given.
 */
export async function publishedArchive(
  db: Database,
  editorId: string,
  entries: { statement: string; daysAgo: number; language?: string }[],
): Promise<string[]> {
  const body = entries.map((e) => e.statement).join(' ');
  const [article] = await db
    .insert(articles)
    .values({ url: `https://archive.example/${unique()}`, title: 'Archive', body, language: 'en', ingestedBy: editorId })
    .returning();
  const ids: string[] = [];
  let start = 0;
  for (let i = 0; i < entries.length; i += 500) {
    const batch = entries.slice(i, i + 500).map((entry) => {
      const at = new Date(Date.now() - entry.daysAgo * DAY_MS);
      const span = { spanStart: start, spanEnd: start + [...entry.statement].length };
      start = span.spanEnd + 1;
      return { entry, at, span, claimId: randomUUID(), factCheckId: randomUUID() };
    });
    await db.insert(claims).values(
      batch.map((b) => ({
        id: b.claimId,
        articleId: article!.id,
        quote: b.entry.statement,
        ...b.span,
        statement: b.entry.statement,
        status: 'PUBLISHED' as const,
        publishedRound: 1,
        version: 2,
        createdBy: editorId,
        createdAt: b.at,
        updatedAt: b.at,
      })),
    );
    await db.insert(factChecks).values(
      batch.map((b) => ({
        id: b.factCheckId,
        claimId: b.claimId,
        articleId: article!.id,
        claimReviewed: b.entry.statement,
        quote: b.entry.statement,
        language: b.entry.language ?? 'en',
        rating: 'FALSE' as const,
        summary: 'Archived.',
        // The default scale's label for FALSE, as publishFactCheck would store it.
        textualRating: 'False',
        ratingLabelKey: 'false',
        ratingLabelChosen: false,
        ratingValue: 1,
        bestRating: 5,
        worstRating: 1,
        publishedBy: editorId,
        publishedAt: b.at,
        updatedAt: b.at,
      })),
    );
    await db.insert(claimEvents).values(
      batch.flatMap((b) => [
        { claimId: b.claimId, actorId: editorId, type: 'CREATED' as const, toStatus: 'OPEN' as const, version: 1, at: b.at },
        {
          claimId: b.claimId,
          actorId: editorId,
          type: 'PUBLISHED' as const,
          fromStatus: 'OPEN' as const,
          toStatus: 'PUBLISHED' as const,
          version: 2,
          at: b.at,
        },
      ]),
    );
    ids.push(...batch.map((b) => b.factCheckId));
  }
  return ids;
}
