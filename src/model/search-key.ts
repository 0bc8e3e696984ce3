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
