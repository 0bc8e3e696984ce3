import type { Feature } from '../feature.js';
import { STAFF } from '../viewer.js';

/** Check-worthy sentences of an article (Article.claimSuggestions). */
export const suggestionsFeature = {
  name: 'suggestions',
  readables: { ClaimSuggestion: STAFF },
} as const satisfies Feature;
