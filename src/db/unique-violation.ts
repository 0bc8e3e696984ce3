/** Whether `error` (or a cause it wraps: drizzle wraps the driver's) is a unique violation of `constraint`. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    // postgres.js names it constraint_name, PGlite constraint.
    const { code, constraint_name, constraint: name } = e as { code?: unknown; constraint_name?: unknown; constraint?: unknown };
    if (code === '23505' && (constraint_name ?? name) === constraint) return true;
  }
  return false;
}
