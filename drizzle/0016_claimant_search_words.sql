-- claimants(search:) reads one row per word of each name, holding the name from that word on, and
-- corrects a misspelt word against the words of every name (src/domain/claimants/search.ts). Written
-- by drizzle-kit, then by hand: word_key is filled in for the names already there (and rows added for
-- their later words, as writeSearchNames writes them) before it becomes NOT NULL and part of the key,
-- and claimant_words is filled from them.
CREATE TABLE "claimant_words" (
	"word" text COLLATE "C" PRIMARY KEY NOT NULL
);
--> statement-breakpoint
DROP INDEX "claimant_names_trgm_idx";--> statement-breakpoint
DROP INDEX "claimant_names_prefix_idx";--> statement-breakpoint
ALTER TABLE "claimant_names" DROP CONSTRAINT "claimant_names_claimant_id_name_key_pk";--> statement-breakpoint
ALTER TABLE "claimant_names" ALTER COLUMN "name_key" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "claimant_names" ADD COLUMN "word_key" text COLLATE "C";--> statement-breakpoint
UPDATE "claimant_names" SET "word_key" = "name_key";--> statement-breakpoint
-- A later word that starts another name of the same claimant ("smith" of "maria smith" beside the
-- alias "smith") is that name's row; otherwise the primary name's, then the first name's.
INSERT INTO "claimant_names" ("claimant_id", "word_key", "name_key", "is_primary")
SELECT DISTINCT ON (n."claimant_id", s.word_key) n."claimant_id", s.word_key, n."name_key", n."is_primary"
FROM "claimant_names" n,
  LATERAL (SELECT string_to_array(n."name_key", ' ') AS words) w,
  LATERAL (SELECT array_to_string(w.words[i:], ' ') AS word_key FROM generate_series(2, cardinality(w.words)) AS i) s
WHERE NOT EXISTS (SELECT 1 FROM "claimant_names" x WHERE x."claimant_id" = n."claimant_id" AND x."word_key" = s.word_key)
ORDER BY n."claimant_id", s.word_key, n."is_primary" DESC, n."name_key";--> statement-breakpoint
ALTER TABLE "claimant_names" ALTER COLUMN "word_key" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "claimant_names" ADD CONSTRAINT "claimant_names_claimant_id_word_key_pk" PRIMARY KEY("claimant_id","word_key");--> statement-breakpoint
INSERT INTO "claimant_words" ("word")
SELECT DISTINCT w FROM "claimant_names", unnest(string_to_array("name_key", ' ')) AS w ORDER BY w;--> statement-breakpoint
CREATE INDEX "claimant_words_trgm_idx" ON "claimant_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "claimant_names_start_idx" ON "claimant_names" USING btree ("word_key","name_key","claimant_id") WHERE word_key = name_key;--> statement-breakpoint
CREATE INDEX "claimant_names_word_idx" ON "claimant_names" USING btree ("word_key","name_key","claimant_id") WHERE word_key <> name_key;
