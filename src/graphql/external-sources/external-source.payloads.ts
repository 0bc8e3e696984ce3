import { Field, ID, ObjectType } from 'type-graphql';
import { ImportReport } from '../external-imports/import-report.type.js';
import { ExternalSource } from './external-source.type.js';

@ObjectType({ simpleResolvers: true, description: 'The result of createExternalSource.' })
export class CreateExternalSourcePayload {
  @Field(() => ExternalSource, { description: 'The new feed.' }) source!: ExternalSource;
}

@ObjectType({ simpleResolvers: true, description: 'The result of updateExternalSource.' })
export class UpdateExternalSourcePayload {
  @Field(() => ExternalSource, { description: 'The feed after the change.' }) source!: ExternalSource;
}

@ObjectType({ simpleResolvers: true, description: 'The result of deleteExternalSource.' })
export class DeleteExternalSourcePayload {
  @Field(() => ID, { description: "The removed feed's ID." }) deletedSourceId!: string;
}

@ObjectType({ simpleResolvers: true, description: 'The result of fetchExternalSource.' })
export class FetchExternalSourcePayload {
  @Field(() => ExternalSource, { description: 'The feed after the fetch (lastFetchedAt, lastError).' }) source!: ExternalSource;
  @Field(() => ImportReport, { nullable: true, description: 'What the fetch brought in; null if it failed.' }) report!: ImportReport | null;
}
