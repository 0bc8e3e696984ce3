// Publish-to-delivery latency of webhooks: from the event's timestamp (written in the publishing
// transaction, just before it commits) to its arrival at a receiver on 127.0.0.1, p50 and p99, on
// an idle server and while the write mix runs against the same server. Also the publishFactCheck
// request's own round trip (one client, one publication at a time).
import http from 'node:http';
import { connect } from './db.mjs';
import { run } from './load.mjs';
import { CREATE_WEBHOOK_ENDPOINT, PUBLISH_FACT_CHECK } from './queries.mjs';
import { globalId, gql, log } from './report.mjs';
import { startOurs } from './servers.mjs';
import { ascending, percentileFloor } from './stats.mjs';

function startReceiver() {
  const arrivals = new Map(); // fact-check id → ms from the event's timestamp to arrival
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      arrivals.set(body.data.factCheck.id, at - Date.parse(body.timestamp));
      res.end('ok');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/hook`, arrivals, stop: () => server.close() })),
  );
}

async function publishAndWait(url, editor, receiver, claimIds) {
  const latencies = [];
  const publishes = []; // each publishFactCheck's own round trip, ms
  for (const claimId of claimIds) {
    const sent = performance.now();
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...editor },
      body: gql(PUBLISH_FACT_CHECK, { i: { claimId: globalId('Claim', claimId), rating: 'FALSE', summary: 'Bench: webhook latency.' } }),
    });
    const json = await res.json();
    publishes.push(performance.now() - sent);
    if (json.errors) throw new Error(`publish failed: ${JSON.stringify(json.errors)}`);
    const id = json.data.publishFactCheck.factCheck.id;
    const deadline = Date.now() + 30_000;
    while (!receiver.arrivals.has(id)) {
      if (Date.now() > deadline) throw new Error('a webhook did not arrive within 30 s');
      await new Promise((r) => setTimeout(r, 2));
    }
    latencies.push(receiver.arrivals.get(id));
    await new Promise((r) => setTimeout(r, 50)); // publications at a human pace, one at a time
  }
  const ms = (x) => Math.round(x * 100) / 100;
  const [sortedLatencies, sortedPublishes] = [ascending(latencies), ascending(publishes)];
  return {
    n: latencies.length,
    p50: percentileFloor(sortedLatencies, 50),
    p99: percentileFloor(sortedLatencies, 99),
    publishP50: ms(percentileFloor(sortedPublishes, 50)),
    publishP99: ms(percentileFloor(sortedPublishes, 99)),
  };
}

/** `next` is the write mix's request generator; `db` a throw-away copy of the data. */
export async function measurePublishToDelivery(db, { editor, next, connections, seconds }) {
  const sql = connect(db);
  const claims = (
    await sql`
    select c.id from claims c where c.status in ('REVIEWED', 'DISPUTED') and not exists (select 1 from fact_checks f where f.claim_id = c.id)
    order by md5(c.id::text) limit 400`
  ).map((r) => r.id);
  await sql.end();
  if (claims.length < 100) throw new Error(`only ${claims.length} publishable claims in ${db}`);
  const receiver = await startReceiver();
  const ours = await startOurs(db, 10, { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
  try {
    const created = await (
      await fetch(`${ours.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...editor },
        body: gql(CREATE_WEBHOOK_ENDPOINT, { i: { url: receiver.url, events: ['FACT_CHECK_PUBLISHED'] } }),
      })
    ).json();
    if (created.errors) throw new Error(`endpoint not created: ${JSON.stringify(created.errors)}`);
    const idle = await publishAndWait(ours.url, editor, receiver, claims.slice(0, 100));
    log(
      `  webhooks idle: publish commit → delivery p50 ${idle.p50} ms, p99 ${idle.p99} ms (${idle.n} publications); publishFactCheck itself p50 ${idle.publishP50} ms, p99 ${idle.publishP99} ms`,
    );
    const load = run({ url: ours.url, connections, seconds, next, ok: (status) => status === 200 });
    const busy = await publishAndWait(ours.url, editor, receiver, claims.slice(100, 100 + Math.min(300, Math.floor(seconds * 8))));
    await load;
    log(`  webhooks under the write mix: p50 ${busy.p50} ms, p99 ${busy.p99} ms (${busy.n} publications)`);
    return { target: 'ours: webhook publish → delivery', idle, underWriteMix: busy };
  } finally {
    receiver.stop();
    await ours.proc.stop(2_000);
  }
}
