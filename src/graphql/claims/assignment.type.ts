import { Field, ObjectType } from 'type-graphql';
import { Connection } from '../core/connection.type.js';
import { AssignmentState } from '../core/enums.js';
import { Node } from '../core/node.type.js';
import { DateTimeScalar } from '../core/scalars.js';

@ObjectType({ implements: Node, simpleResolvers: true, description: "A reviewer's assignment to a claim." })
export class Assignment extends Node {
  @Field(() => DateTimeScalar, { description: 'When it was assigned.' }) assignedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the verdict is due.' }) dueAt!: Date | null;
  @Field(() => AssignmentState, { description: 'Whether the verdict is still owed.' }) state!: AssignmentState;
}
export const AssignmentConnection = Connection('Assignment', Assignment);
