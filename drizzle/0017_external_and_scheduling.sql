ALTER TYPE "public"."claim_event_type" ADD VALUE 'PUBLICATION_SCHEDULED';--> statement-breakpoint
ALTER TYPE "public"."claim_event_type" ADD VALUE 'PUBLICATION_CANCELLED';--> statement-breakpoint
ALTER TYPE "public"."webhook_event_type" ADD VALUE 'FACT_CHECK_SCHEDULED';--> statement-breakpoint
ALTER TYPE "public"."webhook_event_type" ADD VALUE 'FACT_CHECK_SCHEDULE_CANCELLED';--> statement-breakpoint
CREATE TABLE "external_fact_check_appearances" (
	"url_normalized" text NOT NULL,
	"external_fact_check_id" uuid NOT NULL,
	CONSTRAINT "external_fact_check_appearances_url_normalized_external_fact_check_id_pk" PRIMARY KEY("url_normalized","external_fact_check_id")
);
--> statement-breakpoint
CREATE TABLE "external_fact_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_url" text NOT NULL,
	"review_url_normalized" text NOT NULL,
	"publisher_name" text NOT NULL,
	"publisher_site" text,
	"claim_reviewed" text NOT NULL,
	"claimant" text,
	"textual_rating" text NOT NULL,
	"textual_rating_key" text NOT NULL,
	"rating" "rating",
	"rating_position" double precision,
	"language" text,
	"published_at" timestamp (3) with time zone,
	"appearance_urls" text[] DEFAULT '{}'::text[] NOT NULL,
	"source_id" uuid,
	"imported_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"claim_review" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector(search_config(language), coalesce(claim_reviewed, '')), 'A') || setweight(to_tsvector(search_config(language), coalesce(claimant, '')), 'B')) STORED,
	CONSTRAINT "external_fact_checks_review_url_normalized_unique" UNIQUE("review_url_normalized")
);
--> statement-breakpoint
CREATE TABLE "external_rating_rules" (
	"position" integer PRIMARY KEY NOT NULL,
	"textual_rating" text NOT NULL,
	"textual_rating_key" text NOT NULL,
	"language" text,
	"rating" "rating" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "external_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"interval_minutes" integer DEFAULT 60 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"next_fetch_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp (3) with time zone,
	"last_fetched_at" timestamp (3) with time zone,
	"last_success_at" timestamp (3) with time zone,
	"last_error" text,
	"last_report" jsonb,
	"etag" text,
	"last_modified" text,
	CONSTRAINT "external_sources_interval_range" CHECK ("external_sources"."interval_minutes" BETWEEN 5 AND 10080)
);
--> statement-breakpoint
CREATE TABLE "scheduled_publications" (
	"claim_id" uuid PRIMARY KEY NOT NULL,
	"fact_check_id" uuid NOT NULL,
	"publish_at" timestamp (3) with time zone NOT NULL,
	"rating" "rating" NOT NULL,
	"textual_rating" text NOT NULL,
	"rating_label_key" text NOT NULL,
	"rating_label_chosen" boolean DEFAULT false NOT NULL,
	"rating_value" integer,
	"best_rating" integer NOT NULL,
	"worst_rating" integer NOT NULL,
	"summary" text NOT NULL,
	"scheduled_by" uuid NOT NULL,
	"scheduled_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scheduled_publications_fact_check_id_unique" UNIQUE("fact_check_id")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "embargo_access" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "external_fact_check_appearances" ADD CONSTRAINT "external_fact_check_appearances_external_fact_check_id_external_fact_checks_id_fk" FOREIGN KEY ("external_fact_check_id") REFERENCES "public"."external_fact_checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_fact_checks" ADD CONSTRAINT "external_fact_checks_source_id_external_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."external_sources"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_sources" ADD CONSTRAINT "external_sources_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduled_publications" ADD CONSTRAINT "scheduled_publications_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduled_publications" ADD CONSTRAINT "scheduled_publications_scheduled_by_users_id_fk" FOREIGN KEY ("scheduled_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "external_fact_check_appearances_fact_check_idx" ON "external_fact_check_appearances" USING btree ("external_fact_check_id");--> statement-breakpoint
CREATE INDEX "external_fact_checks_imported_idx" ON "external_fact_checks" USING btree ("imported_at","id");--> statement-breakpoint
CREATE INDEX "external_fact_checks_search_idx" ON "external_fact_checks" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "external_fact_checks_claim_trgm_idx" ON "external_fact_checks" USING gin ("claim_reviewed" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "external_fact_checks_publisher_idx" ON "external_fact_checks" USING btree ("publisher_name");--> statement-breakpoint
CREATE INDEX "external_fact_checks_source_idx" ON "external_fact_checks" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "external_fact_checks_rating_key_idx" ON "external_fact_checks" USING btree ("textual_rating_key","id");--> statement-breakpoint
CREATE INDEX "external_rating_rules_key_idx" ON "external_rating_rules" USING btree ("textual_rating_key");--> statement-breakpoint
CREATE INDEX "external_sources_created_idx" ON "external_sources" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "external_sources_due_idx" ON "external_sources" USING btree ("next_fetch_at") WHERE enabled;--> statement-breakpoint
CREATE INDEX "scheduled_publications_due_idx" ON "scheduled_publications" USING btree ("publish_at");--> statement-breakpoint
CREATE INDEX "scheduled_publications_label_idx" ON "scheduled_publications" USING btree ("rating_label_key");