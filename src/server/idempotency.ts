/**
 * Retry-safe GraphQL mutations: the `Idempotency-Key` request header (IETF httpapi draft "The
 * Idempotency-Key HTTP Header Field"). A mutation sent with a key runs in ONE database transaction
 * that first claims the key (src/db/idempotency-keys.ts), then executes the operation with that
 * transaction as the context's database (every domain transaction nests in it as a savepoint;
 * loaders read through it), stores the serialized response under the key, and commits before the
 * response is sent. So the write and its recorded outcome commit together or not at all:
 *
 * - a retry with the same key, viewer and request gets the stored response (`Idempotent-Replayed:
 *   true`) and writes nothing, also after the first response was lost, in another process, or
 *   after a restart;
 * - the same key with another request: 422 IDEMPOTENCY_KEY_REUSED;
 * - the same key while the first is still running: the retry waits for it (up to
 *   IDEMPOTENCY_KEY_WAIT_MS) and gets its response, or 409 IDEMPOTENCY_KEY_IN_USE;
 * - an unexpected (masked) failure rolls everything back, the key included: 500, and a retry runs afresh.
 *
 * Bulk actions (bulkAssignClaims, bulkDismissClaims) commit each claim in a transaction of its own,
 * so they cannot run inside the key's transaction. Their key row is committed first, without a
 * response; each item's transaction records the item's outcome beside its writes
 * (idempotency_item_results); the response is stored last. A retry while the key has no response
 * (the first execution still running, or stopped midway by a crash or an unexpected failure) runs
 * the request again: items already recorded are answered from their records, the rest run now, and
 * both executions answer alike. Such a request must hold that one bulk field and nothing else.
 *
 * Queries ignore the header; so do requests without a viewer (every mutation needs one), and
 * fetchExternalSource (UNKEYED_MUTATIONS: it must commit its lease before the fetch).
 */
import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';
import { getOperationAST, Kind, parse, type DocumentNode, type SelectionSetNode } from 'graphql';
import stableStringify from 'safe-stable-stringify';
import type { Database, DatabaseHandle } from '../db/connection.js';
import { claimKey, KeyInUse, runJournaledItem, storeFinalResponse, storeResponse, type KeyRef, type StoredResponse } from '../db/idempotency-keys.js';
import type { ItemJournal } from '../domain/claims/bulk.js';
import type { UserRow } from '../db/schema.js';
import type { ClaimReviewSettings } from '../domain/fact-checks/schema-org-claim-review.js';
import type { Context } from '../graphql/core/resolver-context.js';
import type { AccessControl } from '../domain/access/access-control.js';
import type { WebhookPolicy } from '../domain/webhooks/endpoints.js';
import type { ImportSettings } from '../domain/external-imports/settings.js';
import type { FeedRuntime } from '../domain/external-sources/settings.js';
import type { ReadDatabases } from '../domain/request-database.js';
import { authenticateRequest, bearerToken, buildContext, clientGone, refusalError } from './request-context.js';
import type { Logger } from './logger.js';
import { noteCode, noteRefusal, withReport } from './operation-report.js';
import { logUnexpected, unavailableMessage } from './graphql-errors.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** The key: the draft's sf-string (`"…"`) or the bare value; 1–255 characters safe in any log or URL. */
const KEY_SYNTAX = /^[A-Za-z0-9._~:+/=-]{1,255}$/;

export interface IdempotencyOptions {
  apollo: ApolloServer<Context>;
  database: DatabaseHandle;
  site: ClaimReviewSettings;
  access: AccessControl;
  logger: Logger;
  webhooks: WebhookPolicy;
  imports: ImportSettings;
  feeds: FeedRuntime;
  reads: ReadDatabases;
  ttlSeconds: number;
  waitMs: number;
}

