import { z } from 'zod';
import { badInput } from './coded-errors.js';
import { codePointLength } from './spans.js';

/** The limits of docs/design.md, in code points. */
export const LIMITS = {
  title: 500,
  statement: 2_000,
  reason: 2_000,
  note: 2_000,
  quote: 2_000,
  name: 200,
  label: 200,
  short: 500,
  summary: 5_000,
  /** A correction request's message and the desk's resolution note (above the general 2,000 for notes). */
  correctionRequest: 5_000,
  excerpt: 20_000,
  rationale: 20_000,
  body: 1_000_000,
  url: 2_048,
} as const;

/** Postgres rejects NUL in text, and lone surrogates cannot be encoded as UTF-8. */
export const isSafeText = (s: string) => !s.includes('\u0000') && s.isWellFormed();

// Checked before anything else so that a NUL or lone surrogate never reaches Postgres (it would
// answer with an error that surfaces as a 500).
const safeString = z
  .string()
  .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters')
  .refine((s) => s.isWellFormed(), 'must not contain lone surrogates');

export const requiredText = (max: number) =>
  safeString.refine((s) => s.trim().length > 0, 'must not be empty').refine((s) => codePointLength(s) <= max, `must be at most ${max} characters`);

/** Optional free text: null and undefined pass; an all-blank string is stored as null. */
export const optionalText = (max: number) =>
  safeString
    .refine((s) => codePointLength(s) <= max, `must be at most ${max} characters`)
    .transform((s) => (s.trim() === '' ? null : s))
    .nullish();

// Bytes, not characters: URLs are unique-indexed, and a btree entry holds at most ~2.7 kB.
export const httpUrl = safeString
  .refine((s) => isHttpUrl(s), 'must be an absolute http(s) URL')
  .refine((s) => Buffer.byteLength(s, 'utf8') <= LIMITS.url, `must be at most ${LIMITS.url} bytes`);

export const email = safeString
  .refine((s) => s.length <= 254, 'must be at most 254 characters (RFC 5321)')
  .pipe(z.email('must be an e-mail address'))
  .transform((s) => s.toLowerCase());
export const languageTag = safeString.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP-47 language tag such as en or pt-BR');
export const requiredVerdicts = z.number().int().min(1, 'must be 1 to 5').max(5, 'must be 1 to 5');
export const pageSize = z.number().int().min(1, 'must be 1 to 100').max(100, 'must be 1 to 100');
export const similarLimit = z.number().int().min(1, 'must be 1 to 20').max(20, 'must be 1 to 20');
export const suggestionLimit = z.number().int().min(1, 'must be 1 to 50').max(50, 'must be 1 to 50');
/** Years 1 to 9999: what ISO 8601 writes with four digits and Postgres stores without complaint. */
export const isStorableDate = (d: Date) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999;
export const validDate = z.date().refine(isStorableDate, 'must be a valid date-time between the years 1 and 9999');

export function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
}

/** Parses input against a schema; the first problem becomes BAD_USER_INPUT naming its field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, fieldPrefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = [fieldPrefix, ...issue.path.map(String)].filter(Boolean).join('.');
  throw badInput(field || 'input', `${field || 'input'} ${issue.message}`);
}
