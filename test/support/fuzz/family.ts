/**
 * A family of fuzzed operations (test/integration/fuzz.test.ts): one GraphQL root field, the document
 * that calls it, who may get an answer, and how to generate its variables and sender.
 *
 * Each feature keeps its families in test/support/<feature>/<feature>.fuzz.ts, keyed by the root field
 * (Query or Mutation field) they exercise; test/support/fuzz/families.ts collects them.
 */
import fc from 'fast-check';
import type { Role } from '../../../src/model/enums.js';

export const PRINCIPALS = ['admin', 'editor', 'reviewer1', 'reviewer2', 'outsider', 'partner', 'none'] as const;
/** Who sends a request; `none` sends no token. */
export type Principal = (typeof PRINCIPALS)[number];

export interface Family {
  /** Share of the runs. */
  weight: number;
  /** Calls the family's root field (its key) at the top level. */
  document: string;
  /** Who may get a non-null root field back (docs/design.md, Who sees what); null stands for no token. */
  roles: readonly Role[];
  principal: fc.Arbitrary<Principal>;
  variables: fc.Arbitrary<Record<string, unknown>>;
  /** Collects IDs and cursors of a successful response for later requests. */
  harvest?: (result: any) => void;
  /** More to check of a response. */
  check?: (principal: Principal, data: Record<string, any>) => string[];
}

/** A feature's families, keyed by the GraphQL root field (Query or Mutation field) each one exercises. */
export type Families = Record<string, Family>;

/** A family as the collection lists it: with its root field, the one whose answer is judged. */
export interface FuzzFamily extends Family {
  field: string;
}

export const EDITORS: Role[] = ['ADMIN', 'EDITOR'];
export const STAFF: Role[] = ['ADMIN', 'EDITOR', 'REVIEWER'];
export const ADMINS: Role[] = ['ADMIN'];
export const EVERYONE: Role[] = ['ADMIN', 'EDITOR', 'REVIEWER', 'PARTNER'];

/** Which principal sends a request, weighted. */
export const from = (weights: Partial<Record<Principal, number>>) =>
  fc.oneof(...PRINCIPALS.map((p) => ({ weight: weights[p] ?? 1, arbitrary: fc.constant(p) })));
export const EDITORS_MOSTLY = from({ editor: 5, admin: 2 });
export const REVIEWERS_MOSTLY = from({ reviewer1: 5, reviewer2: 5, editor: 2 });
export const ADMINS_MOSTLY = from({ admin: 6 });
