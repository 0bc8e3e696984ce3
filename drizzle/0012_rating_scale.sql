CREATE TABLE "rating_labels" (
	"key" text PRIMARY KEY NOT NULL,
	"position" integer NOT NULL,
	"rating" "rating" NOT NULL,
	"value" integer,
	"names" jsonb NOT NULL,
	"descriptions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "rating_labels_value" CHECK (("rating_labels"."rating" = 'UNPROVEN') = ("rating_labels"."value" IS NULL) AND ("rating_labels"."value" IS NULL OR "rating_labels"."value" >= 1))
);
--> statement-breakpoint
CREATE TABLE "rating_scales" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"name" text NOT NULL,
	"default_locale" text NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rating_scales_single_row" CHECK ("rating_scales"."id" = 1)
);
--> statement-breakpoint
-- Edited by hand: the columns are added nullable, filled from the default scale below, then made NOT NULL.
ALTER TABLE "corrections" ADD COLUMN "previous_textual_rating" text;--> statement-breakpoint
ALTER TABLE "corrections" ADD COLUMN "previous_rating_label_key" text;--> statement-breakpoint
ALTER TABLE "corrections" ADD COLUMN "previous_rating_value" integer;--> statement-breakpoint
ALTER TABLE "corrections" ADD COLUMN "previous_best_rating" integer;--> statement-breakpoint
ALTER TABLE "corrections" ADD COLUMN "previous_worst_rating" integer;--> statement-breakpoint
ALTER TABLE "fact_checks" ADD COLUMN "textual_rating" text;--> statement-breakpoint
ALTER TABLE "fact_checks" ADD COLUMN "rating_label_key" text;--> statement-breakpoint
ALTER TABLE "fact_checks" ADD COLUMN "rating_label_chosen" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "fact_checks" ADD COLUMN "rating_value" integer;--> statement-breakpoint
ALTER TABLE "fact_checks" ADD COLUMN "best_rating" integer;--> statement-breakpoint
ALTER TABLE "fact_checks" ADD COLUMN "worst_rating" integer;--> statement-breakpoint
CREATE UNIQUE INDEX "rating_labels_position" ON "rating_labels" USING btree ("position");--> statement-breakpoint
CREATE INDEX "fact_checks_rating_label_idx" ON "fact_checks" USING btree ("rating_label_key") WHERE retracted_at IS NULL;--> statement-breakpoint
-- Hand-written: the scale a fresh database starts with (DEFAULT_RATING_SCALE in
-- src/domain/rating-scale/scale.ts; test/integration/rating-scale.test.ts compares the two): one
-- English label per normalized rating, with the values ClaimReview always had, so that its output
-- does not change. Existing fact checks and corrections are given the label they were published
-- under, as it read then (the old fixed labels: the same names and values); they were published
-- with a plain rating (rating_label_chosen false).
INSERT INTO "rating_scales" ("id", "name", "default_locale") VALUES (1, 'Default', 'en');--> statement-breakpoint
INSERT INTO "rating_labels" ("key", "position", "rating", "value", "names") VALUES
  ('false', 0, 'FALSE', 1, '[{"locale": "en", "text": "False"}]'),
  ('mostly-false', 1, 'MOSTLY_FALSE', 2, '[{"locale": "en", "text": "Mostly false"}]'),
  ('misleading', 2, 'MISLEADING', 2, '[{"locale": "en", "text": "Misleading"}]'),
  ('mixed', 3, 'MIXED', 3, '[{"locale": "en", "text": "Mixed"}]'),
  ('mostly-true', 4, 'MOSTLY_TRUE', 4, '[{"locale": "en", "text": "Mostly true"}]'),
  ('true', 5, 'TRUE', 5, '[{"locale": "en", "text": "True"}]'),
  ('unproven', 6, 'UNPROVEN', NULL, '[{"locale": "en", "text": "Unproven"}]');--> statement-breakpoint
UPDATE "fact_checks" f SET "textual_rating" = l."names"->0->>'text', "rating_label_key" = l."key", "rating_value" = l."value", "best_rating" = 5, "worst_rating" = 1
  FROM "rating_labels" l WHERE l."rating" = f."rating";--> statement-breakpoint
UPDATE "corrections" c SET "previous_textual_rating" = l."names"->0->>'text', "previous_rating_label_key" = l."key", "previous_rating_value" = l."value",
  "previous_best_rating" = 5, "previous_worst_rating" = 1
  FROM "rating_labels" l WHERE l."rating" = c."previous_rating";--> statement-breakpoint
ALTER TABLE "fact_checks" ALTER COLUMN "textual_rating" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "fact_checks" ALTER COLUMN "rating_label_key" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "fact_checks" ALTER COLUMN "best_rating" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "fact_checks" ALTER COLUMN "worst_rating" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "corrections" ALTER COLUMN "previous_textual_rating" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "corrections" ALTER COLUMN "previous_rating_label_key" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "corrections" ALTER COLUMN "previous_best_rating" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "corrections" ALTER COLUMN "previous_worst_rating" SET NOT NULL;
