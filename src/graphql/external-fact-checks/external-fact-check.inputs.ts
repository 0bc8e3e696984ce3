import { Field, InputType } from 'type-graphql';
import { Rating } from '../core/enums.js';
import { URLScalar } from '../core/scalars.js';

type Maybe<T> = T | null | undefined;

@InputType({ description: 'Which external fact checks to list. All given conditions must hold.' })
export class ExternalFactCheckFilter {
  @Field(() => String, { nullable: true, description: 'Words that the claim or claimant must contain (full-text search, ranked).' })
  search?: Maybe<string>;
  @Field(() => URLScalar, {
    nullable: true,
    description:
      'Reviews of claims made at this URL (their appearances, normalised as for factChecks: scheme and host case, default port,\ntrailing slash, fragment, utm_* and similar tracking parameters; the remaining query parameters sorted).',
  })
  appearanceUrl?: Maybe<string>;
  @Field(() => [Rating], { nullable: true, description: 'Any of these ratings.' }) rating?: Maybe<Rating[]>;
  @Field(() => String, { nullable: true, description: 'From this publisher (exact name).' }) publisherName?: Maybe<string>;
  @Field(() => String, { nullable: true, description: 'In this BCP 47 language: a range, so "pt" also holds pt-BR and pt-PT (RFC 4647 basic filtering).' })
  language?: Maybe<string>;
}
