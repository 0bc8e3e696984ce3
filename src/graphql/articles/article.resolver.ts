import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ArticleRecord } from '../../domain/records.js';
import { getArticle, ingestArticle, listArticles } from '../../domain/articles/articles.js';
import { listArticleClaims } from '../../domain/claims/queries.js';
import { fromGlobalId, toGlobalId } from '../../domain/global-ids.js';
import { suggestionsForArticle } from '../../domain/suggestions/for-article.js';
import { ClaimConnection } from '../claims/claim.type.js';
import { toConnection } from '../core/connection.type.js';
import { PageArgs } from '../core/page.args.js';
import type { Context } from '../core/resolver-context.js';
import { IngestArticleInput } from './article.inputs.js';
import { IngestArticlePayload } from './article.payloads.js';
import { Article, ArticleConnection, ClaimSuggestion } from './article.type.js';

@Resolver(() => Article)
export class ArticleResolver {
  @FieldResolver(() => ID, { description: 'Globally unique, opaque identifier (a Node ID).' })
  id(@Root() article: ArticleRecord) {
    return toGlobalId('Article', article.id);
  }

  @FieldResolver(() => String, { description: 'Full text; claim spans index into it.' })
  body(@Root() article: ArticleRecord, @Ctx() ctx: Context) {
    return article.body ?? ctx.loaders.articleBody.load(article.id);
  }

  @Query(() => Article, { nullable: true, description: 'One article (staff only).' })
  async article(@Arg('id', () => ID, { description: "The article's global ID." }) id: string, @Ctx() ctx: Context) {
    return getArticle(ctx.loaders, ctx.viewer, fromGlobalId(id, 'Article', 'id'));
  }

  @Query(() => ArticleConnection, { description: 'Articles, newest ingested first (staff only).' })
  async articles(@Ctx() ctx: Context, @Args() page: PageArgs) {
    return toConnection(await listArticles(ctx.db, ctx.viewer, page));
  }

  @FieldResolver(() => ClaimConnection, { description: 'Claims taken from this article (staff only).' })
  async claims(@Root() article: ArticleRecord, @Ctx() ctx: Context, @Args() page: PageArgs) {
    return toConnection(await listArticleClaims(ctx.db, ctx.loaders, ctx.viewer, article.id, page));
  }

  @FieldResolver(() => [ClaimSuggestion], { description: 'Check-worthy sentences of the body that are not claims yet, best first (staff only).' })
  async claimSuggestions(
    @Root() article: ArticleRecord,
    @Ctx() ctx: Context,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 10, description: 'How many sentences to return, best first.' }) limit?: number | null,
  ) {
    return suggestionsForArticle(ctx.loaders, ctx.viewer, article, limit);
  }

  @Mutation(() => IngestArticlePayload, { description: 'Store a source article (editors).' })
  async ingestArticle(@Arg('input', { description: 'What to do; see IngestArticleInput.' }) input: IngestArticleInput, @Ctx() ctx: Context) {
    return ingestArticle(ctx.db, ctx.viewer, input);
  }
}
