/** A row a foreign key guarantees; its absence is a bug, reported as an internal error. */
export function loaded<T>(row: T | null | undefined, what: string): T {
  if (row == null) throw new Error(`${what} is missing`);
  return row;
}
