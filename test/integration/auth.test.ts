import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, ok, type TestApp } from '../support/app.js';
import { type Desk, startDeskApp } from '../support/factories.js';

let app: TestApp;
let desk: Desk;
beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
});
afterAll(() => app?.stop());

describe('authentication', () => {
  test('viewer is the token holder, for every role', async () => {
    for (const user of Object.values(desk)) {
      const data = ok(await app.gql('{ viewer { id name role } }', {}, user.token));
      expect(data.viewer).toEqual({ id: user.globalId, name: user.name, role: user.role });
    }
  });

  test('no token: UNAUTHENTICATED on fields that need one', async () => {
    const response = await app.gql('{ viewer { id } }');
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.data?.viewer ?? null).toBeNull();
  });

  test('an unknown token is refused with 401 UNAUTHENTICATED', async () => {
    const response = await app.gql('{ viewer { id } }', {}, 'fc_not-a-real-token');
    expect(response.status).toBe(401);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });

  test('a malformed Authorization header is refused', async () => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(response.status).toBe(401);
  });

  test('the request id is echoed, or made up', async () => {
    const given = await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await fetch(`${app.url}/healthz`);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('admin: users and tokens', () => {
  const CREATE_USER = 'mutation($input: CreateUserInput!) { createUser(input: $input) { user { id name role } } }';
  const ISSUE = 'mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token tokenId } }';
  const REVOKE = 'mutation($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { revoked } }';

  test('an admin creates a user, issues a token that works, and revokes it', async () => {
    const created = ok(await app.gql(CREATE_USER, { input: { name: 'Nora Newsroom', email: 'Nora@Example.org', role: 'PARTNER' } }, desk.admin.token))
      .createUser.user;
    expect(created).toMatchObject({ name: 'Nora Newsroom', role: 'PARTNER' });
    const issued = ok(await app.gql(ISSUE, { input: { userId: created.id, label: 'search app' } }, desk.admin.token)).issueApiToken;
    expect(issued.token).toMatch(/^fc_[A-Za-z0-9_-]{43}$/);
    expect(ok(await app.gql('{ viewer { id } }', {}, issued.token)).viewer.id).toBe(created.id);

    expect(ok(await app.gql(REVOKE, { input: { tokenId: issued.tokenId } }, desk.admin.token)).revokeApiToken.revoked).toBe(true);
    const after = await app.gql('{ viewer { id } }', {}, issued.token);
    expect(codes(after)).toEqual(['UNAUTHENTICATED']);
    expect(ok(await app.gql(REVOKE, { input: { tokenId: issued.tokenId } }, desk.admin.token)).revokeApiToken.revoked).toBe(false);
  });

  test('only the hash of a token is stored', async () => {
    const created = ok(await app.gql(CREATE_USER, { input: { name: 'Hash Check', email: 'hash@example.org', role: 'REVIEWER' } }, desk.admin.token)).createUser
      .user;
    const { token } = ok(await app.gql(ISSUE, { input: { userId: created.id, label: 'x' } }, desk.admin.token)).issueApiToken;
    const rows = await app.database.db.query.apiTokens.findMany();
    expect(rows.some((r) => r.tokenHash === token || r.tokenHash.includes(token))).toBe(false);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.tokenHash))).toBe(true);
  });

  test('a duplicate e-mail is a CONFLICT', async () => {
    const input = { name: 'Dup', email: 'dup@example.org', role: 'EDITOR' };
    ok(await app.gql(CREATE_USER, { input }, desk.admin.token));
    expect(codes(await app.gql(CREATE_USER, { input }, desk.admin.token))).toEqual(['CONFLICT']);
  });

  test('non-admins may not manage users or tokens', async () => {
    for (const user of [desk.editor, desk.reviewer1, desk.partner]) {
      expect(codes(await app.gql(CREATE_USER, { input: { name: 'X', email: `x-${user.role}@example.org`, role: 'ADMIN' } }, user.token))).toEqual([
        'FORBIDDEN',
      ]);
      expect(codes(await app.gql(ISSUE, { input: { userId: user.globalId, label: 'mine' } }, user.token))).toEqual(['FORBIDDEN']);
    }
  });

  test('bad input to admin mutations is BAD_USER_INPUT with the field, or NOT_FOUND', async () => {
    const bad = await app.gql(CREATE_USER, { input: { name: ' ', email: 'x@example.org', role: 'EDITOR' } }, desk.admin.token);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    const badEmail = await app.gql(CREATE_USER, { input: { name: 'X', email: 'not-an-email', role: 'EDITOR' } }, desk.admin.token);
    expect(badEmail.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    const malformed = await app.gql(ISSUE, { input: { userId: 'nope', label: 'x' } }, desk.admin.token);
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });
    const missing = await app.gql(
      ISSUE,
      { input: { userId: Buffer.from('User:00000000-0000-4000-8000-000000000000').toString('base64url'), label: 'x' } },
      desk.admin.token,
    );
    expect(codes(missing)).toEqual(['NOT_FOUND']);
  });

  test('users: editors list them by name and filter by role; reviewers and partners may not', async () => {
    const data = ok(await app.gql('{ users(role: REVIEWER, first: 100) { totalCount edges { node { name role } } } }', {}, desk.editor.token));
    const names = data.users.edges.map((e: any) => e.node.name);
    expect(names).toEqual([...names].sort());
    expect(data.users.edges.every((e: any) => e.node.role === 'REVIEWER')).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['Rafael Reviewer', 'Rina Reviewer']));
    expect(codes(await app.gql('{ users { totalCount } }', {}, desk.reviewer1.token))).toEqual(['FORBIDDEN']);
    expect(codes(await app.gql('{ users { totalCount } }', {}, desk.partner.token))).toEqual(['FORBIDDEN']);
  });
});

describe('health', () => {
  test('/healthz and /readyz answer', async () => {
    expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});
