-- drizzle-kit emits no CREATE EXTENSION; PGlite loads pg_trgm from its contrib bundle.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
