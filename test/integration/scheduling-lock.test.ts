/**
 * An action queued behind another on the claim's lock sees the schedule that one wrote
 * (src/domain/claims/lock.ts): the schedule is read once the lock is granted, not joined to the
 * locking statement, whose snapshot predates the wait. Postgres only: PGlite runs one transaction
 * at a time.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scheduledPublications } from '../../src/db/schema.js';
import { parseGlobalId } from '../../src/domain/global-ids.js';
import { holdClaimLock } from '../support/claim-lock.js';
import { ok, type TestApp } from '../support/app.js';
import { testDatabaseKind } from '../support/database.js';
import { startDeskApp, type Desk } from '../support/factories.js';
import { inSeconds, S } from '../support/scheduling/scheduling.js';
import { reviewedClaim } from '../support/webhooks.js';
import { mutate } from '../support/workflow.js';

describe.runIf(testDatabaseKind === 'postgres')('actions queued on the claim lock', () => {
  let app: TestApp;
  let desk: Desk;
  beforeAll(async () => {
    ({ app, desk } = await startDeskApp());
  });
  afterAll(() => app?.stop());

  const waitingOnLocks = async () => {
    const [row] = await app.database.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(sql`pg_stat_activity`)
      .where(sql`datname = current_database() and wait_event_type = 'Lock'`);
    return row!.n;
  };
  const untilWaiting = async (n: number) => {
    const deadline = Date.now() + 10_000;
    while ((await waitingOnLocks()) < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(await waitingOnLocks()).toBe(n);
  };

  test('a dismissal that waited for a scheduling drops the schedule it wrote', async () => {
    const claimId = await reviewedClaim(app, desk);
    const rowId = parseGlobalId(claimId)!.id;
    const { isLocked, release, holder } = holdClaimLock(app.database.db, claimId);
    await isLocked;
    const scheduling = app.gql(S.publish, { i: { claimId, rating: 'FALSE', summary: 'Queued.', publishAt: inSeconds(3600).toISOString() } }, desk.editor.token);
    await untilWaiting(1);
    const dismissal = mutate(app, desk.editor.token, 'dismiss', { claimId, reason: 'Not checkable after all.' });
    await untilWaiting(2);
    release();
    await holder;
    expect(ok(await scheduling).publishFactCheck.claim.scheduledPublication).not.toBeNull();
    expect(ok(await dismissal).dismissClaim.claim.status).toBe('DISMISSED');
    expect(await app.database.db.select().from(scheduledPublications).where(eq(scheduledPublications.claimId, rowId))).toEqual([]);
  });
});
