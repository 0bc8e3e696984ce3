import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/connection.js';
import { assignments, claimEvents, claims, scheduledPublications, verdicts, type ClaimRow } from '../../db/schema.js';
import { notFound } from '../coded-errors.js';
import { isTransaction, send } from '../../db/pipeline.js';
import { partnerEventWrites } from '../webhooks/outbox.js';
import type { OutboxEvent } from '../webhooks/payloads.js';
import type { Viewer } from '../viewer.js';
import type { Rating } from '../../model/enums.js';
import { assertExpectedVersion, deriveStatus, type ClaimFacts } from '../workflow.js';

type EventType = (typeof claimEvents.$inferInsert)['type'];

/** What the status derives from (deriveStatus), as stored: the claim's flags and its current round's facts. */
export interface StatusFacts {
  dismissed: boolean;
  publishedRound: number | null;
  round: number;
  requiredVerdicts: number;
  /** ACTIVE assignments (of any round: a reopening withdraws them all). */
  activeAssignments: number;
  /** Ratings of the verdicts of `round`. */
  ratings: Rating[];
}

/** What an action did, for the audit trail; `null` when it changed nothing (no event, same version). */
export interface ActionOutcome<T> {
  /** The action's answer; a promise when it comes from a statement the action sent (`sent`). */
  result: T | Promise<T>;
  /** `partnerEvents`: what partners and endpoints hear (claim.status_changed is added here, from the status). */
  event: {
    type: EventType;
    note?: string | null;
    partnerEvents?: OutboxEvent[];
    /** Whose action the ClaimEvent records, when not the actor's (a scheduled release: the editor who scheduled it). */
    actorId?: string;
  } | null;
  /**
   * Columns of the claim row the action changes, written by the same update as status and version
   * (one statement less than an update of its own). Only columns that the status reads as they are
   * (not `round`: the status's facts are those of the stored round).
   */
  claimChanges?: ClaimChanges;
  /**
   * The status's facts as the action leaves them, from those read under the lock (before
   * `claimChanges`, which apply on top): the status is then derived without reading them again.
   * Left out, they are read again after the action (one round trip more).
   */
  facts?: (underLock: StatusFacts) => StatusFacts;
  /**
   * Writes the action sent without waiting (src/db/pipeline.ts `send`), last: the claim's update
   * goes out behind them in the same round trip, and the transaction waits for them all.
   */
  sent?: readonly Promise<unknown>[];
}

/** The facts are as they were under the lock (but for `claimChanges`). */
export const FACTS_UNCHANGED = (underLock: StatusFacts) => underLock;

type ClaimChanges = Pick<Partial<ClaimRow>, 'publishedRound' | 'dismissed'>;

/** The claim row as locked, with when its scheduled publication is due (null: none), read once the lock is granted. */
export type LockedClaim = ClaimRow & { scheduledFor: Date | null };

/**
 * Runs one workflow action on one claim: a transaction that locks the claim row (so concurrent
 * actions on it serialize, across processes), checks expectedVersion, lets `act` change things,
 * then re-derives the status and writes version + 1 and exactly one ClaimEvent, with the partners'
 * change-feed rows and webhook outbox rows, in one statement.
 *
 * `read`: what the action reads, sent right behind the lock, in the same round trip (its
 * statements sent at once with `send`, not one awaited after another); `act` gets its answer.
 * Round trips: begin; the lock with the facts and `read`; what `act` awaits; its `sent` writes with
 * the claim's update and record; commit.
 */
