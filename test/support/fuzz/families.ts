/**
 * Every feature's fuzzed families (test/integration/fuzz.test.ts), keyed by the GraphQL root field
 * each one exercises, in one list; and the root fields left unfuzzed, with why.
 *
 * To fuzz a new operation, add its family to its feature's <feature>.fuzz.ts and its root field at
 * the end of ORDER.
 */
import { accessFamilies } from '../access/access.fuzz.js';
import { articleFamilies } from '../articles/articles.fuzz.js';
import { changeFeedFamilies } from '../change-feed/change-feed.fuzz.js';
import { claimantFamilies } from '../claimants/claimants.fuzz.js';
import { claimFamilies } from '../claims/claims.fuzz.js';
import { deskStatisticsFamilies } from '../desk-statistics/desk-statistics.fuzz.js';
import { factCheckFamilies } from '../fact-checks/fact-checks.fuzz.js';
import { ratingScaleFamilies } from '../rating-scale/rating-scale.fuzz.js';
import { userFamilies } from '../users/users.fuzz.js';
import { webhookFamilies } from '../webhooks/webhooks.fuzz.js';
import { topicFamilies } from '../topics/topics.fuzz.js';
import { correctionRequestFamilies } from '../correction-requests/correction-requests.fuzz.js';
import { organizationFamilies } from '../organization/organization.fuzz.js';
import { correctionsFamilies } from '../corrections/corrections.fuzz.js';
import { externalFactCheckFamilies } from '../external/external-fact-checks.fuzz.js';
import { schedulingFamilies } from '../scheduling/scheduling.fuzz.js';
import { externalImportsFamilies } from '../external-imports/external-imports.fuzz.js';
import { externalSourceFamilies } from '../external-sources/external-sources.fuzz.js';
import type { Families, FuzzFamily } from './family.js';
import { nodeFamilies } from './node.fuzz.js';

const FEATURES: Record<string, Families> = {
  articles: articleFamilies,
  claims: claimFamilies,
  'fact-checks': factCheckFamilies,
  'rating-scale': ratingScaleFamilies,
  users: userFamilies,
  access: accessFamilies,
  'desk-statistics': deskStatisticsFamilies,
  webhooks: webhookFamilies,
  'change-feed': changeFeedFamilies,
  node: nodeFamilies,
  claimants: claimantFamilies,
  topics: topicFamilies,
  'correction-requests': correctionRequestFamilies,
  organization: organizationFamilies,
  corrections: correctionsFamilies,
  'external-fact-checks': externalFactCheckFamilies,
  scheduling: schedulingFamilies,
  'external-imports': externalImportsFamilies,
  'external-sources': externalSourceFamilies,
};

/**
 * The order of the families. Each family's test is seeded with FUZZ_SEED + its index here, and the
 * interleaved test draws from the families in this order: a new family goes at the end, so that the
 * others replay as before.
 */
const ORDER = [
  'ingestArticle',
  'createClaim',
  'updateClaim',
  'assignClaim',
  'withdrawAssignment',
  'addEvidence',
  'submitVerdict',
  'addClaimAppearance',
  'publishFactCheck',
  'setRatingScale',
  'ratingScale',
  'dismissClaim',
  'reopenClaim',
  'bulkAssignClaims',
  'bulkDismissClaims',
  'createUser',
  'issueApiToken',
  'updateUser',
  'revokeApiToken',
  'node',
  'claim',
  'claims',
  'articles',
  'users',
  'myAssignments',
  'factChecks',
  'deskStatistics',
  'createWebhookEndpoint',
  'updateWebhookEndpoint',
  'rotateWebhookSecret',
  'deleteWebhookEndpoint',
  'redeliverWebhook',
  'webhookEndpoints',
  'factCheckChanges',
  'createClaimant',
  'updateClaimant',
  'mergeClaimants',
  'claimant',
  'claimants',
  'createTopic',
  'setClaimTopics',
  'topics',
  'requestCorrection',
  'resolveCorrectionRequest',
  'correctionRequests',
  'setOrganization',
  'organization',
  'corrections',
  'externalFactChecks',
  'cancelScheduledPublication',
  'importExternalFactChecks',
  'setExternalRatingRules',
  'externalRatingRules',
  'createExternalSource',
  'updateExternalSource',
  'deleteExternalSource',
  'fetchExternalSource',
  'externalSources',
] as const;

function collect(): FuzzFamily[] {
  const byField = new Map<string, FuzzFamily>();
  for (const [feature, families] of Object.entries(FEATURES))
    for (const [field, family] of Object.entries(families)) {
      if (byField.has(field)) throw new Error(`Two features fuzz ${field} (the second: ${feature})`);
      byField.set(field, { field, ...family });
    }
  const unordered = [...byField.keys()].filter((field) => !(ORDER as readonly string[]).includes(field));
  const missing = ORDER.filter((field) => !byField.has(field));
  if (unordered.length || missing.length || new Set(ORDER).size !== ORDER.length)
    throw new Error(`ORDER must list each family once: not listed ${unordered.join(', ') || 'none'}; without a family ${missing.join(', ') || 'none'}`);
  return ORDER.map((field) => byField.get(field)!);
}

/** Every family, in ORDER. */
export const FAMILIES: readonly FuzzFamily[] = collect();

/** The family that exercises a root field. */
export function familyOf(field: (typeof ORDER)[number]): FuzzFamily {
  return FAMILIES.find((family) => family.field === field)!;
}

/** The GraphQL root fields (Query and Mutation fields) that some family exercises. */
export const fuzzedOperations = (): Set<string> => new Set(FAMILIES.map((family) => family.field));

/**
 * Root fields that no family exercises, and why. The coverage test in fuzz.test.ts fails when a root
 * field is neither fuzzed nor listed here, when a field listed here is fuzzed after all, and when it
 * is no root field of the schema.
 *
 * The three reads below are simple to fuzz (an ID from the `article` or `factCheck` pool, or no
 * variables), but a new family takes its share of FUZZ_RUNS from every other family and joins the
 * interleaved test, so every family's cases would change. They were left out of the change that
 * split the families by feature, which replays exactly the cases it had before; fuzz them in a
 * change of their own.
 */
export const NOT_FUZZED: Record<string, string> = {
  article: 'not fuzzed yet: a new family changes every family’s runs (see above); node(id) fuzzes article IDs',
  factCheck: 'not fuzzed yet: a new family changes every family’s runs (see above); node(id) fuzzes fact-check IDs',
  viewer: 'not fuzzed yet: a new family changes every family’s runs (see above); it takes no arguments, only the principal varies',
};
