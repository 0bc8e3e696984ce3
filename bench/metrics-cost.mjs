// node bench/metrics-cost.mjs [iterations]: what metrics add to one dashboard request, timed in
// isolation (no server, no database): the HTTP and GraphQL observations every /graphql request
// makes, and one statement's; and a scrape's text. The CPU per request it adds is compared with a request's whole CPU
// (`npm run bench` reports server CPU % and req/s, so CPU ms per request) in docs/performance.md.
import { createMetrics } from '../dist/src/server/metrics.js';

const iterations = Number(process.argv[2] ?? 200_000);
let observer;
const database = { kind: 'postgres', poolSize: 10, db: null, observe: (o) => ((observer = o), () => {}) };
const logger = { warn() {} };
const metrics = createMetrics(database, logger);
const report = { resolved: true, name: 'Dashboard', type: 'query', codes: [], startedAt: 0, finishedAt: 1 };

function request() {
  const started = performance.now();
  observer.queryStarted();
  observer.queryEnded(0.004, false);
  const finished = performance.now();
  metrics.http('/graphql', 'POST', 200, (finished - started) / 1000);
  metrics.operation(report, finished, 200);
}
for (let i = 0; i < 20_000; i++) request(); // warm-up: let V8 optimise it
const t = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) request();
const us = Number(process.hrtime.bigint() - t) / 1000 / iterations;
const scrapes = [];
for (let i = 0; i < 50; i++) {
  const s = performance.now();
  await metrics.registry.metrics(); // a scrape's text (the webhook queue's count is a database read, not timed here)
  scrapes.push(performance.now() - s);
}
scrapes.sort((a, b) => a - b);
console.log(JSON.stringify({ iterations, us_per_request: Math.round(us * 100) / 100, scrape_ms_p50: Math.round(scrapes[25] * 100) / 100 }));
metrics.close();
