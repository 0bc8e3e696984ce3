/**
 * Holds a claim's row lock in the test's own transaction: a server's action on that claim parks
 * inside its transaction until release(). `claimId` is the claim's global ID.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/connection.js';
import { claims } from '../../src/db/schema.js';
import { parseGlobalId } from '../../src/domain/global-ids.js';

export function holdClaimLock(db: Database, claimId: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holder = db.transaction(async (tx) => {
    await tx
      .select({ id: claims.id })
      .from(claims)
      .where(eq(claims.id, parseGlobalId(claimId)!.id))
      .for('update');
    locked();
    await released;
  });
  return { isLocked, release, holder };
}
