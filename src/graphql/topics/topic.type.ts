/** GraphQL types of topics (contract v3: "Claimants and topics"). */
import { Field, ObjectType } from 'type-graphql';
import { Connection } from '../core/connection.type.js';
import { Node } from '../core/node.type.js';

@ObjectType({ implements: Node, simpleResolvers: true, description: 'A subject the desk files claims under, e.g. "Gaza humanitarian aid".' })
export class Topic extends Node {
  @Field({ description: 'Its name, unique regardless of case (and accents); a topic is never renamed.' }) name!: string;
  @Field(() => String, { nullable: true, description: 'Its Wikidata item, if any (e.g. "Q12147").' }) wikidataId!: string | null;
}

export const TopicConnection = Connection('Topic', Topic, 'How many match, on every page.');
