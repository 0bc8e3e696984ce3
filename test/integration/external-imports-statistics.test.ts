/**
 * An import that adds reviews to a table without statistics analyses it (src/domain/external-imports/
 * store.ts): Claim.relatedFactChecks bounds its candidates by the common words ANALYZE lists, and the
 * embedded PGlite has no autovacuum to list them.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ok, type TestApp } from '../support/app.js';
import { startDeskApp, type Desk } from '../support/factories.js';
import { claimReview, X } from '../support/external-imports/imports.js';

let app: TestApp;
let desk: Desk;
beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
});
afterAll(() => app?.stop());

async function analysed() {
  const [row] = await app.database.db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(sql`pg_stats`)
    .where(sql`schemaname = current_schema() and tablename = 'external_fact_checks' and attname = 'search_vector'`);
  return row!.n > 0;
}

test('the first import that stores reviews leaves the table analysed; one that stores nothing does not analyse it', async () => {
  const importJson = async (document: unknown) =>
    ok(await app.gql(X.import, { i: { document: JSON.stringify(document) } }, desk.editor.token)).importExternalFactChecks.report;
  expect(await analysed()).toBe(false);
  expect((await importJson([{ '@context': 'https://schema.org', '@type': 'ClaimReview' }])).created).toBe(0);
  expect(await analysed(), 'nothing stored, nothing analysed').toBe(false);
  const urls = Array.from({ length: 20 }, (_, i) => `https://checks.example/statistics/${i}`);
  expect((await importJson(urls.map((url, i) => claimReview(url, { claim: `Wind turbines number ${i} cause cancer, a senator said.` })))).created).toBe(20);
  expect(await analysed()).toBe(true);
});
