import { Field, InputType } from 'type-graphql';
import { DateTimeScalar, URLScalar } from '../core/scalars.js';

type Maybe<T> = T | null | undefined;

@InputType({ description: 'Input of ingestArticle.' })
export class IngestArticleInput {
  @Field(() => URLScalar, { description: 'Canonical URL; ingesting the same URL and body again returns the existing article.' }) url!: string;
  @Field({ description: 'Headline or title.' }) title!: string;
  @Field({ description: 'Full text.' }) body!: string;
  @Field(() => String, { nullable: true, description: 'Outlet or organisation.' }) publisher?: Maybe<string>;
  @Field(() => String, { nullable: true, description: 'Byline.' }) author?: Maybe<string>;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was published.' }) publishedAt?: Maybe<Date>;
  @Field(() => String, { nullable: true, defaultValue: 'en', description: 'BCP-47 language tag.' }) language?: Maybe<string>;
}
