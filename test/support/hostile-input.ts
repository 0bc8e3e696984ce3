/**
 * fast-check arbitraries for GraphQL input values: mostly valid-looking, with a share of hostile
 * ones (empty and blank strings, NUL, lone surrogates, strings at and over the limits of
 * src/domain/validation.ts, emoji, right-to-left text, non-http URLs, impossible dates, out-of-range
 * and fractional numbers, wrong JSON types, nulls).
 *
 * `undefined` stands for an omitted field: JSON.stringify leaves it out.
 */
import fc from 'fast-check';

/** Mostly `valid`, one time in `1 + odds` something hostile. */
export const mostly = <T, H>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<H>, odds = 6) =>
  fc.oneof({ weight: odds, arbitrary: valid }, { weight: 1, arbitrary: hostile }) as fc.Arbitrary<T | H>;

/** A JSON value of a type that no field expects. */
export const wrongType = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constantFrom<unknown>([], {}, ['a'], { a: 1 }, '', 'x'));

export const PROSE = [
  'Aid convoys were hijacked every week.',
  'The minister said prices rose 12% last year.',
  'Officials declined to comment.',
  'Unemployment fell to its lowest level since 1969',
  'قال المتحدث إن المساعدات تُسرق بشكل روتيني',
  'הדובר אמר שהסיוע נגנב באופן שגרתי',
  'Le café a augmenté de 3 % — selon l’INSEE',
  '数据显示，援助物资被劫持。',
  'Breaking 👍🏽: naïve readers 🇮🇱 believed it',
];

export const NASTY_STRINGS = [
  '',
  ' ',
  ' \t\n\r ',
  '\u00a0\u2003',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDC00y',
  '\uDBFF',
  '\uDBFF\uDFFF',
  '\uFFFE\uFFFF',
  '\u202Eevil\u202C',
  '\u200B',
  'e\u0301\u0301\u0301',
  '👩‍👩‍👧‍👦',
  '🇮🇱🇵🇸',
  "'; drop table claims; --",
  '<script>alert(1)</script>',
  '{{7*7}}',
  '%s%n%x',
  '\\',
  '"',
  '\\u0000',
  'null',
  'undefined',
  'NaN',
  '0',
  '-1',
];

/** A lone surrogate half among ordinary characters: 'binary' strings never contain one. */
const surrogateUnit = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
);

const limitCache = new Map<number, string[]>();
/** Strings exactly at `limit` code points (valid) and one past it, in ASCII, emoji (two UTF-16 units each) and blanks. */
export function atAndOverLimit(limit: number): string[] {
  if (!limitCache.has(limit)) {
    limitCache.set(limit, [
      'x'.repeat(limit),
      '😀'.repeat(limit),
      'x'.repeat(limit + 1),
      '😀'.repeat(limit + 1),
      ' '.repeat(limit + 1),
      `${'é'.repeat(limit)}\u0000`,
    ]);
  }
  return limitCache.get(limit)!;
}

/** Hostile text for a field limited to `limit` code points. */
export const hostileText = (limit: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: surrogateUnit, maxLength: 30 }) },
    { weight: 2, arbitrary: fc.constantFrom(...atAndOverLimit(limit)) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(null, undefined) },
    { weight: 1, arbitrary: wrongType },
  );

/** Text for a field limited to `limit` code points: mostly plausible, sometimes hostile. */
export const text = (limit: number) =>
  mostly(fc.oneof(fc.constantFrom(...PROSE), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 })), hostileText(limit));

/** An optional text field: omitted, null, or text. */
export const optionalText = (limit: number) => fc.oneof(fc.constantFrom(undefined, null), text(limit));

/** GraphQL Int (32-bit) in [min, max], or not quite. */
export const int = (min: number, max: number) =>
  mostly(
    fc.integer({ min, max }),
    fc.oneof(
      fc.constantFrom<unknown>(-1, 0, 1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53, -(2 ** 53), 1.5, -0.5, 1e300, '1', null, undefined, true),
      fc.integer(),
    ),
  );

export const enumOf = <T extends string>(values: readonly T[]) =>
  mostly(fc.constantFrom(...values), fc.constantFrom<unknown>('BOGUS', values[0]!.toLowerCase(), ` ${values[0]}`, '', 1, null, undefined, ['x']), 10);

const HOSTILE_DATES = [
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '1970-01-01T00:00:00Z',
  '2024-02-29T12:00:00+14:00',
  '2024-02-30T00:00:00Z',
  '2024-13-01T00:00:00Z',
  '2024-06-24',
  '2024-06-24T20:00:00',
  '+275760-09-13T00:00:00.000Z',
  'not a date',
  '',
];
/** DateTime: recent instants, edges of the calendar, impossible dates, numbers. */
export const dateTime = mostly(
  fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.oneof(
    fc.constantFrom<unknown>(...HOSTILE_DATES, 1719259200000, true),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  ),
  4,
);

