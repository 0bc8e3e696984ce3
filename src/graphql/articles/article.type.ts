import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Connection } from '../core/connection.type.js';
import { Node } from '../core/node.type.js';
import { DateTimeScalar, URLScalar } from '../core/scalars.js';

@ObjectType({ simpleResolvers: true, description: 'A half-open range [start, end) of Unicode code points in an article body.' })
export class TextSpan {
  @Field(() => Int, { description: 'Offset of the first code point.' }) start!: number;
  @Field(() => Int, { description: 'Offset one past the last code point.' }) end!: number;
}

@ObjectType({ implements: Node, simpleResolvers: true, description: 'A published source (news article, statement, transcript) that claims are taken from.' })
export class Article extends Node {
  @Field(() => URLScalar, { description: 'Canonical URL of the source.' }) url!: string;
  @Field({ description: 'Headline or title.' }) title!: string;
  @Field(() => String, { nullable: true, description: 'Outlet or organisation that published it.' }) publisher!: string | null;
  @Field(() => String, { nullable: true, description: 'Byline.' }) author!: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the source was published.' }) publishedAt!: Date | null;
  @Field({ description: 'BCP-47 language tag of the body, e.g. en.' }) language!: string;
  @Field(() => DateTimeScalar, { description: 'When it was ingested.' }) ingestedAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: 'A sentence of an article that looks worth checking.' })
export class ClaimSuggestion {
  @Field({ description: 'The exact text of the span.' }) quote!: string;
  @Field(() => TextSpan, { description: 'Where it stands in the article body.' }) span!: TextSpan;
  @Field(() => Float, { description: 'Check-worthiness from 0 (not worth checking) to 1.' }) score!: number;
  @Field(() => [String], { description: 'Short, human-readable reasons for the score.' }) reasons!: string[];
}
export const ArticleConnection = Connection('Article', Article);
