/**
 * Which database a request reads and writes (docs/design.md, Architecture), decided here and only
 * here, for every entry point: GraphQL (src/server/request-context.ts, and src/server/read-routing.ts
 * once the operation is known), the REST search, the public pages and the exports.
 *
 * - A request with a transaction of its own (a mutation sent with an Idempotency-Key) runs wholly in it.
 * - A partner read (published fact checks, the change feed, the public pages, partners' exports) by
 *   anyone but staff may be served by the read replica (`reads.partner`, which falls back to the primary).
 * - Everything else, staff reads and every write, stays on the primary, so the desk always reads its own writes.
 */
import type { Database } from '../db/connection.js';
import type { ReadDatabases } from '../db/read-replica.js';
import { isStaff, type Viewer } from './viewer.js';

export type { ReadDatabases };

/** The databases a request may use: the process's primary and partner-read databases, and a transaction of its own if it has one. */
export interface RequestDatabases {
  reads: ReadDatabases;
  transaction?: Database;
}

/** What the request does: only partner reads, or anything (writes, staff reads). */
export type DatabaseUse = 'partner-read' | 'read-write';

export function requestDatabase({ reads, transaction }: RequestDatabases, viewer: Viewer | null, use: DatabaseUse): Database {
  if (transaction) return transaction;
  return use === 'partner-read' && !isStaff(viewer) ? reads.partner : reads.primary;
}
