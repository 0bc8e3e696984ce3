import { Field, Int, ObjectType } from 'type-graphql';
import { ExternalRatingRule } from './external-rating-rule.type.js';
import { ImportReport } from './import-report.type.js';

@ObjectType({ simpleResolvers: true, description: 'The result of importExternalFactChecks.' })
export class ImportExternalFactChecksPayload {
  @Field(() => ImportReport, { description: 'What the import did.' }) report!: ImportReport;
}

@ObjectType({ simpleResolvers: true, description: 'The result of setExternalRatingRules.' })
export class SetExternalRatingRulesPayload {
  @Field(() => [ExternalRatingRule], { description: "Every rule in force, the desk's first." }) rules!: ExternalRatingRule[];
  @Field(() => Int, { description: 'How many imported fact checks changed rating under the new rules.' }) remapped!: number;
}
