import { call, expectProblem, inOneThrottleWindow, invite, newTenant, otherAddress, signIn, signUp, switchSignInWithoutEmail, tenantItems, type TestTenant } from './support';

let tenant: TestTenant;
let worker: { id: string; token: string };
beforeAll(async () => {
  tenant = await newTenant('passwords');
  await switchSignInWithoutEmail(tenant, true);
  const [invitation] = await invite(tenant, [{ uid: 'W100', role: 'member' }]);
  const session = await signUp(invitation!.accessCode, 'first chosen password');
  worker = { id: session.user.id as string, token: session.token };
});

const identifier = () => `W100:${tenant.domain}`;

describe('an admin sets the password of a user without email', () => {
  it('ends their sessions, then forces a change before anything else works', async () => {
    const reset = await call('PUT', `/v1/admin/users/${worker.id}/password`, { token: tenant.admin.token, body: { password: 'temporary from admin' } });
    expect(reset.status).toBe(204);
    expectProblem(await call('GET', '/v1/me', { token: worker.token }), 401, 'invalid_token');
    expectProblem(await call('POST', '/v1/auth/sign-in', { body: { identifier: identifier(), password: 'first chosen password' } }), 401, 'invalid_credentials');

    const signedIn = await call<{ token: string; user: { mustChangePassword: boolean } }>('POST', '/v1/auth/sign-in', { body: { identifier: identifier(), password: 'temporary from admin' } });
    expect(signedIn.body.user.mustChangePassword).toBe(true);
    const token = signedIn.body.token;
    expect((await call('GET', '/v1/me', { token })).body).toMatchObject({ mustChangePassword: true });
    expectProblem(await call('GET', '/v1/admin/settings', { token }), 403, 'password_change_required');
    expectProblem(await call('GET', '/v1/admin/invitations', { token }), 403, 'password_change_required');
    expectProblem(
      await call('PUT', '/v1/me/password', { token, body: { currentPassword: 'temporary from admin', newPassword: 'temporary from admin' } }),
      422,
      'password_unchanged',
    );
    const other = await signIn(identifier(), 'temporary from admin');
    expect((await call('PUT', '/v1/me/password', { token, body: { currentPassword: 'temporary from admin', newPassword: 'my very own again' } })).status).toBe(204);
    expect((await call('GET', '/v1/me', { token })).body).toMatchObject({ mustChangePassword: false, uid: 'W100' });
    expectProblem(await call('GET', '/v1/me', { token: other }), 401, 'invalid_token');
    worker.token = await signIn(identifier(), 'my very own again');
    // A member now reaches member routes again (admin routes stay forbidden for the role).
    expectProblem(await call('GET', '/v1/admin/settings', { token: worker.token }), 403, 'forbidden');
    expect((await call('POST', '/v1/auth/sign-out', { token })).status).toBe(204);
  });

  it('with temporary false, the user goes straight on', async () => {
    await call('PUT', `/v1/admin/users/${worker.id}/password`, { token: tenant.admin.token, body: { password: 'permanent from admin', temporary: false } });
    const signedIn = await call<{ user: { mustChangePassword: boolean } }>('POST', '/v1/auth/sign-in', { body: { identifier: identifier(), password: 'permanent from admin' } });
    expect(signedIn.body.user.mustChangePassword).toBe(false);
  });

  it('records the reset in the audit log without the password', async () => {
    const audit = await call<{ items: { action: string; target: { id: string } }[] }>('GET', '/v1/admin/audit', { token: tenant.admin.token });
    const resets = audit.body.items.filter((entry) => entry.action === 'password.reset');
    expect(resets.length).toBeGreaterThanOrEqual(2);
    expect(resets[0]!.target.id).toBe(worker.id);
    expect(audit.text).not.toContain('temporary from admin');
    expect(audit.text).not.toContain('permanent from admin');
  });

  it('refuses a user with an email, another tenant\'s user, and bad passwords, changing nothing', async () => {
    expectProblem(await call('PUT', `/v1/admin/users/${tenant.admin.id}/password`, { token: tenant.admin.token, body: { password: 'whatever it is' } }), 409, 'user_has_email');
    const other = await newTenant('otherpw');
    expectProblem(await call('PUT', `/v1/admin/users/${worker.id}/password`, { token: other.admin.token, body: { password: 'whatever it is' } }), 404, 'not_found');
    const before = await tenantItems(tenant.id);
    for (const [password, status, code] of [
      ['short', 422, 'password_too_short'],
      ['x'.repeat(73), 422, 'password_too_long'],
      ['password123', 422, 'password_too_common'],
      ['Sunshine1', 422, 'password_too_common'],
    ] as const) {
      expectProblem(await call('PUT', `/v1/admin/users/${worker.id}/password`, { token: tenant.admin.token, body: { password } }), status, code);
    }
    expectProblem(await call('PUT', `/v1/admin/users/${worker.id}/password`, { token: tenant.admin.token, body: { password: 'long enough', temporary: 'no' } }), 400, 'validation_failed');
    expect(await tenantItems(tenant.id)).toEqual(before);
  });

  it('is for admins only', async () => {
    const token = await signIn(identifier(), 'permanent from admin');
    expectProblem(await call('PUT', `/v1/admin/users/${worker.id}/password`, { token, body: { password: 'member tries this' } }), 403, 'forbidden');
  });
});

