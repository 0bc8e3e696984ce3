-- Reads of other publishers' fact checks (src/domain/external-fact-checks/). Hand-written: drizzle-kit
-- emits no functions or triggers.
--
-- The search ranks the newest matches (search.ts there) as our own search does, with the week and
-- quarter buckets of 0003, dated by when the publisher published the review; a review that gives no
-- date (or a date after we imported it) counts from its import, and dates before 1990 as 1990, so
-- that garbage dates cannot make the bucket list run for centuries.
CREATE FUNCTION external_search_date(published_at timestamptz, imported_at timestamptz) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN greatest(least(published_at, imported_at), '1990-01-01 00:00:00+00'::timestamptz);--> statement-breakpoint
CREATE INDEX "external_fact_checks_search_date_idx" ON "external_fact_checks" USING btree (external_search_date("published_at", "imported_at"), "id");--> statement-breakpoint
CREATE INDEX "external_fact_checks_search_bucket_idx" ON "external_fact_checks" USING gin (search_bucket_vector("search_vector", external_search_date("published_at", "imported_at"))) WITH (fastupdate=false);--> statement-breakpoint
-- externalFactChecks(filter: {publisherName}) newest first: read in order, not sorted.
CREATE INDEX "external_fact_checks_publisher_imported_idx" ON "external_fact_checks" USING btree ("publisher_name", "imported_at", "id");--> statement-breakpoint
-- A search without a language reads the query in every configuration some fact check uses (0006):
-- other publishers' reviews count too.
CREATE TRIGGER external_fact_checks_inserted_search_configs AFTER INSERT ON external_fact_checks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION note_search_configs();--> statement-breakpoint
CREATE TRIGGER external_fact_checks_updated_search_configs AFTER UPDATE ON external_fact_checks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION note_search_configs();--> statement-breakpoint
ALTER TABLE external_fact_checks ENABLE ALWAYS TRIGGER external_fact_checks_inserted_search_configs;--> statement-breakpoint
ALTER TABLE external_fact_checks ENABLE ALWAYS TRIGGER external_fact_checks_updated_search_configs;--> statement-breakpoint
INSERT INTO search_configs_in_use (config) SELECT DISTINCT search_config(language) FROM external_fact_checks ON CONFLICT DO NOTHING;
