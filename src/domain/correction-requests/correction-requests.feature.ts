import type { Feature } from '../feature.js';
import { EVERYONE } from '../viewer.js';

/** Requests to correct published fact checks (a platform passing on an appeal), and the desk's answers. */
export const correctionRequestsFeature = {
  name: 'correction-requests',
  // Editors and admins see every request; reviewers and partners their own (visibility.ts).
  nodeTypes: { CorrectionRequest: EVERYONE },
  queries: ['correctionRequests'],
  mutations: ['requestCorrection', 'resolveCorrectionRequest'],
} as const satisfies Feature;
