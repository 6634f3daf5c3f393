import { keys } from '../../shared/db/keys';
import { call, expectProblem, getItem, newTenant, otherAddress, signIn, type TestTenant } from './support';
import { insertUser } from './principals';
import { maxSessionsPerUser } from '../../shared/db/sessions';
import { createHash } from 'node:crypto';

let tenant: TestTenant;
beforeAll(async () => {
  tenant = await newTenant('auth');
});

describe('POST /v1/auth/sign-in', () => {
  it('signs an admin in with the email in any letter case', async () => {
    const answer = await call<{ token: string; expiresAt: string; user: Record<string, unknown> }>('POST', '/v1/auth/sign-in', {
      body: { identifier: `  ${tenant.admin.email.toUpperCase()} `, password: tenant.admin.password },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.token).toMatch(/^em1\./);
    expect(Date.parse(answer.body.expiresAt)).toBeGreaterThan(Date.now());
    expect(answer.body.user).toEqual({
      id: tenant.admin.id,
      email: tenant.admin.email,
      signInIdentifier: tenant.admin.email,
      role: 'admin',
      organization: { id: tenant.id, name: expect.any(String), domain: tenant.domain },
      mustChangePassword: false,
    });
  });

  it('stores only a hash of the token, in the user item, with its expiry', async () => {
    const token = await signIn(tenant.admin.email, tenant.admin.password);
    const hash = createHash('sha256').update(token).digest('hex');
    const user = await getItem(keys.user(tenant.id, tenant.admin.id));
    expect(Date.parse((user?.sessions as Record<string, string>)[hash]!)).toBeGreaterThan(Date.now());
    expect(JSON.stringify(user)).not.toContain(token.split('.')[3]);
  });

  it('answers a wrong password and an unknown identifier in the same words', async () => {
    const wrongPassword = await call('POST', '/v1/auth/sign-in', { body: { identifier: tenant.admin.email, password: 'not the password' } });
    const unknownEmail = await call('POST', '/v1/auth/sign-in', { body: { identifier: `nobody@${tenant.domain}`, password: 'not the password' } });
    const notAnEmail = await call('POST', '/v1/auth/sign-in', { body: { identifier: 'whatever', password: 'not the password' } });
    for (const answer of [wrongPassword, unknownEmail, notAnEmail]) expectProblem(answer, 401, 'invalid_credentials');
    const strip = ({ requestId: _id, ...rest }: Record<string, unknown>) => rest;
    expect(strip(unknownEmail.body)).toEqual(strip(wrongPassword.body));
    expect(strip(notAnEmail.body)).toEqual(strip(wrongPassword.body));
  });

  it('never matches a password on its first 72 bytes alone', async () => {
    const longer = `${tenant.admin.password}${'x'.repeat(80)}`;
    expectProblem(await call('POST', '/v1/auth/sign-in', { body: { identifier: tenant.admin.email, password: longer } }), 401, 'invalid_credentials');
  });

  it.each([
    ['no password', { identifier: 'a@b.example' }],
    ['an empty identifier', { identifier: '', password: 'x' }],
    ['a number as identifier', { identifier: 5, password: 'x' }],
    ['an unknown field', { identifier: 'a@b.example', password: 'x', remember: true }],
    ['a password over 1024 characters', { identifier: 'a@b.example', password: 'x'.repeat(1025) }],
  ])('refuses %s with validation_failed', async (_case, body) => {
    expectProblem(await call('POST', '/v1/auth/sign-in', { body }), 400, 'validation_failed');
  });
});

describe('POST /v1/auth/sign-out', () => {
  it('ends the token at once, and only that one', async () => {
    const first = await signIn(tenant.admin.email, tenant.admin.password);
    const second = await signIn(tenant.admin.email, tenant.admin.password);
    const answer = await call('POST', '/v1/auth/sign-out', { token: first });
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
    expectProblem(await call('GET', '/v1/me', { token: first }), 401, 'invalid_token');
    expectProblem(await call('POST', '/v1/auth/sign-out', { token: first }), 401, 'invalid_token');
    expect((await call('GET', '/v1/me', { token: second })).status).toBe(200);
  });

  it('needs a token', async () => {
    expectProblem(await call('POST', '/v1/auth/sign-out'), 401, 'authentication_required');
  });
});

describe('sessions', () => {
  const meStatus = async (token: string) => (await call('GET', '/v1/me', { token })).status;

  it('many sign-ins of one user at once all open a working session', async () => {
    const person = await insertUser(tenant, 'member');
    const tokens = await Promise.all(Array.from({ length: 10 }, () => signIn(person.email!, person.password)));
    expect(await Promise.all(tokens.map(meStatus))).toEqual(tokens.map(() => 200));
  });

  it(`a user keeps at most ${maxSessionsPerUser} sessions: one more sign-in ends the one that ends first`, async () => {
    const person = await insertUser(tenant, 'member');
    const tokens = [person.token];
    for (let index = 1; index < maxSessionsPerUser; index++) tokens.push(await signIn(person.email!, person.password));
    expect(await Promise.all(tokens.map(meStatus))).toEqual(tokens.map(() => 200));
    const newest = await signIn(person.email!, person.password);
    expect(await meStatus(newest)).toBe(200);
    expectProblem(await call('GET', '/v1/me', { token: tokens[0]! }), 401, 'invalid_token');
    expect(await Promise.all(tokens.slice(1).map(meStatus))).toEqual(tokens.slice(1).map(() => 200));
    const user = await getItem(keys.user(tenant.id, person.id));
    expect(Object.keys(user?.sessions as Record<string, string>)).toHaveLength(maxSessionsPerUser);
  });

  it('a wrong password leaves no session behind and ends none, also for a user at the cap', async () => {
    const person = await insertUser(tenant, 'member');
    const sessionsOf = async () => Object.keys((await getItem(keys.user(tenant.id, person.id)))?.sessions as Record<string, string>).sort();
    const wrong = () => call('POST', '/v1/auth/sign-in', { body: { identifier: person.email, password: 'not the password' }, from: otherAddress() });
    const before = await sessionsOf();
    expectProblem(await wrong(), 401, 'invalid_credentials');
    expect(await sessionsOf()).toEqual(before);

    const tokens = [person.token];
    for (let index = 1; index < maxSessionsPerUser; index++) tokens.push(await signIn(person.email!, person.password));
    const full = await sessionsOf();
    expect(full).toHaveLength(maxSessionsPerUser);
    expectProblem(await wrong(), 401, 'invalid_credentials');
    expect(await sessionsOf()).toEqual(full);
    expect(await meStatus(tokens[0]!)).toBe(200);
  });
});

describe('GET /v1/me', () => {
  it('shows who the caller is', async () => {
    const answer = await call('GET', '/v1/me', { token: tenant.admin.token });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      id: tenant.admin.id,
      email: tenant.admin.email,
      signInIdentifier: tenant.admin.email,
      role: 'admin',
      organization: { id: tenant.id, name: expect.any(String), domain: tenant.domain },
      groups: [],
      mustChangePassword: false,
    });
  });

  it.each([
    ['no Authorization header', {}, 'authentication_required'],
    ['a Basic scheme', { authorization: 'Basic YTpi' }, 'invalid_token'],
    ['a bearer without token', { authorization: 'Bearer' }, 'invalid_token'],
    ['a malformed token', { authorization: 'Bearer not-a-token' }, 'invalid_token'],
    ['a well-formed token nobody issued', { authorization: `Bearer em1.aaaa.bbbb.${'A'.repeat(43)}` }, 'invalid_token'],
  ])('refuses %s with 401', async (_case, headers, code) => {
    expectProblem(await call('GET', '/v1/me', { headers }), 401, code);
  });

  it('refuses a real token whose ids were swapped for another user', async () => {
    const other = await newTenant('swap');
    const [prefix, , , secret] = tenant.admin.token.split('.');
    const forged = [prefix, other.id, other.admin.id, secret].join('.');
    expectProblem(await call('GET', '/v1/me', { token: forged }), 401, 'invalid_token');
  });
});
