import { Field, ObjectType } from 'type-graphql';
import { Connection } from '../core/connection.type.js';
import { Role } from '../core/enums.js';
import { Node } from '../core/node.type.js';

@ObjectType({ implements: Node, simpleResolvers: true, description: 'A person or partner application known to the system.' })
export class User extends Node {
  @Field({ description: 'Display name.' }) name!: string;
  @Field(() => Role, { description: 'What this user may do.' }) role!: Role;
  @Field({ description: "Whether the user may act; a deactivated user's tokens are refused (admins can reactivate)." }) active!: boolean;
  @Field({ description: 'Whether the user receives scheduled fact checks before they are public (fact_check.scheduled); set by admins.' })
  embargoAccess!: boolean;
}
export const UserConnection = Connection('User', User);
