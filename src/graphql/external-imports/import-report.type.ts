/** What an import did: the answer of importExternalFactChecks, POST /imports/claim-reviews and fetchExternalSource. */
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true, description: 'An item of a document that was not imported.' })
export class ImportSkip {
  @Field(() => Int, { description: "Its position among the document's reviews, from 0." }) index!: number;
  @Field(() => String, { nullable: true, description: 'Its review URL, if it had one.' }) reviewUrl!: string | null;
  @Field({ description: 'Why, e.g. "no reviewRating", "one of this desk\'s own fact checks".' }) reason!: string;
}

@ObjectType({ simpleResolvers: true, description: 'What an import did.' })
export class ImportReport {
  @Field(() => Int, { description: 'Reviews seen for the first time.' }) created!: number;
  @Field(() => Int, { description: 'Reviews seen before whose content changed.' }) updated!: number;
  @Field(() => Int, { description: 'Reviews seen before, unchanged.' }) unchanged!: number;
  @Field(() => [ImportSkip], { description: "Items left out, and why, in document order; a feed's fetch lists the first 100 (skippedCount counts them all)." })
  skipped!: ImportSkip[];
  @Field(() => Int, { description: 'How many items were left out, listed in skipped or not.' }) skippedCount!: number;
}
