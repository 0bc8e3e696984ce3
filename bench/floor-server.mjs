// The floor: the dashboard response of our API (same JSON, same global IDs, same token check) from
// one hand-written SQL statement, served by bare node:http + postgres.js. No GraphQL at all, so it
// shows what the database and Node's HTTP stack alone cost for this page.
// Env: DATABASE_URL, PORT, DATABASE_POOL_SIZE (default 10), FIRST (default 50).
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL, { max: Number(process.env.DATABASE_POOL_SIZE ?? 10), onnotice: () => {} });
const first = Number(process.env.FIRST ?? 50);

// base64url("Type:uuid") without padding, exactly like src/domain/global-ids.ts.
const gid = (type, col) => `rtrim(translate(encode(convert_to('${type}:' || ${col}, 'UTF8'), 'base64'), '+/', '-_'), '=')`;

const DASHBOARD = `
with viewer as (
  select u.role from api_tokens t join users u on u.id = t.user_id
  where t.token_hash = $1 and t.revoked_at is null limit 1
), page as (
  select c.* from claims c
  where exists (select 1 from viewer where role in ('ADMIN', 'EDITOR', 'REVIEWER'))
  order by c.created_at desc, c.id desc limit $2
)
select (select role from viewer) as role, json_build_object('data', json_build_object('claims', json_build_object('edges',
  coalesce(json_agg(json_build_object('node', json_build_object(
    'id', ${gid('Claim', 'p.id')}, 'quote', p.quote, 'status', p.status,
    'article', (select json_build_object('id', ${gid('Article', 'a.id')}, 'title', a.title, 'url', a.url) from articles a where a.id = p.article_id),
    'assignments', coalesce((select json_agg(json_build_object('state', s.state, 'reviewer', json_build_object('id', ${gid('User', 'u.id')}, 'name', u.name)) order by s.assigned_at, s.id)
      from assignments s join users u on u.id = s.reviewer_id where s.claim_id = p.id), '[]'),
    'evidence', coalesce((select json_agg(json_build_object('id', ${gid('Evidence', 'e.id')}, 'title', e.title, 'stance', e.stance) order by e.added_at, e.id)
      from evidence e where e.claim_id = p.id), '[]'),
    'verdicts', coalesce((select json_agg(json_build_object('rating', v.rating, 'reviewer', json_build_object('name', u.name)) order by v.submitted_at, v.id)
      from verdicts v join users u on u.id = v.reviewer_id where v.claim_id = p.id and v.round = p.round), '[]'),
    'factCheck', (select json_build_object('id', ${gid('FactCheck', 'f.id')}, 'rating', f.rating, 'summary', f.summary)
      from fact_checks f where f.claim_id = p.id and f.retracted_at is null)
  )) order by p.created_at desc, p.id desc), '[]')))
)::text as body
from page p`;

const server = createServer((req, res) => {
  req.resume(); // the request body (the GraphQL query) is fixed: read and ignore it
  req.on('end', async () => {
    try {
      const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const hash = createHash('sha256').update(token, 'utf8').digest('hex');
      const [row] = await sql.unsafe(DASHBOARD, [hash, first], { prepare: true });
      if (!row.role) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"message":"unauthenticated"}]}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(row.body);
    } catch (error) {
      console.error(error);
      res.writeHead(500).end();
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 5677), '127.0.0.1', () => console.log(`floor listening on ${process.env.PORT}`));

const stop = async () => {
  server.close();
  await sql.end({ timeout: 2 });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
