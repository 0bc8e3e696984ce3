/** Column types and helpers shared by the tables of src/db/tables/. */
import { customType, timestamp } from 'drizzle-orm/pg-core';

export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
export const regconfig = customType<{ data: string }>({ dataType: () => 'regconfig' });
// Milliseconds, like JavaScript's Date, so that keyset cursors round-trip exactly.
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });
export const createdNow = (name: string) => timestamptz(name).notNull().defaultNow();
