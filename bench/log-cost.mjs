// node bench/log-cost.mjs [iterations]: what the request log line costs, timed in isolation (no
// server, no socket): install/logging.ts' middleware around one /graphql request with its
// operation report, its line serialised by the server's pino options into a sink that discards it
// (the write itself is left out: `node bench/ab.mjs --build info=dist --build warn=dist --env
// warn:LOG_LEVEL=warn` measures everything). Variants: at warn (the middleware, no line), at info
// (as it ships), at info without the redaction paths. µs per request; compare with CPU ms per
// dashboard request (npm run bench). Needs dist/ (npm run build).
import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { installLogging } from '../dist/src/server/install/logging.js';
import { loggerOptions } from '../dist/src/server/logger.js';

const iterations = Number(process.argv[2] ?? 200_000);
const sink = { write() {} };
const { redact, ...unredacted } = loggerOptions();
const variants = {
  warn: pino({ ...loggerOptions(), level: 'warn' }, sink),
  info: pino({ ...loggerOptions(), level: 'info' }, sink),
  'info, no redaction': pino({ ...unredacted, level: 'info' }, sink),
};

function middlewareOf(logger) {
  let handler;
  installLogging({ use: (fn) => (handler = fn) }, logger);
  return handler;
}

/** One request through the middleware: a fake req/res pair, the response's 'close' at once. */
function request(handler) {
  const req = { method: 'POST', path: '/graphql', originalUrl: '/graphql', headers: {}, readableAborted: false };
  const res = Object.assign(new EventEmitter(), { locals: {}, statusCode: 200, writableEnded: true, setHeader() {} });
  handler(req, res, () => {
    res.locals.operationReport = { resolved: true, name: 'Dashboard', type: 'query', codes: [], startedAt: 0, finishedAt: 1 };
  });
  res.emit('close');
}

const result = { iterations };
for (const [name, logger] of Object.entries(variants)) {
  const handler = middlewareOf(logger);
  for (let i = 0; i < 20_000; i++) request(handler); // warm-up: let V8 optimise it
  const runs = [];
  for (let round = 0; round < 5; round++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < iterations / 5; i++) request(handler);
    runs.push(Number(process.hrtime.bigint() - t) / 1000 / (iterations / 5));
  }
  runs.sort((a, b) => a - b);
  result[`us_per_request_${name.replace(/\W+/g, '_')}`] = Math.round(runs[2] * 100) / 100; // median of 5
}
console.log(JSON.stringify(result));
