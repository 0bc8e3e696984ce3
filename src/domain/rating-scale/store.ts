/** Reading and replacing the desk's rating scale. The rules are in ./scale.ts. */
import { and, inArray, isNull } from 'drizzle-orm';
import type { Database, Queryable } from '../../db/connection.js';
import type { Loaders } from '../../db/loaders.js';
import { selectRatingScale, type RatingScaleRows } from '../../db/rating-scale.js';
import { factChecks, ratingLabels, ratingScales, scheduledPublications } from '../../db/schema.js';
import { DomainError } from '../coded-errors.js';
import { ADMINS, EVERYONE, requireRole, type Viewer } from '../viewer.js';
import { parseRatingScale, type RatingLabel, type RatingScale, type RatingScaleInput } from './scale.js';

const toScale = ({ scale, labels }: RatingScaleRows): RatingScale => ({
  name: scale.name,
  defaultLocale: scale.defaultLocale,
  labels: labels.map((l) => ({ key: l.key, rating: l.rating, value: l.value, names: l.names, descriptions: l.descriptions })),
});

/** The scale in force, inside a transaction that publishes with it: held (FOR SHARE) until the commit. */
export const ratingScaleForPublishing = async (tx: Queryable) => toScale(await selectRatingScale(tx, 'share'));

/** Query.ratingScale: every authenticated role. Read once per request. */
export async function getRatingScale(loaders: Loaders, viewer: Viewer | null): Promise<RatingScale> {
  requireRole(viewer, EVERYONE);
  return toScale(await loaders.ratingScale());
}

/** The label a fact check was published with, as the scale has it now; null once the key is gone. */
export async function currentLabel(loaders: Loaders, key: string): Promise<(RatingLabel & { defaultLocale: string }) | null> {
  const scale = toScale(await loaders.ratingScale());
  const label = scale.labels.find((l) => l.key === key);
  return label ? { ...label, defaultLocale: scale.defaultLocale } : null;
}

/**
 * Replaces the whole scale (admins), in one transaction. A label that a fact check partners can see
 * was published with may not be removed, nor made to mean another rating (CONFLICT naming the keys).
 * Retracted fact checks do not hold a label: nobody sees them, they keep the text they were
 * published with, and republishing one picks a label of the scale then in force.
 */
export async function setRatingScale(db: Database, viewer: Viewer | null, input: RatingScaleInput): Promise<RatingScale> {
  requireRole(viewer, ADMINS);
  const scale = parseRatingScale(input);
  return db.transaction(async (tx) => {
    // FOR UPDATE waits for publications holding the scale FOR SHARE, and makes new ones wait for this commit.
    const current = toScale(await selectRatingScale(tx, 'update'));
    const next = new Map(scale.labels.map((l) => [l.key, l]));
    const withdrawn = current.labels.filter((l) => next.get(l.key)?.rating !== l.rating).map((l) => l.key);
    if (withdrawn.length > 0) {
      // A scheduled publication will be published with its label: it holds the label as a published one does.
      const used = await tx
        .selectDistinct({ key: factChecks.ratingLabelKey })
        .from(factChecks)
        .where(and(inArray(factChecks.ratingLabelKey, withdrawn), isNull(factChecks.retractedAt)))
        .union(
          tx
            .selectDistinct({ key: scheduledPublications.ratingLabelKey })
            .from(scheduledPublications)
            .where(inArray(scheduledPublications.ratingLabelKey, withdrawn)),
        );
      if (used.length > 0) {
        const keys = withdrawn.filter((k) => used.some((u) => u.key === k));
        const list = keys.map((k) => `"${k}"`).join(', ');
        throw new DomainError(
          'CONFLICT',
          `Published or scheduled fact checks use the label${keys.length > 1 ? 's' : ''} ${list}: keep ${keys.length > 1 ? 'them' : 'it'}, with the same rating (names and values may change)`,
          'labels',
          { labelKeys: keys.join(',') },
        );
      }
    }
    await tx.update(ratingScales).set({ name: scale.name, defaultLocale: scale.defaultLocale, updatedAt: new Date() });
    await tx.delete(ratingLabels);
    await tx.insert(ratingLabels).values(scale.labels.map((l, position) => ({ ...l, position })));
    return scale;
  });
}
