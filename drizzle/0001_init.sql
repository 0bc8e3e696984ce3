CREATE TYPE "public"."assignment_state" AS ENUM('ACTIVE', 'SUBMITTED', 'WITHDRAWN');--> statement-breakpoint
CREATE TYPE "public"."claim_event_type" AS ENUM('CREATED', 'ASSIGNED', 'ASSIGNMENT_WITHDRAWN', 'EVIDENCE_ADDED', 'VERDICT_SUBMITTED', 'PUBLISHED', 'CORRECTED', 'DISMISSED', 'REOPENED', 'UPDATED');--> statement-breakpoint
CREATE TYPE "public"."claim_status" AS ENUM('OPEN', 'IN_REVIEW', 'DISPUTED', 'REVIEWED', 'PUBLISHED', 'DISMISSED');--> statement-breakpoint
CREATE TYPE "public"."confidence" AS ENUM('LOW', 'MEDIUM', 'HIGH');--> statement-breakpoint
CREATE TYPE "public"."evidence_kind" AS ENUM('PRIMARY_SOURCE', 'OFFICIAL_STATEMENT', 'DATASET', 'NEWS_REPORT', 'EXPERT', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."priority" AS ENUM('LOW', 'NORMAL', 'HIGH', 'URGENT');--> statement-breakpoint
CREATE TYPE "public"."rating" AS ENUM('TRUE', 'MOSTLY_TRUE', 'MIXED', 'MISLEADING', 'MOSTLY_FALSE', 'FALSE', 'UNPROVEN');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('ADMIN', 'EDITOR', 'REVIEWER', 'PARTNER');--> statement-breakpoint
CREATE TYPE "public"."stance" AS ENUM('SUPPORTS', 'REFUTES', 'CONTEXT');--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"label" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp (3) with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "articles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"url" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"publisher" text,
	"author" text,
	"published_at" timestamp (3) with time zone,
	"language" text DEFAULT 'en' NOT NULL,
	"ingested_by" uuid,
	"ingested_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "articles_url_unique" UNIQUE("url")
);
--> statement-breakpoint
CREATE TABLE "assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"assigned_by" uuid NOT NULL,
	"round" integer NOT NULL,
	"state" "assignment_state" DEFAULT 'ACTIVE' NOT NULL,
	"due_at" timestamp (3) with time zone,
	"assigned_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "claim_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"claim_id" uuid NOT NULL,
	"actor_id" uuid NOT NULL,
	"type" "claim_event_type" NOT NULL,
	"from_status" "claim_status",
	"to_status" "claim_status",
	"note" text,
	"version" integer NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "claims" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"article_id" uuid NOT NULL,
	"quote" text NOT NULL,
	"span_start" integer NOT NULL,
	"span_end" integer NOT NULL,
	"statement" text NOT NULL,
	"claimant" text,
	"priority" "priority" DEFAULT 'NORMAL' NOT NULL,
	"required_verdicts" integer DEFAULT 1 NOT NULL,
	"due_at" timestamp (3) with time zone,
	"status" "claim_status" DEFAULT 'OPEN' NOT NULL,
	"round" integer DEFAULT 1 NOT NULL,
	"dismissed" boolean DEFAULT false NOT NULL,
	"published_round" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, coalesce(quote, '') || ' ' || coalesce(statement, ''))) STORED,
	CONSTRAINT "claims_span_valid" CHECK ("claims"."span_start" >= 0 AND "claims"."span_end" > "claims"."span_start"),
	CONSTRAINT "claims_required_verdicts_range" CHECK ("claims"."required_verdicts" BETWEEN 1 AND 5),
	CONSTRAINT "claims_round_positive" CHECK ("claims"."round" >= 1)
);
--> statement-breakpoint
CREATE TABLE "corrections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fact_check_id" uuid NOT NULL,
	"note" text NOT NULL,
	"previous_rating" "rating" NOT NULL,
	"previous_summary" text NOT NULL,
	"corrected_by" uuid NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"kind" "evidence_kind" NOT NULL,
	"url" text,
	"title" text NOT NULL,
	"excerpt" text,
	"stance" "stance" NOT NULL,
	"added_by" uuid NOT NULL,
	"added_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fact_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"article_id" uuid NOT NULL,
	"claim_reviewed" text NOT NULL,
	"quote" text NOT NULL,
	"claimant" text,
	"language" text NOT NULL,
	"rating" "rating" NOT NULL,
	"summary" text NOT NULL,
	"published_by" uuid NOT NULL,
	"published_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"retracted_at" timestamp (3) with time zone,
	"search_vector" "tsvector" GENERATED ALWAYS AS (
    setweight(to_tsvector(CASE language
      WHEN 'en' THEN 'english'::regconfig WHEN 'de' THEN 'german'::regconfig WHEN 'fr' THEN 'french'::regconfig
      WHEN 'es' THEN 'spanish'::regconfig WHEN 'it' THEN 'italian'::regconfig WHEN 'pt' THEN 'portuguese'::regconfig
      WHEN 'nl' THEN 'dutch'::regconfig WHEN 'ru' THEN 'russian'::regconfig WHEN 'sv' THEN 'swedish'::regconfig
      ELSE 'simple'::regconfig END, coalesce(claim_reviewed, '') || ' ' || coalesce(quote, '')), 'A') ||
    setweight(to_tsvector(CASE language
      WHEN 'en' THEN 'english'::regconfig WHEN 'de' THEN 'german'::regconfig WHEN 'fr' THEN 'french'::regconfig
      WHEN 'es' THEN 'spanish'::regconfig WHEN 'it' THEN 'italian'::regconfig WHEN 'pt' THEN 'portuguese'::regconfig
      WHEN 'nl' THEN 'dutch'::regconfig WHEN 'ru' THEN 'russian'::regconfig WHEN 'sv' THEN 'swedish'::regconfig
      ELSE 'simple'::regconfig END, coalesce(summary, '')), 'B')) STORED,
	CONSTRAINT "fact_checks_claim_id_unique" UNIQUE("claim_id")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"role" "role" NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "verdict_evidence" (
	"verdict_id" uuid NOT NULL,
	"evidence_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "verdict_evidence_verdict_id_evidence_id_pk" PRIMARY KEY("verdict_id","evidence_id")
);
--> statement-breakpoint
CREATE TABLE "verdicts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"assignment_id" uuid NOT NULL,
	"rating" "rating" NOT NULL,
	"confidence" "confidence" NOT NULL,
	"rationale" text NOT NULL,
	"submitted_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "articles" ADD CONSTRAINT "articles_ingested_by_users_id_fk" FOREIGN KEY ("ingested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_events" ADD CONSTRAINT "claim_events_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_events" ADD CONSTRAINT "claim_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrections" ADD CONSTRAINT "corrections_fact_check_id_fact_checks_id_fk" FOREIGN KEY ("fact_check_id") REFERENCES "public"."fact_checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrections" ADD CONSTRAINT "corrections_corrected_by_users_id_fk" FOREIGN KEY ("corrected_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fact_checks" ADD CONSTRAINT "fact_checks_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fact_checks" ADD CONSTRAINT "fact_checks_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fact_checks" ADD CONSTRAINT "fact_checks_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verdict_evidence" ADD CONSTRAINT "verdict_evidence_verdict_id_verdicts_id_fk" FOREIGN KEY ("verdict_id") REFERENCES "public"."verdicts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verdict_evidence" ADD CONSTRAINT "verdict_evidence_evidence_id_evidence_id_fk" FOREIGN KEY ("evidence_id") REFERENCES "public"."evidence"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verdicts" ADD CONSTRAINT "verdicts_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verdicts" ADD CONSTRAINT "verdicts_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verdicts" ADD CONSTRAINT "verdicts_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_tokens_user_idx" ON "api_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "articles_ingested_idx" ON "articles" USING btree ("ingested_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "assignments_one_active_per_reviewer" ON "assignments" USING btree ("claim_id","reviewer_id") WHERE state = 'ACTIVE';--> statement-breakpoint
