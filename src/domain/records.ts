/**
 * The rows the domain hands to the API layer, as src/db reads them (src/db/records.ts, src/db/tables/):
 * src/graphql and src/server name them from here, never from src/db.
 */
export type { ArticleRecord, AssignmentRecord, ClaimRecord, EvidenceRecord, FactCheckRecord, UserRecord, VerdictRecord } from '../db/records.js';
export type { ClaimantRow, ClaimEventRow, TopicRow, WebhookEndpointRow } from '../db/schema.js';
export type { CorrectionRequestRow } from '../db/schema.js';
export type { ExternalFactCheckRecord } from '../db/external-fact-checks.js';
export type { ScheduledPublicationRow } from '../db/schema.js';
export type { ExternalSourceRow } from '../db/schema.js';
