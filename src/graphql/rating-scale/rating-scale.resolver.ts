import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput } from '../../domain/coded-errors.js';
import { WORST_VALUE, bestValue, canonicalLocale, localized, type RatingLabel as Label, type RatingScale as Scale } from '../../domain/rating-scale/scale.js';
import { getRatingScale, setRatingScale } from '../../domain/rating-scale/store.js';
import type { Context } from '../core/resolver-context.js';
import { SetRatingScaleInput } from './rating-scale.inputs.js';
import { SetRatingScalePayload } from './rating-scale.payloads.js';
import { RatingLabel, RatingScale } from './rating-scale.type.js';

/** A label as the resolvers hand it on: with its scale's default locale, for name(locale). */
export type LabelWithLocale = Label & { defaultLocale: string };

const LOCALE_ARG = { nullable: true, description: "A BCP 47 language tag; left out, the scale's default locale." } as const;

function localeArg(locale: string | null | undefined): string | null {
  if (locale == null) return null;
  const canonical = canonicalLocale(locale);
  if (!canonical) throw badInput('locale', 'locale must be a BCP 47 language tag such as en or pt-BR');
  return canonical;
}

/** The scale as GraphQL shows it: best and worst values, each label knowing its default locale. */
const toGraphql = (scale: Scale) => ({
  ...scale,
  labels: scale.labels.map((l): LabelWithLocale => ({ ...l, defaultLocale: scale.defaultLocale })),
  bestValue: bestValue(scale),
  worstValue: WORST_VALUE,
});

@Resolver(() => RatingScale)
export class RatingScaleResolver {
  @Query(() => RatingScale, { description: "The desk's rating scale (every authenticated role)." })
  async ratingScale(@Ctx() ctx: Context) {
    return toGraphql(await getRatingScale(ctx.loaders, ctx.viewer));
  }

  @Mutation(() => SetRatingScalePayload, { description: "Replace the desk's rating scale (admins)." })
  async setRatingScale(@Arg('input', { description: 'What to do; see SetRatingScaleInput.' }) input: SetRatingScaleInput, @Ctx() ctx: Context) {
    return { ratingScale: toGraphql(await setRatingScale(ctx.db, ctx.viewer, input)) };
  }
}

@Resolver(() => RatingLabel)
export class RatingLabelResolver {
  @FieldResolver(() => String, { description: "Its name in a locale (RFC 4647 lookup: pt-BR, then pt, then the scale's default locale)." })
  name(@Root() label: LabelWithLocale, @Arg('locale', () => String, LOCALE_ARG) locale?: string | null) {
    return localized(label.names, localeArg(locale), label.defaultLocale);
  }

  @FieldResolver(() => String, { nullable: true, description: 'What it means, in a locale (same lookup as name).' })
  description(@Root() label: LabelWithLocale, @Arg('locale', () => String, LOCALE_ARG) locale?: string | null) {
    return localized(label.descriptions, localeArg(locale), label.defaultLocale);
  }
}
