/** Fuzzed operations on the organisation's profile (src/domain/organization/): setting it, and reading it. */
import fc from 'fast-check';
import { LIMITS } from '../../../src/domain/validation.js';
import { input } from '../fuzz/arbitraries.js';
import { ADMINS, ADMINS_MOSTLY, EVERYONE, from, type Families } from '../fuzz/family.js';
import { text, url } from '../hostile-input.js';

const PROFILE = 'name url logo correctionsPolicy verificationFactCheckingPolicy ownershipFundingInfo ethicsPolicy publishingPrinciples';
/** An optional URL: mostly left out or null (which clears it), else a URL, mostly a good one. */
const optionalUrl = fc.oneof({ weight: 1, arbitrary: fc.constantFrom(undefined, null) }, { weight: 2, arbitrary: url });

/** A profile as answered: a name that is trimmed and not empty, and http(s) URLs. */
function profileHolds(profile: Record<string, string | null> | undefined): string[] {
  if (!profile) return [];
  const problems: string[] = [];
  if (!profile.name || profile.name !== profile.name.trim()) problems.push(`an organisation named ${JSON.stringify(profile.name)}`);
  for (const [field, value] of Object.entries(profile))
    if (field !== 'name' && value !== null && !/^https?:\/\//i.test(value)) problems.push(`${field} ${JSON.stringify(value).slice(0, 80)} is no http(s) URL`);
  return problems;
}

/** Organisation families, keyed by root field. */
export const organizationFamilies = {
  setOrganization: {
    weight: 1,
    document: `mutation($i: SetOrganizationInput!) { setOrganization(input: $i) { organization { ${PROFILE} } } }`,
    roles: ADMINS,
    principal: ADMINS_MOSTLY,
    variables: input({
      name: text(LIMITS.name),
      url,
      logo: optionalUrl,
      correctionsPolicy: optionalUrl,
      verificationFactCheckingPolicy: optionalUrl,
      ownershipFundingInfo: optionalUrl,
      ethicsPolicy: optionalUrl,
      publishingPrinciples: optionalUrl,
    }),
    check: (_principal, data) => profileHolds(data.setOrganization?.organization),
  },
  organization: {
    weight: 1,
    document: `{ organization { ${PROFILE} } }`,
    roles: EVERYONE,
    principal: from({ partner: 3, editor: 2 }),
    variables: fc.constant({}),
    check: (_principal, data) => profileHolds(data.organization),
  },
} satisfies Families;
