/**
 * The URL a link lookup compares ("is this link fact-checked?", FactCheckFilter.appearanceUrl and
 * the REST `?url=`): articles and claim appearances store it beside the URL as given, and a lookup
 * normalises its input the same way. normalize-url (sindresorhus, ~150M downloads a week) does the
 * work; the options below are our rules:
 *
 * - scheme and host lowercase, an internationalised host in punycode (WHATWG URL parsing);
 * - the default port dropped (80 for http, 443 for https), any other kept;
 * - the fragment dropped (`#section`, text fragments);
 * - a trailing slash dropped (`/a/` = `/a`; `https://x.example/` = `https://x.example`);
 * - `.` and `..` segments resolved and repeated slashes collapsed; unreserved characters decoded (`%7E` = `~`);
 * - tracking parameters dropped: TRACKING_PARAMETERS below (utm_*, fbclid, gclid, mc_eid, …), any case;
 * - the remaining query parameters sorted by name (stable: repeated names keep their order);
 * - user and password dropped.
 *
 * Not equated: http and https, `www.` and the bare host, `index.html` and its folder, the case of
 * the path and of query values: each can name a different page. Changing these rules changes what
 * is stored: such a change needs a migration that sets `url_normalized` to NULL on articles (they
 * are normalised again at the next start, src/db/normalized-urls.ts) and recomputes appearances.
 */
import normalizeUrl from 'normalize-url';

/** Query parameters that only say where a click came from (case-insensitive). */
export const TRACKING_PARAMETERS: readonly RegExp[] = [
  /^utm_\w+$/i, // Google Analytics campaign tags: utm_source, utm_medium, utm_campaign, utm_term, utm_content, …
  /^(fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|ttclid|li_fat_id|igshid|igsh)$/i, // ad and social click IDs
  /^(mc_eid|mc_cid)$/i, // Mailchimp
  /^(_ga|_gl|_hsenc|_hsmi|mkt_tok|vero_id|oly_anon_id|oly_enc_id|rb_clickid|s_cid|wickedid)$/i, // analytics and e-mail tools
];

/** The normalised form of an absolute http(s) URL (validate it first: a string that is not one throws). */
export function normalizeLookupUrl(url: string): string {
  return normalizeUrl(url, {
    stripHash: true,
    stripWWW: false,
    removeQueryParameters: TRACKING_PARAMETERS,
    sortQueryParameters: true,
    removeTrailingSlash: true,
    removeSingleSlash: true,
    stripAuthentication: true,
    normalizeProtocol: false,
  });
}
