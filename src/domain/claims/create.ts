import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/connection.js';
import { articles, claimEvents, claims, type ClaimRow } from '../../db/schema.js';
import { badInput, conflict, notFound } from '../coded-errors.js';
import { codePointLength, findOccurrences, sliceCodePoints, type Span } from '../spans.js';
import { LIMITS, optionalText, parseInput, requiredText, requiredVerdicts, validDate } from '../validation.js';
import { requireRole, type Viewer } from '../viewer.js';
import { allowedRoles } from '../workflow.js';
import { PRIORITIES } from '../../model/enums.js';
import { lockSpeaker } from '../claimants/speakers.js';
import { refuseDuplicateClaim } from './duplicates.js';
import { claimTopicIds, fileClaimUnder } from '../topics/claim-topics.js';

const spanInput = z.object({ start: z.number().int(), end: z.number().int() });

const createInput = z.object({
  articleId: z.string(),
  quote: requiredText(LIMITS.quote),
  span: spanInput.nullish(),
  statement: optionalText(LIMITS.statement),
  claimant: optionalText(LIMITS.short),
  priority: z.enum(PRIORITIES).nullish(),
  requiredVerdicts: requiredVerdicts.nullish(),
  dueAt: validDate.nullish(),
  speakerId: z.string().nullish(),
  topicIds: claimTopicIds.nullish(),
});
export type CreateClaimInput = z.input<typeof createInput>;

/** Where `quote` stands in `body`: checked against the given span, or found when it occurs once. */
export function locateQuote(body: string, quote: string, span: Span | null | undefined): Span {
  if (span) {
    const length = codePointLength(body);
    if (span.start < 0 || span.end <= span.start || span.end > length) {
      throw badInput('span', `span must satisfy 0 <= start < end <= ${length} (the body's length in code points)`);
    }
    if (sliceCodePoints(body, span) !== quote) {
      throw badInput('span', 'The article body at span (Unicode code points) does not equal the quote');
    }
    return { start: span.start, end: span.end };
  }
  const occurrences = findOccurrences(body, quote);
  if (occurrences.length === 0) throw badInput('quote', 'The quote does not occur in the article body');
  if (occurrences.length > 1) {
    throw badInput('span', `The quote occurs ${occurrences.length} times in the article; give its span`);
  }
  return occurrences[0]!;
}

/** An exact duplicate of an existing claim (same article, span and statement) is CONFLICT naming it. */
export async function createClaim(db: Database, viewer: Viewer | null, input: CreateClaimInput): Promise<ClaimRow> {
  const actor = requireRole(viewer, allowedRoles.createClaim);
  const data = parseInput(createInput, input);
  return db.transaction(async (tx) => {
    const speaker = data.speakerId ? await lockSpeaker(tx, data.speakerId) : null;
    const [article] = await tx.select({ body: articles.body }).from(articles).where(eq(articles.id, data.articleId));
    if (!article) throw notFound('Article', 'articleId');
    const span = locateQuote(article.body, data.quote, data.span);
    const key = { articleId: data.articleId, spanStart: span.start, spanEnd: span.end, statement: data.statement ?? data.quote };
    await refuseDuplicateClaim(tx, key);
    const [claim] = await tx
      .insert(claims)
      .values({
        ...key,
        quote: data.quote,
        claimant: data.claimant ?? speaker?.name ?? null,
        speakerId: speaker?.id ?? null,
        priority: data.priority ?? 'NORMAL',
        requiredVerdicts: data.requiredVerdicts ?? 1,
        dueAt: data.dueAt ?? null,
        createdBy: actor.id,
      })
      // The unique index: an identical claim committed by a concurrent request since the look-up.
      .onConflictDoNothing()
      .returning();
    if (!claim) {
      await refuseDuplicateClaim(tx, key);
      throw conflict('An identical claim was created meanwhile and removed again; retry');
    }
    await tx.insert(claimEvents).values({ claimId: claim!.id, actorId: actor.id, type: 'CREATED', toStatus: 'OPEN', version: 1 });
    if (data.topicIds) await fileClaimUnder(tx, claim!.id, data.topicIds);
    return claim!;
  });
}
