CREATE TYPE "public"."correction_request_state" AS ENUM('OPEN', 'ACCEPTED', 'DECLINED');--> statement-breakpoint
ALTER TYPE "public"."webhook_event_type" ADD VALUE 'CORRECTION_REQUEST_RESOLVED';--> statement-breakpoint
CREATE TABLE "retractions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fact_check_id" uuid NOT NULL,
	"public_note" text NOT NULL,
	"previous_rating" "rating" NOT NULL,
	"previous_textual_rating" text NOT NULL,
	"retracted_by" uuid,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "correction_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fact_check_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"requester_name" text,
	"message" text NOT NULL,
	"state" "correction_request_state" DEFAULT 'OPEN' NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp (3) with time zone,
	"resolved_by" uuid,
	"resolution_note" text
);
--> statement-breakpoint
CREATE TABLE "organization" (
	"singleton" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"logo" text,
	"corrections_policy" text,
	"verification_fact_checking_policy" text,
	"ownership_funding_info" text,
	"ethics_policy" text,
	"publishing_principles" text,
	"updated_by" uuid,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organization_one_row" CHECK ("organization"."singleton")
);
--> statement-breakpoint
ALTER TABLE "corrections" ADD COLUMN "rating" "rating";--> statement-breakpoint
ALTER TABLE "corrections" ADD COLUMN "textual_rating" text;--> statement-breakpoint
ALTER TABLE "corrections" ADD COLUMN "rating_changed" boolean;--> statement-breakpoint
-- Corrections made before this migration: the rating after one is the rating before the next one of
-- the same fact check, or, for its latest, the fact check's own.
UPDATE "corrections" c SET
  "rating" = after.rating,
  "textual_rating" = after.textual_rating,
  "rating_changed" = (after.rating <> c.previous_rating OR after.rating_label_key <> c.previous_rating_label_key OR after.textual_rating <> c.previous_textual_rating)
FROM (
  SELECT c2.id,
    coalesce(lead(c2.previous_rating) OVER w, fc.rating) AS rating,
    coalesce(lead(c2.previous_textual_rating) OVER w, fc.textual_rating) AS textual_rating,
    coalesce(lead(c2.previous_rating_label_key) OVER w, fc.rating_label_key) AS rating_label_key
  FROM "corrections" c2 JOIN "fact_checks" fc ON fc.id = c2.fact_check_id
  WINDOW w AS (PARTITION BY c2.fact_check_id ORDER BY c2.at, c2.id)
) AS after
WHERE after.id = c.id;--> statement-breakpoint
ALTER TABLE "corrections" ALTER COLUMN "rating" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "corrections" ALTER COLUMN "textual_rating" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "corrections" ALTER COLUMN "rating_changed" SET NOT NULL;--> statement-breakpoint
-- Retractions made before this migration, from the change feed (which records each one): the public
-- note is the default, and the rating withdrawn is the one in force then (the first correction after
-- it names it as its "before"; else the fact check's own).
INSERT INTO "retractions" ("fact_check_id", "public_note", "previous_rating", "previous_textual_rating", "at")
SELECT ch.fact_check_id, 'Retracted',
  coalesce((SELECT c.previous_rating FROM "corrections" c WHERE c.fact_check_id = ch.fact_check_id AND c.at > ch.at ORDER BY c.at, c.id LIMIT 1), fc.rating),
  coalesce((SELECT c.previous_textual_rating FROM "corrections" c WHERE c.fact_check_id = ch.fact_check_id AND c.at > ch.at ORDER BY c.at, c.id LIMIT 1), fc.textual_rating),
  ch.at
FROM "fact_check_changes" ch JOIN "fact_checks" fc ON fc.id = ch.fact_check_id
WHERE ch.type = 'RETRACTED';--> statement-breakpoint
ALTER TABLE "retractions" ADD CONSTRAINT "retractions_fact_check_id_fact_checks_id_fk" FOREIGN KEY ("fact_check_id") REFERENCES "public"."fact_checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retractions" ADD CONSTRAINT "retractions_retracted_by_users_id_fk" FOREIGN KEY ("retracted_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "correction_requests" ADD CONSTRAINT "correction_requests_fact_check_id_fact_checks_id_fk" FOREIGN KEY ("fact_check_id") REFERENCES "public"."fact_checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "correction_requests" ADD CONSTRAINT "correction_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "correction_requests" ADD CONSTRAINT "correction_requests_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization" ADD CONSTRAINT "organization_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "retractions_fact_check_idx" ON "retractions" USING btree ("fact_check_id","at");--> statement-breakpoint
CREATE INDEX "retractions_at_idx" ON "retractions" USING btree ("at","id");--> statement-breakpoint
CREATE INDEX "correction_requests_created_idx" ON "correction_requests" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "correction_requests_state_idx" ON "correction_requests" USING btree ("state","created_at","id");--> statement-breakpoint
CREATE INDEX "correction_requests_requester_idx" ON "correction_requests" USING btree ("requested_by","created_at","id");--> statement-breakpoint
CREATE INDEX "corrections_log_idx" ON "corrections" USING btree ("at","id");