/**
 * The spans of a traced server (src/server/tracing.ts), each made where the work is already seen:
 * the HTTP request (an Express middleware), the GraphQL operation (an Apollo plugin, run around
 * graphql-jit's execution), each SQL statement (a database observer, as for metrics), each
 * webhook attempt (around the dispatcher's attempt) and each feed fetch (around the fetch, the
 * import and the outcome's write). AsyncLocalStorage (the SDK's context manager) makes each the
 * child of the one in progress.
 *
 * What a span never holds: request headers, query strings, GraphQL variables or documents, bind
 * values, error messages (they can quote a variable), webhook URLs beyond their host, feed URLs'
 * query strings and user parts.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context as OtelContext, type Span, type Tracer } from '@opentelemetry/api';
import type express from 'express';
import type { QueryObserver } from '../db/connection.js';
import type { FetchTracer } from '../domain/external-sources/settings.js';
import { toGlobalId } from '../domain/global-ids.js';
import type { ClaimedDelivery } from '../domain/webhooks/dispatch.js';
import type { Context } from '../graphql/core/resolver-context.js';
import type { AttemptTracer } from '../jobs/webhook-dispatcher.js';
import { shownUrl } from './external-sources-settings.js';

/** Probes and scrapes, unlogged too (install/logging.ts): many a minute, nothing to trace. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
const REQUEST_CONTEXT = 'traceContext';

/** The server span of each request, and its trace id in `res.locals.traceId` for the log line. */
export function serverSpans(tracer: Tracer): express.RequestHandler {
  return (req, res, next) => {
    if (UNTRACED_PATHS.has(req.path)) return next();
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const path = req.originalUrl.split('?')[0]!;
    const span = tracer.startSpan(
      req.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': req.method,
          // The path only: a query string can carry a token (?key= on the Google-compatible search).
          'url.path': path,
          'url.scheme': req.protocol,
          'factcheck.request_id': res.locals.requestId as string,
        },
      },
      parent,
    );
    const active = trace.setSpan(parent, span);
    res.locals[REQUEST_CONTEXT] = active;
    res.locals.traceId = span.spanContext().traceId;
    res.once('close', () => {
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : req.baseUrl || undefined;
      if (route) {
        span.updateName(`${req.method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500 || !res.writableEnded) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(active, next);
  };
}

/**
 * Back into the request's trace context after express.json(): a body that arrives after the
 * middleware ran (more than one packet) ends in the socket's stream events, outside it. A small
 * body, read at once, keeps it anyway (the test's request does).
 */
export const reenterRequestContext: express.RequestHandler = (_req, res, next) => {
  const active = res.locals[REQUEST_CONTEXT] as OtelContext | undefined;
  return active ? context.with(active, next) : next();
};

const operationSpans = new WeakMap<object, Span>();

/** A span per GraphQL operation: its name and type, no variables, no document. */
export function operationSpansPlugin(tracer: Tracer): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const span = tracer.startSpan('graphql', { kind: SpanKind.INTERNAL });
      operationSpans.set(contextValue, span);
      return {
        async didResolveOperation({ operationName, operation }) {
          if (!operation) return;
          span.updateName(operationName ? `${operation.operation} ${operationName}` : operation.operation);
          span.setAttribute('graphql.operation.type', operation.operation);
          if (operationName) span.setAttribute('graphql.operation.name', operationName);
        },
        async didEncounterErrors({ errors }) {
          const codes = errors.map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          span.setAttribute('graphql.error.codes', [...new Set(codes)]);
          if (codes.some((code) => code === 'INTERNAL_SERVER_ERROR' || code === 'SERVICE_UNAVAILABLE')) span.setStatus({ code: SpanStatusCode.ERROR });
        },
        async willSendResponse() {
          span.end();
        },
      };
    },
  };
}

/** Runs an operation's execution (src/server/jit.ts) inside its span, so its statements become children. */
export function withinOperation<T>(contextValue: object, run: () => T): T {
  const span = operationSpans.get(contextValue);
  return span ? context.with(trace.setSpan(context.active(), span), run) : run();
}

const NO_OP = () => {};

/** A span per SQL statement: its text as sent, with placeholders ($1), never the bound values. */
export function statementSpans(tracer: Tracer, system: 'postgresql'): QueryObserver {
  return {
    queryStarted: NO_OP,
    queryEnded: NO_OP,
    transactionStarted: NO_OP,
    transactionEnded: NO_OP,
    statementStarted(sql) {
      // Only inside a trace (a request, a webhook attempt): the background jobs' polls, every half
      // second in every process, would otherwise each export a trace of one statement.
      if (!trace.getSpan(context.active())) return NO_OP;
      const operation = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SQL';
      const span = tracer.startSpan(operation, {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system.name': system, 'db.operation.name': operation, 'db.query.text': sql },
      });
      return (failed) => {
        if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      };
    },
  };
}

/**
 * A span per webhook attempt, the statements recording it as its children. A trace of its own: the
 * dispatcher works in the background, whichever request's NOTIFY woke it.
 */
export function attemptSpans(tracer: Tracer): AttemptTracer {
  return (claimed: ClaimedDelivery, run) => {
    const span = tracer.startSpan(
      'webhook attempt',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': 'POST',
          // The host only: a receiver's URL can carry a secret in its path or query.
          'server.address': hostOf(claimed.url),
          'factcheck.webhook.delivery_id': claimed.deliveryId,
          'factcheck.webhook.endpoint_id': claimed.endpointId,
          'factcheck.webhook.failed_so_far': claimed.failedSoFar,
        },
      },
      ROOT_CONTEXT,
    );
    return endWith(span, context.with(trace.setSpan(ROOT_CONTEXT, span), run), (outcome) => {
      if (outcome.status !== null) span.setAttribute('http.response.status_code', outcome.status);
      span.setAttribute('factcheck.webhook.state', outcome.state);
      return outcome.state !== 'DELIVERED';
    });
  };
}

/**
 * A span per feed fetch: the GET, the import and the write of its outcome, whose statements are its
 * children. Under the operation when fetchExternalSource asks for it; a trace of its own when the
 * background job does (nothing is active there).
 */
export function feedFetchSpans(tracer: Tracer): FetchTracer {
  return (feed, run) => {
    const span = tracer.startSpan('feed fetch', {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': 'GET',
        // Origin and path only: a feed's query string can hold an API key (`key=`), its user part a password.
        'url.full': shownUrl(feed.url),
        // The global ID, as the API and the metrics' source_id show it.
        'factcheck.feed.id': toGlobalId('ExternalSource', feed.id),
      },
    });
    return endWith(span, context.with(trace.setSpan(context.active(), span), run), (outcome) => {
      // The last status answered (after redirects); none when the publisher answered nothing.
      if (outcome.status !== null) span.setAttribute('http.response.status_code', outcome.status);
      span.setAttribute('factcheck.feed.outcome', outcome.kind);
      span.setAttribute('factcheck.feed.created', outcome.created);
      span.setAttribute('factcheck.feed.updated', outcome.updated);
      if (outcome.leaseLost) span.setAttribute('factcheck.feed.lease_lost', true);
      return outcome.kind === 'error' || outcome.leaseLost;
    });
  };
}

/**
 * Ends `span` once `running` settles: `record` sets the outcome's attributes and says whether it
 * failed (the span's status is then an error, as it is when `running` throws, which is rethrown).
 */
function endWith<T>(span: Span, running: Promise<T>, record: (outcome: T) => boolean | undefined): Promise<T> {
  return running.then(
    (outcome) => {
      if (record(outcome)) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      return outcome;
    },
    (error: unknown) => {
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      throw error;
    },
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return 'invalid';
  }
}
