import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { EvidenceRow } from '../db/schema.js';
import { addEvidence } from '../domain/claims/reviewer-actions.js';
import { fromGlobalId, toGlobalId } from '../domain/global-ids.js';
import type { Context } from './context.js';
import { AddEvidenceInput } from './inputs.js';
import { loaded } from './loaded.js';
import { AddEvidencePayload } from './payloads.js';
import { Claim, Evidence, User } from './types.js';

@Resolver(() => Evidence)
export class EvidenceResolver {
  @FieldResolver(() => ID, { description: 'Globally unique, opaque identifier (a Node ID).' })
  id(@Root() evidence: EvidenceRow) {
    return toGlobalId('Evidence', evidence.id);
  }

  @FieldResolver(() => Claim, { description: 'The claim it bears on.' })
  async claim(@Root() evidence: EvidenceRow, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.claim.load(evidence.claimId), 'claim');
  }

  @FieldResolver(() => User, { description: 'Who added it.' })
  async addedBy(@Root() evidence: EvidenceRow, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.user.load(evidence.addedBy), 'author of evidence');
  }

  @Mutation(() => AddEvidencePayload, { description: 'Add evidence to a claim (editors, and reviewers assigned to it).' })
  async addEvidence(@Arg('input', { description: 'What to do; see AddEvidenceInput.' }) input: AddEvidenceInput, @Ctx() ctx: Context) {
    const { evidence, claim } = await addEvidence(ctx.db, ctx.viewer, { ...input, claimId: fromGlobalId(input.claimId, 'Claim', 'claimId') });
    ctx.loaders.claim.prime(claim.id, claim); // committed: the payload should not need the database again
    return { evidence };
  }
}
