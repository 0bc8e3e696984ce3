CREATE TYPE "public"."claimant_kind" AS ENUM('PERSON', 'ORGANIZATION');--> statement-breakpoint
CREATE TABLE "claimant_names" (
	"claimant_id" uuid NOT NULL,
	"name_key" text NOT NULL,
	"is_primary" boolean DEFAULT false NOT NULL,
	CONSTRAINT "claimant_names_claimant_id_name_key_pk" PRIMARY KEY("claimant_id","name_key")
);
--> statement-breakpoint
CREATE TABLE "claimants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"sort_key" text NOT NULL,
	"kind" "claimant_kind" NOT NULL,
	"aliases" text[] DEFAULT '{}'::text[] NOT NULL,
	"wikidata_id" text,
	"website" text,
	"description" text,
	"merged_into" uuid,
	"merged_at" timestamp (3) with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "claim_topics" (
	"claim_id" uuid NOT NULL,
	"topic_id" uuid NOT NULL,
	CONSTRAINT "claim_topics_claim_id_topic_id_pk" PRIMARY KEY("claim_id","topic_id")
);
--> statement-breakpoint
CREATE TABLE "topics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"wikidata_id" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "speaker_id" uuid;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "topic_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "claimant_names" ADD CONSTRAINT "claimant_names_claimant_id_claimants_id_fk" FOREIGN KEY ("claimant_id") REFERENCES "public"."claimants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claimants" ADD CONSTRAINT "claimants_merged_into_claimants_id_fk" FOREIGN KEY ("merged_into") REFERENCES "public"."claimants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claimants" ADD CONSTRAINT "claimants_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_topics" ADD CONSTRAINT "claim_topics_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_topics" ADD CONSTRAINT "claim_topics_topic_id_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."topics"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "topics" ADD CONSTRAINT "topics_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claimant_names_trgm_idx" ON "claimant_names" USING gin ("name_key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "claimant_names_prefix_idx" ON "claimant_names" USING btree ("name_key" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "claimants_wikidata_id_unique" ON "claimants" USING btree ("wikidata_id") WHERE merged_into IS NULL AND wikidata_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "claimants_sort_idx" ON "claimants" USING btree ("sort_key","id") WHERE merged_into IS NULL;--> statement-breakpoint
CREATE INDEX "claimants_merged_into_idx" ON "claimants" USING btree ("merged_into") WHERE merged_into IS NOT NULL;--> statement-breakpoint
CREATE INDEX "claim_topics_topic_idx" ON "claim_topics" USING btree ("topic_id","claim_id");--> statement-breakpoint
CREATE UNIQUE INDEX "topics_name_key_unique" ON "topics" USING btree ("name_key");--> statement-breakpoint
CREATE INDEX "topics_name_key_trgm_idx" ON "topics" USING gin ("name_key" gin_trgm_ops);--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_speaker_id_claimants_id_fk" FOREIGN KEY ("speaker_id") REFERENCES "public"."claimants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claims_speaker_idx" ON "claims" USING btree ("speaker_id","created_at","id") WHERE speaker_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "webhook_events_fact_check_idx" ON "webhook_events" USING btree (("data" -> 'factCheck' ->> 'id'));