/** Fuzzed operations on users (src/domain/access/users.ts): creating them and listing them. */
import fc from 'fast-check';
import { LIMITS } from '../../../src/domain/validation.js';
import { ROLES } from '../../../src/model/enums.js';
import { cursor, first, input } from '../fuzz/arbitraries.js';
import { ADMINS, ADMINS_MOSTLY, EDITORS, from, type Families } from '../fuzz/family.js';
import { remember } from '../fuzz/world.js';
import { email, enumOf, text } from '../hostile-input.js';

/** User families, keyed by root field. */
export const userFamilies = {
  createUser: {
    weight: 1,
    document: 'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id name role } } }',
    roles: ADMINS,
    principal: ADMINS_MOSTLY,
    variables: input({ name: text(LIMITS.name), email, role: enumOf(ROLES) }),
    harvest: ({ user }) => {
      remember('user', user.id);
      remember('spare', user.id);
      if (user.role === 'REVIEWER') remember('reviewer', user.id);
    },
  },
  users: {
    weight: 1,
    document:
      'query($role: Role, $first: Int, $after: String) { users(role: $role, first: $first, after: $after) { totalCount pageInfo { endCursor } edges { node { id name role } } } }',
    roles: EDITORS,
    principal: from({ editor: 3, admin: 2 }),
    variables: fc.record({ role: fc.oneof(fc.constant(undefined), enumOf(ROLES)), first, after: cursor }),
    harvest: (connection) => remember('cursor', connection.pageInfo.endCursor),
  },
} satisfies Families;
