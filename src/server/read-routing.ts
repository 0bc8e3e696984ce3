/**
 * GraphQL's partner reads on the read replica. Once Apollo knows the operation, a query whose every
 * root field is a partner read (PARTNER_READ_FIELDS), asked by anyone but staff, is served wholly
 * from `readDatabaseFor()` (src/domain/reads.ts): its `db` and loaders are swapped before execution,
 * so its nested fields (an article, corrections) read the same server as its list. Anything else
 * (a mutation, a staff request, a query that also asks for webhooks, tokens or the viewer) stays on
 * the primary whole, so that nobody reads their own writes from a replica behind them.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { createLoaders } from '../db/loaders.js';
import { readDatabaseFor } from '../domain/reads.js';
import type { Context } from '../graphql/context.js';

/** Query fields that only read what partners read: published fact checks and their change feed. */
export const PARTNER_READ_FIELDS: ReadonlySet<string> = new Set(['factCheck', 'factChecks', 'factCheckChanges', '__typename']);

/** Whether every root field of `operation` (through fragments) is a partner read. */
export function onlyPartnerReads(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  if (operation.operation !== 'query') return false;
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  const seen = new Set<string>();
  const check = (set: SelectionSetNode): boolean =>
    set.selections.every((s) => {
      if (s.kind === Kind.FIELD) return PARTNER_READ_FIELDS.has(s.name.value);
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
          const db = readDatabaseFor(contextValue.reads, contextValue.viewer);
          if (db === contextValue.db) return;
          contextValue.db = db;
          contextValue.loaders = createLoaders(db);
        },
      };
    },
  };
}
