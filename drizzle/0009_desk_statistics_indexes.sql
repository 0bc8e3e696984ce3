CREATE INDEX "assignments_active_due_idx" ON "assignments" USING btree ("reviewer_id","due_at") WHERE state = 'ACTIVE';--> statement-breakpoint
CREATE INDEX "assignments_assigned_idx" ON "assignments" USING btree ("assigned_at","reviewer_id");--> statement-breakpoint
CREATE INDEX "claim_events_round_reached_idx" ON "claim_events" USING btree ("at","to_status") WHERE from_status = 'IN_REVIEW' AND to_status IN ('REVIEWED', 'DISPUTED');--> statement-breakpoint
CREATE INDEX "corrections_at_idx" ON "corrections" USING btree ("at");--> statement-breakpoint
CREATE INDEX "fact_checks_first_published_idx" ON "fact_checks" USING btree ("published_at","claim_id","rating");--> statement-breakpoint
CREATE INDEX "verdicts_submitted_idx" ON "verdicts" USING btree ("submitted_at","reviewer_id","assignment_id");