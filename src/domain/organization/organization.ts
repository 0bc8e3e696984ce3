/**
 * Reading and setting the organisation's profile. It is read per request through the request's
 * loaders (one small row, once per request, whatever a page holds), never cached in the process:
 * a change reaches every process's next answer at once.
 */
import { z } from 'zod';
import type { Database } from '../../db/connection.js';
import type { Loaders } from '../../db/loaders.js';
import { organization } from '../../db/schema.js';
import { httpUrl, LIMITS, parseInput, requiredText } from '../validation.js';
import { ADMINS, EVERYONE, requireRole, type Viewer } from '../viewer.js';
import { POLICY_FIELDS, profileOf, type OrganizationDefaults, type OrganizationProfile } from './profile.js';

export type { OrganizationDefaults, OrganizationProfile };

/** The profile in force, from the request's loaders (ClaimReview, the public pages, claims:search, payloads). */
export async function organizationProfile(loaders: Loaders, defaults: OrganizationDefaults): Promise<OrganizationProfile> {
  return profileOf(await loaders.organization(), defaults);
}

/** Query.organization: every role. */
export async function getOrganization(loaders: Loaders, viewer: Viewer | null, defaults: OrganizationDefaults): Promise<OrganizationProfile> {
  requireRole(viewer, EVERYONE);
  return organizationProfile(loaders, defaults);
}

const optionalUrl = httpUrl.nullish().transform((v) => v ?? null);
const profileInput = z.object({
  name: requiredText(LIMITS.name).transform((s) => s.trim()),
  url: httpUrl,
  logo: optionalUrl,
  ...(Object.fromEntries(POLICY_FIELDS.map((f) => [f, optionalUrl])) as Record<(typeof POLICY_FIELDS)[number], typeof optionalUrl>),
});
export type SetOrganizationInput = z.input<typeof profileInput>;

/**
 * Replaces the profile (admins): every field as given, a left-out or null optional one cleared.
 * One statement (an upsert of the single row); it sends no event: partners re-read `organization`,
 * and every ClaimReview rendered from then on carries it.
 */
export async function setOrganization(db: Database, viewer: Viewer | null, input: SetOrganizationInput): Promise<OrganizationProfile> {
  const admin = requireRole(viewer, ADMINS);
  const profile = parseInput(profileInput, input);
  const values = { ...profile, updatedBy: admin.id, updatedAt: new Date() };
  const [row] = await db
    .insert(organization)
    .values({ singleton: true, ...values })
    .onConflictDoUpdate({ target: organization.singleton, set: values })
    .returning();
  return profileOf(row, { orgName: profile.name, orgUrl: profile.url });
}
