/**
 * `GET /exports/claims.csv` and `GET /exports/fact-checks.csv` (docs/api-guide.md, "CSV exports"): the list
 * queries' filters as query parameters, bearer tokens through the shared access control, RFC 4180
 * CSV (CRLF, fields quoted when they hold a comma, quote or line break, quotes doubled) in UTF-8 with
 * a header row, written with csv-stringify. Cells a spreadsheet would run as a formula (starting with
 * = + - @, tab or CR, or their full-width forms) get a leading apostrophe, as OWASP advises.
 *
 * Streamed: the domain reads one batch (one short statement) at a time; the next one is read only
 * once the client has taken the last (`drain`), and not at all once the client has gone. A bad
 * parameter is 400 naming it, before anything is read.
 */
import { queryPairs } from './query-string.js';
import { stringify, type Options } from 'csv-stringify/sync';
import type { Request, RequestHandler, Response } from 'express';
import type { Database } from '../../db/connection.js';
import { requestDatabase, type ReadDatabases } from '../../domain/request-database.js';
import type { AccessControl } from '../../domain/access/access-control.js';
import { DomainError } from '../../domain/coded-errors.js';
import { exportClaims, exportFactChecks, type Cell, type TableExport } from '../../domain/exports/index.js';
import type { ClaimReviewSettings } from '../../domain/fact-checks/schema-org-claim-review.js';
import { fromGlobalId } from '../../domain/global-ids.js';
import type { Viewer } from '../../domain/viewer.js';
import { requireReader } from '../../domain/visibility.js';
import { CLAIM_ORDERS, CLAIM_STATUSES, PRIORITIES, RATINGS, type ClaimOrder } from '../../model/enums.js';
import { authenticateRequest, bearerToken } from '../request-context.js';
import type { Logger } from '../logger.js';

const CSV: Options = { record_delimiter: 'windows', escape_formulas: true, eof: true };

class BadParameter extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

interface ParameterSpec {
  /** Given several times, or comma-separated: any of the values. */
  list?: boolean;
}

/** The query string, strictly: each name known, once (lists may repeat), percent-encoding valid. */
function parseQuery(rawQuery: string, specs: Record<string, ParameterSpec>): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const [name, value] of queryPairs(rawQuery, (what, message) => new BadParameter(what, message))) {
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) throw new BadParameter(name, `Unknown parameter "${name}"; known: ${Object.keys(specs).join(', ')}`);
    if (spec.list) {
      values[name] = [
        ...((values[name] as string[] | undefined) ?? []),
        ...value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      ];
    } else {
      if (Object.hasOwn(values, name)) throw new BadParameter(name, `${name} is given more than once`);
      values[name] = value;
    }
  }
  return values;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 date-time, as the GraphQL DateTime scalar takes it; the domain checks its range. */
function dateTime(name: string, value: string | undefined): Date | null {
  if (value === undefined) return null;
  const date = new Date(value);
  if (!RFC3339.test(value) || Number.isNaN(date.getTime())) throw new BadParameter(name, `${name} must be an RFC 3339 date-time such as 2024-06-24T20:00:00Z`);
  return date;
}

function oneOf<T extends string>(name: string, values: string[] | undefined, allowed: readonly T[]): T[] | null {
  if (!values) return null;
  const bad = values.find((v) => !allowed.includes(v as T));
  if (bad !== undefined) throw new BadParameter(name, `${name} must be any of ${allowed.join(', ')} (got "${bad}")`);
  return values as T[];
}

const single = (values: Record<string, string | string[]>, name: string) => values[name] as string | undefined;
const list = (values: Record<string, string | string[]>, name: string) => values[name] as string[] | undefined;

const CLAIM_PARAMETERS: Record<string, ParameterSpec> = {
  status: { list: true },
  priority: { list: true },
  articleId: {},
  reviewerId: {},
  search: {},
  dueBefore: {},
  orderBy: {},
};
const FACT_CHECK_PARAMETERS: Record<string, ParameterSpec> = {
  search: {},
  rating: { list: true },
  articleUrl: {},
  publishedAfter: {},
  publishedBefore: {},
  language: {},
};

function claimsExport(db: Database, viewer: Viewer, rawQuery: string): TableExport {
  requireReader(viewer, 'Claim'); // before the parameters are read, as the claims query does
  const q = parseQuery(rawQuery, CLAIM_PARAMETERS);
  const orderBy = single(q, 'orderBy');
  const filter = {
    status: oneOf('status', list(q, 'status'), CLAIM_STATUSES),
    priority: oneOf('priority', list(q, 'priority'), PRIORITIES),
    articleId: single(q, 'articleId') === undefined ? null : fromGlobalId(single(q, 'articleId')!, 'Article', 'articleId'),
    reviewerId: single(q, 'reviewerId') === undefined ? null : fromGlobalId(single(q, 'reviewerId')!, 'User', 'reviewerId'),
    search: single(q, 'search') ?? null,
    dueBefore: dateTime('dueBefore', single(q, 'dueBefore')),
  };
  return exportClaims(db, viewer, { filter, orderBy: orderBy === undefined ? null : (oneOf('orderBy', [orderBy], CLAIM_ORDERS)![0] as ClaimOrder) });
}

