/**
 * Which database a read goes to (DESIGN.md, Architecture): partner reads (published fact checks,
 * the change feed, the REST search, the public pages, exports) may be served by the read replica;
 * staff reads and every write stay on the primary, so the desk always reads its own writes. The
 * one rule, for every entry point: GraphQL (src/server/read-routing.ts), REST, exports.
 */
import type { Database } from '../db/connection.js';
import type { ReadDatabases } from '../db/read-replica.js';
import { isStaff, type Viewer } from './viewer.js';

export type { ReadDatabases };

/** The database a partner read by `viewer` (null: anonymous, a public page) is served from. */
export function readDatabaseFor(reads: ReadDatabases, viewer: Viewer | null): Database {
  return isStaff(viewer) ? reads.primary : reads.partner;
}
