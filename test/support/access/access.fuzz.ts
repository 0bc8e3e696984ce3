/** Fuzzed operations on access (src/domain/access/): issuing and revoking API tokens, and changing a user's role or active flag. */
import fc from 'fast-check';
import { toGlobalId } from '../../../src/domain/global-ids.js';
import { LIMITS } from '../../../src/domain/validation.js';
import { ROLES } from '../../../src/model/enums.js';
import { existing, id, input } from '../fuzz/arbitraries.js';
import { ADMINS, ADMINS_MOSTLY, type Families } from '../fuzz/family.js';
import { remember } from '../fuzz/world.js';
import { dateTime, enumOf, int, MALFORMED_IDS, mostly, text, wrongType } from '../hostile-input.js';

/** Access families, keyed by root field. */
export const accessFamilies = {
  issueApiToken: {
    weight: 1,
    document: 'mutation($i: IssueApiTokenInput!) { issueApiToken(input: $i) { tokenId } }',
    roles: ADMINS,
    principal: ADMINS_MOSTLY,
    variables: input({
      userId: id('user'),
      label: text(LIMITS.label),
      expiresAt: fc.oneof(fc.constant(undefined), dateTime),
      rateLimitPerMinute: fc.oneof(fc.constant(undefined), int(1, 100_000)),
    }),
    harvest: ({ tokenId }) => remember('token', tokenId),
  },
  updateUser: {
    weight: 1,
    document: 'mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { id name role active } } }',
    roles: ADMINS,
    principal: ADMINS_MOSTLY,
    // Only spare users (or IDs that name none): changing a principal would change what the checks expect of them.
    variables: input({
      userId: mostly(
        existing('spare'),
        fc.oneof(
          fc.uuid().map((u) => toGlobalId('User', u)),
          fc.constantFrom(...MALFORMED_IDS),
          wrongType,
          fc.constant(null),
        ),
        8,
      ),
      name: fc.oneof(fc.constant(undefined), text(LIMITS.name)),
      role: fc.oneof(fc.constant(undefined), enumOf(ROLES)),
      active: fc.oneof(fc.constant(undefined), fc.boolean(), wrongType),
    }),
  },
  revokeApiToken: {
    weight: 1,
    document: 'mutation($i: RevokeApiTokenInput!) { revokeApiToken(input: $i) { revoked } }',
    roles: ADMINS,
    principal: ADMINS_MOSTLY,
    // Only tokens issued during the run: revoking the principals' own would end the run early.
    variables: input({ tokenId: id('token') }),
  },
} satisfies Families;
