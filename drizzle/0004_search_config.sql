-- Fact checks are stemmed by the base of their language tag (pt-BR as Portuguese; before, any tag
-- but the nine bare ones fell back to 'simple'), through one function that search uses as well.
-- drizzle-kit emits no functions, and dropping the column drops its indexes: both are written here.
CREATE FUNCTION search_config(language text) RETURNS regconfig
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE lower(split_part(language, '-', 1))
    WHEN 'en' THEN 'english'::regconfig WHEN 'de' THEN 'german'::regconfig WHEN 'fr' THEN 'french'::regconfig
    WHEN 'es' THEN 'spanish'::regconfig WHEN 'it' THEN 'italian'::regconfig WHEN 'pt' THEN 'portuguese'::regconfig
    WHEN 'nl' THEN 'dutch'::regconfig WHEN 'ru' THEN 'russian'::regconfig WHEN 'sv' THEN 'swedish'::regconfig
    ELSE 'simple'::regconfig END;--> statement-breakpoint
ALTER TABLE "fact_checks" drop column "search_vector";--> statement-breakpoint
ALTER TABLE "fact_checks" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (
    setweight(to_tsvector(search_config(language), coalesce(claim_reviewed, '') || ' ' || coalesce(quote, '')), 'A') ||
    setweight(to_tsvector(search_config(language), coalesce(summary, '')), 'B')) STORED;--> statement-breakpoint
CREATE INDEX "fact_checks_search_idx" ON "fact_checks" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "fact_checks_search_bucket_idx" ON "fact_checks" USING gin (search_bucket_vector("search_vector", "published_at")) WITH (fastupdate=false);
