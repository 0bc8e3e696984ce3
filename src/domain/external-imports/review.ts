/**
 * One item of a document checked and read into what is stored (docs/design.md, Other publishers'
 * fact checks), or the reason it is skipped. Pure. A review needs an http(s) `url`,
 * `claimReviewed` (or, from Fact Check Tools, the claim's text), a publisher name (`author.name` or
 * `publisher.name`) and a textual rating (`reviewRating.alternateName`, or Fact Check Tools'
 * `textualRating`); this desk's own fact checks (under PUBLIC_BASE_URL) are left out.
 */
import { createHash } from 'node:crypto';
import { normalizeLookupUrl } from '../../model/lookup-url.js';
import { codePointLength } from '../spans.js';
import { isHttpUrl, isStorableDate, LIMITS } from '../validation.js';
import { hasType, isObject, type DocumentItem, type JsonObject } from './documents.js';
import { ratingKey, ratingPosition } from './rating-rules.js';

export interface ExternalReview {
  reviewUrl: string;
  reviewUrlNormalized: string;
  publisherName: string;
  publisherSite: string | null;
  claimReviewed: string;
  claimant: string | null;
  textualRating: string;
  textualRatingKey: string;
  ratingPosition: number | null;
  language: string | null;
  publishedAt: Date | null;
  /** As the markup lists them (valid http(s) URLs, each once after normalisation). */
  appearanceUrls: string[];
  appearanceUrlsNormalized: string[];
  /** The ClaimReview as received. */
  claimReview: JsonObject;
  contentHash: string;
}

export type ItemOutcome = { review: ExternalReview } | { skip: string; reviewUrl: string | null };

/** At most this many appearance URLs are kept per review (the link lookup's rows). */
export const MAX_APPEARANCES = 100;
/** Deeper nesting than this is no real markup, and would only strain JSON handling. */
const MAX_DEPTH = 32;
const MAX_CLAIM = 5_000;
const MAX_SHORT = 500;

/** A non-empty trimmed string, else null. */
function text(value: unknown): string | null {
  const s = typeof value === 'string' ? value.trim() : null;
  return s ? s : null;
}

const first = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);
const nameOf = (value: unknown): string | null => text(isObject(first(value)) ? (first(value) as JsonObject).name : first(value));
const get = (value: unknown, key: string): unknown => (isObject(value) ? value[key] : undefined);

/** A URL fit to store: absolute http(s) and at most 2,048 bytes. */
const storableUrl = (url: string) => isHttpUrl(url) && Buffer.byteLength(url, 'utf8') <= LIMITS.url;

/** The review's own URL and its normalised form, or why it has none. */
export function reviewUrlOf(item: DocumentItem): { url: string; normalized: string } | { problem: string; url: string | null } {
  const url = text(get(item.review, 'url'));
  if (!url) return { problem: 'no url', url: typeof get(item.review, 'url') === 'string' ? (get(item.review, 'url') as string) : null };
  if (!isHttpUrl(url)) return { problem: 'url is not http(s)', url };
  const normalized = Buffer.byteLength(url, 'utf8') <= LIMITS.url ? normalizeLookupUrl(url) : null;
  // Percent-encoding can triple a URL's length: the unique index must hold its normalised form too.
  if (normalized === null || normalized.length > LIMITS.url) return { problem: `url is longer than ${LIMITS.url} bytes`, url: null };
  return { url, normalized };
}

/** Under the desk's public base URL: one of its own fact checks. */
export function isUnder(normalizedUrl: string, baseUrl: string | null): boolean {
  if (!baseUrl || !storableUrl(baseUrl)) return false;
  const base = normalizeLookupUrl(baseUrl);
  return normalizedUrl === base || normalizedUrl.startsWith(base.endsWith('/') ? base : `${base}/`) || normalizedUrl.startsWith(`${base}?`);
}

/** Text Postgres cannot store (NUL, lone surrogates) anywhere in the item, or nesting too deep to be markup. */
function unstorable(value: unknown): string | null {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) return `nested more than ${MAX_DEPTH} levels deep`;
    if (typeof v === 'string') {
      if (v.includes('\u0000') || !v.isWellFormed()) return 'contains NUL characters or lone surrogates';
    } else if (Array.isArray(v)) {
      for (const e of v) stack.push([e, depth + 1]);
    } else if (isObject(v)) {
      for (const [k, e] of Object.entries(v)) stack.push([k, depth + 1], [e, depth + 1]);
    }
  }
  return null;
}

