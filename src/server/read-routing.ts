/**
 * GraphQL's partner reads on the read replica. Once Apollo knows the operation, a query whose every
 * root field is a partner read (a feature's `partnerReads`, src/domain/features.ts), asked by anyone but staff, is served wholly
 * from `requestDatabase(…, 'partner-read')` (src/domain/request-database.ts): its `db` and loaders are swapped before execution,
 * so its nested fields (an article, corrections) read the same server as its list. Anything else
 * (a mutation, a staff request, a query that also asks for webhooks, tokens or the viewer) stays on
 * the primary whole, so that nobody reads their own writes from a replica behind them.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { createLoaders } from '../db/loaders.js';
import { PARTNER_READ_FIELDS } from '../domain/features.js';
import { requestDatabase } from '../domain/request-database.js';
import type { Context } from '../graphql/core/resolver-context.js';

/** Whether every root field of `operation` (through fragments) is a partner read. */
export function onlyPartnerReads(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  if (operation.operation !== 'query') return false;
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  const seen = new Set<string>();
  const check = (set: SelectionSetNode): boolean =>
    set.selections.every((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === '__typename' || PARTNER_READ_FIELDS.has(s.name.value);
      if (s.kind === Kind.INLINE_FRAGMENT) return check(s.selectionSet);
      if (seen.has(s.name.value)) return true;
      seen.add(s.name.value);
      const fragment = fragments.get(s.name.value);
      return fragment !== undefined && check(fragment);
    });
  return check(operation.selectionSet);
}

export function partnerReadsPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, contextValue }) {
          if (!operation || !onlyPartnerReads(document, operation)) return;
          const db = requestDatabase(contextValue.databases, contextValue.viewer, 'partner-read');
          if (db === contextValue.db) return;
          contextValue.db = db;
          contextValue.loaders = createLoaders(db);
        },
      };
    },
  };
}
