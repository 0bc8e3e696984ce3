import { ROLES, type Role } from '../model/enums.js';
import { forbidden, unauthenticated } from './coded-errors.js';

/** The authenticated principal of a request; null when the request carries no valid token. */
export interface Viewer {
  id: string;
  name: string;
  role: Role;
}

export const EDITORS: readonly Role[] = ['ADMIN', 'EDITOR'];
export const STAFF: readonly Role[] = ['ADMIN', 'EDITOR', 'REVIEWER'];
export const ADMINS: readonly Role[] = ['ADMIN'];
export const EVERYONE: readonly Role[] = ROLES;

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw unauthenticated();
  return viewer;
}

/** The viewer, if their role is one of `roles`; UNAUTHENTICATED or FORBIDDEN otherwise. */
export function requireRole(viewer: Viewer | null, roles: readonly Role[]): Viewer {
  const v = requireViewer(viewer);
  if (!roles.includes(v.role)) throw forbidden(`This needs one of the roles ${roles.join(', ')}; you are ${v.role}`);
  return v;
}

export const isStaff = (viewer: Viewer | null) => viewer !== null && STAFF.includes(viewer.role);
export const isEditor = (viewer: Viewer | null) => viewer !== null && EDITORS.includes(viewer.role);
