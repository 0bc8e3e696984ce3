// Our schema served by bare graphql-http on node:http: no Apollo, no Express, no authentication, no
// limits, graphql-js execution. For `{ __typename }` it shows what a GraphQL request costs at the
// least, beside our server's full pipeline (bench/ab.mjs --query trivial --bare).
// Env: PORT. Needs the build (dist/).
import 'reflect-metadata';
import { createServer } from 'node:http';
import { createHandler } from 'graphql-http/lib/use/http';

const { getSchema } = await import(process.env.DIST_SCHEMA ?? '../dist/src/graphql/schema.js');
const handler = createHandler({ schema: await getSchema() });
const server = createServer((req, res) => (req.url?.startsWith('/graphql') ? handler(req, res) : res.writeHead(200).end('ok')));
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
