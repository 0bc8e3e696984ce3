// News-like English text from a seeded generator: articles made of sentences, claims quoted from
// them, fact-check summaries. Word lists are ordered most frequent first and drawn Zipf-like, so a
// full-text search meets both common terms ("election", "vaccine") and selective ones ("recount").
import { codePoints } from './random.mjs';

const TOPICS = [
  {
    name: 'elections',
    nouns: [
      'election',
      'ballots',
      'voters',
      'fraud',
      'votes',
      'polls',
      'turnout',
      'mail-in ballots',
      'voter rolls',
      'recount',
      'voting machines',
      'absentee ballots',
      'drop boxes',
      'poll workers',
      'provisional ballots',
      'gerrymandering',
      'runoff',
      'electoral college',
      'dead voters',
      'noncitizen voting',
      'signature checks',
      'certification',
    ],
    verbs: ['were counted', 'were rejected', 'were found', 'were tampered with', 'went missing', 'were cast', 'were flipped', 'were audited'],
    places: ['Maricopa County', 'Georgia', 'Pennsylvania', 'Wisconsin', 'Detroit', 'Nevada', 'Fulton County', 'Arizona'],
  },
  {
    name: 'health',
    nouns: [
      'vaccine',
      'deaths',
      'hospitals',
      'vaccines',
      'patients',
      'cases',
      'doctors',
      'covid',
      'measles',
      'side effects',
      'vaccination',
      'infections',
      'booster shots',
      'myocarditis',
      'life expectancy',
      'overdoses',
      'fentanyl',
      'insulin prices',
      'autism',
      'flu season',
      'bird flu',
      'ivermectin',
      'masks',
      'excess mortality',
    ],
    verbs: ['rose', 'fell', 'doubled', 'were reported', 'were linked to the shots', 'were hidden', 'dropped sharply', 'surged'],
    places: ['Florida', 'Texas', 'the United Kingdom', 'Ontario', 'New York City', 'rural hospitals', 'Germany', 'India'],
  },
  {
    name: 'economy',
    nouns: [
      'inflation',
      'jobs',
      'prices',
      'taxes',
      'unemployment',
      'minimum wage',
      'wages',
      'gas prices',
      'debt',
      'tariffs',
      'grocery prices',
      'rent',
      'recession',
      'interest rates',
      'manufacturing jobs',
      'stock market',
      'deficit',
      'pensions',
      'child poverty',
      'food stamps',
      'small businesses',
      'housing starts',
    ],
    verbs: ['rose', 'fell', 'hit a record', 'doubled', 'were cut', 'climbed', 'collapsed', 'were created'],
    places: ['the United States', 'California', 'Ohio', 'the eurozone', 'Michigan', 'China', 'Mexico', 'Seattle'],
  },
  {
    name: 'conflict',
    nouns: [
      'aid',
      'Hamas',
      'Gaza',
      'ceasefire',
      'hostages',
      'aid trucks',
      'civilians',
      'Ukraine',
      'Russia',
      'missiles',
      'troops',
      'refugees',
      'weapons',
      'humanitarian corridor',
      'sanctions',
      'drone strikes',
      'famine',
      'UNRWA',
      'hijacking',
      'airstrikes',
      'peace talks',
      'military aid',
    ],
    verbs: ['were hijacked', 'were blocked', 'were diverted', 'were killed', 'were released', 'were delivered', 'were stolen', 'were destroyed'],
    places: ['Gaza', 'Rafah', 'Kherson', 'the West Bank', 'Kyiv', 'Khan Younis', 'the Red Sea', 'Sudan'],
  },
  {
    name: 'immigration',
    nouns: [
      'border',
      'migrants',
      'asylum seekers',
      'immigration',
      'deportations',
      'border wall',
      'crossings',
      'visas',
      'deportation flights',
      'sanctuary cities',
      'work permits',
      'detention centers',
      'cartels',
      'unaccompanied minors',
      'green cards',
    ],
    verbs: ['were released', 'were deported', 'crossed', 'were detained', 'doubled', 'fell', 'were bused', 'were turned away'],
    places: ['El Paso', 'the southern border', 'Chicago', 'the English Channel', 'Lampedusa', 'New York', 'Texas', 'Denver'],
  },
  {
    name: 'climate',
    nouns: [
      'climate change',
      'emissions',
      'temperatures',
      'wildfires',
      'drought',
      'floods',
      'electric cars',
      'solar panels',
      'wind turbines',
      'sea levels',
      'heat waves',
      'coal plants',
      'carbon tax',
      'hurricanes',
      'polar bears',
      'glaciers',
      'heat pumps',
    ],
    verbs: ['rose', 'doubled', 'hit a record', 'fell', 'were blamed on arson', 'were exaggerated', 'killed birds', 'were shut down'],
    places: ['California', 'Australia', 'Texas', 'Greece', 'the Arctic', 'Canada', 'Pakistan', 'Spain'],
  },
  {
    name: 'crime',
    nouns: [
      'crime',
      'murders',
      'police',
      'shootings',
      'crime rate',
      'homicides',
      'carjackings',
      'police funding',
      'gun deaths',
      'shoplifting',
      'bail reform',
      'prisons',
      'drug arrests',
      'assault weapons',
      'gangs',
    ],
    verbs: ['rose', 'fell', 'doubled', 'were cut', 'went unreported', 'dropped', 'hit a record', 'were released early'],
    places: ['Chicago', 'San Francisco', 'London', 'Baltimore', 'Minneapolis', 'Stockholm', 'New Orleans', 'Portland'],
  },
  {
    name: 'technology',
    nouns: [
      'social media',
      'artificial intelligence',
      'TikTok',
      'deepfakes',
      'data breach',
      'chatbots',
      '5G towers',
      'smartphones',
      'censorship',
      'algorithms',
      'social media ban',
      'facial recognition',
      'cryptocurrency',
      'online scams',
    ],
    verbs: ['were banned', 'were hacked', 'spread', 'were censored', 'doubled', 'were leaked', 'were removed', 'were faked'],
    places: ['the European Union', 'Australia', 'Silicon Valley', 'Brazil', 'the United States', 'India', 'Montana', 'France'],
  },
];