function factChecksExport(db: Database, viewer: Viewer, site: ClaimReviewSettings, rawQuery: string): TableExport {
  requireReader(viewer, 'FactCheck');
  const q = parseQuery(rawQuery, FACT_CHECK_PARAMETERS);
  const filter = {
    search: single(q, 'search') ?? null,
    rating: oneOf('rating', list(q, 'rating'), RATINGS),
    articleUrl: single(q, 'articleUrl') ?? null,
    publishedAfter: dateTime('publishedAfter', single(q, 'publishedAfter')),
    publishedBefore: dateTime('publishedBefore', single(q, 'publishedBefore')),
    language: single(q, 'language') ?? null,
  };
  return exportFactChecks(db, viewer, site, { filter });
}

/** A domain error about `filter.status.0` is about the parameter `status`: say it with the parameter's name. */
function parameterError(error: DomainError): BadParameter {
  const field = error.field ?? 'input';
  const parameter = field.replace(/^filter\./, '').split('.')[0]!;
  const message = error.message.startsWith(field) ? `${parameter}${error.message.slice(field.length)}` : error.message;
  return new BadParameter(parameter, message);
}

function sendPlainError(res: Response, status: number, code: string, message: string, parameter?: string) {
  res.status(status).json({ error: { code, message, ...(parameter ? { parameter } : {}) } });
}

type Build = (viewer: Viewer, rawQuery: string) => TableExport;

function csvRoute(filename: string, build: Build, access: AccessControl, logger: Logger): RequestHandler {
  return async (req: Request, res: Response) => {
    const auth = await authenticateRequest(access, bearerToken(req.headers), req.ip ?? 'unknown', res);
    if ('refusal' in auth) return sendPlainError(res, auth.refusal === 'TOO_MANY_REQUESTS' ? 429 : 401, auth.refusal, auth.message);
    if (!auth.viewer) return sendPlainError(res, 401, 'UNAUTHENTICATED', 'A valid bearer token is required (Authorization: Bearer <token>)');
    const viewer = { id: auth.viewer.id, name: auth.viewer.name, role: auth.viewer.role };
    let table: TableExport;
    try {
      const rawQuery = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
      table = build(viewer, rawQuery);
    } catch (error) {
      const bad = error instanceof DomainError && error.code === 'BAD_USER_INPUT' ? parameterError(error) : error;
      if (bad instanceof BadParameter) return sendPlainError(res, 400, 'BAD_REQUEST', bad.message, bad.parameter);
      if (error instanceof DomainError && error.code === 'FORBIDDEN') return sendPlainError(res, 403, 'FORBIDDEN', error.message);
      if (error instanceof DomainError && error.code === 'UNAUTHENTICATED') return sendPlainError(res, 401, 'UNAUTHENTICATED', error.message);
      throw error;
    }
    // The first batch before the status line: a failure to read it is still an ordinary error answer.
    const batches = table.batches;
    const next = req.method === 'HEAD' ? ({ done: true, value: undefined } as const) : await batches.next();
    res.status(200);
    res.setHeader('content-type', 'text/csv; charset=utf-8; header=present');
    res.setHeader('content-disposition', `attachment; filename="${filename}"`);
    res.setHeader('cache-control', 'no-store');
    if (req.method === 'HEAD') {
      await batches.return();
      return void res.end();
    }
    await streamRows(res, table.columns, batches, next, logger, filename, res.locals.requestId as string);
  };
}

/** Writes the header row and every batch, reading the next batch only once the client took the last. */
async function streamRows(
  res: Response,
  columns: readonly string[],
  batches: AsyncGenerator<Cell[][], void, void>,
  first: IteratorResult<Cell[][], void>,
  logger: Logger,
  filename: string,
  requestId: string,
) {
  let gone = false;
  let wake: (() => void) | null = null;
  const onClose = () => {
    if (!res.writableFinished) gone = true;
    wake?.();
  };
  res.on('close', onClose);
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        wake = null;
        resolve();
      };
      wake = done;
      res.once('drain', done);
    });
  const write = async (chunk: string) => {
    if (!res.write(chunk) && !gone) await drained();
  };
  let rows = 0;
  let batchCount = 0;
  try {
    await write(stringify([columns as string[]], CSV));
    let next = first;
    while (!next.done && !gone) {
      batchCount++;
      rows += next.value.length;
      await write(stringify(next.value, CSV));
      if (gone) break;
      next = await batches.next();
    }
    await batches.return();
    if (!gone) res.end();
    logger.info(
      { requestId, export: filename, rows, batches: batchCount, complete: !gone },
      gone ? 'CSV export stopped: the client went away' : 'CSV export done',
    );
  } catch (error) {
    // Too late for an error answer: cut the response short, so the client sees it is incomplete.
    logger.error({ err: error, requestId, export: filename, rows, batches: batchCount }, 'CSV export failed midway');
    res.destroy(error as Error);
  } finally {
    res.off('close', onClose);
  }
}

/** Partners' exports are partner reads (the read replica when there is one); staff's stay on the primary. */
export function csvExportRoutes(reads: ReadDatabases, site: ClaimReviewSettings, access: AccessControl, logger: Logger) {
  return {
    claims: csvRoute('claims.csv', (viewer, q) => claimsExport(requestDatabase({ reads }, viewer, 'partner-read'), viewer, q), access, logger),
    factChecks: csvRoute(
      'fact-checks.csv',
      (viewer, q) => factChecksExport(requestDatabase({ reads }, viewer, 'partner-read'), viewer, site, q),
      access,
      logger,
    ),
  };
}
