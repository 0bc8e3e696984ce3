/**
 * Who may read what (docs/design.md, "Who sees what"), in one place for every entry point: the list and
 * single-row queries, node(id), the field resolvers and the REST routes. Pure: a viewer and rows in,
 * an answer out. A query refuses (`requireReader`: FORBIDDEN); node(id) answers null (`maySee`).
 * A row reached through a parent the viewer sees (a claim's assignments, evidence) is not checked
 * again, unless its own rule narrows it: verdicts (blind review) and fact checks (retraction).
 */
import type { VerdictRow } from '../db/schema.js';
import { isPublicFactCheck, publicFactCheckCondition } from '../model/public-fact-checks.js';
import { READERS, type ReadableKind } from './features.js';
import { EDITORS, requireRole, type Viewer } from './viewer.js';

export { isPublicFactCheck, publicFactCheckCondition };
export type { ReadableKind };

/** The viewer, if they may read `kind`; UNAUTHENTICATED or FORBIDDEN otherwise. */
export const requireReader = (viewer: Viewer | null, kind: ReadableKind): Viewer => requireRole(viewer, READERS[kind]);

/** Whether the viewer may read `kind` at all, before any row is loaded. */
export const mayRead = (viewer: Viewer, kind: ReadableKind) => READERS[kind].includes(viewer.role);

/** The rows whose visibility depends on more than the viewer's role, and what decides it. */
export type RowOf = {
  User: { id: string };
  FactCheck: { retractedAt: Date | null };
  /** Editors and admins see every request; others their own. */
  CorrectionRequest: { requestedBy: string };
  /** Blind review needs the verdict's whole round. */
  Verdict: { verdict: VerdictRow; round: readonly VerdictRow[] };
};

/** Whether the viewer may see this row (node(id) answers null where not). */
export function maySee<K extends ReadableKind>(viewer: Viewer, kind: K, row: K extends keyof RowOf ? RowOf[K] : unknown): boolean {
  switch (kind) {
    case 'User':
      return mayRead(viewer, 'User') || (row as RowOf['User']).id === viewer.id;
    case 'FactCheck':
      return isPublicFactCheck(row as RowOf['FactCheck']);
    case 'CorrectionRequest':
      return mayRead(viewer, 'CorrectionRequest') && (EDITORS.includes(viewer.role) || (row as RowOf['CorrectionRequest']).requestedBy === viewer.id);
    case 'Verdict': {
      if (!mayRead(viewer, 'Verdict')) return false;
      const { verdict, round } = row as RowOf['Verdict'];
      return verdict.reviewerId === viewer.id || visibleVerdicts(viewer, round).some((v) => v.id === verdict.id);
    }
    default:
      return mayRead(viewer, kind);
  }
}

/**
 * Blind review: a reviewer sees the other verdicts of the round only once their own is in;
 * editors and admins see all; partners none (they are refused before this).
 */
export function visibleVerdicts<V extends Pick<VerdictRow, 'id' | 'reviewerId'>>(viewer: Viewer, roundVerdicts: readonly V[]): readonly V[] {
  if (EDITORS.includes(viewer.role)) return roundVerdicts;
  if (viewer.role !== 'REVIEWER') return [];
  return roundVerdicts.some((v) => v.reviewerId === viewer.id) ? roundVerdicts : [];
}
