import type { Feature } from '../feature.js';
import { EDITORS, EVERYONE } from '../viewer.js';

/** Users, their API tokens, and who is asking (viewer). */
export const accessFeature = {
  name: 'access',
  nodeTypes: {
    User: EDITORS, // anyone else: only their own row
    ApiToken: EVERYONE, // their own tokens; admins every one (access/tokens.ts)
  },
  queries: ['viewer', 'users'],
  mutations: ['createUser', 'updateUser', 'issueApiToken', 'revokeApiToken'],
} as const satisfies Feature;
