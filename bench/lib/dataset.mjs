// The bench's data set, generated deterministically and loaded with COPY. Claims are not inserted in
// a final state but walked through the workflow (assign, evidence, verdicts, publish, dismiss) with
// the project's own deriveStatus(), so every stored status, version and ClaimEvent is one the API
// could have produced: version = number of events, quote = body code points [span_start, span_end).
import { createHash } from 'node:crypto';
import { deriveStatus } from '../../dist/src/domain/workflow.js';
import { copyRows, withoutSecondaryIndexes } from './db.mjs';
import { makeRandom } from './random.mjs';
import * as text from './text.mjs';

const DAY = 86_400_000;
const EPOCH = Date.parse('2025-01-01T00:00:00Z'); // fixed, so the data does not depend on the day it is built

/** Bearer tokens are derived from role and index, so the bench knows them without storing them. */
export const tokenFor = (role, i = 0) =>
  `fc_bench_${role.toLowerCase()}${i}_${createHash('sha256').update(`factcheck-bench:${role}:${i}`).digest('base64url').slice(0, 32)}`;
const sha256 = (s) => createHash('sha256').update(s, 'utf8').digest('hex');

const COLUMNS = {
  users: ['id', 'name', 'email', 'role', 'created_at'],
  api_tokens: ['id', 'user_id', 'label', 'token_hash', 'created_at'],
  articles: ['id', 'url', 'title', 'body', 'publisher', 'author', 'published_at', 'language', 'ingested_by', 'ingested_at'],
  claims: [
    'id',
    'article_id',
    'quote',
    'span_start',
    'span_end',
    'statement',
    'claimant',
    'priority',
    'required_verdicts',
    'due_at',
    'status',
    'round',
    'dismissed',
    'published_round',
    'version',
    'created_by',
    'created_at',
    'updated_at',
  ],
  assignments: ['id', 'claim_id', 'reviewer_id', 'assigned_by', 'round', 'state', 'due_at', 'assigned_at', 'updated_at'],
  evidence: ['id', 'claim_id', 'kind', 'url', 'title', 'excerpt', 'stance', 'added_by', 'added_at'],
  verdicts: ['id', 'claim_id', 'round', 'reviewer_id', 'assignment_id', 'rating', 'confidence', 'rationale', 'submitted_at'],
  verdict_evidence: ['verdict_id', 'evidence_id', 'position'],
  fact_checks: [
    'id',
    'claim_id',
    'article_id',
    'claim_reviewed',
    'quote',
    'claimant',
    'language',
    'rating',
    'summary',
    'published_by',
    'published_at',
    'updated_at',
    'retracted_at',
    'textual_rating',
    'rating_label_key',
    'rating_value',
    'best_rating',
    'worst_rating',
  ],
  claim_events: ['claim_id', 'actor_id', 'type', 'from_status', 'to_status', 'note', 'version', 'at'],
};
const TABLES = Object.keys(COLUMNS);

/** The default rating scale's label of each rating (migration 0012): textual_rating, rating_label_key, rating_value, best, worst. */
const DEFAULT_LABELS = {
  FALSE: ['False', 'false', 1],
  MOSTLY_FALSE: ['Mostly false', 'mostly-false', 2],
  MISLEADING: ['Misleading', 'misleading', 2],
  MIXED: ['Mixed', 'mixed', 3],
  MOSTLY_TRUE: ['Mostly true', 'mostly-true', 4],
  TRUE: ['True', 'true', 5],
  UNPROVEN: ['Unproven', 'unproven', null],
};
export const publishedLabel = (rating) => [...DEFAULT_LABELS[rating], 5, 1];

/** Editors, 50 reviewers, partner apps and an admin, each with one known token. */
function makeUsers(r) {
  const users = [];
  const add = (role, count) => {
    const list = [];
    for (let i = 0; i < count; i++) {
      const name = role === 'PARTNER' ? `${r.pick(['Search', 'Platform', 'Newsroom', 'Browser'])} Partner ${i}` : text.personName(r);
      const user = { id: r.uuid(), tokenId: r.uuid(), role, name, email: `${role.toLowerCase()}${i}@bench.local`, token: tokenFor(role, i) };
      users.push(user);
      list.push(user);
    }
    return list;
  };
  return { all: users, admins: add('ADMIN', 1), editors: add('EDITOR', 10), reviewers: add('REVIEWER', 50), partners: add('PARTNER', 5) };
}

async function loadUsers(sql, people) {
  const at = new Date(EPOCH - 30 * DAY);
  await copyRows(
    sql,
    'users',
    COLUMNS.users,
    people.all.map((u) => [u.id, u.name, u.email, u.role, at]),
  );
  await copyRows(
    sql,
    'api_tokens',
    COLUMNS.api_tokens,
    people.all.map((u) => [u.tokenId, u.id, 'bench', sha256(u.token), at]),
  );
}