export async function withLockedClaim<T, R = undefined>(
  db: Database,
  actor: Viewer,
  claimId: string,
  options: {
    expectedVersion?: number | null;
    field?: string;
    /** Locks the action needs on rows that come before claims in the lock order (claimants: src/domain/claimants/speakers.ts). */
    lockFirst?: (tx: Transaction) => Promise<void>;
    read?: (tx: Transaction, claimId: string) => Promise<R>;
  },
  act: (tx: Transaction, claim: LockedClaim, read: R) => Promise<ActionOutcome<T>>,
): Promise<{ result: T; claim: ClaimRow }> {
  // The last writes are not awaited inside the transaction: the commit goes out right behind them,
  // in the same round trip. If one fails, the commit rolls back (both drivers then throw), and
  // what is thrown is that failure. Postgres' transaction throws it itself (its first failing
  // statement's, src/db/transaction-failures.ts); PGlite's throws "rolled back instead of
  // committed", hence the wait for `written` below.
  let written: Promise<Ended<T>> | undefined;
  const nested = isTransaction(db);
  const ended = await db
    .transaction(async (tx): Promise<Ended<T> | null> => {
      await options.lockFirst?.(tx);
      // What must be read as committed once the lock is granted (the facts with the schedule, `read`)
      // is sent behind it: each statement reads with the snapshot it takes when it starts, and the
      // lock's took its own before waiting for the lock. (Joined to the lock's statement, a schedule
      // that the action holding the lock before us wrote would be missed: only the locked row itself
      // is read again once the lock is granted.)
      const lock = send(tx.select().from(claims).where(eq(claims.id, claimId)).for('update'));
      const factsUnderLock = send(statusFacts(tx, claimId));
      const [[lockedRow], facts, read] = await Promise.all([lock, factsUnderLock, options.read?.(tx, claimId) as Promise<R>]);
      if (!lockedRow) throw notFound('Claim', options.field ?? 'claimId');
      const claim: LockedClaim = { ...lockedRow, scheduledFor: facts?.scheduledFor ?? null };
      assertExpectedVersion(options.expectedVersion, claim.version);
      const outcome = await act(tx, claim, read);
      const { event, claimChanges = {}, sent = [] } = outcome;
      // An answer that comes from a sent statement is awaited only once all of them succeeded: if one
      // fails, that failure is thrown (below), and this one must not surface as an unhandled rejection.
      if (outcome.result instanceof Promise) outcome.result.catch(() => {});
      if (!event) {
        await Promise.all(sent);
        return { result: await outcome.result, claim: lockedRow };
      }
      const after = outcome.facts ? outcome.facts(facts!) : (await statusFacts(tx, claimId))!;
      const status = deriveStatus(toClaimFacts({ ...after, ...claimChanges }));
      const version = claim.version + 1;
      const events = [...(event.partnerEvents ?? [])];
      if (status !== claim.status)
        events.push({ type: 'CLAIM_STATUS_CHANGED', data: { claim: { id: claimId, status, previousStatus: claim.status, version } } });
      const record = tx.insert(claimEvents).values({
        claimId,
        actorId: event.actorId ?? actor.id,
        type: event.type,
        fromStatus: claim.status,
        toStatus: status,
        note: event.note ?? null,
        version,
      });
      const partners = partnerEventWrites(events, version);
      const ctes = [['action', record.getSQL()] as const, ...(partners?.ctes ?? [])].map(([name, statement]) => tx.$with(name, {}).as(statement));
      const update = send(
        tx
          .with(...ctes)
          .update(claims)
          .set({ ...claimChanges, status, version, updatedAt: new Date() })
          .where(eq(claims.id, claimId))
          // The NOTIFY runs only if read (partnerEventWrites).
          .returning({ ...getTableColumns(claims), ...(partners ? { notified: sql<number>`(select count(*) from (${partners.notify}) as sent)` } : {}) }),
      );
      written = Promise.all([update, ...sent]).then(async ([[updated]]) => {
        const { notified: _, ...row } = updated as ClaimRow & { notified?: number };
        return { result: await outcome.result, claim: row };
      });
      written.catch(() => {}); // awaited below, after the commit (or its failure)
      // Inside a request's own transaction (Idempotency-Key) this is a savepoint, with no commit to
      // send: wait here, so that a failure undoes the savepoint as it would have.
      return nested ? await written : null;
    })
    .catch(async (error: unknown) => {
      await written;
      throw error;
    });
  return ended ?? (await written!);
}

type Ended<T> = { result: T; claim: ClaimRow };

/**
 * The claim's flags with the facts of its current round, in one statement. (Ratings come as text:
 * array and enum row shapes differ between postgres.js and PGlite.)
 */
function statusFacts(tx: Transaction, claimId: string) {
  return tx
    .select({
      dismissed: claims.dismissed,
      publishedRound: claims.publishedRound,
      round: claims.round,
      requiredVerdicts: claims.requiredVerdicts,
      activeAssignments: sql<number>`(select count(*) from ${assignments}
        where ${assignments.claimId} = ${claims}.${sql.identifier('id')} and ${assignments.state} = 'ACTIVE')`.mapWith(Number),
      ratings: sql<string | null>`(select string_agg(${verdicts.rating}::text, ',') from ${verdicts}
        where ${verdicts.claimId} = ${claims}.${sql.identifier('id')} and ${verdicts.round} = ${claims}.${sql.identifier('round')})`,
      // Milliseconds as text: the two drivers type a raw timestamp (and int8) differently.
      scheduledFor: sql<string | null>`(select (extract(epoch from ${scheduledPublications.publishAt}) * 1000)::bigint::text from ${scheduledPublications}
        where ${scheduledPublications.claimId} = ${claims}.${sql.identifier('id')})`,
    })
    .from(claims)
    .where(eq(claims.id, claimId))
    .then(
      ([row]): (StatusFacts & { scheduledFor: Date | null }) | undefined =>
        row && {
          ...row,
          ratings: row.ratings ? (row.ratings.split(',') as Rating[]) : [],
          scheduledFor: row.scheduledFor ? new Date(Number(row.scheduledFor)) : null,
        },
    );
}

const toClaimFacts = (f: StatusFacts): ClaimFacts => ({
  dismissed: f.dismissed,
  publishedThisRound: f.publishedRound === f.round,
  requiredVerdicts: f.requiredVerdicts,
  activeAssignments: f.activeAssignments,
  ratings: f.ratings,
});
