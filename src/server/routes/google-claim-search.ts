/**
 * `GET /v1alpha1/claims:search`, Google Fact Check Tools–compatible. Every failure answers Google's
 * `{ error: { code, message, status } }`, and parameter errors name the parameter the client sent.
 * Like Google, the request is refused when it is malformed: a parameter Google does not know, a
 * parameter given twice, bad percent-encoding, a request body.
 */
import { queryPairs } from './query-string.js';
import type { Request, RequestHandler, Response } from 'express';
import { createLoaders } from '../../db/loaders.js';
import type { ClaimReviewSettings } from '../../domain/fact-checks/schema-org-claim-review.js';
import { DomainError } from '../../domain/coded-errors.js';
import { listFactChecks } from '../../domain/fact-checks/queries.js';
import { speakerOfClaim } from '../../domain/fact-checks/claim-review-of.js';
import { parseGoogleSearch, toGoogleClaim } from '../../domain/fact-checks/google-claim-search.js';
import { searchWithExternal, toGoogleExternalClaim } from '../../domain/external-fact-checks/google-claim-search.js';
import type { FactCheckResult } from '../../domain/fact-checks/queries.js';
import { organizationProfile } from '../../domain/organization/organization.js';
import { toGlobalId } from '../../domain/global-ids.js';
import type { AccessControl } from '../../domain/access/access-control.js';
import { requestDatabase, type ReadDatabases } from '../../domain/request-database.js';
import { authenticateRequest, bearerToken } from '../request-context.js';
import { sendGoogleError } from '../http-errors.js';

/** The parameters of claims:search (and `url` and `includeExternal`, our extensions), and the system parameters we accept (`key`) or ignore. */
const SEARCH_PARAMETERS = new Set(['query', 'languageCode', 'reviewPublisherSiteFilter', 'maxAgeDays', 'pageSize', 'pageToken', 'url', 'includeExternal']);
const SYSTEM_PARAMETERS = new Set(['key', 'prettyPrint', 'quotaUser']);

/** The domain's names for what the client sent under Google's names. */
const PARAMETER_OF_FIELD: Record<string, string> = {
  after: 'pageToken',
  first: 'pageSize',
  'filter.search': 'query',
  'filter.language': 'languageCode',
  'filter.publishedAfter': 'maxAgeDays',
  'filter.appearanceUrl': 'url',
  'filter.publisherSite': 'reviewPublisherSiteFilter',
};

class InvalidArgument extends Error {}

/** The query string as Google reads it: each name once, percent-encoding valid, names known. */
export function parseSearchQueryString(rawQuery: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of queryPairs(rawQuery, (_what, message) => new InvalidArgument(message))) {
    if (name === 'offset') throw new InvalidArgument('offset is not supported; page with pageToken');
    if (!SEARCH_PARAMETERS.has(name) && !SYSTEM_PARAMETERS.has(name)) {
      throw new InvalidArgument(`Unknown name "${name}": Cannot bind query parameter. Field '${name}' could not be found in request message.`);
    }
    if (Object.hasOwn(values, name)) throw new InvalidArgument(`${name} is given more than once`);
    values[name] = value;
  }
  return values;
}

const hasBody = (req: Request) => Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;

/** A domain error about a field, said with the parameter's name: "pageToken is not …", not "after is not …". */
function invalidArgumentMessage(error: DomainError): string {
  const parameter = error.field ? PARAMETER_OF_FIELD[error.field] : undefined;
  if (!parameter || !error.field) return error.message;
  return error.message.startsWith(error.field) ? `${parameter}${error.message.slice(error.field.length)}` : `${parameter}: ${error.message}`;
}

export function googleClaimSearch(reads: ReadDatabases, site: ClaimReviewSettings, access: AccessControl): RequestHandler {
  return async (req: Request, res: Response) => {
    let parameters: Record<string, string>;
    try {
      if (hasBody(req)) throw new InvalidArgument('claims:search takes no request body; send the parameters in the query string');
      const rawQuery = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
      parameters = parseSearchQueryString(rawQuery);
    } catch (error) {
      if (error instanceof InvalidArgument) return sendGoogleError(res, 400, error.message);
      throw error;
    }
    const token = bearerToken(req.headers) ?? parameters.key ?? null;
    // Retry-After and the RateLimit fields are set on res here, for every answer below.
    const auth = await authenticateRequest(access, token, req.ip ?? 'unknown', res);
    if ('refusal' in auth && auth.refusal === 'TOO_MANY_REQUESTS') return sendGoogleError(res, 429, auth.message);
    const viewer = 'viewer' in auth ? auth.viewer : null;
    if (!viewer) return sendGoogleError(res, 401, 'refusal' in auth ? auth.message : 'A valid API key (Authorization: Bearer <token> or ?key=) is required');
    try {
      // A partner read: on the read replica when there is one (staff tokens: the primary).
      const db = requestDatabase({ reads }, viewer, 'partner-read');
      const loaders = createLoaders(db);
      // The publisher is the organisation's profile in force (its site answers reviewPublisherSiteFilter).
      const publisher = await organizationProfile(loaders, site);
      const request = parseGoogleSearch(parameters, publisher);
      // Ours as Google claims, their articles and speakers loaded in batches.
      const asGoogleClaims = async (nodes: FactCheckResult[]) => {
        const [articles, speakers] = await Promise.all([
          Promise.all(nodes.map((fc) => loaders.article.load(fc.articleId))),
          Promise.all(nodes.map((fc) => speakerOfClaim(loaders, fc.claimId))),
        ]);
        return nodes.map((fc, i) =>
          toGoogleClaim(site, publisher, { ...fc, publicId: toGlobalId('FactCheck', fc.id), article: articles[i]!, speakerName: speakers[i]?.name ?? null }),
        );
      };
      const answer = (claims: unknown[], nextPageToken: string | null | undefined) =>
        res.json({ ...(claims.length ? { claims } : {}), ...(nextPageToken ? { nextPageToken } : {}) });
      if (request.includeExternal) {
        const { results, nextPageToken } = await searchWithExternal(db, viewer, request);
        const ours = await asGoogleClaims(results.flatMap((r) => (r.ours ? [r.ours] : [])));
        let o = 0;
        return void answer(
          results.map((r) => (r.ours ? ours[o++]! : toGoogleExternalClaim(r.theirs!))),
          nextPageToken,
        );
      }
      if (request.otherPublisher) return void res.json({});
      const page = await listFactChecks(db, viewer, { filter: request.filter, first: request.first, after: request.after });
      answer(await asGoogleClaims(page.nodes), page.hasNextPage ? page.cursors.at(-1) : null);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'BAD_USER_INPUT') return sendGoogleError(res, 400, invalidArgumentMessage(error));
      if (error instanceof DomainError && error.code === 'FORBIDDEN') return sendGoogleError(res, 403, error.message);
      throw error;
    }
  };
}
