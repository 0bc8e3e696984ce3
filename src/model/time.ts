/** A timestamp as the API writes it: a Date's ISO string, or the ISO string a page's JSON already carries (src/db/claim-page.ts). */
export const isoTime = (time: Date | string): string => (typeof time === 'string' ? time : time.toISOString());
