// npm run bench:import [-- --reviews 100000] [-- --keep]
// A large import of other publishers' fact checks: a schema.org DataFeed of 100k ClaimReviews
// (~50 MB, generated deterministically, in real publishers' shapes: PolitiFact-, AFP-, Correctiv-,
// Chequeado-like labels in five languages, appearances, numeric ratings on some) POSTed once to
// POST /imports/claim-reviews of our compiled server, on a throw-away Postgres database. Reports the
// time of the first import (every review created), of the same document again (every review
// unchanged), and of setExternalRatingRules re-mapping every stored row, with the server's peak RSS
// (VmHWM) after start and after each step. The database is dropped at the end unless --keep.
import { writeFileSync, mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { connect, dbUrl, dropDatabase, ensureDatabase } from './lib/db.mjs';
import { loadUsers, makeUsers, tokenFor } from './lib/dataset.mjs';
import { onCleanup, RESULTS_DIR, runMain } from './lib/procs.mjs';
import { makeRandom } from './lib/random.mjs';
import { log } from './lib/report.mjs';
import { startOurs } from './lib/servers.mjs';

const { values: opts } = parseArgs({
  options: { reviews: { type: 'string', default: '100000' }, keep: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
});
if (opts.help) {
  console.log('npm run bench:import [-- --reviews <n> (100000)] [-- --keep (leave the database)]');
  process.exit(0);
}
const REVIEWS = Number(opts.reviews);
const MAX_BYTES = 52_428_800; // EXTERNAL_IMPORT_MAX_BYTES' default, 50 MiB

const PUBLISHERS = [
  {
    name: 'PolitiFact',
    url: 'https://www.politifact.com/',
    language: 'en',
    labels: ['True', 'Mostly True', 'Half True', 'Mostly False', 'False', 'Pants on Fire'],
  },
  { name: 'AFP Fact Check', url: 'https://factcheck.afp.com/', language: 'en', labels: ['False', 'Misleading', 'Missing context', 'Partly false'] },
  {
    name: 'Correctiv.Faktencheck',
    url: 'https://correctiv.org/faktencheck/',
    language: 'de',
    labels: ['Falsch', 'Größtenteils falsch', 'Irreführend', 'Richtig'],
  },
  { name: 'Chequeado', url: 'https://chequeado.com/', language: 'es', labels: ['Falso', 'Engañoso', 'Verdadero', 'Exagerado', 'Insostenible'] },
  { name: 'Aos Fatos', url: 'https://www.aosfatos.org/', language: 'pt-BR', labels: ['Falso', 'Enganoso', 'Verdadeiro', 'Impreciso'] },
  { name: 'AFP Factuel', url: 'https://factuel.afp.com/', language: 'fr', labels: ['Faux', 'Trompeur', 'Vrai', 'Manque de contexte'] },
  {
    name: 'The Washington Post Fact Checker',
    url: 'https://www.washingtonpost.com/',
    language: 'en',
    labels: ['Four Pinocchios', 'Three Pinocchios', 'Two Pinocchios'],
  },
];
const WORDS =
  'government minister vaccine election tax inflation climate border video photo million percent billion study police school energy migrants health crime budget wages'.split(
    ' ',
  );

/** One ClaimReview, as its publisher's markup has it (~500 bytes). */
function review(r, i) {
  const p = r.pick(PUBLISHERS);
  const label = r.pick(p.labels);
  const numeric = r.chance(0.3) ? { ratingValue: 1 + p.labels.indexOf(label), bestRating: p.labels.length, worstRating: 1 } : {};
  const claim = Array.from({ length: r.between(5, 10) }, () => r.pick(WORDS)).join(' ');
  return {
    '@type': 'ClaimReview',
    url: `${p.url}fact-checks/${2020 + (i % 5)}/${i}-${claim.split(' ').slice(0, 3).join('-')}/`,
    datePublished: new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString().slice(0, 10),
    inLanguage: p.language,
    claimReviewed: claim[0].toUpperCase() + claim.slice(1) + '.',
    author: { '@type': 'Organization', name: p.name },
    reviewRating: { '@type': 'Rating', alternateName: label, ...numeric },
    itemReviewed: {
      '@type': 'Claim',
      author: { '@type': 'Person', name: `Speaker ${r.int(5_000)}` },
      appearance: Array.from({ length: r.between(0, 2) }, () => ({ url: `https://social.example/p/${r.int(1e9)}` })),
    },
  };
}

/** The DataFeed as one string, built element by element. */
function dataFeed(n) {
  const r = makeRandom(29);
  const parts = ['{"@context":"https://schema.org","@type":"DataFeed","name":"bench feed","dataFeedElement":['];
  for (let i = 0; i < n; i++) parts.push((i ? ',' : '') + JSON.stringify({ item: review(r, i) }));
  parts.push(']}');
  return parts.join('');
}

async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - started) / 1000 };
}

