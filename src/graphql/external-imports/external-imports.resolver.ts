import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { importExternalFactChecks } from '../../domain/external-imports/import.js';
import { listExternalRatingRules, setExternalRatingRules } from '../../domain/external-imports/rules.js';
import type { Context } from '../core/resolver-context.js';
import { ExternalRatingRule } from './external-rating-rule.type.js';
import { ImportExternalFactChecksInput, SetExternalRatingRulesInput } from './external-imports.inputs.js';
import { ImportExternalFactChecksPayload, SetExternalRatingRulesPayload } from './external-imports.payloads.js';

@Resolver()
export class ExternalImportsResolver {
  @Query(() => [ExternalRatingRule], { description: "How other publishers' textual ratings map to ratings, the desk's rules first (editors and admins)." })
  externalRatingRules(@Ctx() ctx: Context) {
    return listExternalRatingRules(ctx.db, ctx.viewer);
  }

  @Mutation(() => ImportExternalFactChecksPayload, {
    description:
      "Import other publishers' fact checks from a document of ClaimReview markup (editors). Each batch of reviews commits on its own; importing again is idempotent.",
  })
  async importExternalFactChecks(
    @Arg('input', { description: 'What to do; see ImportExternalFactChecksInput.' }) input: ImportExternalFactChecksInput,
    @Ctx() ctx: Context,
  ) {
    const report = await importExternalFactChecks(ctx.db, ctx.viewer, input, { ownBaseUrl: ctx.site.publicBaseUrl, batchSize: ctx.imports.batchSize });
    return { report };
  }

  @Mutation(() => SetExternalRatingRulesPayload, {
    description: "Replace the desk's rules for mapping other publishers' textual ratings (admins), then re-map what is stored, batch by batch.",
  })
  setExternalRatingRules(
    @Arg('input', { description: 'What to do; see SetExternalRatingRulesInput.' }) input: SetExternalRatingRulesInput,
    @Ctx() ctx: Context,
  ) {
    return setExternalRatingRules(ctx.db, ctx.viewer, input, ctx.imports.remapBatchSize);
  }
}
