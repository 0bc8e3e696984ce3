import { Field, ObjectType } from 'type-graphql';
import { Article } from './article.type.js';

@ObjectType({ simpleResolvers: true, description: 'Result of ingestArticle.' })
export class IngestArticlePayload {
  @Field(() => Article, { description: 'The article.' }) article!: Article;
  @Field({ description: 'False when an identical article was already there.' }) created!: boolean;
}
