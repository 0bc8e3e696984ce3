-- Search parses a query once per configuration, with one parameter: search_queries() in the order of
-- search_configs(), search_config_index() to pick a fact check's own, search_query_any() for the index.
CREATE FUNCTION search_configs() RETURNS regconfig[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY['english', 'german', 'french', 'spanish', 'italian', 'portuguese', 'dutch', 'russian', 'swedish', 'simple']::regconfig[];--> statement-breakpoint
CREATE FUNCTION search_config_index(language text) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN array_position(search_configs(), search_config(language));--> statement-breakpoint
CREATE FUNCTION search_queries(query text) RETURNS tsquery[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY(SELECT websearch_to_tsquery(c.config, query) FROM unnest(search_configs()) WITH ORDINALITY AS c(config, n) ORDER BY c.n);--> statement-breakpoint
-- Every configuration's reading of the query, ORed: what the index is asked for when the query may
-- match fact checks in any language. Readings without a lexeme (stop words only) are left out, and
-- the many that agree are ORed once.
CREATE FUNCTION search_query_any(queries tsquery[]) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN coalesce((SELECT string_agg(DISTINCT '(' || q::text || ')', ' | ') FROM unnest(queries) AS q WHERE numnode(q) > 0), '')::tsquery;
