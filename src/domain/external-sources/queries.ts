/** Reading feeds: editors and admins only (FORBIDDEN for others, as Claimant.claims). */
import type { Loaders } from '../../db/loaders.js';
import type { ExternalSourceRow } from '../../db/schema.js';
import type { Viewer } from '../viewer.js';
import { mayRead, requireReader } from '../visibility.js';

/** ExternalFactCheck.source: the feed it came through; null when imported by hand or the feed was removed. */
export async function sourceOfExternalFactCheck(loaders: Loaders, viewer: Viewer | null, sourceId: string | null): Promise<ExternalSourceRow | null> {
  requireReader(viewer, 'ExternalSource');
  return sourceId === null ? null : loaders.externalSource.load(sourceId);
}

/** For node(id): null for a viewer who may not read feeds. */
export const externalSourceFor = (loaders: Loaders, viewer: Viewer, sourceId: string) =>
  mayRead(viewer, 'ExternalSource') ? loaders.externalSource.load(sourceId) : null;

/** ExternalSource.factCheckCount: batched over a page. */
export const factCheckCountOf = (loaders: Loaders, source: Pick<ExternalSourceRow, 'id'>) => loaders.externalFactCheckCountBySource.load(source.id);
