/** The same server, another database. */
export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Where CREATE/DROP DATABASE are run: the database of TEST_DATABASE_URL itself. */
export const adminUrl = (base: string) => base;
