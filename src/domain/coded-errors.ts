/** The codes clients can rely on (docs/design.md, Errors). Anything else is masked as INTERNAL_SERVER_ERROR. */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** More for the client to act on, e.g. the ID of the claim a duplicate collides with. */
    readonly extensions?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (field: string, message: string) => new DomainError('BAD_USER_INPUT', message, field);
export const notFound = (what: string, field?: string) => new DomainError('NOT_FOUND', `${what} not found`, field);
export const conflict = (message: string) => new DomainError('CONFLICT', message);
export const forbidden = (message = 'You are not allowed to do this') => new DomainError('FORBIDDEN', message);
export const unauthenticated = () => new DomainError('UNAUTHENTICATED', 'A valid bearer token is required (Authorization: Bearer <token>)');
