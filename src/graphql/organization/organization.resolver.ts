import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { getOrganization, setOrganization } from '../../domain/organization/organization.js';
import type { Context } from '../core/resolver-context.js';
import { SetOrganizationInput } from './organization.inputs.js';
import { SetOrganizationPayload } from './organization.payloads.js';
import { Organization } from './organization.type.js';

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => Organization, { description: "The desk's organisation as readers see it (every role); ClaimReview's author." })
  organization(@Ctx() ctx: Context) {
    return getOrganization(ctx.loaders, ctx.viewer, ctx.site);
  }

  @Mutation(() => SetOrganizationPayload, {
    description: "Set the organisation's public profile (admins). Every ClaimReview shows it from then on; no per-fact-check event is sent.",
  })
  async setOrganization(@Arg('input', { description: 'What to do; see SetOrganizationInput.' }) input: SetOrganizationInput, @Ctx() ctx: Context) {
    return { organization: await setOrganization(ctx.db, ctx.viewer, input) };
  }
}
