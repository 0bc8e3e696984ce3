/**
 * Reading correction requests: editors and admins read every one, reviewers and partners their own
 * (visibility.ts, `maySee(viewer, 'CorrectionRequest', …)`); who answered one is for editors and
 * admins only, and the fact check it is about shows while partners may see it.
 */
import { and, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/connection.js';
import { countWhere } from '../../db/keyset.js';
import type { Loaders } from '../../db/loaders.js';
import { correctionRequests, type CorrectionRequestRow, type FactCheckRow } from '../../db/schema.js';
import { CORRECTION_REQUEST_STATES, type CorrectionRequestState } from '../../model/enums.js';
import { cursorTime, cursorUuid, keysetPage, type KeysetOrder, type Page, type PageArgs } from '../pagination.js';
import { parseInput } from '../validation.js';
import { isEditor, type Viewer } from '../viewer.js';
import { isPublicFactCheck, requireReader } from '../visibility.js';

const newestFirst: KeysetOrder<CorrectionRequestRow> = {
  keys: [correctionRequests.createdAt, correctionRequests.id],
  direction: 'desc',
  cursorOf: (r) => [r.createdAt.toISOString(), r.id],
  parse: ([at, id]) => [cursorTime(at), cursorUuid(id)],
};

const stateArg = z.enum(CORRECTION_REQUEST_STATES).nullish();

/** Newest first; every request for editors and admins, the viewer's own for reviewers and partners; `state` narrows. */
export async function listCorrectionRequests(
  db: Queryable,
  viewer: Viewer | null,
  args: PageArgs & { state?: CorrectionRequestState | null },
): Promise<Page<CorrectionRequestRow>> {
  const me = requireReader(viewer, 'CorrectionRequest');
  const state = parseInput(stateArg, args.state, 'state');
  const where: SQL | undefined = and(
    isEditor(me) ? undefined : eq(correctionRequests.requestedBy, me.id),
    state ? eq(correctionRequests.state, state) : undefined,
  );
  return keysetPage(db.select().from(correctionRequests).$dynamic(), newestFirst, args, where, () => countWhere(db, correctionRequests, where));
}

/** CorrectionRequest.factCheck: the fact check while partners may see it; null once it is retracted. */
export async function requestFactCheck(loaders: Loaders, request: Pick<CorrectionRequestRow, 'factCheckId'>): Promise<FactCheckRow | null> {
  const factCheck = await loaders.factCheck.load(request.factCheckId);
  return factCheck && isPublicFactCheck(factCheck) ? factCheck : null;
}

/** CorrectionRequest.resolvedBy: who answered, for editors and admins; null for the others, who may read the request but not that. */
export const requestResolverId = (viewer: Viewer | null, request: Pick<CorrectionRequestRow, 'resolvedBy'>): string | null =>
  isEditor(viewer) ? request.resolvedBy : null;
