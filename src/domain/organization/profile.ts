/**
 * The organisation's public profile as readers see it (pure): the stored row, or ORG_NAME and
 * ORG_URL until an admin sets one, and the same profile as schema.org Organization, which is
 * ClaimReview's `author` (docs/design.md, Corrections and transparency).
 */

/** Where the desk publishes its policies: schema.org's names, which the GraphQL fields share. */
export const POLICY_FIELDS = ['correctionsPolicy', 'verificationFactCheckingPolicy', 'ownershipFundingInfo', 'ethicsPolicy', 'publishingPrinciples'] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];

export type OrganizationProfile = { name: string; url: string; logo: string | null } & Record<PolicyField, string | null>;

/** What the process was configured with (ClaimReviewSettings carries them). */
export interface OrganizationDefaults {
  orgName: string;
  orgUrl: string;
}

/** The stored profile (null: none set yet, so ORG_NAME and ORG_URL with nothing else). */
export function profileOf(row: OrganizationProfile | null | undefined, defaults: OrganizationDefaults): OrganizationProfile {
  if (row) {
    const { name, url, logo } = row;
    return { name, url, logo, ...(Object.fromEntries(POLICY_FIELDS.map((f) => [f, row[f]])) as Record<PolicyField, string | null>) };
  }
  return {
    name: defaults.orgName,
    url: defaults.orgUrl,
    logo: null,
    ...(Object.fromEntries(POLICY_FIELDS.map((f) => [f, null])) as Record<PolicyField, string | null>),
  };
}

/** The profile as schema.org Organization: name, url, and each of logo and the policies that is set. */
export function organizationThing(profile: OrganizationProfile): Record<string, unknown> {
  const thing: Record<string, unknown> = { '@type': 'Organization', name: profile.name, url: profile.url };
  if (profile.logo) thing.logo = profile.logo;
  for (const field of POLICY_FIELDS) if (profile[field]) thing[field] = profile[field];
  return thing;
}
