/**
 * What a request reads and writes through: its database (a transaction, the primary or the partner
 * read database) and its DataLoaders, which batch every relation of a page into one statement.
 * The API layer holds these in its context and passes them to the domain's functions; it follows a
 * relation with a loader (`loaders.user.load(id)`) but never builds a statement itself.
 */
export type { Database, Queryable } from '../db/connection.js';
export type { Loaders } from '../db/loaders.js';
export { createLoaders } from '../db/loaders.js';
