import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ArticleRecord } from '../db/loaders.js';
import { ingestArticle, listArticles } from '../domain/articles.js';
import { listArticleClaims } from '../domain/claims/queries.js';
import { STAFF, requireRole } from '../domain/viewer.js';
import type { Context } from './context.js';
import { toConnection } from './connection.js';
import { fromGlobalId, toGlobalId } from '../domain/global-ids.js';
import { IngestArticleInput } from './inputs.js';
import { IngestArticlePayload } from './payloads.js';
import { Article, ArticleConnection, ClaimConnection, ClaimSuggestion } from './types.js';
import { suggestionsForArticle } from '../domain/suggestions/for-article.js';

@Resolver(() => Article)
export class ArticleResolver {
  @FieldResolver(() => ID)
  id(@Root() article: ArticleRecord) {
    return toGlobalId('Article', article.id);
  }

  @FieldResolver(() => String, { description: 'Full text; claim spans index into it.' })
  body(@Root() article: ArticleRecord, @Ctx() ctx: Context) {
    return article.body ?? ctx.loaders.articleBody.load(article.id);
  }

  @Query(() => Article, { nullable: true, description: 'One article (staff only).' })
  async article(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    requireRole(ctx.viewer, STAFF);
    return ctx.loaders.article.load(fromGlobalId(id, 'Article', 'id'));
  }

  @Query(() => ArticleConnection, { description: 'Articles, newest ingested first (staff only).' })
  async articles(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return toConnection(await listArticles(ctx.db, ctx.viewer, { first, after }));
  }

  @FieldResolver(() => ClaimConnection, { description: 'Claims taken from this article (staff only).' })
  async claims(
    @Root() article: ArticleRecord,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return toConnection(await listArticleClaims(ctx.db, ctx.loaders, ctx.viewer, article.id, { first, after }));
  }

  @FieldResolver(() => [ClaimSuggestion], { description: 'Check-worthy sentences of the body that are not claims yet, best first (staff only).' })
  async claimSuggestions(@Root() article: ArticleRecord, @Ctx() ctx: Context, @Arg('limit', () => Int, { nullable: true, defaultValue: 10 }) limit?: number | null) {
    requireRole(ctx.viewer, STAFF);
    const [claims, body] = await Promise.all([ctx.loaders.claimsByArticle.load(article.id), article.body ?? ctx.loaders.articleBody.load(article.id)]);
    return suggestionsForArticle(ctx.viewer, { body, language: article.language }, claims.map((c) => ({ start: c.spanStart, end: c.spanEnd })), limit);
  }

  @Mutation(() => IngestArticlePayload, { description: 'Store a source article (editors).' })
  async ingestArticle(@Arg('input') input: IngestArticleInput, @Ctx() ctx: Context) {
    return ingestArticle(ctx.db, ctx.viewer, input);
  }
}