describe('PUT /v1/me/password', () => {
  it('needs the current password, counting wrong ones', async () => {
    const admin = await newTenant('selfpw');
    const from = otherAddress();
    expectProblem(
      await call('PUT', '/v1/me/password', { token: admin.admin.token, body: { currentPassword: 'not it at all', newPassword: 'a brand new one' }, from }),
      403,
      'wrong_current_password',
    );
    expectProblem(await call('PUT', '/v1/me/password', { token: admin.admin.token, body: { currentPassword: admin.admin.password, newPassword: 'iloveyou' } }), 422, 'password_too_common');
    const second = await signIn(admin.admin.email, admin.admin.password);
    expect((await call('PUT', '/v1/me/password', { token: admin.admin.token, body: { currentPassword: admin.admin.password, newPassword: 'a brand new one' } })).status).toBe(204);
    expect((await call('GET', '/v1/me', { token: admin.admin.token })).status).toBe(200);
    expectProblem(await call('GET', '/v1/me', { token: second }), 401, 'invalid_token');
    await expect(signIn(admin.admin.email, 'a brand new one')).resolves.toEqual(expect.any(String));
  });

  it("counts wrong current passwords per session: an attacker's sign-in failures do not block it, ten wrong ones at once do", async () => {
    await inOneThrottleWindow();
    const owner = await newTenant('selfpw-limits');
    const attacker = otherAddress();
    for (let attempt = 0; attempt < 10; attempt++) await call('POST', '/v1/auth/sign-in', { body: { identifier: owner.admin.email, password: `guess ${attempt}` }, from: attacker });
    expectProblem(await call('POST', '/v1/auth/sign-in', { body: { identifier: owner.admin.email, password: owner.admin.password }, from: otherAddress() }), 429, 'too_many_attempts');
    // The identifier is held back for sign-in, yet the owner, signed in, changes the password.
    expect((await call('PUT', '/v1/me/password', { token: owner.admin.token, body: { currentPassword: owner.admin.password, newPassword: 'a brand new one' } })).status).toBe(204);
    const wrong = await Promise.all(
      Array.from({ length: 12 }, (_, index) => call('PUT', '/v1/me/password', { token: owner.admin.token, body: { currentPassword: `not it ${index}`, newPassword: 'another new one' } })),
    );
    expect(wrong.map((answer) => answer.status).sort()).toEqual([...Array(10).fill(403), 429, 429]);
  });
});

describe('GET /v1/admin/users', () => {
  it('finds users by uid or email prefix, case-insensitively, filtered by role', async () => {
    const directory = await newTenant('directory');
    await switchSignInWithoutEmail(directory, true);
    const invitations = await invite(directory, [
      { uid: 'Amy1', role: 'member' },
      { uid: 'Ben2', role: 'guest' },
      { uid: 'amz3', role: 'member' },
    ]);
    for (const invitation of invitations) await signUp(invitation.accessCode);
    const all = await call<{ items: { uid?: string; email?: string; role: string; signInIdentifier: string; id: string }[] }>('GET', '/v1/admin/users', { token: directory.admin.token });
    expect(all.body.items.map((user) => user.uid ?? user.email)).toEqual([directory.admin.email, 'Amy1', 'amz3', 'Ben2']);
    expect(all.body.items[1]).toEqual({ id: expect.any(String), uid: 'Amy1', signInIdentifier: `Amy1:${directory.domain}`, role: 'member', status: 'active', groups: [], createdAt: expect.any(String), lastSignInDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const am = await call<{ items: { uid: string }[] }>('GET', '/v1/admin/users?q=AM', { token: directory.admin.token });
    expect(am.body.items.map((user) => user.uid)).toEqual(['Amy1', 'amz3']);
    const guests = await call<{ items: { uid: string }[] }>('GET', '/v1/admin/users?role=guest', { token: directory.admin.token });
    expect(guests.body.items.map((user) => user.uid)).toEqual(['Ben2']);
    const byEmail = await call<{ items: { email: string }[] }>('GET', `/v1/admin/users?q=${encodeURIComponent(directory.admin.email.slice(0, 8))}`, { token: directory.admin.token });
    expect(byEmail.body.items.map((user) => user.email)).toEqual([directory.admin.email]);
    const paged = await call<{ items: unknown[]; nextCursor: string }>('GET', '/v1/admin/users?limit=2', { token: directory.admin.token });
    const rest = await call<{ items: unknown[]; nextCursor: null }>('GET', `/v1/admin/users?limit=2&cursor=${paged.body.nextCursor}`, { token: directory.admin.token });
    expect([...paged.body.items, ...rest.body.items]).toEqual(all.body.items);
    expectProblem(await call('GET', '/v1/admin/users?q=a%20b', { token: directory.admin.token }), 400, 'validation_failed');
    const other = await newTenant('nosy');
    const theirs = await call<{ items: unknown[] }>('GET', '/v1/admin/users', { token: other.admin.token });
    expect(theirs.body.items).toHaveLength(1);
  });
});
