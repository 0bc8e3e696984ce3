/** What createClaimant and updateClaimant accept (docs/design.md, Limits). */
import { z } from 'zod';
import { CLAIMANT_KINDS } from '../../model/enums.js';
import { httpUrl, LIMITS, optionalText, requiredText } from '../validation.js';

export const MAX_ALIASES = 20;
/** A Wikidata item: Q and digits, no leading zero (https://www.wikidata.org/wiki/Q22686). */
export const WIKIDATA_ID = /^Q[1-9][0-9]{0,11}$/;

export const wikidataId = z.string().regex(WIKIDATA_ID, 'must be a Wikidata item ID: Q and digits, such as Q22686');
const name = requiredText(LIMITS.name).transform((s) => s.trim());
const aliases = z
  .array(name)
  .max(MAX_ALIASES, `must have at most ${MAX_ALIASES} aliases`)
  // Each once (compared as search compares them); the claimant's own name is not an alias of it.
  .transform((list) => list.filter((a, i) => list.findIndex((b) => b.toLowerCase() === a.toLowerCase()) === i));

export const createClaimantInput = z.object({
  name,
  kind: z.enum(CLAIMANT_KINDS),
  aliases: aliases.nullish(),
  wikidataId: wikidataId.nullish(),
  website: httpUrl.nullish(),
  description: optionalText(LIMITS.short),
});
export type CreateClaimantInput = z.input<typeof createClaimantInput>;

/** Left out (undefined): unchanged; null clears an optional field (name and kind cannot be cleared). */
export const updateClaimantInput = z.object({
  claimantId: z.string(),
  name: name.optional(),
  kind: z.enum(CLAIMANT_KINDS).optional(),
  aliases: aliases.nullish(),
  wikidataId: wikidataId.nullish(),
  website: httpUrl.nullish(),
  description: optionalText(LIMITS.short),
});
/** As clients send it: null for name or kind is refused with its own message (updateClaimant). */
export type UpdateClaimantInput = Omit<z.input<typeof updateClaimantInput>, 'name' | 'kind'> & {
  name?: string | null;
  kind?: z.input<typeof updateClaimantInput>['kind'] | null;
};

export const mergeClaimantsInput = z.object({ sourceId: z.string(), targetId: z.string() });
export type MergeClaimantsInput = z.input<typeof mergeClaimantsInput>;
