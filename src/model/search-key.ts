/**
 * How names are compared and searched (claimants, topics): lower case, accents and other combining
 * marks removed, punctuation and runs of space as one space. "Antony J. Blinken" and "antony j blinken"
 * have the same key; so have "José Álvarez" and "jose alvarez". Done here rather than with Postgres's
 * unaccent(), which is not immutable (no index on it) and whose rules the query side would have to
 * repeat; both sides of a comparison use this one function.
 */
export function searchKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** One row of claimant_names: a name (as a search key) from one of its words on. */
export interface NameSearchRow {
  /** The name from one of its words on: "antony blinken", then "blinken". */
  wordKey: string;
  /** The whole name. */
  nameKey: string;
  /** The claimant's own name, not an alias. */
  primary: boolean;
}

/**
 * The rows claimants(search:) reads for a claimant's name and aliases: each name's key from each of
 * its words on, each key once. When two names give the same key, the row of a name that starts with
 * it wins, then the claimant's own name's, then the first name in code point order (as
 * drizzle/0015's backfill does).
 */
export function nameSearchRows(name: string, aliases: readonly string[]): NameSearchRow[] {
  const names = new Map<string, boolean>();
  for (const alias of aliases) names.set(searchKey(alias), false);
  names.set(searchKey(name), true);
  names.delete('');
  const rows = new Map<string, NameSearchRow & { start: boolean }>();
  const better = (a: NameSearchRow & { start: boolean }, b: NameSearchRow & { start: boolean }) =>
    a.start !== b.start ? a.start : a.primary !== b.primary ? a.primary : a.nameKey < b.nameKey;
  for (const [nameKey, primary] of names) {
    const words = nameKey.split(' ');
    for (let i = 0; i < words.length; i++) {
      const row = { wordKey: words.slice(i).join(' '), nameKey, primary, start: i === 0 };
      const seen = rows.get(row.wordKey);
      if (!seen || better(row, seen)) rows.set(row.wordKey, row);
    }
  }
  return [...rows.values()].map(({ wordKey, nameKey, primary }) => ({ wordKey, nameKey, primary }));
}

/** The distinct words of those rows' names, in code point order (the order they are inserted in, so that two writers never wait on each other in a cycle). */
export const nameWords = (rows: readonly NameSearchRow[]): string[] =>
  [...new Set(rows.flatMap((r) => r.nameKey.split(' ')))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
