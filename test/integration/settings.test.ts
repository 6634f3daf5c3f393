import { call, expectProblem, newTenant, tenantItems, type TestTenant } from './support';
import { insertUser } from './principals';

let tenant: TestTenant;
beforeAll(async () => {
  tenant = await newTenant('settings');
});

const auditEntries = async (tenantId: string) => (await tenantItems(tenantId)).filter((item) => item.type === 'audit');

describe('/v1/admin/settings', () => {
  it('starts with sign-in without email switched off and 30-day codes', async () => {
    const fresh = await newTenant('fresh');
    const answer = await call('GET', '/v1/admin/settings', { token: fresh.admin.token });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ signInWithoutEmail: false, accessCodeTtlDays: 30, resetCodeTtlHours: 72 });
  });

  it('changes only the settings named, keeps them, and records who changed what', async () => {
    const on = await call('PATCH', '/v1/admin/settings', { token: tenant.admin.token, body: { signInWithoutEmail: true } });
    expect(on.status).toBe(200);
    expect(on.body).toEqual({ signInWithoutEmail: true, accessCodeTtlDays: 30, resetCodeTtlHours: 72 });
    const ttl = await call('PATCH', '/v1/admin/settings', { token: tenant.admin.token, body: { accessCodeTtlDays: 7 } });
    expect(ttl.body).toEqual({ signInWithoutEmail: true, accessCodeTtlDays: 7, resetCodeTtlHours: 72 });
    expect((await call('GET', '/v1/admin/settings', { token: tenant.admin.token })).body).toEqual({ signInWithoutEmail: true, accessCodeTtlDays: 7, resetCodeTtlHours: 72 });
    const audit = await auditEntries(tenant.id);
    expect(audit.map((entry) => entry.details)).toEqual(
      expect.arrayContaining([{ changed: { signInWithoutEmail: true } }, { changed: { accessCodeTtlDays: 7 } }]),
    );
    expect(audit[0]).toMatchObject({ action: 'settings.updated', actor: { kind: 'user', userId: tenant.admin.id } });
  });

  it('two admins changing different settings at once both win', async () => {
    const fresh = await newTenant('concurrent');
    await Promise.all([
      call('PATCH', '/v1/admin/settings', { token: fresh.admin.token, body: { signInWithoutEmail: true } }),
      call('PATCH', '/v1/admin/settings', { token: fresh.admin.token, body: { accessCodeTtlDays: 90 } }),
    ]);
    expect((await call('GET', '/v1/admin/settings', { token: fresh.admin.token })).body).toEqual({ signInWithoutEmail: true, accessCodeTtlDays: 90, resetCodeTtlHours: 72 });
  });

  it.each([
    ['an empty patch', {}],
    ['a zero lifetime', { accessCodeTtlDays: 0 }],
    ['a lifetime over 365 days', { accessCodeTtlDays: 366 }],
    ['a fractional lifetime', { accessCodeTtlDays: 1.5 }],
    ['a string for a boolean', { signInWithoutEmail: 'yes' }],
    ['an unknown setting', { theme: 'dark' }],
    ['null', null],
  ])('refuses %s and changes nothing', async (_case, body) => {
    const before = await tenantItems(tenant.id);
    expectProblem(await call('PATCH', '/v1/admin/settings', { token: tenant.admin.token, body }), 400, 'validation_failed');
    expect(await tenantItems(tenant.id)).toEqual(before);
  });

  it('is for admins only', async () => {
    const member = await insertUser(tenant, 'member');
    const before = await tenantItems(tenant.id);
    expectProblem(await call('GET', '/v1/admin/settings', { token: member.token }), 403, 'forbidden');
    expectProblem(await call('PATCH', '/v1/admin/settings', { token: member.token, body: { signInWithoutEmail: false } }), 403, 'forbidden');
    expect(await tenantItems(tenant.id)).toEqual(before);
    expect((await call('GET', '/v1/me', { token: member.token })).body).toMatchObject({ role: 'member' });
  });

  it('answers 401 before looking at the body', async () => {
    expectProblem(await call('PATCH', '/v1/admin/settings', { body: { nonsense: 1 } }), 401, 'authentication_required');
  });

  it('shows each admin only their own organisation', async () => {
    const other = await newTenant('other');
    await call('PATCH', '/v1/admin/settings', { token: other.admin.token, body: { accessCodeTtlDays: 3 } });
    expect((await call('GET', '/v1/admin/settings', { token: tenant.admin.token })).body).not.toMatchObject({ accessCodeTtlDays: 3 });
  });
});