const FIRST = [
  'Maria',
  'James',
  'Aisha',
  'John',
  'Chen',
  'Sofia',
  'David',
  'Fatima',
  'Michael',
  'Olga',
  'José',
  'Zoë',
  'Ahmed',
  'Linda',
  'Raj',
  'Emily',
  'Kwame',
  'Ingrid',
  'Tomás',
  'Sarah',
];
const LAST = [
  'Smith',
  'Garcia',
  'Okafor',
  'Müller',
  'Nguyen',
  'Johnson',
  'Álvarez',
  'Kowalski',
  'Brown',
  'Haddad',
  'Lee',
  'Rossi',
  'Patel',
  'Andersson',
  'Williams',
  'Dubois',
  'Cohen',
  'Ivanova',
  'Santos',
  'Walker',
];
const OFFICES = [
  'Senator',
  'Governor',
  'Representative',
  'Mayor',
  'Minister',
  'the former president',
  'a campaign spokesperson',
  'the health secretary',
  'a state attorney general',
  'a city council member',
];
const ORGS = [
  'the Census Bureau',
  'the CDC',
  'the Bureau of Labor Statistics',
  'the World Health Organization',
  'the United Nations',
  'the FBI',
  'Reuters',
  'the Associated Press',
  'the election commission',
  'the Congressional Budget Office',
  'Eurostat',
  'the IMF',
  'the state health department',
  'a university study',
  'the Pentagon',
  'the Red Cross',
];
const TIMES = [
  'last year',
  'in 2023',
  'since January',
  'this month',
  'over the past decade',
  'in the first quarter',
  'last week',
  'since the pandemic',
  'in 2020',
  'during the summer',
];
const HEDGES = ['routinely', 'secretly', 'quietly', 'repeatedly', 'deliberately', 'never', 'apparently', 'openly'];
const QUANT = ['more than', 'nearly', 'about', 'fewer than', 'at least', 'roughly'];
const OUTLETS = ['Example News', 'The Daily Ledger', 'Metro Tribune', 'Global Wire', 'The Civic Post', 'Northern Herald'];
const EMOJI = ['📰', '📈', '⚠️', '🗳️', '💉', '🔥'];

const number = (r) => r.pick([String(r.between(2, 99)), `${r.between(2, 950)},000`, `${r.between(2, 40)} million`, `${r.between(5, 95)} percent`]);
export const personName = (r) => `${r.pick(FIRST)} ${r.pick(LAST)}`;
const speaker = (r) => `${r.pick(OFFICES)} ${personName(r)}`;

