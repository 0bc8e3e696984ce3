/**
 * What a /graphql request was, for its log line and its metrics: the operation's name and type
 * and the codes of the errors it answered with. One report per request, kept in `res.locals`; the
 * Apollo plugin finds it in the request's context, under a symbol of this module (Apollo runs an
 * operation with a shallow copy of the context, which copies the symbol-keyed property too).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Context } from '../graphql/core/resolver-context.js';

export interface OperationReport {
  /** False until Apollo resolved the operation (a parse or validation failure, a refused token, never). */
  resolved: boolean;
  /** The operation's name in the document; null for an anonymous operation. */
  name: string | null;
  type: 'query' | 'mutation' | 'subscription' | null;
  /** extensions.code of each error in the response, in order. */
  codes: string[];
  /** performance.now() when the request reached /graphql, and when its response was ready. */
  startedAt: number;
  finishedAt: number | null;
}

const REPORT = Symbol('operationReport');
type Reported = { [REPORT]?: OperationReport };

/** First on /graphql: opens the request's report. */
export const openOperationReport: RequestHandler = (_req, res, next) => {
  const report: OperationReport = { resolved: false, name: null, type: null, codes: [], startedAt: performance.now(), finishedAt: null };
  res.locals.operationReport = report;
  next();
};

export const operationReportOf = (res: Response): OperationReport | undefined => res.locals.operationReport as OperationReport | undefined;

/** Ties a request's context to its report, so the plugin can fill it in. Returns the context. */
export function withReport(res: Response, context: Context): Context {
  const report = operationReportOf(res);
  if (report) (context as Context & Reported)[REPORT] = report;
  return context;
}

/** A request refused before any context (a bad or expired token, over budget): its code. */
export function noteRefusal(res: Response, error: unknown): void {
  const report = operationReportOf(res);
  const code = error instanceof GraphQLError ? error.extensions?.code : undefined;
  if (report && typeof code === 'string') {
    report.codes = [code];
    report.finishedAt = performance.now();
  }
}

/** A response sent by the server itself, outside Apollo (the Idempotency-Key errors, a replay): a code, alone or after the others. */
export function noteCode(res: Response, code: string, append = false): void {
  const report = operationReportOf(res);
  if (report) report.codes = append ? [...report.codes, code] : [code];
}

/** Fills in the report of every operation Apollo runs. */
export function operationReportPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const report = (contextValue as Context & Reported)[REPORT];
      if (!report) return;
      return {
        async didResolveOperation({ operation }) {
          if (!operation) return;
          report.resolved = true;
          report.name = operation.name?.value ?? null;
          report.type = operation.operation;
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
          report.codes = (errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          report.finishedAt = performance.now();
        },
      };
    },
  };
}
