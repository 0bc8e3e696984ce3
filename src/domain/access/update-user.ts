import { and, count, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/connection.js';
import { users, type UserRow } from '../../db/schema.js';
import { conflict, notFound } from '../coded-errors.js';
import { LIMITS, parseInput, requiredText } from '../validation.js';
import { ROLES } from '../../model/enums.js';
import { ADMINS, requireRole, type Viewer } from '../viewer.js';
import type { AccessInvalidation } from './access-control.js';

/** Serialises every updateUser, so that two admins demoting each other cannot both succeed. */
const USER_ADMIN_LOCK_KEY = 727_271_004;

const updateUserInput = z.object({
  userId: z.string(),
  name: requiredText(LIMITS.name).nullish(),
  role: z.enum(ROLES).nullish(),
  active: z.boolean().nullish(),
  embargoAccess: z.boolean().nullish(),
});

/**
 * An admin renames a user, changes their role, (de)activates them, or grants or withdraws embargo
 * access (fact_check.scheduled: webhooks/events.ts); fields left out stay. The
 * change reaches every process at its commit: the database's trigger notifies the token caches,
 * and this process forgets the user at once. The last active admin cannot be deactivated or
 * demoted (CONFLICT), whoever tries at the same time.
 */
export async function updateUser(db: Database, viewer: Viewer | null, input: z.input<typeof updateUserInput>, access: AccessInvalidation): Promise<UserRow> {
  requireRole(viewer, ADMINS);
  const data = parseInput(updateUserInput, input);
  const updated = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${USER_ADMIN_LOCK_KEY})`);
    const [user] = await tx.select().from(users).where(eq(users.id, data.userId));
    if (!user) throw notFound('User', 'userId');
    const next = {
      name: data.name ?? user.name,
      role: data.role ?? user.role,
      active: data.active ?? user.active,
      embargoAccess: data.embargoAccess ?? user.embargoAccess,
    };
    const losesAdmin = user.role === 'ADMIN' && user.active && (next.role !== 'ADMIN' || !next.active);
    if (losesAdmin) {
      const [others] = await tx
        .select({ n: count() })
        .from(users)
        .where(and(eq(users.role, 'ADMIN'), eq(users.active, true), ne(users.id, user.id)));
      if (Number(others?.n ?? 0) === 0) throw conflict(`${user.name} is the last active admin: make another user an admin first`);
    }
    if (next.name === user.name && next.role === user.role && next.active === user.active && next.embargoAccess === user.embargoAccess) return user;
    const [row] = await tx.update(users).set(next).where(eq(users.id, user.id)).returning();
    return row!;
  });
  access.forgetUser(updated.id);
  return updated;
}