/** One sentence about `topic`. Most are claim-like (a number, a cause, a who-did-what). */
export function sentence(r, topic) {
  const n = () => r.zipf(topic.nouns);
  const cap = (s) => s[0].toUpperCase() + s.slice(1);
  const templates = [
    () => `${cap(number(r))} ${n()} ${r.pick(topic.verbs)} in ${r.pick(topic.places)} ${r.pick(TIMES)}.`,
    () => `${cap(n())} ${r.pick(topic.verbs)} ${r.pick(HEDGES)} by officials in ${r.pick(topic.places)}, ${speaker(r)} said.`,
    () => `According to ${r.pick(ORGS)}, ${r.pick(QUANT)} ${number(r)} ${n()} ${r.pick(topic.verbs)} ${r.pick(TIMES)}.`,
    () => `${cap(speaker(r))} claimed that ${n()} and ${n()} ${r.pick(topic.verbs)} because of the new policy.`,
    () => `The ${n()} in ${r.pick(topic.places)} has been ${r.pick(HEDGES)} linked to ${n()}, critics say.`,
    () => `“${cap(n())} ${r.pick(topic.verbs)} ${r.pick(TIMES)},” ${speaker(r)} told reporters — a figure that could not be verified.`,
    () => `Data from ${r.pick(ORGS)} show ${n()} ${r.pick(topic.verbs)} by ${number(r)} ${r.pick(TIMES)}.`,
    () => `Officials said the reason for the change in ${n()} is unclear.`,
    () => `Residents of ${r.pick(topic.places)} reported that ${n()} ${r.pick(topic.verbs)} after the decision.`,
  ];
  return r.pick(templates)();
}

export const pickTopic = (r) => r.zipf(TOPICS, 0.8);

/**
 * An article: a body made of paragraphs of sentences, and the code-point span of every sentence
 * (claims quote whole sentences, so `quote === [...body].slice(start, end).join('')` holds).
 */
export function article(r, sentenceCount) {
  const topic = pickTopic(r);
  const spans = [];
  let body = '';
  let offset = 0;
  const add = (text) => {
    body += text;
    offset += codePoints(text);
  };
  if (r.chance(0.2)) add(`${r.pick(EMOJI)} `); // an emoji before the quotes: code points ≠ UTF-16 units
  for (let i = 0; i < sentenceCount; i++) {
    if (i > 0) add(i % 4 === 0 ? '\n\n' : ' ');
    const s = sentence(r, r.chance(0.85) ? topic : pickTopic(r));
    spans.push({ text: s, start: offset, end: offset + codePoints(s) });
    add(s);
  }
  const title = `${r.pick(['Fact check:', 'Live:', 'Analysis:', 'Report:', ''])} ${sentence(r, topic).replace(/[.,”“]/g, '')}`.trim();
  return { topic, title, body, spans, publisher: r.pick(OUTLETS), author: personName(r) };
}

/** The claim restated as a checkable statement. */
export const statementOf = (quote, claimant) => (claimant ? `${claimant.replace(/^\w/, (c) => c.toUpperCase())} said: ${quote}` : quote);
export const claimantOf = (r) => (r.chance(0.6) ? speaker(r) : null);

const VERDICT_OPENERS = {
  TRUE: 'The figures check out.',
  MOSTLY_TRUE: 'This is largely accurate but omits context.',
  MIXED: 'Parts of this are accurate.',
  MISLEADING: 'This is misleading.',
  MOSTLY_FALSE: 'This is mostly false.',
  FALSE: 'This is false.',
  UNPROVEN: 'There is no evidence either way.',
};

/** A published fact check's summary: the verdict plus what the evidence shows. */
export function summary(r, topic, rating) {
  const n = () => r.zipf(topic.nouns);
  return [
    VERDICT_OPENERS[rating],
    `Records from ${r.pick(ORGS)} show ${r.pick(QUANT)} ${number(r)} ${n()} ${r.pick(topic.verbs)} in ${r.pick(topic.places)} ${r.pick(TIMES)}.`,
    r.chance(0.5)
      ? `Experts we spoke to said the claim about ${n()} confuses ${n()} with ${n()}.`
      : `The claim circulated widely on ${r.pick(['Facebook', 'X', 'TikTok', 'Telegram', 'WhatsApp'])}.`,
  ].join(' ');
}

/** An evidence title, e.g. "Census Bureau: turnout in Georgia, 2023". */
export const evidenceTitle = (r, topic) =>
  `${r
    .pick(ORGS)
    .replace(/^the /, '')
    .replace(/^\w/, (c) => c.toUpperCase())}: ${r.zipf(topic.nouns)} in ${r.pick(topic.places)}`;
export const rationale = (r, topic) => `${sentence(r, topic)} ${sentence(r, topic)}`;

/** Queries a partner app would send: common and selective, one to three words. */
export const SEARCH_QUERIES = [
  'hijacking aid',
  'vaccine deaths',
  'election fraud ballots',
  'minimum wage',
  'border wall',
  'climate change',
  'inflation',
  'crime rate',
  'mail-in ballots',
  'measles',
  'gas prices',
  'ceasefire',
  'wildfires',
  'unemployment',
  'deportation flights',
  'police funding',
  'social media ban',
  'aid trucks Gaza',
  'myocarditis',
  'recount',
  'voting machines',
  'fentanyl overdoses',
  'electric cars',
  'tariffs prices',
  'hostages released',
  'sea levels',
  'deepfakes',
  'noncitizen voting',
  'election',
  'vaccine',
];
