-- Search buckets: every lexeme of a published fact check is indexed once per week and once per
-- quarter ('ballot@w2870', 'ballot@q220'), so that search reads the newest matches a bucket at a time
-- instead of every match (listFactChecks in src/domain/fact-checks.ts). drizzle-kit emits no
-- functions; they precede the index that uses them.
CREATE FUNCTION search_week(published_at timestamptz) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN floor(extract(epoch FROM published_at AT TIME ZONE 'UTC') / 604800)::integer;--> statement-breakpoint
CREATE FUNCTION search_quarter(week integer) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN floor(week / 13.0)::integer;--> statement-breakpoint
-- A lexeme of 2,000 bytes or more (to_tsvector keeps up to 2,047) would not fit with its suffix: it
-- stays out of the buckets. COST: computing it for every row is what the index saves; a planner that
-- thought it cheap would scan every row for every bucket.
CREATE FUNCTION search_bucket_vector(search_vector tsvector, published_at timestamptz) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1000
  RETURN array_to_tsvector(ARRAY(
    SELECT v.lexeme || '@' || b.bucket
    FROM unnest(search_vector) AS v,
      unnest(ARRAY['w' || search_week(published_at), 'q' || search_quarter(search_week(published_at))]) AS b(bucket)
    WHERE octet_length(v.lexeme) < 2000));--> statement-breakpoint
-- The query within one bucket. Bucket lexemes carry no positions, so phrase operators become AND and
-- the caller checks the query itself on the rows found. The query comes from websearch_to_tsquery,
-- whose lexemes hold no quotes or angle brackets.
CREATE FUNCTION search_bucket_query(query tsquery, bucket text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN regexp_replace(regexp_replace(query::text, '''((?:[^'']|'''')*)''', '''\1@' || bucket || '''', 'g'), '<(-|\d+)>', '&', 'g')::tsquery;--> statement-breakpoint
-- The buckets of the fact checks published from oldest to newest, newest first: the weeks of this
-- quarter and the last (14 to 26 of them, so that a common word is found within a week or two), then
-- the older quarters (few, so that a rare word costs few index probes). Callers rely on this order.
CREATE FUNCTION search_buckets_newest_first(newest timestamptz, oldest timestamptz) RETURNS SETOF text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT 'w' || week
  FROM generate_series(search_week(newest), greatest(search_week(oldest), 13 * (search_quarter(search_week(newest)) - 1)), -1) AS week
  UNION ALL
  SELECT 'q' || quarter
  FROM generate_series(search_quarter(search_week(newest)) - 2, search_quarter(search_week(oldest)), -1) AS quarter
$$;--> statement-breakpoint
CREATE INDEX "fact_checks_search_bucket_idx" ON "fact_checks" USING gin (search_bucket_vector("search_vector", "published_at")) WITH (fastupdate=false);