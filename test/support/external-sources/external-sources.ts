/** The feeds' operations as a client sends them, and what the tests read of the database. */
import { eq } from 'drizzle-orm';
import type { Database } from '../../../src/db/connection.js';
import { externalFactChecks } from '../../../src/db/schema.js';
import { parseGlobalId } from '../../../src/domain/global-ids.js';
import { ok, type TestApp } from '../app.js';

const SOURCE_FIELDS = 'id name url intervalMinutes enabled lastFetchedAt lastError factCheckCount';
const REPORT_FIELDS = 'created updated unchanged skipped { index reviewUrl reason }';

export const S = {
  create: `mutation($i: CreateExternalSourceInput!) { createExternalSource(input: $i) { source { ${SOURCE_FIELDS} } } }`,
  update: `mutation($i: UpdateExternalSourceInput!) { updateExternalSource(input: $i) { source { ${SOURCE_FIELDS} } } }`,
  delete: `mutation($i: DeleteExternalSourceInput!) { deleteExternalSource(input: $i) { deletedSourceId } }`,
  fetch: `mutation($i: FetchExternalSourceInput!) { fetchExternalSource(input: $i) { source { ${SOURCE_FIELDS} } report { ${REPORT_FIELDS} } } }`,
  list: `query($first: Int, $after: String) { externalSources(first: $first, after: $after) { totalCount edges { cursor node { ${SOURCE_FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
  node: `query($id: ID!) { node(id: $id) { id ... on ExternalSource { name } } }`,
};

export interface SourceData {
  id: string;
  name: string;
  url: string;
  intervalMinutes: number;
  enabled: boolean;
  lastFetchedAt: string | null;
  lastError: string | null;
  factCheckCount: number;
}

export interface ReportData {
  created: number;
  updated: number;
  unchanged: number;
  skipped: { index: number; reviewUrl: string | null; reason: string }[];
}

export async function createSource(app: TestApp, token: string, input: { name?: string; url: string; intervalMinutes?: number }): Promise<SourceData> {
  return ok(await app.gql(S.create, { i: { name: 'Checks Example feed', ...input } }, token)).createExternalSource.source;
}

export async function fetchSource(app: TestApp, token: string, sourceId: string): Promise<{ source: SourceData; report: ReportData | null }> {
  return ok(await app.gql(S.fetch, { i: { sourceId } }, token)).fetchExternalSource;
}

export const rowId = (globalId: string) => parseGlobalId(globalId)!.id;

/** The external fact checks a feed brought in, by review URL. */
export async function factChecksOf(db: Database, sourceGlobalId: string) {
  const rows = await db
    .select({ reviewUrl: externalFactChecks.reviewUrl, claimReviewed: externalFactChecks.claimReviewed, publisherName: externalFactChecks.publisherName })
    .from(externalFactChecks)
    .where(eq(externalFactChecks.sourceId, rowId(sourceGlobalId)));
  return rows.sort((a, b) => a.reviewUrl.localeCompare(b.reviewUrl));
}

export async function factCheckByReviewUrl(db: Database, reviewUrl: string) {
  const [row] = await db.select().from(externalFactChecks).where(eq(externalFactChecks.reviewUrl, reviewUrl));
  return row ?? null;
}
