/**
 * `POST /imports/claim-reviews` (docs/api-guide.md, "Other publishers' fact checks"): the raw body
 * of a document of ClaimReview markup, `application/json` or `text/html`, up to
 * EXTERNAL_IMPORT_MAX_BYTES (50 MB: above the GraphQL body limit), from an editor's or admin's
 * bearer token; answers the import's report as JSON, the same as importExternalFactChecks.
 *
 * The token and role are checked before the body is read, so a refused request costs no 50 MB.
 * The body is held once as bytes, decoded to one string, then dropped before the import parses it.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AccessControl } from '../../domain/access/access-control.js';
import { DomainError } from '../../domain/coded-errors.js';
import type { ClaimReviewSettings } from '../../domain/fact-checks/schema-org-claim-review.js';
import { importExternalFactChecks } from '../../domain/external-imports/import.js';
import type { ImportSettings } from '../../domain/external-imports/settings.js';
import { requestDatabase, type ReadDatabases } from '../../domain/request-database.js';
import { EDITORS, type Viewer } from '../../domain/viewer.js';
import { sendError } from '../http-errors.js';
import { authenticateRequest, bearerToken } from '../request-context.js';

const PATH = '/imports/claim-reviews';
const TYPES = { json: ['application/json', 'application/ld+json'], html: ['text/html'] } as const;

function contentTypeOf(req: Request): 'json' | 'html' | null {
  if (req.is([...TYPES.json])) return 'json';
  if (req.is([...TYPES.html])) return 'html';
  return null;
}

export function installClaimReviewImports(
  app: express.Express,
  reads: ReadDatabases,
  site: ClaimReviewSettings,
  access: AccessControl,
  settings: ImportSettings,
) {
  const viewers = new WeakMap<Request, Viewer>();
  const authorize = async (req: Request, res: Response, next: NextFunction) => {
    const auth = await authenticateRequest(access, bearerToken(req.headers), req.ip ?? 'unknown', res);
    if ('refusal' in auth) return sendError(req, res, auth.refusal === 'TOO_MANY_REQUESTS' ? 429 : 401, auth.message, auth.refusal);
    if (!auth.viewer) return sendError(req, res, 401, 'A valid bearer token is required (Authorization: Bearer <token>)');
    if (!EDITORS.includes(auth.viewer.role)) return sendError(req, res, 403, `This needs one of the roles ${EDITORS.join(', ')}; you are ${auth.viewer.role}`);
    if (!contentTypeOf(req)) return sendError(req, res, 415, 'The body must be application/json or text/html');
    viewers.set(req, { id: auth.viewer.id, name: auth.viewer.name, role: auth.viewer.role });
    next();
  };
  const readBody = express.raw({ type: [...TYPES.json, ...TYPES.html], limit: settings.maxBytes });
  const run = async (req: Request, res: Response) => {
    const document = (req.body as Buffer).toString('utf8');
    req.body = undefined;
    const viewer = viewers.get(req)!;
    try {
      const report = await importExternalFactChecks(
        requestDatabase({ reads }, viewer, 'read-write'),
        viewer,
        { document, contentType: contentTypeOf(req)! },
        { ownBaseUrl: site.publicBaseUrl, batchSize: settings.batchSize },
      );
      res.json(report);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'BAD_USER_INPUT') return sendError(req, res, 400, error.message);
      throw error;
    }
  };
  const tooLarge = (error: Error & { status?: number }, req: Request, res: Response, next: NextFunction) => {
    if (error.status === 413 && !res.headersSent) return sendError(req, res, 413, `Request body is larger than ${settings.maxBytes} bytes`);
    next(error);
  };
  app.post(PATH, authorize, readBody, run, tooLarge);
}
