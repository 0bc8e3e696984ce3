/**
 * A leased feed's fetch, start to end: the GET (fetch-document.ts), the import of what came back
 * (importExternalDocument, with the feed as source), and one write of the outcome that releases the
 * lease. The lease is renewed meanwhile (lease-renewal.ts); a fetch that lost it stops importing,
 * and its outcome is not written (the observer hears `leaseLost`). It never throws: whatever goes
 * wrong ends up in lastError and the observer's outcome. With tracing on, all three run inside the
 * runtime's span (`traced`), so the import's and the outcome's statements are its children.
 */
import type { Database } from '../../db/connection.js';
import type { ExternalSourceRow } from '../../db/schema.js';
import { DomainError } from '../coded-errors.js';
import { importExternalDocument } from '../external-imports/import.js';
import { emptyImportReport, STORED_SKIPS, type ImportReport } from '../external-imports/report.js';
import { fetchDocument, FetchError } from './fetch-document.js';
import { readSource, recordFetch, type FetchRecord, type Lease } from './lease.js';
import { keepLease, LeaseLostError } from './lease-renewal.js';
import type { FeedRuntime, FetchOutcome } from './settings.js';

export interface FetchResult {
  /** The feed after the fetch (null if it was deleted meanwhile). */
  source: ExternalSourceRow | null;
  /** Null if the fetch failed. */
  report: ImportReport | null;
}

interface Fetched {
  record: FetchRecord;
  kind: FetchOutcome['kind'];
  status: number | null;
}

async function fetchAndImport(db: Database, runtime: FeedRuntime, source: ExternalSourceRow, signal: AbortSignal): Promise<Fetched> {
  const { timeoutMs, maxBytes } = runtime.settings;
  try {
    const fetched = await fetchDocument({
      url: source.url,
      etag: source.etag,
      lastModified: source.lastModified,
      timeoutMs,
      maxBytes,
      policy: runtime.settings,
    });
    const { status } = fetched;
    if (fetched.kind === 'not_modified') return { kind: 'not_modified', status, record: { ok: true, error: null, report: emptyImportReport() } };
    signal.throwIfAborted();
    const report = await importExternalDocument(db, fetched.body, {
      sourceId: source.id,
      contentType: fetched.contentType,
      // The report is stored in the feed's row: bounded (report.ts).
      maxSkipped: STORED_SKIPS,
      signal,
      ...(runtime.importing ? { ownBaseUrl: runtime.importing.ownBaseUrl(), batchSize: runtime.importing.batchSize } : {}),
    });
    return { kind: 'success', status, record: { ok: true, error: null, report, etag: fetched.etag, lastModified: fetched.lastModified } };
  } catch (error) {
    return { kind: 'error', status: error instanceof FetchError ? error.status : null, record: { ok: false, error: failureSentence(error), report: null } };
  }
}

function failureSentence(error: unknown): string {
  if (error instanceof FetchError) return `The fetch failed: ${error.message}.`;
  if (error instanceof LeaseLostError) return `The fetch was given up: ${error.message}.`;
  if (error instanceof DomainError) return `The document could not be imported: ${error.message}.`;
  return `The import failed: ${(error as Error)?.message ?? String(error)}.`;
}

export async function runLeasedFetch(db: Database, runtime: FeedRuntime, lease: Lease): Promise<FetchResult> {
  let result: FetchResult = { source: null, report: null };
  const fetchOnce = async (): Promise<FetchOutcome> => {
    const renewal = keepLease(db, runtime.settings, lease);
    const { record, kind, status } = await fetchAndImport(db, runtime, lease.source, renewal.signal).finally(() => renewal.stop());
    let source: ExternalSourceRow | null = null;
    let leaseLost = false;
    try {
      source = await recordFetch(db, runtime.settings, lease, record);
      leaseLost = source === null;
      source ??= await readSource(db, lease.source.id);
    } catch (error) {
      leaseLost = true;
      record.error ??= `The outcome could not be recorded: ${(error as Error).message}.`;
    }
    result = { source, report: record.report };
    return {
      sourceId: lease.source.id,
      url: lease.source.url,
      kind,
      status,
      created: record.report?.created ?? 0,
      updated: record.report?.updated ?? 0,
      error: record.error,
      leaseLost,
    };
  };
  const feed = { id: lease.source.id, url: lease.source.url };
  runtime.observer.fetched(await (runtime.traced ? runtime.traced(feed, fetchOnce) : fetchOnce()));
  return result;
}
