/** Scheduled publication as a client does it (docs/design.md, "Scheduled publication"). */
import { ok, type TestApp } from '../app.js';
import type { Desk } from '../factories.js';

export const S = {
  publish: `mutation($i: PublishFactCheckInput!) { publishFactCheck(input: $i) {
    claim { id status version factCheck { id } scheduledPublication { publishAt factCheckId url rating textualRating summary scheduledBy { name } } }
    factCheck { id url rating textualRating summary publishedAt updatedAt claimReview topics { name } speaker { name } appearances { url } corrections { note } } } }`,
  cancel:
    'mutation($i: CancelScheduledPublicationInput!) { cancelScheduledPublication(input: $i) { claim { id status version scheduledPublication { publishAt } } } }',
  claim: `query($id: ID!) { claim(id: $id) { id status version factCheck { id publishedAt }
    scheduledPublication { publishAt factCheckId url rating textualRating summary scheduledBy { name } }
    history { type fromStatus toStatus note version actor { name } } } }`,
  factCheck: 'query($id: ID!) { factCheck(id: $id) { id summary publishedAt } }',
  node: 'query($id: ID!) { node(id: $id) { id } }',
  updateUser: 'mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { id role embargoAccess } } }',
};

export interface Scheduled {
  claim: { id: string; status: string; version: number; factCheck: null; scheduledPublication: any };
  factCheck: { id: string; url: string; summary: string; publishedAt: string; updatedAt: string; claimReview: any; [k: string]: any };
}

/** Schedules (or publishes, when `publishAt` is null or past) the claim's fact check as the desk's editor. */
export async function schedule(app: TestApp, desk: Desk, claimId: string, publishAt: Date | string | null, extra: Record<string, unknown> = {}) {
  const at = publishAt instanceof Date ? publishAt.toISOString() : publishAt;
  return ok(await app.gql(S.publish, { i: { claimId, rating: 'FALSE', summary: 'Scheduled: no evidence.', publishAt: at, ...extra } }, desk.editor.token))
    .publishFactCheck as Scheduled;
}

export async function setEmbargoAccess(app: TestApp, desk: Desk, userGlobalId: string, embargoAccess: boolean) {
  return ok(await app.gql(S.updateUser, { i: { userId: userGlobalId, embargoAccess } }, desk.admin.token)).updateUser.user;
}

export const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000);
