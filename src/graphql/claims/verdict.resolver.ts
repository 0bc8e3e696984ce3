import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { VerdictRecord } from '../../domain/records.js';
import { submitVerdict } from '../../domain/claims/reviewer-actions.js';
import { fromGlobalId, fromGlobalIds, toGlobalId } from '../../domain/global-ids.js';
import { loaded } from '../core/loaded.js';
import type { Context } from '../core/resolver-context.js';
import { User } from '../access/user.type.js';
import { Claim } from './claim.type.js';
import { Evidence } from './evidence.type.js';
import { SubmitVerdictInput } from './verdict.inputs.js';
import { SubmitVerdictPayload } from './verdict.payloads.js';
import { Verdict } from './verdict.type.js';

@Resolver(() => Verdict)
export class VerdictResolver {
  @FieldResolver(() => ID, { description: 'Globally unique, opaque identifier (a Node ID).' })
  id(@Root() verdict: VerdictRecord) {
    return toGlobalId('Verdict', verdict.id);
  }

  @FieldResolver(() => Claim, { description: 'The claim judged.' })
  async claim(@Root() verdict: VerdictRecord, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.claim.load(verdict.claimId), 'claim');
  }

  @FieldResolver(() => User, { description: 'The reviewer.' })
  reviewer(@Root() verdict: VerdictRecord, @Ctx() ctx: Context) {
    return verdict.fetched?.reviewer ?? ctx.loaders.user.load(verdict.reviewerId).then((user) => loaded(user, 'reviewer'));
  }

  @FieldResolver(() => [Evidence], { description: 'Evidence the reviewer relied on.' })
  citedEvidence(@Root() verdict: VerdictRecord, @Ctx() ctx: Context) {
    return ctx.loaders.citedEvidenceByVerdict.load(verdict.id);
  }

  @Mutation(() => SubmitVerdictPayload, { description: "Submit the viewer's verdict on a claim assigned to them (reviewers)." })
  async submitVerdict(@Arg('input', { description: 'What to do; see SubmitVerdictInput.' }) input: SubmitVerdictInput, @Ctx() ctx: Context) {
    return submitVerdict(ctx.db, ctx.viewer, {
      ...input,
      claimId: fromGlobalId(input.claimId, 'Claim', 'claimId'),
      evidenceIds: fromGlobalIds(input.evidenceIds ?? [], 'Evidence', 'evidenceIds'),
    });
  }
}
