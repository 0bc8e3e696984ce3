import type { Feature } from '../feature.js';
import { EVERYONE } from '../viewer.js';

/** What a claim is about: the desk's topics, the claims filed under them, partners' topic feeds. */
export const topicsFeature = {
  name: 'topics',
  nodeTypes: { Topic: EVERYONE },
  queries: ['topics'],
  partnerReads: ['topics'],
  mutations: ['createTopic', 'setClaimTopics'],
} as const satisfies Feature;
