import { keys } from '../../shared/db/keys';
import { call, expectProblem, getItem, newTenant, operatorKey, signIn, uniqueSuffix } from './support';

const validBody = () => {
  const suffix = uniqueSuffix();
  return { name: `Acme ${suffix}`, domain: `acme-${suffix}.example`, admin: { email: `boss@acme-${suffix}.example`, password: 'correct horse battery' } };
};

describe('POST /v1/tenants', () => {
  it('creates the tenant with its first admin, who can sign in', async () => {
    const body = validBody();
    const answer = await call('POST', '/v1/tenants', { operator: true, body: { ...body, domain: body.domain.toUpperCase() } });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      tenant: { id: expect.any(String), name: body.name, domain: body.domain, settings: { signInWithoutEmail: false, accessCodeTtlDays: 30, resetCodeTtlHours: 72 } },
      admin: { id: expect.any(String), email: body.admin.email },
    });
    await expect(signIn(body.admin.email, body.admin.password)).resolves.toEqual(expect.any(String));
  });

  it('refuses a domain that another tenant has, in any letter case, and creates nothing', async () => {
    const first = validBody();
    expect((await call('POST', '/v1/tenants', { operator: true, body: first })).status).toBe(201);
    const second = { ...validBody(), domain: first.domain.toUpperCase() };
    expectProblem(await call('POST', '/v1/tenants', { operator: true, body: second }), 409, 'domain_taken');
    expect(await getItem(keys.emailClaim(second.admin.email))).toBeUndefined();
  });

  it('refuses an admin email that is already in use, and keeps the domain free', async () => {
    const first = validBody();
    expect((await call('POST', '/v1/tenants', { operator: true, body: first })).status).toBe(201);
    const second = { ...validBody(), admin: { ...first.admin, email: first.admin.email.toUpperCase() } };
    expectProblem(await call('POST', '/v1/tenants', { operator: true, body: second }), 409, 'email_taken');
    expect(await getItem(keys.domainClaim(second.domain))).toBeUndefined();
  });

  it('of many concurrent creations of one domain, exactly one succeeds', async () => {
    const domain = `race-${uniqueSuffix()}.example`;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        call('POST', '/v1/tenants', { operator: true, body: { name: 'Race', domain, admin: { email: `a${index}@${domain}`, password: 'long enough pw' } } }),
      ),
    );
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409 && answer.body.code === 'domain_taken')).toHaveLength(9);
  });

  it.each([
    ['no operator key', {}, 'invalid_operator_key', 401],
    ['a wrong operator key', { 'x-operator-key': 'wrong-key-wrong-key' }, 'invalid_operator_key', 401],
    ['a user token instead of the key', { authorization: 'Bearer em1.a.b.c' }, 'invalid_operator_key', 401],
  ])('refuses %s', async (_case, headers, code, status) => {
    const body = validBody();
    expectProblem(await call('POST', '/v1/tenants', { headers, body }), status, code);
    expect(await getItem(keys.domainClaim(body.domain))).toBeUndefined();
  });

  const bad: [string, (body: ReturnType<typeof validBody>) => unknown, number, string][] = [
    ['a missing name', ({ name: _name, ...rest }) => rest, 400, 'validation_failed'],
    ['an empty name', (body) => ({ ...body, name: '   ' }), 400, 'validation_failed'],
    ['a domain that is not a DNS name', (body) => ({ ...body, domain: 'not a domain' }), 400, 'validation_failed'],
    ['a domain without a dot', (body) => ({ ...body, domain: 'localhost' }), 400, 'validation_failed'],
    ['a bad admin email', (body) => ({ ...body, admin: { ...body.admin, email: 'nope' } }), 400, 'validation_failed'],
    ['a number as the password', (body) => ({ ...body, admin: { ...body.admin, password: 12345678 } }), 400, 'validation_failed'],
    ['an unknown field', (body) => ({ ...body, plan: 'gold' }), 400, 'validation_failed'],
    ['an array body', () => [], 400, 'validation_failed'],
    ['a 7-character password', (body) => ({ ...body, admin: { ...body.admin, password: '1234567' } }), 422, 'password_too_short'],
    ['a 73-byte password', (body) => ({ ...body, admin: { ...body.admin, password: 'é'.repeat(37) } }), 422, 'password_too_long'],
  ];
  it.each(bad)('refuses %s and creates nothing', async (_case, mutate, status, code) => {
    const body = validBody();
    const answer = await call('POST', '/v1/tenants', { operator: true, body: mutate(body) });
    expectProblem(answer, status, code);
    expect(await getItem(keys.domainClaim(body.domain))).toBeUndefined();
    expect(await getItem(keys.emailClaim(body.admin.email))).toBeUndefined();
  });

  it('names every wrong field', async () => {
    const answer = await call<{ errors: { path: string }[] }>('POST', '/v1/tenants', { operator: true, body: { domain: 'x', admin: {} } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error) => error.path).sort()).toEqual(['admin.email', 'admin.password', 'domain', 'name']);
  });

  it('accepts a password of exactly 72 bytes', async () => {
    const body = validBody();
    const password = 'é'.repeat(36);
    expect((await call('POST', '/v1/tenants', { operator: true, body: { ...body, admin: { ...body.admin, password } } })).status).toBe(201);
    await expect(signIn(body.admin.email, password)).resolves.toEqual(expect.any(String));
  });

  it('keeps the operator key out of its answers', async () => {
    const answer = await call('POST', '/v1/tenants', { headers: { 'x-operator-key': 'wrong-key-wrong-key' }, body: validBody() });
    expect(answer.text).not.toContain(operatorKey);
  });

  it('gives the tenant its own admin in the same transaction', async () => {
    const tenant = await newTenant('atomic');
    const user = await getItem(keys.user(tenant.id, tenant.admin.id));
    expect(user).toMatchObject({ role: 'admin', email: tenant.admin.email, mustChangePassword: false });
    expect(String(user?.passwordHash)).toMatch(/^\$2[aby]\$/);
    expect(JSON.stringify(user)).not.toContain(tenant.admin.password);
  });
});
