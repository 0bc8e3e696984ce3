import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { Page } from '../../domain/pagination.js';

@ObjectType({ simpleResolvers: true, description: 'Relay cursor-connection page information.' })
export class PageInfo {
  @Field({ description: 'Whether more items follow this page.' }) hasNextPage!: boolean;
  @Field({ description: 'Whether items precede this page.' }) hasPreviousPage!: boolean;
  // Not simple, as Edge.cursor.
  @Field(() => String, { simple: false, nullable: true, description: 'Cursor of the first edge on this page.' }) startCursor!: string | null;
  @Field(() => String, { simple: false, nullable: true, description: 'Cursor of the last edge on this page; pass it as `after` to get the next page.' })
  endCursor!: string | null;
}

/** A Relay connection type pair (XConnection, XEdge) for `node`. */
export function Connection<T extends object>(name: string, node: ClassType<T>, totalCountDescription = 'How many match, over all pages.') {
  @ObjectType(`${name}Edge`, { simpleResolvers: true, description: `An edge of a ${name}Connection.` })
  class Edge {
    // Not simple: the cursor is encoded when read (LazyEdge), and a resolver call is where graphql-jit catches what a read throws.
    @Field({ simple: false, description: 'Opaque position of this edge.' }) cursor!: string;
    @Field(() => node, { description: `The ${name} at this position.` }) node!: T;
  }
  // Not simpleResolvers: totalCount is a lazy getter returning a promise, which only a resolver awaits.
  @ObjectType(`${name}Connection`, { description: `A page of ${name} items.` })
  class ConnectionType {
    @Field(() => [Edge], { description: 'The items of this page, each with its cursor.' }) edges!: Edge[];
    @Field(() => PageInfo, { description: 'Where this page stands: whether more follow, and the cursor to ask for them.' }) pageInfo!: PageInfo;
    @Field(() => Int, { description: totalCountDescription }) totalCount!: number;
  }
  return ConnectionType;
}

/** Shapes a domain page as a connection; the count query runs only when totalCount is selected (a lazy getter). */
/** An edge whose cursor is encoded only if the query asks for it. */
class LazyEdge<T> {
  constructor(
    private readonly page: Page<T>,
    readonly node: T,
    private readonly index: number,
  ) {}
  get cursor() {
    return this.page.cursors[this.index]!;
  }
}

export function toConnection<T>(page: Page<T>) {
  return {
    edges: page.nodes.map((node, i) => new LazyEdge(page, node, i)),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: false,
      get startCursor() {
        return page.cursors[0] ?? null;
      },
      get endCursor() {
        return page.cursors.at(-1) ?? null;
      },
    },
    get totalCount() {
      return page.totalCount();
    },
  };
}
