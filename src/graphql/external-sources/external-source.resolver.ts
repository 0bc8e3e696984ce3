import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { fetchExternalSource } from '../../domain/external-sources/fetch-now.js';
import { factCheckCountOf } from '../../domain/external-sources/queries.js';
import { createExternalSource, deleteExternalSource, listExternalSources, updateExternalSource } from '../../domain/external-sources/sources.js';
import { fromGlobalId, toGlobalId } from '../../domain/global-ids.js';
import type { ExternalSourceRow } from '../../domain/records.js';
import { toConnection } from '../core/connection.type.js';
import { PageArgs } from '../core/page.args.js';
import type { Context } from '../core/resolver-context.js';
import { CreateExternalSourceInput, DeleteExternalSourceInput, FetchExternalSourceInput, UpdateExternalSourceInput } from './external-source.inputs.js';
import {
  CreateExternalSourcePayload,
  DeleteExternalSourcePayload,
  FetchExternalSourcePayload,
  UpdateExternalSourcePayload,
} from './external-source.payloads.js';
import { ExternalSource, ExternalSourceConnection } from './external-source.type.js';

const sourceId = (id: string) => fromGlobalId(id, 'ExternalSource', 'sourceId');

@Resolver(() => ExternalSource)
export class ExternalSourceResolver {
  @FieldResolver(() => ID, { description: 'Globally unique, opaque identifier.' })
  id(@Root() source: ExternalSourceRow) {
    return toGlobalId('ExternalSource', source.id);
  }

  @FieldResolver(() => Int, { description: 'External fact checks it has brought in.' })
  factCheckCount(@Root() source: ExternalSourceRow, @Ctx() ctx: Context) {
    return factCheckCountOf(ctx.loaders, source);
  }

  @Query(() => ExternalSourceConnection, { description: "Feeds of other publishers' fact checks (editors and admins)." })
  async externalSources(@Ctx() ctx: Context, @Args() page: PageArgs) {
    return toConnection(await listExternalSources(ctx.db, ctx.viewer, page));
  }

  @Mutation(() => CreateExternalSourcePayload, { description: "Register a feed of another publisher's fact checks, fetched on a schedule (editors)." })
  async createExternalSource(
    @Arg('input', { description: 'What to do; see CreateExternalSourceInput.' }) input: CreateExternalSourceInput,
    @Ctx() ctx: Context,
  ) {
    return { source: await createExternalSource(ctx.db, ctx.viewer, input, ctx.feeds.settings, ctx.feeds.settings.clock) };
  }

  @Mutation(() => UpdateExternalSourcePayload, { description: 'Change a feed (editors).' })
  async updateExternalSource(
    @Arg('input', { description: 'What to do; see UpdateExternalSourceInput.' }) input: UpdateExternalSourceInput,
    @Ctx() ctx: Context,
  ) {
    const changes = { ...input, sourceId: sourceId(input.sourceId) };
    return { source: await updateExternalSource(ctx.db, ctx.viewer, changes, ctx.feeds.settings, ctx.feeds.settings.clock) };
  }

  @Mutation(() => DeleteExternalSourcePayload, { description: 'Remove a feed; what it brought in stays (editors).' })
  async deleteExternalSource(
    @Arg('input', { description: 'What to do; see DeleteExternalSourceInput.' }) input: DeleteExternalSourceInput,
    @Ctx() ctx: Context,
  ) {
    const deleted = await deleteExternalSource(ctx.db, ctx.viewer, sourceId(input.sourceId));
    return { deletedSourceId: toGlobalId('ExternalSource', deleted) };
  }

  @Mutation(() => FetchExternalSourcePayload, { description: 'Fetch a feed now and answer when done (editors).' })
  async fetchExternalSource(@Arg('input', { description: 'What to do; see FetchExternalSourceInput.' }) input: FetchExternalSourceInput, @Ctx() ctx: Context) {
    return fetchExternalSource(ctx.db, ctx.viewer, ctx.feeds, sourceId(input.sourceId), ctx.signal);
  }
}
