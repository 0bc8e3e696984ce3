import { assignments, evidence, verdicts } from './schema.js';

/** The order of each relation list: for the loaders, and for the look-ahead of a claim page (claim-page.ts). */
export const RELATION_ORDER = {
  assignments: [assignments.assignedAt, assignments.id],
  evidence: [evidence.addedAt, evidence.id],
  verdicts: [verdicts.submittedAt, verdicts.id],
} as const;
