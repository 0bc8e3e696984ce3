/**
 * How a feature declares itself, once, in its own folder (`src/domain/<feature>/<feature>.feature.ts`):
 * the objects it adds and who may read them, its GraphQL operations, which of its queries are
 * partner reads, and its public HTTP routes. src/domain/features.ts collects the declarations; the
 * rules (visibility.ts, global-ids.ts), the server (routes, read routing) and the tests (the
 * authorization matrix, the fuzz test, the registry test) read them there. Pure data.
 */
import type { Role } from '../model/enums.js';

/** The error envelope of a route (src/server/http-errors.ts). */
export type Envelope = 'graphql' | 'google' | 'plain' | 'page';

export interface RouteDeclaration {
  path: RegExp;
  /** The route as a pattern, for metrics labels (never the path asked for). */
  pattern: string;
  /** The methods it answers; Express answers HEAD with the GET handler. */
  methods: readonly string[];
  envelope: Envelope;
}

export interface Feature {
  name: string;
  /** Its Node types (node(id), global IDs) and the roles that may read each at all; a row's own rule may narrow it (visibility.ts). */
  nodeTypes?: Readonly<Record<string, readonly Role[]>>;
  /** Other kinds of rows it shows under a rule of their own (no Node, no global ID), and their readers. */
  readables?: Readonly<Record<string, readonly Role[]>>;
  /** Its Query fields. */
  queries?: readonly string[];
  /** Its Mutation fields. */
  mutations?: readonly string[];
  /** Those of its queries that read only what partners may read: served from the read replica to non-staff (reads.ts). */
  partnerReads?: readonly string[];
  /** Its plain-HTTP routes (the handlers are in src/server/routes/). */
  routes?: readonly RouteDeclaration[];
}

export const READ_METHODS = ['GET', 'HEAD'] as const;
