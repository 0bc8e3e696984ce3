// `bench:search -- --external N`: other publishers' fact checks (lib/external-data.mjs) at N reviews,
// through the built server, one connection: the link lookup, externalFactChecks(filter:
// {appearanceUrl}) (target p95 <= 10 ms at 1M), and the search, externalFactChecks(filter: {search})
// (target p95 <= 20 ms at 1M), p50/p95/p99 each, plus per-query p95 of the search.
import { connect, ensureDatabase, statementCounter } from './db.mjs';
import { tokenFor } from './dataset.mjs';
import { loadExternalData } from './external-data.mjs';
import { combine, slice, warmUp } from './load.mjs';
import { waitForQuietHost } from './procs.mjs';
import { asSharedLink } from './queries.mjs';
import { gql, log, sizeLabel } from './report.mjs';
import { startOurs } from './servers.mjs';
import { percentile } from './stats.mjs';
import { SEARCH_QUERIES } from './text.mjs';

export const EXTERNAL_LOOKUP = `query Lookup($url: URL!) { externalFactChecks(filter: { appearanceUrl: $url }, first: 20) {
  edges { node { id reviewUrl publisherName claimReviewed textualRating rating publishedAt } } } }`;
export const EXTERNAL_SEARCH = `query Search($q: String!) { externalFactChecks(filter: { search: $q }, first: 20) {
  edges { node { id reviewUrl publisherName claimReviewed textualRating rating publishedAt } } } }`;

/**
 * The URLs the lookup is asked: 60 appearances of stored reviews, dressed as a shared link would be
 * (a tracking parameter, a fragment, an upper-case host, a trailing slash), and 40 that match
 * nothing. Deterministic per data set.
 */
async function lookupUrls(sql) {
  const rows = await sql`select appearance_urls[1] as url from external_fact_checks order by id limit 60`;
  const dressed = rows.map(({ url }, i) => asSharedLink(url, i));
  const misses = rows.slice(0, 40).map(({ url }, i) => (i % 2 ? `${url}-${i}` : `https://unknown${i}.example/${i}`));
  return { urls: [...dressed, ...misses], expectedHits: dressed.length };
}

async function timed(server, counter, partner, document, variables, { warmup, duration }) {
  let i = 0;
  const issued = [];
  const target = {
    url: server.url,
    connections: 1,
    counter,
    server: server.proc,
    next: () => {
      const v = variables[i++ % variables.length];
      issued.push(v);
      return { headers: partner, body: gql(document, v) };
    },
    ok: (status, body) => status === 200 && !body.includes('"errors"'),
  };
  await warmUp(target, warmup);
  issued.length = 0;
  const part = await slice({ ...target, seconds: duration });
  return { m: combine([part]), issued, latencies: part.latencies };
}

async function lookupHits(url, headers, urls) {
  let hits = 0;
  for (const u of urls) {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: gql(EXTERNAL_LOOKUP, { url: u }),
    });
    const body = await response.json();
    if (body.errors) throw new Error(`external lookup ${u}: ${JSON.stringify(body.errors)}`);
    if (body.data.externalFactChecks.edges.length) hits++;
  }
  return hits;
}

export async function benchExternal(n, { fresh, warmup, duration, quick }) {
  const db = `factcheck_bench_external_${sizeLabel(n)}`;
  await ensureDatabase(db, `factcheck-bench-external v2 reviews=${n} seed=11`, {
    fresh,
    log,
    build: (sql) => loadExternalData(sql, { reviews: n }, log),
  });
  const sql = connect(db);
  const { urls, expectedHits } = await lookupUrls(sql);
  const matches = {};
  for (const q of SEARCH_QUERIES) {
    const [row] = await sql`select count(*)::int as n from external_fact_checks where search_vector @@ search_query_in_use(${q})`;
    matches[q] = row.n;
  }
  await sql.end();

  const backgroundCpuPct = await waitForQuietHost(quick ? 0 : 120, log);
  const server = await startOurs(db, 10);
  const counter = statementCounter(db);
  try {
    const partner = { authorization: `Bearer ${tokenFor('PARTNER')}` };
    const hits = await lookupHits(server.url, partner, urls);
    if (hits !== expectedHits) throw new Error(`the external lookup found ${hits} of the ${expectedHits} URLs it should`);
    const lookup = await timed(
      server,
      counter,
      partner,
      EXTERNAL_LOOKUP,
      urls.map((url) => ({ url })),
      { warmup, duration },
    );
    const search = await timed(
      server,
      counter,
      partner,
      EXTERNAL_SEARCH,
      SEARCH_QUERIES.map((q) => ({ q })),
      { warmup, duration },
    );
    const perQuery = Object.fromEntries(SEARCH_QUERIES.map((q) => [q, []]));
    search.latencies.forEach((ms, i) => perQuery[search.issued[i].q].push(ms)); // one connection: i-th response, i-th request
    const queries = SEARCH_QUERIES.map((q) => {
      const sorted = perQuery[q].sort((a, b) => a - b);
      return { q, matches: matches[q], samples: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
    });
    const figures = (m) => ({ requests: m.requests, p50: m.p50, p95: m.p95, p99: m.p99, errors: m.errors, sqlPerRequest: m.sqlPerRequest });
    const row = {
      size: n,
      target: sizeLabel(n),
      backgroundCpuPct,
      lookup: figures(lookup.m),
      search: figures(search.m),
      queries,
      peakRssMb: server.proc.peakRssMb(),
    };
    log(
      `  external ${sizeLabel(n)}: lookup p50 ${lookup.m.p50.toFixed(2)} ms, p95 ${lookup.m.p95.toFixed(2)} ms; search p50 ${search.m.p50.toFixed(2)} ms, p95 ${search.m.p95.toFixed(2)} ms`,
    );
    return row;
  } finally {
    await counter.end();
    await server.proc.stop();
  }
}