const STATUS_MIX = [
  ['OPEN', 25],
  ['IN_REVIEW', 30],
  ['REVIEWED', 10],
  ['DISPUTED', 5],
  ['PUBLISHED', 25],
  ['DISMISSED', 5],
];
/** Ratings with their weights in both data sets (the dashboard's and the search's). */
const RATINGS = [
  ['FALSE', 25],
  ['MOSTLY_FALSE', 15],
  ['MISLEADING', 15],
  ['MIXED', 10],
  ['MOSTLY_TRUE', 12],
  ['TRUE', 13],
  ['UNPROVEN', 10],
];
const PRIORITIES = [
  ['LOW', 20],
  ['NORMAL', 55],
  ['HIGH', 20],
  ['URGENT', 5],
];
const KINDS = ['PRIMARY_SOURCE', 'OFFICIAL_STATEMENT', 'DATASET', 'NEWS_REPORT', 'EXPERT', 'OTHER'];

function shuffle(r, list) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

/** Walks one claim to a target status through the workflow's actions, appending rows to `out`. */
function simulateClaim(r, people, topic, claim, out) {
  const target = r.weighted(STATUS_MIX);
  const editor = claim.createdBy;
  const facts = { dismissed: false, publishedThisRound: false, requiredVerdicts: 1, activeAssignments: 0, ratings: [] };
  let t = claim.createdAt;
  let status = null;
  let version = 0;
  const tick = () => new Date((t += r.between(60_000, 8 * 3_600_000)));
  const emit = (type, actor, note, at) => {
    const to = deriveStatus(facts);
    out.claim_events.push([claim.id, actor.id, type, status, to, note, ++version, at]);
    status = to;
  };
  emit('CREATED', editor, null, new Date(t));

  const evidenceIds = [];
  const addEvidence = (actor) => {
    const id = r.uuid();
    const at = tick();
    const title = text.evidenceTitle(r, topic);
    out.evidence.push([
      id,
      claim.id,
      r.pick(KINDS),
      r.chance(0.8) ? `https://data.example.org/${topic.name}/${r.int(1e6)}` : null,
      title,
      r.chance(0.6) ? text.sentence(r, topic) : null,
      r.pick(['SUPPORTS', 'REFUTES', 'REFUTES', 'CONTEXT']),
      actor.id,
      at,
    ]);
    evidenceIds.push(id);
    emit('EVIDENCE_ADDED', actor, title, at);
  };

  if (target === 'OPEN') {
    if (r.chance(0.2)) addEvidence(editor);
  } else {
    // Who reviews, and how many verdicts the round needs (DISPUTED needs two that differ).
    const k =
      target === 'DISPUTED'
        ? r.between(2, 3)
        : r.weighted([
            [1, 50],
            [2, 35],
            [3, 15],
          ]);
    const required = target === 'IN_REVIEW' ? k : target === 'DISPUTED' ? r.between(2, k) : target === 'REVIEWED' ? r.between(1, k) : k;
    facts.requiredVerdicts = claim.requiredVerdicts = required;
    const reviewers = [];
    while (reviewers.length < k) {
      const rev = r.pick(people.reviewers);
      if (!reviewers.includes(rev)) reviewers.push(rev);
    }
    const assignedAt = tick();
    const assignments = reviewers.map((rev) => {
      const row = [r.uuid(), claim.id, rev.id, editor.id, 1, 'ACTIVE', claim.dueAt, assignedAt, assignedAt];
      out.assignments.push(row);
      return row;
    });
    facts.activeAssignments = k;
    emit('ASSIGNED', editor, `Assigned ${reviewers.map((x) => x.name).join(', ')}`, assignedAt);
    for (
      let e = r.weighted([
        [0, 30],
        [1, 35],
        [2, 25],
        [3, 10],
      ]);
      e > 0;
      e--
    )
      addEvidence(r.chance(0.5) ? editor : r.pick(reviewers));

    const verdictCount = target === 'IN_REVIEW' ? r.int(required) : target === 'DISMISSED' ? 0 : required;
    const baseRating = r.weighted(RATINGS);
    for (let v = 0; v < verdictCount; v++) {
      const a = assignments[v];
      const rating = target === 'DISPUTED' && v === verdictCount - 1 ? (baseRating === 'TRUE' ? 'FALSE' : 'TRUE') : baseRating;
      const id = r.uuid();
      const at = tick();
      out.verdicts.push([id, claim.id, 1, a[2], a[0], rating, r.pick(['LOW', 'MEDIUM', 'HIGH']), text.rationale(r, topic), at]);
      evidenceIds.slice(0, r.int(3)).forEach((evId, position) => out.verdict_evidence.push([id, evId, position]));
      a[5] = 'SUBMITTED';
      a[8] = at;
      facts.activeAssignments--;
      facts.ratings.push(rating);
      emit('VERDICT_SUBMITTED', reviewers[v], rating, at);
    }
    if (target === 'PUBLISHED') {
      const rating = new Set(facts.ratings).size === 1 ? baseRating : r.weighted(RATINGS);
      const at = tick();
      facts.publishedThisRound = true;
      claim.publishedRound = 1;
      out.fact_checks.push([
        r.uuid(),
        claim.id,
        claim.articleId,
        claim.statement,
        claim.quote,
        claim.claimant,
        'en',
        rating,
        text.summary(r, topic, rating),
        editor.id,
        at,
        at,
        null,
        ...publishedLabel(rating),
      ]);
      emit('PUBLISHED', editor, rating, at);
    }
    if (target === 'DISMISSED') {
      const at = tick();
      for (const a of assignments)
        if (a[5] === 'ACTIVE') {
          a[5] = 'WITHDRAWN';
          a[8] = at;
        }
      facts.activeAssignments = 0;
      facts.dismissed = claim.dismissed = true;
      emit('DISMISSED', editor, r.pick(['Not check-worthy', 'Opinion, not a factual claim', 'Duplicate of an earlier claim']), at);
    }
  }
  claim.status = status;
  claim.version = version;
  claim.updatedAt = new Date(t);
}