async function post(url, body, token) {
  const response = await fetch(`${url}/imports/claim-reviews`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  const answer = await response.json();
  if (response.status !== 200) throw new Error(`POST /imports/claim-reviews: ${response.status} ${JSON.stringify(answer).slice(0, 300)}`);
  return answer;
}

async function graphql(url, query, variables, token) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const answer = await response.json();
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
}

const summary = (report) => ({ created: report.created, updated: report.updated, unchanged: report.unchanged, skipped: report.skipped.length });

async function main() {
  const db = 'factcheck_import_scratch';
  await ensureDatabase(db, `factcheck-bench-import ${Date.now()}`, { fresh: true, log, build: (sql) => loadUsers(sql, makeUsers(makeRandom(42))) });
  if (!opts.keep) onCleanup(() => dropDatabase(db));
  const document = dataFeed(REVIEWS);
  const bytes = Buffer.byteLength(document);
  log(`bench:import: a DataFeed of ${REVIEWS} reviews, ${(bytes / 1024 / 1024).toFixed(1)} MiB (limit ${MAX_BYTES / 1024 / 1024} MiB), on ${dbUrl(db)}`);
  if (bytes > MAX_BYTES) throw new Error('the document is over the route limit: use fewer --reviews');

  const server = await startOurs(db, 10);
  try {
    const rssAtStart = server.proc.peakRssMb();
    const first = await timed(() => post(server.url, document, tokenFor('EDITOR')));
    const rssAfterFirst = server.proc.peakRssMb();
    log(
      `first import: ${first.seconds.toFixed(1)} s, ${JSON.stringify(summary(first.value))}, peak RSS ${rssAfterFirst.toFixed(0)} MiB (${rssAtStart.toFixed(0)} at start)`,
    );
    const again = await timed(() => post(server.url, document, tokenFor('EDITOR')));
    const rssAfterAgain = server.proc.peakRssMb();
    log(`same document again: ${again.seconds.toFixed(1)} s, ${JSON.stringify(summary(again.value))}, peak RSS ${rssAfterAgain.toFixed(0)} MiB`);
    const remap = await timed(() =>
      graphql(
        server.url,
        'mutation($i: SetExternalRatingRulesInput!) { setExternalRatingRules(input: $i) { remapped } }',
        {
          i: {
            rules: [
              { textualRating: 'Four Pinocchios', rating: 'FALSE' },
              { textualRating: 'Three Pinocchios', rating: 'MOSTLY_FALSE' },
            ],
          },
        },
        tokenFor('ADMIN'),
      ),
    );
    const rssAfterRemap = server.proc.peakRssMb();
    log(
      `setExternalRatingRules over ${REVIEWS} rows: ${remap.seconds.toFixed(1)} s, remapped ${remap.value.setExternalRatingRules.remapped}, peak RSS ${rssAfterRemap.toFixed(0)} MiB`,
    );
    const sql = connect(db);
    const [{ stored, appearances }] =
      await sql`select (select count(*)::int from external_fact_checks) as stored, (select count(*)::int from external_fact_check_appearances) as appearances`;
    await sql.end();
    const results = {
      reviews: REVIEWS,
      documentMiB: bytes / 1024 / 1024,
      firstImport: { seconds: first.seconds, report: summary(first.value), peakRssMiB: rssAfterFirst },
      sameAgain: { seconds: again.seconds, report: summary(again.value), peakRssMiB: rssAfterAgain },
      remap: { seconds: remap.seconds, remapped: remap.value.setExternalRatingRules.remapped, peakRssMiB: rssAfterRemap },
      rssAtStartMiB: rssAtStart,
      stored,
      appearances,
    };
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(`${RESULTS_DIR}import.json`, JSON.stringify(results, null, 2));
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await server.proc.stop();
  }
}

runMain(main);