/** Before Apollo's middleware on /graphql (after the JSON body parser): handles keyed mutations, passes on the rest. */
export function idempotentMutations(options: IdempotencyOptions): RequestHandler {
  const { apollo, database, site, access, logger, webhooks, reads, imports, feeds } = options;
  return async (req, res, next) => {
    const header = req.headers[IDEMPOTENCY_HEADER];
    if (header === undefined || req.method !== 'POST') return next();
    const fields = mutationFields(req.body);
    if (!fields) return next();
    // A fetch holds no transaction across its HTTP call, and fetching again is harmless: run as if unkeyed.
    if (fields.every((f) => UNKEYED_MUTATIONS.has(f))) return next();
    const requestId = res.locals.requestId as string;
    const key = parseKey(header);
    if (!key)
      return sendErrors(res, 400, 'IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be one value of 1 to 255 characters: letters, digits and . _ ~ : + / = -');
    const body = req.body as { query?: unknown; operationName?: unknown; variables?: unknown };
    if (typeof body.query !== 'string') return sendErrors(res, 400, 'IDEMPOTENCY_KEY_INVALID', 'A request with an Idempotency-Key must send its query text');

    const auth = await authenticateRequest(access, bearerToken(req.headers), req.ip ?? 'unknown', res);
    if ('refusal' in auth) {
      const refusal = refusalError(auth);
      noteRefusal(res, refusal);
      return send(res, await execute(apollo, req, () => Promise.reject(refusal)));
    }
    if (!auth.viewer)
      return send(
        res,
        await execute(apollo, req, async () =>
          withReport(res, buildContext({ reads }, null, site, requestId, { webhooks, access, imports, feeds }, clientGone(res))),
        ),
      );
    const viewer = auth.viewer;

    const ref = { userId: viewer.id, key };
    const requestHash = createHash('sha256')
      .update(stableStringify([body.query, body.operationName ?? null, body.variables ?? null]) ?? '')
      .digest('hex');
    if (fields.some((f) => ITEMIZED_MUTATIONS.has(f))) {
      if (fields.length !== 1)
        return sendErrors(
          res,
          400,
          'IDEMPOTENCY_KEY_INVALID',
          'A request with an Idempotency-Key that runs a bulk action must run that one field and nothing else',
        );
      return itemized(options, req, res, { ref, requestHash, viewer, requestId });
    }
    try {
      const outcome = await database.db.transaction(async (tx) => {
        const claim = await claimKey(tx, ref, { requestHash, ttlSeconds: options.ttlSeconds, waitMs: options.waitMs });
        if (claim.kind === 'stored') return claim;
        // Everything the operation reads and writes goes through this transaction (on PGlite, using
        // the database beside it would wait for this transaction forever).
        const response = toStored(
          await execute(apollo, req, async () =>
            withReport(
              res,
              buildContext({ reads, transaction: tx as unknown as Database }, viewer, site, requestId, { webhooks, access, imports, feeds }, clientGone(res)),
            ),
          ),
        );
        if (failedUnexpectedly(response)) throw new RolledBack();
        await storeResponse(tx, ref, response);
        return { kind: 'executed' as const, response };
      });
      if (outcome.kind === 'executed') return replay(res, outcome.response, false);
      if (outcome.requestHash !== requestHash) {
        return sendErrors(
          res,
          422,
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was used for another request (query, operationName or variables differ); use a new key',
        );
      }
      if (!outcome.response) return inUse(res);
      return replay(res, outcome.response, true);
    } catch (error) {
      if (error instanceof KeyInUse) return inUse(res);
      if (!(error instanceof RolledBack)) logUnexpected(logger, error, { requestId }, 'unexpected error in an idempotent mutation');
      // The key row commits with the writes: kept or not, a retry with the key is safe (replayed, or run afresh).
      const unavailable = unavailableMessage(error);
      if (unavailable) return sendErrors(res, 503, 'SERVICE_UNAVAILABLE', `${unavailable} (a retry with the same Idempotency-Key is safe)`);
      return sendErrors(
        res,
        500,
        'INTERNAL_SERVER_ERROR',
        'Internal server error; nothing was saved, and a retry with the same Idempotency-Key runs the request again',
      );
    }
  };
}

/** Mutation fields that ignore the key: they commit as they go (a feed's lease before its HTTP call), and repeating them is harmless. */
export const UNKEYED_MUTATIONS: ReadonlySet<string> = new Set(['fetchExternalSource']);

/** Mutation fields whose work commits item by item (bulk actions), each item in a transaction of its own. */
export const ITEMIZED_MUTATIONS: ReadonlySet<string> = new Set(['bulkAssignClaims', 'bulkDismissClaims']);

