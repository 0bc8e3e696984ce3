/**
 * Loads seeds/: the first real source article, a few claims a desk would take from it, and demo users;
 * one claim goes the whole way (evidence, verdicts, a published fact check) so that partners'
 * routes show something on the first start. Every step is the domain function its mutation calls.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from './db/connection.js';
import { apiTokens, articles, users } from './db/schema.js';
import { ingestArticle } from './domain/articles/articles.js';
import { createClaim } from './domain/claims/create.js';
import { publishFactCheck } from './domain/claims/editorial.js';
import { CONFIDENCES, EVIDENCE_KINDS, PRIORITIES, RATINGS, ROLES, STANCES } from './model/enums.js';
import { addEvidence, assignClaim, submitVerdict } from './domain/claims/reviewer-actions.js';
import { hashToken, newToken } from './domain/access/users.js';
import type { Viewer } from './domain/viewer.js';
import { seedsFolder } from './paths.js';

const demoFile = z.object({
  article: z.object({
    file: z.string(),
    url: z.string(),
    title: z.string(),
    publisher: z.string().nullish(),
    publishedAt: z.string().nullish(),
    language: z.string(),
  }),
  users: z.array(z.object({ key: z.string(), name: z.string(), email: z.string(), role: z.enum(ROLES) })),
  claims: z.array(
    z.object({
      quote: z.string(),
      statement: z.string().nullish(),
      claimant: z.string().nullish(),
      priority: z.enum(PRIORITIES),
      requiredVerdicts: z.number(),
      assign: z.array(z.string()),
      /** Added in this order, by `addedBy` (a user's key); verdicts cite them by `key`. */
      evidence: z
        .array(
          z.object({
            key: z.string(),
            addedBy: z.string(),
            kind: z.enum(EVIDENCE_KINDS),
            url: z.string().nullish(),
            title: z.string(),
            excerpt: z.string().nullish(),
            stance: z.enum(STANCES),
          }),
        )
        .default([]),
      /** Submitted in this order, after all the evidence, each by an assigned reviewer. */
      verdicts: z
        .array(
          z.object({
            reviewer: z.string(),
            rating: z.enum(RATINGS),
            confidence: z.enum(CONFIDENCES),
            rationale: z.string(),
            evidence: z.array(z.string()).default([]),
          }),
        )
        .default([]),
      /** Published by the editor once the verdicts are in. */
      factCheck: z.object({ rating: z.enum(RATINGS), summary: z.string() }).nullish(),
    }),
  ),
});

export interface SeededUser {
  name: string;
  role: string;
  token: string;
  /** The token's row id (main.ts prints its global ID, for revokeApiToken). */
  tokenId: string;
}

/**
 * Seeds once: returns the demo users with fresh tokens the first time, and null when the seed
 * article is there already (a restart, or another process seeded first).
 */
export async function seedDemo(db: Database): Promise<SeededUser[] | null> {
  const demo = demoFile.parse(JSON.parse(readFileSync(join(seedsFolder, 'demo.json'), 'utf8')));
  const body = readFileSync(join(seedsFolder, demo.article.file), 'utf8').trimEnd();
  const viewers = new Map<string, Viewer>();
  const seeded: SeededUser[] = [];
  const claimed = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727271003)`);
    const [existing] = await tx.select({ id: articles.id }).from(articles).where(eq(articles.url, demo.article.url));
    if (existing) return false;
    for (const u of demo.users) {
      await tx.insert(users).values({ name: u.name, email: u.email, role: u.role }).onConflictDoNothing();
      const [row] = await tx.select().from(users).where(eq(users.email, u.email));
      const token = newToken();
      const [issued] = await tx
        .insert(apiTokens)
        .values({ userId: row!.id, label: 'demo', tokenHash: hashToken(token) })
        .returning({ id: apiTokens.id });
      viewers.set(u.key, { id: row!.id, name: row!.name, role: row!.role });
      seeded.push({ name: row!.name, role: row!.role, token, tokenId: issued!.id });
    }
    return true;
  });
  if (!claimed) return null;

  const editor = [...viewers.values()].find((v) => v.role === 'EDITOR')!;
  const viewerOf = (key: string) => {
    const viewer = viewers.get(key);
    if (!viewer) throw new Error(`seeds/demo.json names a user "${key}" that it does not define`);
    return viewer;
  };
  const { article } = await ingestArticle(db, editor, {
    url: demo.article.url,
    title: demo.article.title,
    body,
    publisher: demo.article.publisher,
    publishedAt: demo.article.publishedAt ? new Date(demo.article.publishedAt) : null,
    language: demo.article.language,
  });
  for (const c of demo.claims) {
    const claim = await createClaim(db, editor, {
      articleId: article.id,
      quote: c.quote,
      statement: c.statement,
      claimant: c.claimant,
      priority: c.priority,
      requiredVerdicts: c.requiredVerdicts,
    });
    if (c.assign.length) await assignClaim(db, editor, { claimId: claim.id, reviewerIds: c.assign.map((k) => viewerOf(k).id) });
    const evidenceIds = new Map<string, string>();
    for (const { key, addedBy, ...item } of c.evidence) {
      const { evidence } = await addEvidence(db, viewerOf(addedBy), { claimId: claim.id, ...item });
      evidenceIds.set(key, evidence.id);
    }
    const evidenceIdOf = (key: string) => {
      const id = evidenceIds.get(key);
      if (!id) throw new Error(`seeds/demo.json: a verdict cites evidence "${key}", which its claim does not have`);
      return id;
    };
    for (const { reviewer, evidence, ...verdict } of c.verdicts) {
      await submitVerdict(db, viewerOf(reviewer), { claimId: claim.id, ...verdict, evidenceIds: evidence.map(evidenceIdOf) });
    }
    if (c.factCheck) await publishFactCheck(db, editor, { claimId: claim.id, ...c.factCheck });
  }
  return seeded;
}
