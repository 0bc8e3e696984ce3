/**
 * The world the fuzzed requests refer to: the principals, and the IDs and cursors of objects that
 * exist, refilled from successful responses (test/integration/fuzz.test.ts fills them). One world
 * per test file: vitest loads this module once per file.
 */
import type { NodeType } from '../../../src/domain/global-ids.js';
import type { Role } from '../../../src/model/enums.js';
import type { TestUser } from '../factories.js';
import type { Principal } from './family.js';

/** `spare`: users that updateUser may change, never a principal (whose role the checks rely on). */
export type Pool =
  | 'article'
  | 'claim'
  | 'assignment'
  | 'evidence'
  | 'verdict'
  | 'factCheck'
  | 'user'
  | 'reviewer'
  | 'spare'
  | 'token'
  | 'endpoint'
  | 'delivery'
  | 'cursor'
  | 'claimant'
  | 'topic'
  | 'correctionRequest'
  | 'externalSource';
/** A pool of global IDs (every pool but cursors). */
export type IdPool = Exclude<Pool, 'cursor'>;
export const TYPE_OF: Record<IdPool, NodeType> = {
  article: 'Article',
  claim: 'Claim',
  assignment: 'Assignment',
  evidence: 'Evidence',
  verdict: 'Verdict',
  factCheck: 'FactCheck',
  user: 'User',
  reviewer: 'User',
  spare: 'User',
  token: 'ApiToken',
  endpoint: 'WebhookEndpoint',
  delivery: 'WebhookDelivery',
  claimant: 'Claimant',
  topic: 'Topic',
  correctionRequest: 'CorrectionRequest',
  externalSource: 'ExternalSource',
};

export const people = {} as Record<Exclude<Principal, 'none'>, TestUser>;
export const articles: { id: string; url: string; body: string }[] = [];
export const pools: Record<Pool, string[]> = {
  article: [],
  claim: [],
  assignment: [],
  evidence: [],
  verdict: [],
  factCheck: [],
  user: [],
  reviewer: [],
  spare: [],
  token: [],
  endpoint: [],
  delivery: [],
  cursor: [],
  claimant: [],
  topic: [],
  correctionRequest: [],
  externalSource: [],
};
const POOL_CAP = 500;
export const remember = (pool: Pool, value: string | null | undefined) => {
  if (typeof value === 'string' && !pools[pool].includes(value) && pools[pool].length < POOL_CAP) pools[pool].push(value);
};

export const roleOf = (principal: Principal): Role | null => (principal === 'none' ? null : people[principal].role);
export const tokenOf = (principal: Principal) => (principal === 'none' ? null : people[principal].token);

/** The last status seen of each claim, and the claims each reviewer was assigned, from successful responses. */
export const claimStatus = new Map<string, string>();
export const assignedTo = new Map<string, string[]>();
export const evidenceOf = new Map<string, string[]>();

/** Claims (global ID, status) anywhere in a response's data. */
export function noteClaimStatuses(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(noteClaimStatuses);
  if (!value || typeof value !== 'object') return;
  const { id, status } = value as { id?: unknown; status?: unknown };
  if (typeof id === 'string' && typeof status === 'string' && Buffer.from(id, 'base64url').toString().startsWith('Claim:')) claimStatus.set(id, status);
  Object.values(value).forEach(noteClaimStatuses);
}

/** A value computed when the request is sent, from the world as it is then and the sender (e.g. a claim assigned to them). */
export class Lazy {
  constructor(readonly get: (sender: Principal) => unknown) {}
}
export function resolve(value: unknown, sender: Principal): unknown {
  if (value instanceof Lazy) return resolve(value.get(sender), sender);
  if (Array.isArray(value)) return value.map((v) => resolve(v, sender));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, sender)]));
  return value;
}
export const pick = <T>(values: readonly T[], i: number): T | undefined => values[i % values.length];
