import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { EvidenceRecord } from '../../domain/records.js';
import { addEvidence } from '../../domain/claims/reviewer-actions.js';
import { fromGlobalId, toGlobalId } from '../../domain/global-ids.js';
import { loaded } from '../core/loaded.js';
import type { Context } from '../core/resolver-context.js';
import { User } from '../access/user.type.js';
import { Claim } from './claim.type.js';
import { AddEvidenceInput } from './evidence.inputs.js';
import { AddEvidencePayload } from './evidence.payloads.js';
import { Evidence } from './evidence.type.js';

@Resolver(() => Evidence)
export class EvidenceResolver {
  @FieldResolver(() => ID, { description: 'Globally unique, opaque identifier (a Node ID).' })
  id(@Root() evidence: EvidenceRecord) {
    return toGlobalId('Evidence', evidence.id);
  }

  @FieldResolver(() => Claim, { description: 'The claim it bears on.' })
  async claim(@Root() evidence: EvidenceRecord, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.claim.load(evidence.claimId), 'claim');
  }

  @FieldResolver(() => User, { description: 'Who added it.' })
  addedBy(@Root() evidence: EvidenceRecord, @Ctx() ctx: Context) {
    return evidence.fetched?.addedBy ?? ctx.loaders.user.load(evidence.addedBy).then((user) => loaded(user, 'author of evidence'));
  }

  @Mutation(() => AddEvidencePayload, { description: 'Add evidence to a claim (editors, and reviewers assigned to it).' })
  async addEvidence(@Arg('input', { description: 'What to do; see AddEvidenceInput.' }) input: AddEvidenceInput, @Ctx() ctx: Context) {
    const { evidence, claim } = await addEvidence(ctx.db, ctx.viewer, { ...input, claimId: fromGlobalId(input.claimId, 'Claim', 'claimId') });
    ctx.loaders.claim.prime(claim.id, claim); // committed: the payload should not need the database again
    return { evidence };
  }
}
