/**
 * The database as the tests see it, read with drizzle's query builder (not db.execute, whose row
 * shape differs between postgres.js and PGlite): whole snapshots, to prove that a refused request
 * changed nothing, and the claim invariants of DESIGN.md, to check after many random requests.
 */
import { asc } from 'drizzle-orm';
import type { Database } from '../../src/db/connection.js';
import {
  apiTokens, articles, assignments, claimEvents, claims, corrections, evidence, factChecks, users, verdictEvidence, verdicts,
} from '../../src/db/schema.js';
import { deriveStatus } from '../../src/domain/workflow.js';

/** Every row of every table, in a stable order. Two equal snapshots: nothing was written in between. */
export async function snapshotDatabase(db: Database) {
  return {
    users: await db.select().from(users).orderBy(asc(users.id)),
    apiTokens: await db.select().from(apiTokens).orderBy(asc(apiTokens.id)),
    articles: await db.select().from(articles).orderBy(asc(articles.id)),
    claims: await db.select().from(claims).orderBy(asc(claims.id)),
    assignments: await db.select().from(assignments).orderBy(asc(assignments.id)),
    evidence: await db.select().from(evidence).orderBy(asc(evidence.id)),
    verdicts: await db.select().from(verdicts).orderBy(asc(verdicts.id)),
    verdictEvidence: await db.select().from(verdictEvidence).orderBy(asc(verdictEvidence.verdictId), asc(verdictEvidence.evidenceId)),
    factChecks: await db.select().from(factChecks).orderBy(asc(factChecks.id)),
    corrections: await db.select().from(corrections).orderBy(asc(corrections.id)),
    claimEvents: await db.select().from(claimEvents).orderBy(asc(claimEvents.id)),
  };
}

const groupBy = <T, K>(rows: readonly T[], key: (row: T) => K) => {
  const groups = new Map<K, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return groups;
};

/**
 * What must hold for every claim, whatever happened to it (an empty list when all is well):
 * - its quote is the article body's code points [span_start, span_end);
 * - its stored status is what deriveStatus() makes of its facts (the current round's verdicts and
 *   ACTIVE assignments, dismissed, published in this round);
 * - its version is the number of its events, and the events are versions 1..version;
 * - at most one ACTIVE assignment per (claim, reviewer).
 */
export async function claimInvariantViolations(db: Database): Promise<string[]> {
  const bodies = new Map((await db.select({ id: articles.id, body: articles.body }).from(articles)).map((a) => [a.id, a.body]));
  const allClaims = await db.select().from(claims);
  const assignmentsByClaim = groupBy(await db.select({ claimId: assignments.claimId, reviewerId: assignments.reviewerId, state: assignments.state }).from(assignments), (a) => a.claimId);
  const verdictsByClaim = groupBy(await db.select({ claimId: verdicts.claimId, round: verdicts.round, rating: verdicts.rating }).from(verdicts), (v) => v.claimId);
  const eventsByClaim = groupBy(await db.select({ claimId: claimEvents.claimId, version: claimEvents.version }).from(claimEvents), (e) => e.claimId);

  const violations: string[] = [];
  for (const claim of allClaims) {
    const where = `claim ${claim.id}`;
    const body = bodies.get(claim.articleId);
    const atSpan = body === undefined ? undefined : Array.from(body).slice(claim.spanStart, claim.spanEnd).join('');
    if (atSpan !== claim.quote) violations.push(`${where}: quote ${JSON.stringify(claim.quote)} but the body at [${claim.spanStart}, ${claim.spanEnd}) is ${JSON.stringify(atSpan)}`);

    const active = (assignmentsByClaim.get(claim.id) ?? []).filter((a) => a.state === 'ACTIVE');
    const derived = deriveStatus({
      dismissed: claim.dismissed,
      publishedThisRound: claim.publishedRound === claim.round,
      requiredVerdicts: claim.requiredVerdicts,
      activeAssignments: active.length,
      ratings: (verdictsByClaim.get(claim.id) ?? []).filter((v) => v.round === claim.round).map((v) => v.rating),
    });
    if (derived !== claim.status) violations.push(`${where}: status ${claim.status}, but its facts derive ${derived}`);

    const versions = (eventsByClaim.get(claim.id) ?? []).map((e) => e.version).sort((a, b) => a - b);
    if (versions.length !== claim.version || versions.some((v, i) => v !== i + 1)) {
      violations.push(`${where}: version ${claim.version}, events with versions [${versions.join(', ')}]`);
    }

    for (const [reviewerId, rows] of groupBy(active, (a) => a.reviewerId)) {
      if (rows.length > 1) violations.push(`${where}: ${rows.length} ACTIVE assignments for reviewer ${reviewerId}`);
    }
  }
  return violations;
}
