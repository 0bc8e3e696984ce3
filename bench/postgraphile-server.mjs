// PostGraphile 5 over the same database, as a comparison target. Needs Node >= 22: the bench runs it
// with its own, bench/node_modules/.bin/node (the `node` package of bench/package.json). Amber preset,
// lists instead of connections, pool of DATABASE_POOL_SIZE, production settings: no watch, no
// GraphiQL, no explain.
// Env: DATABASE_URL, PORT, DATABASE_POOL_SIZE (default 10).
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ['public'],
      poolConfig: { max: Number(process.env.DATABASE_POOL_SIZE ?? 10) },
    }),
  ],
  // Plain lists everywhere, like our API's nested lists; no Relay connections (totalCount, edges).
  schema: { defaultBehavior: '-connection +list' },
  grafserv: { watch: false, graphiql: false, graphqlPath: '/graphql' },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.keepAliveTimeout = 65_000;
serv.addTo(server).catch((error) => {
  console.error(error);
  process.exit(1);
});
server.listen(Number(process.env.PORT ?? 5678), '127.0.0.1', () => console.log(`postgraphile listening on ${process.env.PORT}`));

const stop = async () => {
  server.close();
  await pgl.release();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
