/** GraphQL types of the public corrections log (contract v3: "Corrections and transparency"). */
import { Field, ObjectType } from 'type-graphql';
import { Connection } from '../core/connection.type.js';
import { CorrectionLogKind, Rating } from '../core/enums.js';
import { DateTimeScalar } from '../core/scalars.js';

/** Scalar fields only; the fact check and its URL are field resolvers (correction-log.resolver.ts). */
@ObjectType({ simpleResolvers: true, description: 'One entry of the public corrections log.' })
export class CorrectionLogEntry {
  @Field(() => DateTimeScalar, { description: 'When it happened.' }) at!: Date;
  @Field(() => CorrectionLogKind, { description: 'Correction or retraction.' }) kind!: CorrectionLogKind;
  @Field({ description: 'The correction note, or the retraction’s public note (never the internal reason of the dismissal).' }) note!: string;
  @Field(() => Rating, { description: 'The rating before.' }) previousRating!: Rating;
  @Field({ description: 'The desk’s name for the rating before.' }) previousTextualRating!: string;
  @Field(() => Rating, { nullable: true, description: 'The rating after a correction; null for a retraction.' }) rating!: Rating | null;
  @Field(() => String, { nullable: true, description: 'The desk’s name for the rating after a correction; null for a retraction.' })
  textualRating!: string | null;
}

export const CorrectionLogConnection = Connection('CorrectionLog', CorrectionLogEntry, 'How many entries there are.');
