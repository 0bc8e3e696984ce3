/**
 * Correction requests (docs/design.md, Correction requests): partners, reviewers, editors and
 * admins ask the desk to correct a fact check they can see (a platform passing on a content owner's
 * appeal); editors and admins answer each one once, ACCEPTED or DECLINED, with a note the requester
 * reads. Answering writes the event `correction_request.resolved` in the same transaction, to the
 * requester's endpoints and to staff endpoints (withAddressedEvents). Accepting changes nothing of
 * the fact check: the editor corrects or retracts it with the usual actions.
 */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/connection.js';
import { correctionRequests, factChecks, type CorrectionRequestRow } from '../../db/schema.js';
import type { ResolvedRequestSnapshot } from '../../model/partner-events.js';
import { conflict, notFound } from '../coded-errors.js';
import { LIMITS, optionalText, parseInput, requiredText } from '../validation.js';
import { EDITORS, EVERYONE, requireRole, type Viewer } from '../viewer.js';
import { publicFactCheckCondition } from '../visibility.js';
import { STAFF_ENDPOINT_ROLES } from '../webhooks/events.js';
import { withAddressedEvents } from '../webhooks/outbox.js';

/** Who may file a request: everyone with a token (the fact check must be one they can see). */
export const REQUESTERS = EVERYONE;
/** Who answers them. */
export const RESOLVERS = EDITORS;

const requestInput = z.object({
  /** The fact check's row ID (the API decodes the global ID). */
  factCheckId: z.string(),
  message: requiredText(LIMITS.correctionRequest),
  requesterName: optionalText(LIMITS.name),
});
export type RequestCorrectionInput = z.input<typeof requestInput>;

/** Files a request, OPEN, on a fact check the viewer can see (published, not retracted); NOT_FOUND otherwise. */
export async function requestCorrection(db: Database, viewer: Viewer | null, input: RequestCorrectionInput): Promise<CorrectionRequestRow> {
  const requester = requireRole(viewer, REQUESTERS);
  const data = parseInput(requestInput, input);
  // The fact check is locked (FOR SHARE) while the request is written: a retraction committing
  // meanwhile either comes first (NOT_FOUND) or waits until the request is in.
  return db.transaction(async (tx) => {
    const [visible] = await tx
      .select({ id: factChecks.id })
      .from(factChecks)
      .where(and(eq(factChecks.id, data.factCheckId), publicFactCheckCondition(factChecks)))
      .for('share');
    if (!visible) throw notFound('Fact check', 'factCheckId');
    const [created] = await tx
      .insert(correctionRequests)
      .values({ factCheckId: visible.id, requestedBy: requester.id, requesterName: data.requesterName ?? null, message: data.message })
      .returning();
    return created!;
  });
}

const resolveInput = z.object({
  requestId: z.string(),
  state: z.enum(['ACCEPTED', 'DECLINED'], 'must be ACCEPTED or DECLINED'),
  note: requiredText(LIMITS.correctionRequest),
});
/** `state` as the API takes it: OPEN (or anything else) is refused as BAD_USER_INPUT. */
export type ResolveCorrectionRequestInput = Omit<z.input<typeof resolveInput>, 'state'> & { state: string };

/** What the resolved event stores (payloads.ts renders it): never who answered. */
function resolvedSnapshot(row: CorrectionRequestRow): ResolvedRequestSnapshot {
  return {
    correctionRequest: {
      id: row.id,
      factCheckId: row.factCheckId,
      state: row.state as 'ACCEPTED' | 'DECLINED',
      requesterName: row.requesterName,
      resolutionNote: row.resolutionNote!,
      resolvedAt: row.resolvedAt!.toISOString(),
    },
  };
}

/**
 * Answers an OPEN request, once: the update takes the row only while it is OPEN, so of two answers
 * at the same moment (any processes) one updates it and the other, having waited for the first's
 * row lock, finds it answered: CONFLICT, changing nothing. Its event is written in the same
 * transaction, to the requester's endpoints and staff endpoints that subscribe to it.
 */
export async function resolveCorrectionRequest(db: Database, viewer: Viewer | null, input: ResolveCorrectionRequestInput): Promise<CorrectionRequestRow> {
  const resolver = requireRole(viewer, RESOLVERS);
  const data = parseInput(resolveInput, input);
  return db.transaction(async (tx) => {
    const [resolved] = await tx
      .update(correctionRequests)
      .set({ state: data.state, resolvedAt: sql`now()`, resolvedBy: resolver.id, resolutionNote: data.note })
      .where(and(eq(correctionRequests.id, data.requestId), eq(correctionRequests.state, 'OPEN')))
      .returning();
    if (!resolved) {
      const [existing] = await tx.select({ state: correctionRequests.state }).from(correctionRequests).where(eq(correctionRequests.id, data.requestId));
      if (!existing) throw notFound('Correction request', 'requestId');
      throw conflict(`The correction request was answered already (${existing.state}); a request is answered once`);
    }
    await tx.execute(
      withAddressedEvents(sql`select 1`, [{ type: 'CORRECTION_REQUEST_RESOLVED', data: resolvedSnapshot(resolved) }], {
        ownerIds: [resolved.requestedBy],
        ownerRoles: STAFF_ENDPOINT_ROLES,
      }),
    );
    return resolved;
  });
}
