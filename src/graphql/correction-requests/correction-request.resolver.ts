import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { listCorrectionRequests, requestFactCheck, requestResolverId } from '../../domain/correction-requests/queries.js';
import { requestCorrection, resolveCorrectionRequest } from '../../domain/correction-requests/requests.js';
import { fromGlobalId, toGlobalId } from '../../domain/global-ids.js';
import type { CorrectionRequestRow } from '../../domain/records.js';
import { User } from '../access/user.type.js';
import { toConnection } from '../core/connection.type.js';
import { CorrectionRequestState } from '../core/enums.js';
import { loaded } from '../core/loaded.js';
import { PageArgs } from '../core/page.args.js';
import type { Context } from '../core/resolver-context.js';
import { FactCheck } from '../fact-checks/fact-check.type.js';
import { RequestCorrectionInput, ResolveCorrectionRequestInput } from './correction-request.inputs.js';
import { RequestCorrectionPayload, ResolveCorrectionRequestPayload } from './correction-request.payloads.js';
import { CorrectionRequest, CorrectionRequestConnection } from './correction-request.type.js';

@Resolver(() => CorrectionRequest)
export class CorrectionRequestResolver {
  @FieldResolver(() => ID, { description: 'Globally unique, opaque identifier (a Node ID).' })
  id(@Root() request: CorrectionRequestRow) {
    return toGlobalId('CorrectionRequest', request.id);
  }

  @FieldResolver(() => FactCheck, { nullable: true, description: 'The fact check it is about (null if it has since been retracted).' })
  factCheck(@Root() request: CorrectionRequestRow, @Ctx() ctx: Context) {
    return requestFactCheck(ctx.loaders, request);
  }

  @FieldResolver(() => User, { description: 'Who filed it.' })
  async requestedBy(@Root() request: CorrectionRequestRow, @Ctx() ctx: Context) {
    // Whoever sees the request may see its requester: editors and admins see every user, the others are the requester.
    return loaded(await ctx.loaders.user.load(request.requestedBy), 'requestedBy');
  }

  @FieldResolver(() => User, {
    nullable: true,
    description: 'The editor who resolved it (editors and admins; null for others, not FORBIDDEN, since they may read the request).',
  })
  resolvedBy(@Root() request: CorrectionRequestRow, @Ctx() ctx: Context) {
    const userId = requestResolverId(ctx.viewer, request);
    return userId ? ctx.loaders.user.load(userId) : null;
  }

  @Query(() => CorrectionRequestConnection, {
    description: 'Requests to correct published fact checks, newest first: every request for editors and admins, their own for partners and reviewers.',
  })
  async correctionRequests(
    @Ctx() ctx: Context,
    @Arg('state', () => CorrectionRequestState, { nullable: true, description: 'Only requests in this state.' })
    state: CorrectionRequestState | null | undefined,
    @Args() page: PageArgs,
  ) {
    return toConnection(await listCorrectionRequests(ctx.db, ctx.viewer, { ...page, state }));
  }

  @Mutation(() => RequestCorrectionPayload, {
    description: "Ask the desk to correct a published fact check, e.g. for a content owner's appeal (partners, reviewers, editors and admins).",
  })
  async requestCorrection(@Arg('input', { description: 'What to do; see RequestCorrectionInput.' }) input: RequestCorrectionInput, @Ctx() ctx: Context) {
    const correctionRequest = await requestCorrection(ctx.db, ctx.viewer, {
      ...input,
      factCheckId: fromGlobalId(input.factCheckId, 'FactCheck', 'factCheckId'),
    });
    return { correctionRequest };
  }

  @Mutation(() => ResolveCorrectionRequestPayload, {
    description:
      "Accept or decline a correction request (editors and admins), once: a request already answered is CONFLICT. Accepting does not change the fact check; the requester's endpoints and staff endpoints hear correction_request.resolved.",
  })
  async resolveCorrectionRequest(
    @Arg('input', { description: 'What to do; see ResolveCorrectionRequestInput.' }) input: ResolveCorrectionRequestInput,
    @Ctx() ctx: Context,
  ) {
    const correctionRequest = await resolveCorrectionRequest(ctx.db, ctx.viewer, {
      ...input,
      requestId: fromGlobalId(input.requestId, 'CorrectionRequest', 'requestId'),
    });
    return { correctionRequest };
  }
}
