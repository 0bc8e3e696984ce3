/**
 * Every table, enum and row type of the database, one file per feature under tables/ (grouped as
 * src/domain/ is). Import from here; drizzle-kit (drizzle.config.ts) and drizzle's relational
 * queries (connection.ts) read the whole schema through this barrel. The files under tables/
 * import one another (column helpers: tables/columns.ts, not re-exported), never this barrel.
 */
export * from './tables/enums.js';
export * from './tables/users.js';
export * from './tables/rate-limits.js';
export * from './tables/articles.js';
export * from './tables/claimants.js';
export * from './tables/topics.js';
export * from './tables/claims.js';
export * from './tables/fact-checks.js';
export * from './tables/rating-scale.js';
export * from './tables/change-feed.js';
export * from './tables/webhooks.js';
export * from './tables/idempotency.js';
export * from './tables/accountability.js';
export * from './tables/external.js';
export * from './tables/scheduling.js';
