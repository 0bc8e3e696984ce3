import { Field, Int, ObjectType } from 'type-graphql';
import { Connection } from '../core/connection.type.js';
import { ClaimantKind } from '../core/enums.js';
import { Node } from '../core/node.type.js';
import { DateTimeScalar, URLScalar } from '../core/scalars.js';
import { RatingCount } from '../desk-statistics/desk-statistics.type.js';

@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description: 'A person or organisation that makes claims. Public, like the fact checks of their claims.',
})
export class Claimant extends Node {
  @Field({ description: 'The name the desk uses.' }) name!: string;
  @Field(() => ClaimantKind, { description: 'Person or organisation.' }) kind!: ClaimantKind;
  @Field(() => [String], { description: 'Other names it is known by; claimants(search:) matches them too.' }) aliases!: string[];
  @Field(() => String, { nullable: true, description: 'Its Wikidata item, e.g. "Q22686"; unique among claimants.' }) wikidataId!: string | null;
  @Field(() => URLScalar, { nullable: true, description: 'Its own site or official page.' }) website!: string | null;
  @Field(() => String, { nullable: true, description: 'One line on who it is, e.g. "US Secretary of State 2021–2025".' }) description!: string | null;
  @Field(() => DateTimeScalar, { description: 'When it was added.' }) createdAt!: Date;
  @Field(() => DateTimeScalar, { description: 'When it last changed.' }) updatedAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: "A claimant's published fact checks, counted by rating." })
export class ClaimantRecord {
  @Field(() => Int, { description: 'Published fact checks of its claims (retracted never; a corrected one by its current rating).' }) factChecks!: number;
  @Field(() => [RatingCount], { description: 'How many have each rating; ratings with none are left out.' }) byRating!: RatingCount[];
  @Field({ description: 'How the record is counted, in words a reader understands (it is not a measure of honesty).' }) method!: string;
}

export const ClaimantConnection = Connection('Claimant', Claimant, 'How many match, on every page.');
