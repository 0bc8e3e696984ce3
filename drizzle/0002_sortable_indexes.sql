DROP INDEX "articles_ingested_idx";--> statement-breakpoint
DROP INDEX "assignments_reviewer_idx";--> statement-breakpoint
DROP INDEX "claims_article_idx";--> statement-breakpoint
DROP INDEX "claims_created_idx";--> statement-breakpoint
DROP INDEX "claims_status_idx";--> statement-breakpoint
DROP INDEX "claims_due_idx";--> statement-breakpoint
DROP INDEX "fact_checks_published_idx";--> statement-breakpoint
CREATE INDEX "claims_priority_idx" ON "claims" USING btree ((CASE "priority" WHEN 'URGENT' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'NORMAL' THEN 2 ELSE 3 END),coalesce("due_at", 'infinity'::timestamptz),"id");--> statement-breakpoint
CREATE INDEX "articles_ingested_idx" ON "articles" USING btree ("ingested_at","id");--> statement-breakpoint
CREATE INDEX "assignments_reviewer_idx" ON "assignments" USING btree ("reviewer_id","state",coalesce("due_at", 'infinity'::timestamptz),"assigned_at","id");--> statement-breakpoint
CREATE INDEX "claims_article_idx" ON "claims" USING btree ("article_id","created_at","id");--> statement-breakpoint
CREATE INDEX "claims_created_idx" ON "claims" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "claims_status_idx" ON "claims" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "claims_due_idx" ON "claims" USING btree (coalesce("due_at", 'infinity'::timestamptz),"id");--> statement-breakpoint
CREATE INDEX "fact_checks_published_idx" ON "fact_checks" USING btree ("published_at","id") WHERE retracted_at IS NULL;