import { Field, ObjectType } from 'type-graphql';
import { PageInfo } from '../core/connection.type.js';
import { FactCheckChangeType } from '../core/enums.js';
import { DateTimeScalar } from '../core/scalars.js';

@ObjectType({ simpleResolvers: true, description: 'One change to a published fact check.' })
export class FactCheckChange {
  @Field(() => FactCheckChangeType, { description: 'What happened.' }) type!: string;
  @Field(() => DateTimeScalar, { description: 'When it happened.' }) at!: Date;
}

@ObjectType({ simpleResolvers: true, description: 'A change in the feed.' })
export class FactCheckChangeEdge {
  @Field({ description: 'Opaque position of this change in the feed.' }) cursor!: string;
  @Field(() => FactCheckChange, { description: 'The change.' }) node!: FactCheckChange;
}

@ObjectType({ simpleResolvers: true, description: 'A page of the change feed.' })
export class FactCheckChangeConnection {
  @Field(() => [FactCheckChangeEdge], { description: 'The changes on this page, oldest first.' }) edges!: FactCheckChangeEdge[];
  @Field(() => PageInfo, { description: 'Paging information; endCursor is where to continue next time, also when this page is empty.' }) pageInfo!: PageInfo;
}
