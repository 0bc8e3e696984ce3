import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ClaimRecord, FactCheckRecord, TopicRow, WebhookEndpointRow } from '../../domain/records.js';
import { listFactChecks } from '../../domain/fact-checks/queries.js';
import { fromGlobalId, fromGlobalIds, toGlobalId } from '../../domain/global-ids.js';
import { setClaimTopics } from '../../domain/topics/claim-topics.js';
import { createTopic, listTopics } from '../../domain/topics/topics.js';
import { Claim } from '../claims/claim.type.js';
import { toConnection } from '../core/connection.type.js';
import { PageArgs } from '../core/page.args.js';
import type { Context } from '../core/resolver-context.js';
import { FactCheck, FactCheckConnection } from '../fact-checks/fact-check.type.js';
import { WebhookEndpoint } from '../webhooks/webhook.type.js';
import { CreateTopicInput, SetClaimTopicsInput } from './topic.inputs.js';
import { CreateTopicPayload, SetClaimTopicsPayload } from './topic.payloads.js';
import { Topic, TopicConnection } from './topic.type.js';

@Resolver(() => Topic)
export class TopicResolver {
  @FieldResolver(() => ID, { description: 'Globally unique, opaque identifier (a Node ID).' })
  id(@Root() topic: TopicRow) {
    return toGlobalId('Topic', topic.id);
  }

  @FieldResolver(() => FactCheckConnection, { description: 'Published fact checks filed under it, newest first (retracted ones never).' })
  async factChecks(@Root() topic: TopicRow, @Ctx() ctx: Context, @Args() page: PageArgs) {
    return toConnection(await listFactChecks(ctx.db, ctx.viewer, { ...page, filter: { topicIds: [topic.id] } }));
  }

  @Query(() => TopicConnection, {
    description: 'Topics by name (every role): with `search`, the names that match it, case and accents ignored, best match first.',
  })
  async topics(
    @Ctx() ctx: Context,
    @Arg('search', () => String, {
      nullable: true,
      description: 'Words of the name: the exact name first, then names starting with it, names with a word starting with it, then near spellings.',
    })
    search: string | null | undefined,
    @Args() page: PageArgs,
  ) {
    return toConnection(await listTopics(ctx.db, ctx.viewer, { ...page, search }));
  }

  @Mutation(() => CreateTopicPayload, { description: 'Add a topic (editors and admins); topics are never renamed.' })
  async createTopic(@Arg('input', { description: 'What to do; see CreateTopicInput.' }) input: CreateTopicInput, @Ctx() ctx: Context) {
    return { topic: await createTopic(ctx.db, ctx.viewer, input) };
  }

  @Mutation(() => SetClaimTopicsPayload, {
    description:
      'Replace the topics a claim is filed under (editors, and reviewers assigned to it); in any status but DISMISSED.\nOn a claim with a published fact check it updates the fact check (updatedAt, ClaimReview `about`) without a correction.',
  })
  async setClaimTopics(@Arg('input', { description: 'What to do; see SetClaimTopicsInput.' }) input: SetClaimTopicsInput, @Ctx() ctx: Context) {
    const claim = await setClaimTopics(ctx.db, ctx.viewer, {
      ...input,
      claimId: fromGlobalId(input.claimId, 'Claim', 'claimId'),
      topicIds: fromGlobalIds(input.topicIds, 'Topic', 'topicIds'),
    });
    ctx.loaders.claim.prime(claim.id, claim);
    return { claim };
  }
}

/** Claim.topics: the topics the claim is filed under, by name (one batched statement per request). */
@Resolver(() => Claim)
export class ClaimTopicsResolver {
  @FieldResolver(() => [Topic], { description: 'The topics the desk filed the claim under, by name.' })
  topics(@Root() claim: ClaimRecord, @Ctx() ctx: Context) {
    return ctx.loaders.topicsByClaim.load(claim.id);
  }
}

/** FactCheck.topics: its claim's topics, by name. */
@Resolver(() => FactCheck)
export class FactCheckTopicsResolver {
  @FieldResolver(() => [Topic], { description: 'The topics of its claim, by name.' })
  topics(@Root() factCheck: FactCheckRecord, @Ctx() ctx: Context) {
    return ctx.loaders.topicsByClaim.load(factCheck.claimId);
  }
}

/** WebhookEndpoint.topics: the topics it follows, by name. */
@Resolver(() => WebhookEndpoint)
export class WebhookEndpointTopicsResolver {
  @FieldResolver(() => [Topic], { description: 'Topics it follows: fact_check.* events only for fact checks filed under one of them; empty: all.' })
  async topics(@Root() endpoint: WebhookEndpointRow, @Ctx() ctx: Context) {
    const rows = await ctx.loaders.topic.loadMany(endpoint.topicIds);
    return rows
      .filter((row): row is TopicRow => row != null && !(row instanceof Error))
      .sort((a, b) => (a.nameKey < b.nameKey ? -1 : a.nameKey > b.nameKey ? 1 : a.id < b.id ? -1 : 1));
  }
}