/** A keyed bulk action: the key row first, each item journaled in its own transaction, the response last. */
async function itemized(
  options: IdempotencyOptions,
  req: Request,
  res: Response,
  run: { ref: KeyRef; requestHash: string; viewer: UserRow; requestId: string },
) {
  const { apollo, database, site, access, logger, webhooks, reads, imports, feeds } = options;
  const { ref, requestHash, requestId } = run;
  try {
    const claim = await database.db.transaction((tx) => claimKey(tx, ref, { requestHash, ttlSeconds: options.ttlSeconds, waitMs: options.waitMs }));
    if (claim.kind === 'stored') {
      if (claim.requestHash !== requestHash) {
        return sendErrors(
          res,
          422,
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was used for another request (query, operationName or variables differ); use a new key',
        );
      }
      if (claim.response) return replay(res, claim.response, true);
      // No response yet: the first execution is still running or stopped midway. Run again; what it
      // finished is answered from its records.
    }
    const itemJournal: ItemJournal = (index, attempt) => runJournaledItem(database.db, ref, index, attempt);
    const response = toStored(
      await execute(apollo, req, async () =>
        withReport(res, { ...buildContext({ reads }, run.viewer, site, requestId, { webhooks, access, imports, feeds }, clientGone(res)), itemJournal }),
      ),
    );
    // Not stored: the items done are kept, and a retry with the key resumes after them.
    if (failedUnexpectedly(response)) return replay(res, response, false);
    const stored = await storeFinalResponse(database.db, ref, response);
    return replay(res, stored, stored !== response);
  } catch (error) {
    if (error instanceof KeyInUse) return inUse(res);
    logUnexpected(logger, error, { requestId }, 'unexpected error in an idempotent bulk mutation');
    const unavailable = unavailableMessage(error);
    if (unavailable)
      return sendErrors(
        res,
        503,
        'SERVICE_UNAVAILABLE',
        `${unavailable} (the items done so far are kept; a retry with the same Idempotency-Key resumes after them)`,
      );
    return sendErrors(
      res,
      500,
      'INTERNAL_SERVER_ERROR',
      'Internal server error; the items done so far are kept, and a retry with the same Idempotency-Key resumes after them',
    );
  }
}

/** The execution hit a failure nobody planned for (masked, already logged): it must not be kept. */
class RolledBack extends Error {}

function parseKey(header: string | string[]): string | null {
  if (Array.isArray(header)) return null;
  const value = header.trim();
  const unquoted = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  return KEY_SYNTAX.test(unquoted) ? unquoted : null;
}

/**
 * The top-level fields (one per alias) of a mutation the body names unambiguously; null for
 * anything else. Anything Apollo would refuse is left to Apollo.
 */
function mutationFields(body: unknown): string[] | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const { query, operationName } = body as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string') return null;
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: 5_000 });
  } catch {
    return null;
  }
  const operation = getOperationAST(document, typeof operationName === 'string' ? operationName : undefined);
  if (operation?.operation !== 'mutation') return null;
  const fields: string[] = [];
  const visited = new Set<string>();
  const collect = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) fields.push(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
        if (fragment && fragment.kind === Kind.FRAGMENT_DEFINITION) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return fields;
}

/** Runs the request through Apollo exactly as @as-integrations/express5 does, but returns the response instead of sending it. */
function execute(apollo: ApolloServer<Context>, req: Request, context: () => Promise<Context>): Promise<HTTPGraphQLResponse> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const queryAt = req.originalUrl.indexOf('?');
  const httpGraphQLRequest: HTTPGraphQLRequest = {
    method: req.method.toUpperCase(),
    headers,
    search: queryAt === -1 ? '' : req.originalUrl.slice(queryAt),
    body: req.body,
  };
  return apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context });
}

function toStored(response: HTTPGraphQLResponse): StoredResponse {
  // No incremental delivery (@defer) in graphql 16: a response is always complete.
  const body = response.body.kind === 'complete' ? response.body.string : '';
  return { status: response.status ?? 200, headers: Object.fromEntries(response.headers), body };
}

function failedUnexpectedly(response: StoredResponse): boolean {
  if (response.status >= 500) return true;
  try {
    const parsed = JSON.parse(response.body) as { errors?: { extensions?: { code?: unknown } }[] };
    return (parsed.errors ?? []).some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR');
  } catch {
    return true;
  }
}

function send(res: Response, response: HTTPGraphQLResponse) {
  replay(res, toStored(response), false);
}

function replay(res: Response, response: StoredResponse, replayed: boolean) {
  // Apollo did not run for a replay: its log line and metrics take the stored errors' codes.
  if (replayed) {
    try {
      const parsed = JSON.parse(response.body) as { errors?: { extensions?: { code?: unknown } }[] };
      for (const error of parsed.errors ?? []) noteCode(res, String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'), true);
    } catch {
      // Stored by us, always JSON; nothing to note otherwise.
    }
  }
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  if (replayed) res.setHeader('idempotent-replayed', 'true');
  res.status(response.status).send(response.body);
}

function inUse(res: Response) {
  res.setHeader('retry-after', '1');
  sendErrors(res, 409, 'IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still running; retry later to get its outcome');
}

function sendErrors(res: Response, status: number, code: string, message: string) {
  noteCode(res, code);
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}
