import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Queryable } from '../../db/connection.js';
import { countWhere } from '../../db/keyset.js';
import type { Loaders } from '../../db/loaders.js';
import { apiTokens, users, type UserRow } from '../../db/schema.js';
import { ROLES, type Role } from '../../model/enums.js';
import { hashToken } from './verify.js';
import { conflict } from '../coded-errors.js';
import { cursorString, cursorUuid, keysetPage, type KeysetOrder, type Page, type PageArgs } from '../pagination.js';
import { email, LIMITS, parseInput, requiredText } from '../validation.js';
import { ADMINS, requireRole, requireViewer, type Viewer } from '../viewer.js';
import { requireReader } from '../visibility.js';

export { hashToken, newToken } from './verify.js';

const createUserInput = z.object({
  name: requiredText(LIMITS.name),
  email,
  role: z.enum(ROLES),
});

export async function createUser(db: Database, viewer: Viewer | null, input: z.input<typeof createUserInput>): Promise<UserRow> {
  requireRole(viewer, ADMINS);
  const data = parseInput(createUserInput, input);
  const [row] = await db.insert(users).values(data).onConflictDoNothing({ target: users.email }).returning();
  if (!row) throw conflict(`A user with e-mail ${data.email} exists already`);
  return row;
}

/** The authenticated principal's own row. */
export const viewerRow = (loaders: Loaders, viewer: Viewer | null) => loaders.user.load(requireViewer(viewer).id);

const byName: KeysetOrder<UserRow> = {
  keys: [users.name, users.id],
  direction: 'asc',
  cursorOf: (u) => [u.name, u.id],
  parse: ([name, id]) => [cursorString(name), cursorUuid(id)],
};

/** Users by name, then id (editors pick reviewers from it). */
export async function listUsers(db: Queryable, viewer: Viewer | null, args: PageArgs & { role?: Role | null }): Promise<Page<UserRow>> {
  requireReader(viewer, 'User');
  const byRole = args.role ? eq(users.role, args.role) : undefined;
  return keysetPage(db.select().from(users).$dynamic(), byName, args, byRole, () => countWhere(db, users, byRole));
}

/**
 * Makes sure an ADMIN holds `token` (the ADMIN_TOKEN setting). Idempotent and safe when several
 * processes start at once.
 */
export async function ensureAdminToken(db: Database, token: string): Promise<void> {
  const tokenHash = hashToken(token);
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727271002)`);
    const [existing] = await tx
      .select({ userId: apiTokens.userId, role: users.role, active: users.active, revokedAt: apiTokens.revokedAt, expiresAt: apiTokens.expiresAt })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(eq(apiTokens.tokenHash, tokenHash));
    if (existing) {
      if (existing.role !== 'ADMIN' || !existing.active) await tx.update(users).set({ role: 'ADMIN', active: true }).where(eq(users.id, existing.userId));
      if (existing.revokedAt || existing.expiresAt)
        await tx.update(apiTokens).set({ revokedAt: null, expiresAt: null }).where(eq(apiTokens.tokenHash, tokenHash));
      return;
    }
    const adminEmail = 'admin@localhost';
    await tx.insert(users).values({ name: 'Administrator', email: adminEmail, role: 'ADMIN' }).onConflictDoNothing();
    const [admin] = await tx.select({ id: users.id }).from(users).where(eq(users.email, adminEmail));
    await tx.insert(apiTokens).values({ userId: admin!.id, label: 'ADMIN_TOKEN', tokenHash });
  });
}