/**
 * `articles` articles of 12-24 sentences, `claimsPerArticle` claims quoted from each, loaded in
 * chunks (bounded memory). Claims are spread over the year 2025 in creation order.
 */
export async function loadMainData(sql, { articles, claimsPerArticle, seed = 42 }, log) {
  const r = makeRandom(seed);
  const people = makeUsers(r);
  const totalClaims = articles * claimsPerArticle;
  const step = (365 * DAY) / totalClaims;
  await withoutSecondaryIndexes(sql, TABLES, async () => {
    await loadUsers(sql, people);
    const chunk = 500;
    for (let first = 0; first < articles; first += chunk) {
      const out = Object.fromEntries(TABLES.map((tname) => [tname, []]));
      for (let a = first; a < Math.min(articles, first + chunk); a++) {
        const art = text.article(r, r.between(Math.max(12, claimsPerArticle), 24));
        const articleId = r.uuid();
        const editor = r.pick(people.editors);
        const ingestedAt = new Date(EPOCH + a * claimsPerArticle * step);
        out.articles.push([
          articleId,
          `https://news.example.com/${art.topic.name}/${a}-${r.int(1e9).toString(36)}`,
          art.title,
          art.body,
          art.publisher,
          art.author,
          new Date(ingestedAt.getTime() - r.between(1, 48) * 3_600_000),
          'en',
          editor.id,
          ingestedAt,
        ]);
        // Distinct sentences, so no quote needs disambiguating by hand.
        const spans = shuffle(r, [...art.spans]).slice(0, claimsPerArticle);
        spans.forEach((span, j) => {
          const claimant = text.claimantOf(r);
          const createdAt = ingestedAt.getTime() + j * step + r.int(Math.max(1, step / 2));
          const claim = {
            id: r.uuid(),
            articleId,
            quote: span.text,
            claimant,
            statement: text.statementOf(span.text, claimant),
            createdAt,
            priority: r.weighted(PRIORITIES),
            requiredVerdicts: 1,
            dueAt: r.chance(0.5) ? new Date(createdAt + r.between(1, 7) * DAY) : null,
            dismissed: false,
            publishedRound: null,
            createdBy: editor,
          };
          simulateClaim(r, people, art.topic, claim, out);
          out.claims.push([
            claim.id,
            articleId,
            claim.quote,
            span.start,
            span.end,
            claim.statement,
            claimant,
            claim.priority,
            claim.requiredVerdicts,
            claim.dueAt,
            claim.status,
            1,
            claim.dismissed,
            claim.publishedRound,
            claim.version,
            editor.id,
            new Date(createdAt),
            claim.updatedAt,
          ]);
        });
      }
      for (const tname of TABLES.slice(2)) await copyRows(sql, tname, COLUMNS[tname], out[tname]);
      if ((first / chunk) % 4 === 3) log(`  loaded ${Math.min(articles, first + chunk)}/${articles} articles`);
    }
  });
  return people;
}

/** Fails loudly if the generated data breaks an invariant the API relies on. */
export async function checkInvariants(sql) {
  const [row] = await sql`
    select
      (select count(*) from claims c join articles a on a.id = c.article_id
        where substring(a.body from c.span_start + 1 for c.span_end - c.span_start) <> c.quote)::int as bad_spans,
      (select count(*) from claims c where c.version <> (select count(*) from claim_events e where e.claim_id = c.id))::int as bad_versions`;
  if (row.bad_spans || row.bad_versions) throw new Error(`generated data is inconsistent: ${JSON.stringify(row)}`);
}

export { makeUsers, loadUsers, shuffle, COLUMNS, EPOCH, DAY, RATINGS };
