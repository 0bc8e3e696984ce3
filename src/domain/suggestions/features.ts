/**
 * The check-worthiness model, all of it: a bias and one weighted feature per row. A sentence's score
 * is the logistic of (BIAS + the weights of the features it shows), so it lies in (0, 1), 0.5 means
 * "as likely worth checking as not", and each feature moves the odds by a fixed factor (e^weight).
 * Weights were set by hand against the seed article and the 'tuning' sentences of
 * test/fixtures/checkworthy-sentences.json; its 'held-out' sentences measure them and must not tune them.
 *
 * The word lists are English. For another `language` only the rows marked `anyLanguage` apply, so
 * such text is ranked by numbers, names and questions alone rather than by English words it lacks.
 */

export interface SentenceView {
  /** The sentence as written. */
  text: string;
  /** Lower-cased, with curly apostrophes made straight, for the word lists. */
  lower: string;
  /** Word-like tokens of the sentence's first few thousand characters, from Intl.Segmenter (granularity 'word'). */
  words: readonly string[];
}

export interface Feature {
  reason: string;
  weight: number;
  anyLanguage?: boolean;
  test: (sentence: SentenceView) => boolean;
}

/** Where a sentence with no feature at all lands: logistic(-1.2) ≈ 0.23, an unremarkable sentence. */
export const BIAS = -1.2;

const WEEKDAYS = /^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/;
/** Clock times are logistics ("at 10 a.m."), not quantities anyone disputes. */
const TIME_OF_DAY = /\b\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock)|\b\d{1,2}:\d{2}\b/g;

/** One regular expression, compiled once, matching any of the `|`-separated words or phrases. */
const words = (list: string): RegExp => new RegExp(`\\b(?:${list})\\b`);
const anyOf = (list: string): ((s: SentenceView) => boolean) => {
  const pattern = words(list);
  return (s) => pattern.test(s.lower);
};

const quantityWords = anyOf('percent|per cent|millions?|billions?|thousands?|hundreds|dozens|half|a third|a quarter|twice|tripled|doubled|halved');

export const FEATURES: readonly Feature[] = [
  {
    // Numbers, amounts and shares are the most checkable thing a sentence can hold: a source has them or not.
    reason: 'quantity',
    weight: 1.3,
    anyLanguage: true,
    test: (s) => /[\p{Nd}%$€£¥]/u.test(s.text.replace(TIME_OF_DAY, ' ')) || quantityWords(s),
  },
  {
    // Sweeping words ("routinely", "never", "all") turn an incident into a pattern, which needs evidence.
    reason: "frequency or generalisation such as 'routinely'",
    weight: 1.3,
    test: anyOf(
      'routinely|repeatedly|regularly|constantly|consistently|systematically|frequently|habitually|invariably|always|never|every|all|none|no one|nobody|everyone|most of|almost all|nearly all',
    ),
  },
  {
    // Hedges mark what the writer has not established ("apparently", "unclear"): the desk should.
    reason: "hedged or vague assertion such as 'apparently' or 'unclear'",
    weight: 1.4,
    test: anyOf(
      'apparently|reportedly|allegedly|seemingly|purportedly|supposedly|unclear|not clear|unknown|unconfirmed|unverified|is said to|are said to|is believed|are believed|appears to|appeared to|may have|might have|rumou?red',
    ),
  },
  {
    // Cause and blame are the claims most often asserted without proof. Not "since": in news copy it
    // is nearly always temporal ("since 2020", "since he took office"), which says nothing of a cause;
    // a change over time is the trend and quantity rows' business.
    reason: 'causal claim',
    weight: 1.0,
    test: anyOf(
      'because|due to|caused|causes|causing|led to|leads to|lead to|as a result|result of|resulted in|responsible for|blamed|blaming|blames|thanks to|therefore|reason for|the reason|contributed to|triggered|linked to',
    ),
  },
  {
    // Comparisons and records need a baseline that can be looked up.
    reason: 'comparison or superlative',
    weight: 1.0,
    test: anyOf('than|highest|lowest|largest|biggest|smallest|fastest|worst|best|record|most|least|compared with|compared to|first time|any time'),
  },
  {
    // A change over time is a claim about two measurements.
    reason: "trend such as 'rose' or 'fell'",
    weight: 0.7,
    test: anyOf('rose|risen|rises|fell|fallen|falls|dropped|drops|increased|decreased|declined|surged|soared|plunged|grew|shrank|cut|cuts|jumped'),
  },
  {
    // Accusations of wrongdoing or violence carry the highest cost of being wrong.
    reason: 'accusation or wrongdoing',
    weight: 0.8,
    test: anyOf(
      'hijacked|looted|stole|stolen|steal|killed|attacked|fired on|bribed|bribes|fraud|corrupt|corruption|illegal|illegally|violated|smuggled|diverted|lied|abused|tortured|war crimes?|embezzled|laundered|rigged',
    ),
  },
  {
    // Attribution makes an assertion someone's, on the record, and so checkable against what they said.
    reason: 'attributed assertion',
    weight: 0.4,
    test: anyOf(
      'said|says|told|according to|reported|reports|claimed|claims|stated|alleged|insisted|confirmed|denied|announced|found|show|shows|showed|wrote|testified|estimated|readout',
    ),
  },
  {
    // Names (not at the start, where every word is capitalised) tie a claim to someone or somewhere.
    reason: 'named entity',
    weight: 0.4,
    anyLanguage: true,
    test: (s) => s.words.slice(1).some((w) => /^\p{Lu}/u.test(w) && w !== 'I' && !WEEKDAYS.test(w.toLowerCase())),
  },
  {
    // A question asserts nothing.
    reason: 'question (lowers score)',
    weight: -2.5,
    anyLanguage: true,
    test: (s) => /[?？؟][\s"'”’»)]*$/u.test(s.text),
  },
  {
    // Plans and logistics are announcements, not claims: nothing to verify until they happen.
    reason: 'scheduling or logistics (lowers score)',
    weight: -2.2,
    test: anyOf(
      '(?:is|are|was|were) (?:set|scheduled|due|expected|slated|planning) to|scheduled for|later in the day|later today|' +
        'later this week|tomorrow|next week|next month|press conference|adjourned|opens on|registration|will be allowed|' +
        'will (?:meet|travel|visit|hold|attend|host|speak|address|arrive|depart|begin|start|open|resume|fly|chair|lead|join|sign|tour|continue)',
    ),
  },
  {
    // Opinion, exhortation and feelings ("we must", "deeply saddened") are true of the speaker by definition.
    reason: 'opinion or feeling (lowers score)',
    weight: -1.4,
    test: anyOf(
      'i think|i believe|we believe|in my view|in my opinion|should|must|ought to|deserves?|bold|welcome|wonderful|terrible|disgraceful|shameful|overdue|saddened|proud|delighted|grateful|thankful|thanked|heartbroken|hopes?|hoped|feel|feels|pleased|disappointed|excited',
    ),
  },
  {
    // A fragment of a few words rarely stands alone as a claim.
    reason: 'very short (lowers score)',
    weight: -1.0,
    anyLanguage: true,
    test: (s) => s.words.length < 5,
  },
];