const cjk = fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCharCode(c));
export const HOSTILE_URLS = [
  'javascript:alert(1)',
  'ftp://example.org/x',
  'mailto:a@example.org',
  'file:///etc/passwd',
  'data:text/html,<b>x</b>',
  'http://',
  'https://',
  '//example.org/x',
  'example.org',
  'https://exa mple.org',
  'http://[::1]/',
  'HTTPS://EXAMPLE.ORG/A',
  'https://例子.测试/路径',
  'https://user:pass@example.org:8080/p?q=1#f',
  ' https://example.org',
  'https://example.org/\u0000',
  `https://example.org/${'a'.repeat(2100)}`,
];
/** URL: unique https URLs mostly; other schemes, malformed and over-long ones otherwise. */
export const url = mostly(
  fc.oneof(
    fc.uuid().map((u) => `https://news.example/${u}`),
    fc.webUrl(),
  ),
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_URLS) },
    // Under the 2,048-unit limit, but thousands of bytes of UTF-8 that do not compress.
    { weight: 1, arbitrary: fc.string({ unit: cjk, minLength: 1000, maxLength: 2000 }).map((path) => `https://news.example/${path}`) },
    { weight: 1, arbitrary: wrongType },
  ),
);

const alphanumeric = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');
export const email = mostly(
  fc.oneof(
    fc.uuid().map((u) => `u-${u}@example.org`),
    fc.emailAddress(),
  ),
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom<unknown>('not-an-email', '', '@', 'a@b', ' a@example.org', 'a@example.org\u0000', 'ÄÖ@example.org', null) },
    // Valid as far as the e-mail check goes, but long and random.
    { weight: 1, arbitrary: fc.string({ unit: alphanumeric, minLength: 3000, maxLength: 5000 }).map((local) => `${local}@example.org`) },
  ),
);

export const languageTag = mostly(
  fc.constantFrom('en', 'de', 'pt-BR', 'ar', 'he', 'zh-Hans', 'sv', 'xx'),
  fc.constantFrom<unknown>('english please', '', 'e', 'EN', 'en_US', `en${'-abcdefgh'.repeat(2000)}`, null, undefined, 5),
);

const UUID_ZERO = '00000000-0000-4000-8000-000000000000';
export const toBase64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Global IDs that are not: garbage, wrong shapes, unknown types, IDs of other encodings. */
export const MALFORMED_IDS = [
  '',
  ' ',
  'x',
  '%%%',
  'null',
  '0',
  '\u0000',
  '\uD800',
  'a'.repeat(201),
  `Claim:${UUID_ZERO}`,
  toBase64url('Claim:'),
  toBase64url('Claim:not-a-uuid'),
  toBase64url(`Claim:${UUID_ZERO}:extra`),
  toBase64url(`Nope:${UUID_ZERO}`),
  toBase64url(`Claim:${UUID_ZERO.toUpperCase()}`),
  toBase64url(`claim:${UUID_ZERO}`),
  Buffer.from(`Claim:${UUID_ZERO}`).toString('base64'),
];

/** Values found in cursors: dates (some beyond what Postgres stores), ids, numbers, text with NUL. */
const cursorValue = fc.oneof(
  fc.constantFrom<unknown>(
    'infinity',
    '2024-01-01T00:00:00.000Z',
    '0000-01-01T00:00:00.000Z',
    '+275760-09-13T00:00:00.000Z',
    UUID_ZERO,
    'a\u0000b',
    '',
    null,
    2 ** 40,
  ),
  fc.integer({ min: -5, max: 5 }),
  fc.double(),
  fc.string({ maxLength: 10 }),
  fc.uuid(),
);

const cursorDate = fc.oneof(
  fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom<unknown>('infinity', '0000-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '-000001-01-01T00:00:00.000Z', '1', 'soon', 0, null),
);
const cursorId = mostly(fc.uuid(), fc.constantFrom<unknown>('x', '', null, 1));
/** The sort keys of the API's orders (created, due, priority, ingested, name, rank), with values out of range. */
const shapedCursor = fc.oneof(
  fc.tuple(cursorDate, cursorId),
  fc.tuple(cursorDate, cursorDate, cursorId),
  fc.tuple(fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constantFrom(2 ** 31, 2 ** 40, 1e300, -1e300, 0.5)), cursorDate, cursorId),
  fc.tuple(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('a\u0000b', '\uD800')), cursorId),
  fc.tuple(fc.oneof(fc.double(), fc.constantFrom(1e308, -1e308, 5e-324)), cursorId),
);

/** Cursors this API never issued: base64url JSON of the wrong shape or values, and garbage. */
export const forgedCursor = fc.oneof(
  { weight: 4, arbitrary: shapedCursor.map((values) => toBase64url(JSON.stringify(values))) },
  { weight: 2, arbitrary: fc.array(cursorValue, { minLength: 1, maxLength: 4 }).map((values) => toBase64url(JSON.stringify(values))) },
  { weight: 1, arbitrary: fc.constantFrom('', '!!', 'garbage', toBase64url('{}'), toBase64url('[1,2'), toBase64url('null'), toBase64url('"x"')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);
