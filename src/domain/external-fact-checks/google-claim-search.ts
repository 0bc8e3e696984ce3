/**
 * `claims:search?includeExternal=true`: our published fact checks and other publishers' reviews in one
 * ranked answer. Each list is read as it is read alone (ours: listFactChecks; theirs:
 * listExternalFactChecks with the same search, language, URL and age, and the site filter), a page
 * of each after its own cursor, and the two are merged by their order: relevance (ts_rank, both
 * vectors weighting the claim A) with a query; without one, newest first (ours by publication, theirs
 * by import, each list's own order). Ties go to ours. The page token holds both cursors and which
 * list is used up, so that paging goes through both lists exactly once: no duplicate, no gap.
 */
import type { Queryable } from '../../db/connection.js';
import type { ExternalFactCheckRecord } from '../../db/external-fact-checks.js';
import { badInput } from '../coded-errors.js';
import type { GoogleSearchRequest } from '../fact-checks/google-claim-search.js';
import { listFactChecks, type FactCheckResult } from '../fact-checks/queries.js';
import { decodeCursor, encodeCursor, type Page } from '../pagination.js';
import type { Viewer } from '../viewer.js';
import { listExternalFactChecks } from './queries.js';

type Ranked<T> = T & { rank?: number };
export type MergedResult = { ours: Ranked<FactCheckResult>; theirs?: never } | { theirs: Ranked<ExternalFactCheckRecord>; ours?: never };

/** Where paging stands in each list: its cursor (null: from its start) and whether it is used up. */
interface Position {
  ours: string | null;
  theirs: string | null;
  oursDone: boolean;
  theirsDone: boolean;
}

const badToken = () => badInput('after', 'after is not a cursor this API issued');

function parseToken(token: string): Position {
  const [ours, theirs, oursDone, theirsDone] = decodeCursor(token, 4);
  const cursors = [ours, theirs].every((v) => v === null || typeof v === 'string');
  const flags = [oursDone, theirsDone].every((v) => v === 0 || v === 1);
  if (!cursors || !flags) throw badToken();
  return { ours: ours as string | null, theirs: theirs as string | null, oursDone: oursDone === 1, theirsDone: theirsDone === 1 };
}

const exhausted = <T>(): Page<T> => ({ nodes: [], cursors: [], hasNextPage: false, totalCount: async () => 0 });

export async function searchWithExternal(
  db: Queryable,
  viewer: Viewer | null,
  request: GoogleSearchRequest,
): Promise<{ results: MergedResult[]; nextPageToken: string | null }> {
  const at: Position = request.after ? parseToken(request.after) : { ours: null, theirs: null, oursDone: false, theirsDone: false };
  // A site filter that names another publisher leaves ours out, whatever the token says.
  if (request.otherPublisher) at.oursDone = true;
  const { first } = request;
  const filter = request.filter ?? {};
  const [ours, theirs] = await Promise.all([
    at.oursDone ? exhausted<Ranked<FactCheckResult>>() : listFactChecks(db, viewer, { filter, first, after: at.ours }),
    at.theirsDone
      ? exhausted<Ranked<ExternalFactCheckRecord>>()
      : listExternalFactChecks(db, viewer, {
          first,
          after: at.theirs,
          filter: {
            search: filter.search,
            language: filter.language,
            appearanceUrl: filter.appearanceUrl,
            publishedAfter: filter.publishedAfter,
            publisherSite: request.publisherSite,
          },
        }),
  ]);
  const searching = !!filter.search;
  const keyOfOurs = (f: Ranked<FactCheckResult>) => (searching ? f.rank! : f.publishedAt.getTime());
  const keyOfTheirs = (f: Ranked<ExternalFactCheckRecord>) => (searching ? f.rank! : f.importedAt.getTime());
  const results: MergedResult[] = [];
  let [i, j] = [0, 0];
  while (results.length < first && (i < ours.nodes.length || j < theirs.nodes.length)) {
    const takeOurs = j >= theirs.nodes.length || (i < ours.nodes.length && keyOfOurs(ours.nodes[i]!) >= keyOfTheirs(theirs.nodes[j]!));
    results.push(takeOurs ? { ours: ours.nodes[i++]! } : { theirs: theirs.nodes[j++]! });
  }
  const next: Position = {
    ours: i > 0 ? ours.cursors[i - 1]! : at.ours,
    theirs: j > 0 ? theirs.cursors[j - 1]! : at.theirs,
    oursDone: at.oursDone || (i === ours.nodes.length && !ours.hasNextPage),
    theirsDone: at.theirsDone || (j === theirs.nodes.length && !theirs.hasNextPage),
  };
  const more = !(next.oursDone && next.theirsDone);
  return {
    results,
    nextPageToken: more ? encodeCursor([next.ours, next.theirs, next.oursDone ? 1 : 0, next.theirsDone ? 1 : 0]) : null,
  };
}

const hostOf = (url: string) => new URL(url).hostname.toLowerCase().replace(/^www\./, '');
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
const date = (v: unknown) => {
  const d = typeof v === 'string' ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? d.toISOString() : null;
};

/**
 * Another publisher's review as a Google `Claim` with its one `ClaimReview`, absent values omitted as
 * Google does: the publisher's site as a host, the title and the claim's date from the markup
 * received (its `name` or `headline`; `itemReviewed.datePublished`, or a Fact Check Tools `claimDate`).
 */
export function toGoogleExternalClaim(fc: ExternalFactCheckRecord) {
  const review = (fc.claimReview ?? {}) as Record<string, unknown>;
  const item = (typeof review.itemReviewed === 'object' && review.itemReviewed) || {};
  const title = text(review.name) ?? text(review.headline) ?? text(review.title);
  const claimDate = date((item as Record<string, unknown>).datePublished) ?? date(review.claimDate);
  return {
    text: fc.claimReviewed,
    ...(fc.claimant ? { claimant: fc.claimant } : {}),
    ...(claimDate ? { claimDate } : {}),
    claimReview: [
      {
        publisher: { name: fc.publisherName, ...(fc.publisherSite ? { site: hostOf(fc.publisherSite) } : {}) },
        url: fc.reviewUrl,
        ...(title ? { title } : {}),
        ...(fc.publishedAt ? { reviewDate: fc.publishedAt.toISOString() } : {}),
        textualRating: fc.textualRating,
        ...(fc.language ? { languageCode: fc.language } : {}),
      },
    ],
  };
}