CREATE INDEX "assignments_claim_idx" ON "assignments" USING btree ("claim_id","assigned_at");--> statement-breakpoint
CREATE INDEX "assignments_reviewer_idx" ON "assignments" USING btree ("reviewer_id","state","due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "claim_events_claim_version" ON "claim_events" USING btree ("claim_id","version");--> statement-breakpoint
CREATE INDEX "claims_article_idx" ON "claims" USING btree ("article_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "claims_created_idx" ON "claims" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "claims_status_idx" ON "claims" USING btree ("status");--> statement-breakpoint
CREATE INDEX "claims_due_idx" ON "claims" USING btree ("due_at","id");--> statement-breakpoint
CREATE INDEX "claims_search_idx" ON "claims" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "corrections_fact_check_idx" ON "corrections" USING btree ("fact_check_id","at");--> statement-breakpoint
CREATE INDEX "evidence_claim_idx" ON "evidence" USING btree ("claim_id","added_at");--> statement-breakpoint
CREATE INDEX "fact_checks_published_idx" ON "fact_checks" USING btree ("published_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE retracted_at IS NULL;--> statement-breakpoint
CREATE INDEX "fact_checks_search_idx" ON "fact_checks" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "fact_checks_claim_trgm_idx" ON "fact_checks" USING gin ("claim_reviewed" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "users_name_idx" ON "users" USING btree ("name","id");--> statement-breakpoint
CREATE UNIQUE INDEX "verdicts_one_per_round_reviewer" ON "verdicts" USING btree ("claim_id","round","reviewer_id");--> statement-breakpoint
CREATE INDEX "verdicts_claim_idx" ON "verdicts" USING btree ("claim_id","round","submitted_at");