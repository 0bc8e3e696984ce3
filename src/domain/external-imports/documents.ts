/**
 * A document of ClaimReview markup, read into its items (docs/design.md, Other publishers' fact
 * checks): a ClaimReview object, a list of them, a schema.org DataFeed (each `dataFeedElement`, or
 * its `item`), a Fact Check Tools `claims:search` answer (each `claims[].claimReview[]`, with its
 * claim), or an HTML page whose JSON-LD script blocks hold any of these (also inside `@graph`).
 * Anything else is BAD_USER_INPUT on `document`. Pure.
 *
 * The text is parsed once; the items are references into that one tree, so a large DataFeed is
 * held once, and each item is mapped (review.ts) only when its batch is written.
 */
import { badInput } from '../coded-errors.js';
import { jsonLdBlocks } from './html-json-ld.js';

export type JsonObject = Record<string, unknown>;

/** One review of the document: a ClaimReview, or one of Fact Check Tools' claimReview entries with its claim. */
export type DocumentItem = { form: 'claim-review'; review: unknown } | { form: 'fact-check-tools'; review: unknown; claim: JsonObject };

export type ContentType = 'json' | 'html';

const NOT_MARKUP =
  'document must be JSON (a ClaimReview, a list of them, a schema.org DataFeed or a Fact Check Tools claims:search answer) or HTML with such JSON-LD script blocks';

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const SCHEMA_ORG = /^(https?:\/\/schema\.org\/|schema:)/;
/** Its @type names `type` (alone or among several; plain, `schema:` or a schema.org URL). */
export function hasType(value: JsonObject, type: string): boolean {
  const types = Array.isArray(value['@type']) ? value['@type'] : [value['@type']];
  return types.some((t) => typeof t === 'string' && t.replace(SCHEMA_ORG, '') === type);
}

const isClaimReview = (value: unknown): boolean =>
  isObject(value) && (hasType(value, 'ClaimReview') || (value['@type'] === undefined && 'claimReviewed' in value));
const isDataFeed = (value: JsonObject) => hasType(value, 'DataFeed') || Array.isArray(value.dataFeedElement);
/** Fact Check Tools' answer: `claims` and `nextPageToken` only; `{}` is its answer with no match. */
const isFactCheckToolsAnswer = (value: JsonObject) =>
  Object.keys(value).every((k) => k === 'claims' || k === 'nextPageToken') && (value.claims === undefined || Array.isArray(value.claims));

/**
 * The items of one JSON value, or null when it is none of the accepted forms. In a page's JSON-LD
 * (`inPage`) a list may hold other nodes (WebPage, Organization…), which are left out; in a JSON
 * document every element of a list is an item, and one that is no ClaimReview is skipped with that reason.
 */
function itemsOfJson(value: unknown, inPage: boolean): DocumentItem[] | null {
  if (Array.isArray(value)) {
    const items: DocumentItem[] = [];
    for (const element of value) {
      const nested = isObject(element) && !isClaimReview(element) ? itemsOfJson(element, inPage) : null;
      if (nested) for (const item of nested) items.push(item);
      else if (!inPage || isClaimReview(element)) items.push(asItem(element));
    }
    return inPage && !items.length ? null : items;
  }
  if (!isObject(value)) return null;
  if (isClaimReview(value)) return [asItem(value)];
  if (Array.isArray(value['@graph'])) return itemsOfJson(value['@graph'], true);
  if (isDataFeed(value)) {
    const elements = Array.isArray(value.dataFeedElement) ? value.dataFeedElement : [];
    return elements.flatMap((element) => {
      const item = isObject(element) && 'item' in element ? element.item : element;
      return Array.isArray(item) ? item.map(asItem) : [asItem(item)];
    });
  }
  // In a page, `{}` is no answer of Fact Check Tools.
  if (isFactCheckToolsAnswer(value) && !(inPage && value.claims === undefined)) {
    return ((value.claims as unknown[] | undefined) ?? []).flatMap((claim) => {
      const claimObject = isObject(claim) ? claim : {};
      const reviews = Array.isArray(claimObject.claimReview) ? claimObject.claimReview : [undefined];
      return reviews.map((review): DocumentItem => ({ form: 'fact-check-tools', review, claim: claimObject }));
    });
  }
  return null;
}

const asItem = (review: unknown): DocumentItem => ({ form: 'claim-review', review });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What the text looks like when the caller does not say: JSON starts with { or [, anything else is HTML. */
function sniff(text: string): ContentType {
  const first = /\S/.exec(text)?.[0];
  return first === '{' || first === '[' ? 'json' : 'html';
}

/** Every item of the document, in document order (their `index` in the report). */
export function documentItems(text: string, contentType: ContentType = sniff(text)): DocumentItem[] {
  if (contentType === 'json') {
    const value = parseJson(text);
    if (value === undefined) throw badInput('document', 'document is not valid JSON');
    const items = itemsOfJson(value, false);
    if (!items) throw badInput('document', NOT_MARKUP);
    return items;
  }
  let found = false;
  const items: DocumentItem[] = [];
  for (const block of jsonLdBlocks(text)) {
    // A page's other, broken JSON-LD blocks (or blocks of other types) do not stop its ClaimReview.
    const blockItems = itemsOfJson(parseJson(block), true);
    if (!blockItems) continue;
    found = true;
    for (const item of blockItems) items.push(item);
  }
  if (!found) throw badInput('document', NOT_MARKUP);
  return items;
}
