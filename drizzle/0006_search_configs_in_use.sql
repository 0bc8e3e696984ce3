CREATE TABLE "search_configs_in_use" (
	"config" "regconfig" PRIMARY KEY NOT NULL
);
--> statement-breakpoint
-- Statement-level, so that a COPY of a million rows costs one insert; ENABLE ALWAYS, so that loads
-- that skip foreign-key triggers (session_replication_role = replica) still keep the set whole.
CREATE FUNCTION note_search_configs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_configs_in_use (config)
  SELECT DISTINCT search_config(language) FROM new_rows
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER fact_checks_inserted_search_configs AFTER INSERT ON fact_checks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION note_search_configs();--> statement-breakpoint
CREATE TRIGGER fact_checks_updated_search_configs AFTER UPDATE ON fact_checks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION note_search_configs();--> statement-breakpoint
ALTER TABLE fact_checks ENABLE ALWAYS TRIGGER fact_checks_inserted_search_configs;--> statement-breakpoint
ALTER TABLE fact_checks ENABLE ALWAYS TRIGGER fact_checks_updated_search_configs;--> statement-breakpoint
INSERT INTO search_configs_in_use (config) SELECT DISTINCT search_config(language) FROM fact_checks;--> statement-breakpoint
-- Every configuration in use reads the query; the readings are ORed, the many that agree once, and
-- readings without a lexeme (stop words only) left out. What the index is asked for when a search
-- may match fact checks in any language.
CREATE FUNCTION search_query_in_use(query text) RETURNS tsquery
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN coalesce((
    SELECT string_agg(DISTINCT '(' || q::text || ')', ' | ')
    FROM search_configs_in_use AS c, websearch_to_tsquery(c.config, query) AS q
    WHERE numnode(q) > 0), '')::tsquery;
--> statement-breakpoint
DROP FUNCTION search_query_any(tsquery[]);
