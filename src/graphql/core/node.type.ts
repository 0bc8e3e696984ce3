/**
 * The object types of the contract. Only their own scalar fields are declared here; relations and
 * computed fields are field resolvers in the *.resolver.ts files, which keeps these classes free of
 * import cycles. `simpleResolvers` everywhere: we use no type-graphql middleware, so plain fields can
 * resolve by property access instead of through a wrapper per field and row.
 */
import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType({
  description: 'An object with a globally unique, opaque ID that node(id:) can fetch again.',
  resolveType: (value: { __typename?: string }) => value.__typename,
})
export abstract class Node {
  @Field(() => ID, { description: 'Globally unique, opaque identifier.' }) id!: string;
}
