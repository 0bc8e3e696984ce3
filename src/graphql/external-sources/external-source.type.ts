import { Field, Int, ObjectType } from 'type-graphql';
import { Connection } from '../core/connection.type.js';
import { Node } from '../core/node.type.js';
import { DateTimeScalar, URLScalar } from '../core/scalars.js';

@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description:
    "A feed of another publisher's ClaimReview markup, fetched on a schedule: JSON (a ClaimReview, a list of\nthem, a schema.org DataFeed, or a Fact Check Tools claims:search answer) or an HTML page with JSON-LD.",
})
export class ExternalSource extends Node {
  @Field({ description: 'What the desk calls it.' }) name!: string;
  @Field(() => URLScalar, { description: 'Where it is fetched from.' }) url!: string;
  @Field(() => Int, { description: 'Minutes between fetches.' }) intervalMinutes!: number;
  @Field({ description: 'A disabled feed is not fetched.' }) enabled!: boolean;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was last fetched, successfully or not.' }) lastFetchedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Why the last fetch failed; null after a success.' }) lastError!: string | null;
}

export const ExternalSourceConnection = Connection('ExternalSource', ExternalSource, 'How many there are.');
