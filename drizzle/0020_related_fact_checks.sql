-- Claim.relatedFactChecks (src/db/external-fact-checks.ts): which fact checks a claim's statement is
-- compared with. Hand-written: drizzle-kit emits no functions.
--
-- Trigram similarity through its GIN index reads every row that shares a common trigram with the
-- statement (1 to 13 s per claim at a million reviews), so the candidates come from the full-text
-- index instead, by the statement's words: those that are not common, else the three least common
-- of those that are. "Common" is what ANALYZE lists as the most common lexemes of the table's search
-- vectors (pg_stats.most_common_elems: the thousand or so most frequent, each in more than about
-- 0.1 % of the rows), which the caller reads once per statement and passes in, with their
-- frequencies; without statistics (PGlite never analyses by itself, a table just loaded) every word
-- counts as uncommon. The statement is read in every text-search configuration in use, as search
-- reads a query (0006).
CREATE FUNCTION related_term(lexeme text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN '''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''';--> statement-breakpoint
-- Its words that are not common, ORed; null if it has none.
CREATE FUNCTION related_uncommon_words(statement text, common text[]) RETURNS tsquery
  LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT string_agg(DISTINCT related_term(l.lexeme), ' | ')::tsquery
  FROM search_configs_in_use AS c CROSS JOIN LATERAL unnest(to_tsvector(c.config, statement)) AS l
  WHERE array_position(common, l.lexeme) IS NULL
$$;--> statement-breakpoint
-- The three least common of its common words (in each configuration): all three together
-- (`together` 3), or any two of them (2), ORed over the configurations; null if none.
CREATE FUNCTION related_common_words(statement text, common text[], frequencies real[], together integer) RETURNS tsquery
  LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  WITH least_common AS (
    SELECT config, lexeme, n FROM (
      SELECT c.config, l.lexeme, row_number() OVER (PARTITION BY c.config ORDER BY frequencies[array_position(common, l.lexeme)], l.lexeme) AS n
      FROM search_configs_in_use AS c CROSS JOIN LATERAL unnest(to_tsvector(c.config, statement)) AS l
      WHERE array_position(common, l.lexeme) IS NOT NULL
    ) AS ranked
    WHERE n <= 3
  )
  SELECT string_agg(DISTINCT words, ' | ')::tsquery
  FROM (
    SELECT '(' || string_agg(related_term(lexeme), ' & ' ORDER BY lexeme) || ')' AS words
    FROM least_common WHERE together = 3 GROUP BY config
    UNION ALL
    SELECT '(' || related_term(a.lexeme) || ' & ' || related_term(b.lexeme) || ')'
    FROM least_common AS a JOIN least_common AS b ON a.config = b.config AND a.n < b.n WHERE together = 2
  ) AS terms
$$;
