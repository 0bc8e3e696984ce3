-- The re-map of stored external ratings that a change of the desk's rules owes, kept in the database
-- so that a re-map cut short is finished by a later process (src/domain/external-imports/rules-store.ts,
-- src/jobs/rating-remap.ts). Written by drizzle-kit, then by hand: the one row, with a re-map pending.
CREATE TABLE "external_rating_remap" (
	"single" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"generation" bigint DEFAULT 0 NOT NULL,
	"pending" boolean DEFAULT false NOT NULL,
	"after_id" uuid,
	"changed" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "external_rating_remap_single" CHECK ("external_rating_remap"."single")
);
--> statement-breakpoint
-- Pending: before this migration a re-map cut short left its rows under the old rules with nothing to
-- say so. The first start after it re-maps every row once, in the background, batch by batch (only
-- the rows whose rating the rules in force change are written).
INSERT INTO "external_rating_remap" ("single", "generation", "pending") VALUES (true, 0, true);
