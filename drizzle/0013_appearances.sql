ALTER TYPE "public"."claim_event_type" ADD VALUE 'APPEARANCE_ADDED';--> statement-breakpoint
ALTER TYPE "public"."fact_check_change_type" ADD VALUE 'UPDATED';--> statement-breakpoint
ALTER TYPE "public"."webhook_event_type" ADD VALUE 'FACT_CHECK_UPDATED';--> statement-breakpoint
CREATE TABLE "claim_appearances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"url" text NOT NULL,
	"url_normalized" text NOT NULL,
	"appeared_at" timestamp (3) with time zone,
	"archived_url" text,
	"first_appearance" boolean DEFAULT false NOT NULL,
	"added_by" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "articles" ADD COLUMN "url_normalized" text;--> statement-breakpoint
ALTER TABLE "claim_appearances" ADD CONSTRAINT "claim_appearances_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_appearances" ADD CONSTRAINT "claim_appearances_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "claim_appearances_one_per_url" ON "claim_appearances" USING btree ("claim_id",md5("url_normalized"));--> statement-breakpoint
CREATE UNIQUE INDEX "claim_appearances_one_first" ON "claim_appearances" USING btree ("claim_id") WHERE first_appearance;--> statement-breakpoint
CREATE INDEX "claim_appearances_url_normalized_idx" ON "claim_appearances" USING btree (md5("url_normalized"),"claim_id");--> statement-breakpoint
CREATE INDEX "articles_url_normalized_idx" ON "articles" USING btree (md5("url_normalized"));--> statement-breakpoint
CREATE INDEX "articles_url_unnormalized_idx" ON "articles" USING btree ("id") WHERE url_normalized IS NULL;--> statement-breakpoint
CREATE INDEX "fact_checks_article_idx" ON "fact_checks" USING btree ("article_id");--> statement-breakpoint
-- articles.url_normalized is not backfilled here: the rules are normalize-url's (JavaScript, src/model/lookup-url.ts),
-- which SQL could only approximate. Every start fills in the rows still NULL, in batches, right after the
-- migrations (src/db/normalized-urls.ts), before the server answers; articles_url_unnormalized_idx finds them.
SELECT 1;
