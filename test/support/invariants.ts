/**
 * The invariants of docs/design.md, checked straight in the database (not through the API):
 * whatever ran against it, in however many processes, these must hold. Returns the violations found (empty: all hold).
 */
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/connection.js';
import { articles, assignments, claimAppearances, claimEvents, claims, claimTopics, factChecks, ratingLabels, topics, verdicts } from '../../src/db/schema.js';
import { correctionRequests, webhookEvents } from '../../src/db/schema.js';
import { corrections, organization, retractions, scheduledPublications } from '../../src/db/schema.js';
import { normalizeLookupUrl } from '../../src/model/lookup-url.js';
import { searchKey } from '../../src/model/search-key.js';
import { deriveStatus } from '../../src/domain/workflow.js';

export interface InvariantReport {
  claimsChecked: number;
  eventsChecked: number;
  violations: string[];
}

export async function checkInvariants(db: Database): Promise<InvariantReport> {
  const violations: string[] = [];
  const allClaims = await db.select().from(claims);
  const allEvents = await db.select().from(claimEvents).orderBy(asc(claimEvents.claimId), asc(claimEvents.version));
  const allAssignments = await db.select().from(assignments);
  const allVerdicts = await db.select().from(verdicts);
  const factCheckOf = new Map(
    (await db.select({ claimId: factChecks.claimId, retractedAt: factChecks.retractedAt }).from(factChecks)).map((f) => [f.claimId, f]),
  );
  const bodies = new Map((await db.select({ id: articles.id, body: articles.body }).from(articles)).map((a) => [a.id, a.body]));

  const group = <T, K>(rows: T[], key: (row: T) => K) => {
    const map = new Map<K, T[]>();
    for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
    return map;
  };
  const eventsByClaim = group(allEvents, (e) => e.claimId);
  const assignmentsByClaim = group(allAssignments, (a) => a.claimId);
  const verdictsByClaim = group(allVerdicts, (v) => v.claimId);

  for (const claim of allClaims) {
    const id = claim.id;
    // quote == the article body's code points [span_start, span_end)
    const body = bodies.get(claim.articleId);
    const atSpan = body === undefined ? undefined : Array.from(body).slice(claim.spanStart, claim.spanEnd).join('');
    if (atSpan !== claim.quote)
      violations.push(`claim ${id}: quote ${JSON.stringify(claim.quote)} but the body at [${claim.spanStart}, ${claim.spanEnd}) is ${JSON.stringify(atSpan)}`);

    const events = eventsByClaim.get(id) ?? [];
    // version == number of events, and the events are versions 1..n chained status to status.
    if (claim.version !== events.length) violations.push(`claim ${id}: version ${claim.version} but ${events.length} events`);
    events.forEach((event, i) => {
      if (event.version !== i + 1) violations.push(`claim ${id}: event #${i + 1} has version ${event.version}`);
      if (i > 0 && event.fromStatus !== events[i - 1]!.toStatus) {
        violations.push(
          `claim ${id}: event v${event.version} ${event.type} from ${event.fromStatus}, but v${events[i - 1]!.version} left it ${events[i - 1]!.toStatus}`,
        );
      }
    });
    const last = events.at(-1);
    if (last && last.toStatus !== claim.status) violations.push(`claim ${id}: status ${claim.status} but the last event (${last.type}) set ${last.toStatus}`);

    // status == deriveStatus(facts of the current round)
    const claimAssignments = assignmentsByClaim.get(id) ?? [];
    const active = claimAssignments.filter((a) => a.state === 'ACTIVE');
    const roundVerdicts = (verdictsByClaim.get(id) ?? []).filter((v) => v.round === claim.round);
    const derived = deriveStatus({
      dismissed: claim.dismissed,
      publishedThisRound: claim.publishedRound === claim.round,
      requiredVerdicts: claim.requiredVerdicts,
      activeAssignments: active.length,
      ratings: roundVerdicts.map((v) => v.rating),
    });
    if (derived !== claim.status) violations.push(`claim ${id}: stored status ${claim.status}, derived ${derived}`);

    // at most one ACTIVE assignment per (claim, reviewer); none left over from an earlier round; none on a dismissed claim
    const activeReviewers = new Map<string, number>();
    for (const a of active) activeReviewers.set(a.reviewerId, (activeReviewers.get(a.reviewerId) ?? 0) + 1);
    for (const [reviewer, n] of activeReviewers) if (n > 1) violations.push(`claim ${id}: ${n} ACTIVE assignments of reviewer ${reviewer}`);
    for (const a of active)
      if (a.round !== claim.round) violations.push(`claim ${id}: ACTIVE assignment ${a.id} of round ${a.round}, claim is in round ${claim.round}`);
    if (claim.dismissed && active.length) violations.push(`claim ${id}: dismissed with ${active.length} ACTIVE assignments`);
    // partners see a fact check exactly while it has not been dismissed since it was last published
    // (a reopened claim's stays visible, a republished one's comes back)
    const factCheck = factCheckOf.get(id);
    if (factCheck) {
      const lastOf = (types: string[]) => Math.max(0, ...events.filter((e) => types.includes(e.type)).map((e) => e.version));
      const retracted = lastOf(['DISMISSED']) > lastOf(['PUBLISHED', 'CORRECTED']);
      if (retracted !== (factCheck.retractedAt !== null)) {
        violations.push(
          `claim ${id}: its fact check is ${factCheck.retractedAt ? '' : 'not '}retracted, but it was ${retracted ? '' : 'not '}dismissed after its last publication`,
        );
      }
    }
  }

  // at most one verdict per (claim, round, reviewer); each verdict's assignment is SUBMITTED
  const verdictKeys = new Map<string, number>();
  for (const v of allVerdicts) {
    const key = `${v.claimId}/${v.round}/${v.reviewerId}`;
    verdictKeys.set(key, (verdictKeys.get(key) ?? 0) + 1);
  }
  for (const [key, n] of verdictKeys) if (n > 1) violations.push(`${n} verdicts for (claim/round/reviewer) ${key}`);
  const assignmentById = new Map(allAssignments.map((a) => [a.id, a]));
  for (const v of allVerdicts) {
    const a = assignmentById.get(v.assignmentId);
    if (!a || a.state !== 'SUBMITTED') violations.push(`verdict ${v.id}: its assignment is ${a ? a.state : 'missing'}, not SUBMITTED`);
  }

  // every fact check partners see was published with a label the scale still has, meaning the same rating
  const labels = new Map((await db.select().from(ratingLabels)).map((l) => [l.key, l]));
  for (const f of await db
    .select({ id: factChecks.id, key: factChecks.ratingLabelKey, rating: factChecks.rating, retractedAt: factChecks.retractedAt })
    .from(factChecks)) {
    if (f.retractedAt !== null) continue;
    const label = labels.get(f.key);
    if (!label || label.rating !== f.rating)
      violations.push(`fact check ${f.id}: ${f.rating} with the label "${f.key}", which the scale ${label ? `has as ${label.rating}` : 'no longer has'}`);
  }

  // a scheduled publication: a first publication of a REVIEWED or DISPUTED claim with no fact check row, its ID free, its label on the scale
  const claimById = new Map(allClaims.map((c) => [c.id, c]));
  const factCheckIds = new Set((await db.select({ id: factChecks.id }).from(factChecks)).map((f) => f.id));
  for (const p of await db.select().from(scheduledPublications)) {
    const status = claimById.get(p.claimId)?.status;
    if (status !== 'REVIEWED' && status !== 'DISPUTED') violations.push(`scheduled publication of claim ${p.claimId}: the claim is ${status}`);
    if (factCheckOf.has(p.claimId)) violations.push(`scheduled publication of claim ${p.claimId}: the claim has a fact check already`);
    if (factCheckIds.has(p.factCheckId)) violations.push(`scheduled publication of claim ${p.claimId}: its ID ${p.factCheckId} is taken`);
    const label = labels.get(p.ratingLabelKey);
    if (!label || label.rating !== p.rating)
      violations.push(`scheduled publication of claim ${p.claimId}: the label "${p.ratingLabelKey}" is not on the scale as ${p.rating}`);
  }

  // appearances: stored normalised as the rules say, one per claim and normalised URL, at most one first per claim;
  // an article's normalised URL, once filled in, follows the same rules
  const firsts = new Map<string, number>();
  const urls = new Set<string>();
  for (const a of await db.select().from(claimAppearances)) {
    if (a.urlNormalized !== normalizeLookupUrl(a.url)) violations.push(`appearance ${a.id}: ${a.url} stored normalised as ${a.urlNormalized}`);
    const key = `${a.claimId} ${a.urlNormalized}`;
    if (urls.has(key)) violations.push(`claim ${a.claimId}: ${a.urlNormalized} recorded twice`);
    urls.add(key);
    if (a.firstAppearance) firsts.set(a.claimId, (firsts.get(a.claimId) ?? 0) + 1);
  }
  for (const [claimId, n] of firsts) if (n > 1) violations.push(`claim ${claimId}: ${n} first appearances`);
  for (const a of await db.select({ id: articles.id, url: articles.url, urlNormalized: articles.urlNormalized }).from(articles)) {
    if (a.urlNormalized !== null && a.urlNormalized !== normalizeLookupUrl(a.url))
      violations.push(`article ${a.id}: ${a.url} stored normalised as ${a.urlNormalized}`);
  }

  // topics: named as createTopic stores them (trimmed, 1..100 code points, compared by searchKey); a claim under at most 10
  for (const t of await db.select().from(topics)) {
    if (t.name !== t.name.trim() || [...t.name].length < 1 || [...t.name].length > 100) violations.push(`topic ${t.id}: named ${JSON.stringify(t.name)}`);
    if (t.nameKey !== searchKey(t.name) || t.nameKey === '') violations.push(`topic ${t.id}: ${JSON.stringify(t.name)} keyed ${JSON.stringify(t.nameKey)}`);
    if (t.wikidataId !== null && !/^Q[1-9][0-9]*$/.test(t.wikidataId)) violations.push(`topic ${t.id}: Wikidata ID ${JSON.stringify(t.wikidataId)}`);
  }
  const topicCount = new Map<string, number>();
  for (const { claimId } of await db.select({ claimId: claimTopics.claimId }).from(claimTopics)) topicCount.set(claimId, (topicCount.get(claimId) ?? 0) + 1);
  for (const [claimId, n] of topicCount) if (n > 10) violations.push(`claim ${claimId}: under ${n} topics`);

  // correction requests: answered (resolvedAt, resolvedBy, resolutionNote) exactly when not OPEN, never before they were
  // filed; message and note 1..5,000 code points, requesterName at most 200; answered once: at most one resolved event each
  const textOk = (text: string | null, max: number) => text !== null && text.trim().length > 0 && [...text].length <= max;
  for (const r of await db.select().from(correctionRequests)) {
    const answered = r.resolvedAt !== null && r.resolvedBy !== null && r.resolutionNote !== null;
    const unanswered = r.resolvedAt === null && r.resolvedBy === null && r.resolutionNote === null;
    if (r.state === 'OPEN' ? !unanswered : !answered)
      violations.push(
        `correction request ${r.id}: ${r.state} with resolvedAt, resolvedBy, note ${[r.resolvedAt, r.resolvedBy, r.resolutionNote].map((v) => (v === null ? 'unset' : 'set')).join(', ')}`,
      );
    if (r.resolvedAt && r.resolvedAt < r.createdAt) violations.push(`correction request ${r.id}: resolved before it was filed`);
    if (!textOk(r.message, 5_000)) violations.push(`correction request ${r.id}: message of ${[...r.message].length} code points`);
    if (r.resolutionNote !== null && !textOk(r.resolutionNote, 5_000))
      violations.push(`correction request ${r.id}: note of ${[...r.resolutionNote].length} code points`);
    if (r.requesterName !== null && [...r.requesterName].length > 200)
      violations.push(`correction request ${r.id}: requesterName of ${[...r.requesterName].length} code points`);
  }
  const resolvedEvents = new Map<string, number>();
  for (const { data } of await db.select({ data: webhookEvents.data }).from(webhookEvents).where(eq(webhookEvents.type, 'CORRECTION_REQUEST_RESOLVED'))) {
    const id = (data as { correctionRequest?: { id?: string } }).correctionRequest?.id ?? '?';
    resolvedEvents.set(id, (resolvedEvents.get(id) ?? 0) + 1);
  }
  for (const [id, n] of resolvedEvents) if (n > 1) violations.push(`correction request ${id}: resolved ${n} times (events)`);
  // corrections chain: each one's rating after is the next one's before, and the last one's is its fact check's rating now;
  // a correction whose rating or its name changed says so (ratingChanged)
  const ratingNow = new Map(
    (await db.select({ id: factChecks.id, rating: factChecks.rating, retractedAt: factChecks.retractedAt }).from(factChecks)).map((f) => [f.id, f]),
  );
  const correctionsOf = group(await db.select().from(corrections).orderBy(asc(corrections.at), asc(corrections.id)), (c) => c.factCheckId);
  for (const [factCheckId, chain] of correctionsOf) {
    chain.forEach((c, i) => {
      const next = chain[i + 1];
      const after = next ? next.previousRating : ratingNow.get(factCheckId)?.rating;
      if (c.rating !== after)
        violations.push(`correction ${c.id}: rating after ${c.rating}, but ${next ? 'the next correction starts from' : 'its fact check is'} ${after}`);
      if ((c.rating !== c.previousRating || c.textualRating !== c.previousTextualRating) && !c.ratingChanged)
        violations.push(`correction ${c.id}: ${c.previousTextualRating} → ${c.textualRating} but ratingChanged is false`);
    });
  }
  // a fact check retracted from partners has its retraction, with the public note, at that moment
  const retractionTimes = new Set((await db.select().from(retractions)).map((r) => `${r.factCheckId} ${r.at.getTime()}`));
  for (const [id, f] of ratingNow)
    if (f.retractedAt !== null && !retractionTimes.has(`${id} ${f.retractedAt.getTime()}`))
      violations.push(`fact check ${id}: retracted without its retraction`);
  // the organisation's profile, once set: a trimmed name of 1..200, http(s) URLs
  for (const o of await db.select().from(organization)) {
    if (o.name !== o.name.trim() || [...o.name].length < 1 || [...o.name].length > 200) violations.push(`organization named ${JSON.stringify(o.name)}`);
    for (const value of [o.url, o.logo, o.correctionsPolicy, o.verificationFactCheckingPolicy, o.ownershipFundingInfo, o.ethicsPolicy, o.publishingPrinciples])
      if (value !== null && !/^https?:\/\//i.test(value)) violations.push(`organization: ${JSON.stringify(value)} is no http(s) URL`);
  }

  return { claimsChecked: allClaims.length, eventsChecked: allEvents.length, violations };
}