function languageOf(value: unknown): string | null {
  const tag = text(isObject(value) ? (value.alternateName ?? value.name) : value);
  return tag && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag) ? tag : null;
}

function dateOf(value: unknown): Date | null {
  const s = text(value);
  if (!s) return null;
  const date = new Date(s);
  return isStorableDate(date) ? date : null;
}

/** `itemReviewed.appearance[]` and `itemReviewed.firstAppearance`: URLs or CreativeWorks with a url. */
function appearancesOf(itemReviewed: unknown): { urls: string[]; normalized: string[] } {
  const given = [get(itemReviewed, 'firstAppearance'), ...[get(itemReviewed, 'appearance')].flat()];
  const urls: string[] = [];
  const normalized: string[] = [];
  for (const appearance of given) {
    const url = text(isObject(appearance) ? appearance.url : appearance);
    if (!url || !storableUrl(url)) continue;
    const key = normalizeLookupUrl(url);
    if (key.length > LIMITS.url || normalized.includes(key)) continue;
    urls.push(url);
    normalized.push(key);
    if (urls.length === MAX_APPEARANCES) break;
  }
  return { urls, normalized };
}

/** Fact Check Tools' bare publisher.site ("example.org") as a URL. */
function siteOf(value: unknown): string | null {
  const site = text(value);
  if (!site) return null;
  const url = /^https?:\/\//i.test(site) ? site : `https://${site}`;
  return storableUrl(url) ? url : null;
}

function tooLong(fields: Record<string, string | null>, max: number): string | null {
  const long = Object.entries(fields).find(([, v]) => v !== null && codePointLength(v) > max);
  return long ? `${long[0]} is longer than ${max.toLocaleString('en')} characters` : null;
}

/** The item read into a review, or why it is skipped. `url` is reviewUrlOf's answer for it. */
export function reviewOf(item: DocumentItem, url: { url: string; normalized: string }): ItemOutcome {
  const skip = (reason: string): ItemOutcome => ({ skip: reason, reviewUrl: url.url });
  const review = item.review as JsonObject;
  if (isObject(review) && review['@type'] !== undefined && item.form === 'claim-review' && !hasType(review, 'ClaimReview')) return skip('not a ClaimReview');
  const problem = unstorable(review) ?? (item.form === 'fact-check-tools' ? unstorable(item.claim) : null);
  if (problem) return skip(problem);
  const itemReviewed = review.itemReviewed;
  const fromTools = item.form === 'fact-check-tools' ? item.claim : null;
  const claimReviewed = text(review.claimReviewed) ?? text(fromTools?.text);
  if (!claimReviewed) return skip('no claimReviewed');
  const publisherName = nameOf(review.author) ?? nameOf(review.publisher);
  if (!publisherName) return skip('no publisher name');
  const rating = first(review.reviewRating);
  if (!fromTools && !isObject(rating)) return skip('no reviewRating');
  const textualRating = fromTools ? text(review.textualRating) : text(get(rating, 'alternateName'));
  if (!textualRating) return skip(fromTools ? 'no textualRating' : 'reviewRating has no alternateName');
  const claimant = nameOf(get(itemReviewed, 'author')) ?? text(fromTools?.claimant);
  const long = tooLong({ claimReviewed }, MAX_CLAIM) ?? tooLong({ 'publisher name': publisherName, textualRating, claimant }, MAX_SHORT);
  if (long) return skip(long);
  const appearances = appearancesOf(itemReviewed);
  const fields = {
    reviewUrl: url.url,
    reviewUrlNormalized: url.normalized,
    publisherName,
    publisherSite: siteOf(get(first(review.author), 'url')) ?? siteOf(get(first(review.publisher), 'url')) ?? siteOf(get(review.publisher, 'site')),
    claimReviewed,
    claimant,
    textualRating,
    textualRatingKey: ratingKey(textualRating),
    ratingPosition: ratingPosition(get(rating, 'ratingValue'), get(rating, 'bestRating'), get(rating, 'worstRating')),
    language: languageOf(review.inLanguage ?? review.languageCode),
    publishedAt: dateOf(review.datePublished ?? review.reviewDate),
    appearanceUrls: appearances.urls,
    appearanceUrlsNormalized: appearances.normalized,
    claimReview: review,
  };
  return { review: { ...fields, contentHash: contentHash(fields) } };
}

/** What an import stores, hashed: the same again is `unchanged`. */
function contentHash(fields: Omit<ExternalReview, 'contentHash'>): string {
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url');
}
