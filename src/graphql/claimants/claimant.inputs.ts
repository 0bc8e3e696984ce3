import { Field, ID, InputType } from 'type-graphql';
import { ClaimantKind } from '../core/enums.js';
import { URLScalar } from '../core/scalars.js';

type Maybe<T> = T | null | undefined;

@InputType({ description: 'A new claimant.' })
export class CreateClaimantInput {
  @Field({ description: 'The name the desk uses, 1..200 characters.' }) name!: string;
  @Field(() => ClaimantKind, { description: 'Person or organisation.' }) kind!: ClaimantKind;
  @Field(() => [String], { nullable: true, description: 'Other names, at most 20, each 1..200 characters.' }) aliases?: Maybe<string[]>;
  @Field(() => String, { nullable: true, description: 'Wikidata item ID ("Q" and digits); another claimant with it is CONFLICT.' }) wikidataId?: Maybe<string>;
  @Field(() => URLScalar, { nullable: true, description: 'Its own site.' }) website?: Maybe<string>;
  @Field(() => String, { nullable: true, description: 'One line on who it is, at most 500 characters.' }) description?: Maybe<string>;
}

@InputType({ description: 'What updateClaimant changes; fields left out stay as they are, null clears an optional one.' })
export class UpdateClaimantInput {
  @Field(() => ID, { description: 'The claimant.' }) claimantId!: string;
  @Field(() => String, { nullable: true, description: 'New name.' }) name?: Maybe<string>;
  @Field(() => ClaimantKind, { nullable: true, description: 'New kind.' }) kind?: Maybe<ClaimantKind>;
  @Field(() => [String], { nullable: true, description: 'New aliases (the whole list).' }) aliases?: Maybe<string[]>;
  @Field(() => String, { nullable: true, description: 'New Wikidata item ID.' }) wikidataId?: Maybe<string>;
  @Field(() => URLScalar, { nullable: true, description: 'New site.' }) website?: Maybe<string>;
  @Field(() => String, { nullable: true, description: 'New description.' }) description?: Maybe<string>;
}

@InputType({ description: 'Merge a duplicate into the claimant to keep.' })
export class MergeClaimantsInput {
  @Field(() => ID, { description: "The duplicate; it disappears, and its ID leads to the target from then on. Its claims' `claimant` text stays as written." })
  sourceId!: string;
  @Field(() => ID, { description: "The claimant to keep; it also takes the duplicate's name and aliases as aliases." }) targetId!: string;
}
