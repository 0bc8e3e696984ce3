import type { Feature } from '../feature.js';
import { STAFF } from '../viewer.js';

/** Source articles, ingested by editors, that claims are taken from. */
export const articlesFeature = {
  name: 'articles',
  nodeTypes: { Article: STAFF },
  queries: ['article', 'articles'],
  mutations: ['ingestArticle'],
} as const satisfies Feature;
