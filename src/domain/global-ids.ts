import { badInput } from './coded-errors.js';
import { NODE_TYPES, type NodeType } from './features.js';

export type { NodeType };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque global IDs: base64url("Type:uuid"), so that node(id) knows the table and clients never parse them. */
export const toGlobalId = (type: NodeType, id: string) => Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');

export function parseGlobalId(globalId: string): { type: NodeType; id: string } | null {
  if (typeof globalId !== 'string' || globalId.length > 200 || !/^[A-Za-z0-9_-]+$/.test(globalId)) return null;
  const [type, id, ...rest] = Buffer.from(globalId, 'base64url').toString('utf8').split(':');
  if (rest.length || !id || !UUID.test(id) || !NODE_TYPES.includes(type as NodeType)) return null;
  return { type: type as NodeType, id };
}

/** The row id behind a global ID of the expected type; BAD_USER_INPUT naming `field` otherwise. */
export function fromGlobalId(globalId: string, type: NodeType, field: string): string {
  const parsed = parseGlobalId(globalId);
  if (!parsed || parsed.type !== type) throw badInput(field, `${field} is not a valid ${type} ID`);
  return parsed.id;
}

export const fromGlobalIds = (globalIds: readonly string[], type: NodeType, field: string) => globalIds.map((g) => fromGlobalId(g, type, field));
