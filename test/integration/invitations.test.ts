import { keys } from '../../shared/db/keys';
import { call, createGroup, expectProblem, getItem, invite, newTenant, switchSignInWithoutEmail, tenantItems, type CreatedInvitation, type TestTenant } from './support';
import { insertUser } from './principals';

let tenant: TestTenant;
beforeAll(async () => {
  tenant = await newTenant('invite');
  await switchSignInWithoutEmail(tenant, true);
});

const codeFormat = /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;

describe('POST /v1/admin/invitations', () => {
  it('invites a member and a guest, each with a readable one-time code', async () => {
    const group = await createGroup(tenant, 'Warehouse');
    const [member, guest] = await invite(tenant, [
      { uid: 'E1042', role: 'member', groupIds: [group.id], firstName: 'Ada', lastName: 'Lovelace' },
      { uid: 'G7', role: 'guest' },
    ]);
    expect(member).toEqual({
      id: expect.any(String),
      uid: 'E1042',
      role: 'member',
      status: 'pending',
      signInIdentifier: `E1042:${tenant.domain}`,
      accessCode: expect.stringMatching(codeFormat),
      expiresAt: expect.any(String),
      groupIds: [group.id],
      firstName: 'Ada',
      lastName: 'Lovelace',
      createdAt: expect.any(String),
    });
    expect(guest).toMatchObject({ uid: 'G7', role: 'guest', groupIds: [] });
    expect(member!.accessCode).not.toBe(guest!.accessCode);
    const days = (Date.parse(member!.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
  });

  it('keeps the code out of the table in clear text', async () => {
    const [invitation] = await invite(tenant, [{ uid: 'Secret1', role: 'member' }]);
    const raw = JSON.stringify(await tenantItems(tenant.id));
    const canonical = invitation!.accessCode.replace(/-/g, '');
    expect(raw).not.toContain(canonical);
    expect(raw).not.toContain(invitation!.accessCode);
  });

  it('refuses a uid that is taken, in any letter case, by a pending invitation or a user, naming each', async () => {
    await invite(tenant, [{ uid: 'Taken1', role: 'member' }]);
    const answer = await call<{ uids: string[] }>('POST', '/v1/admin/invitations', {
      token: tenant.admin.token,
      body: { invitations: [{ uid: 'fresh9', role: 'member' }, { uid: 'TAKEN1', role: 'guest' }] },
    });
    expectProblem(answer, 409, 'uid_taken');
    expect(answer.body.uids).toEqual(['TAKEN1']);
    // All or nothing: the fresh uid was not invited either.
    expect(await getItem(keys.uidClaim(tenant.id, 'fresh9'))).toBeUndefined();
  });

  it('refuses duplicates inside one request', async () => {
    const answer = await call<{ uids: string[] }>('POST', '/v1/admin/invitations', {
      token: tenant.admin.token,
      body: { invitations: [{ uid: 'Dup1', role: 'member' }, { uid: 'dup1', role: 'member' }] },
    });
    expectProblem(answer, 409, 'uid_taken');
    expect(answer.body.uids).toEqual(['dup1']);
    expect(await getItem(keys.uidClaim(tenant.id, 'dup1'))).toBeUndefined();
  });

  it('lets the same uid exist in two tenants', async () => {
    const other = await newTenant('twin');
    await switchSignInWithoutEmail(other, true);
    await invite(tenant, [{ uid: 'Twin1', role: 'member' }]);
    await expect(invite(other, [{ uid: 'Twin1', role: 'member' }])).resolves.toHaveLength(1);
  });

  it('of 50 concurrent invitations of one uid, in single calls and inside batches, exactly one succeeds', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) => {
        const contested = { uid: index % 2 ? 'RACE1' : 'race1', role: 'member' };
        // Every third call carries the contested uid inside a batch of fresh ones.
        const invitations = index % 3 === 0 ? [{ uid: `Solo${index}a`, role: 'guest' }, contested, { uid: `Solo${index}b`, role: 'member' }] : [contested];
        return call('POST', '/v1/admin/invitations', { token: tenant.admin.token, body: { invitations } });
      }),
    );
    const winners = answers.filter((answer) => answer.status === 201);
    expect(winners).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409 && answer.body.code === 'uid_taken')).toHaveLength(49);
    const claims = (await tenantItems(tenant.id)).filter((item) => item.type === 'invitation');
    expect(claims.filter((item) => item.pk === keys.uidClaim(tenant.id, 'race1').pk)).toHaveLength(1);
    // The losing batches were all or nothing: none of their fresh uids exists, unless the batch won.
    const soloUids = claims.map((item) => String(item.uid)).filter((uid) => uid.startsWith('Solo'));
    expect(soloUids.length === 0 || soloUids.length === 2).toBe(true);
  });

  it('refuses groups of another tenant', async () => {
    const other = await newTenant('groupless');
    const foreign = await createGroup(other, 'Foreign');
    const answer = await call('POST', '/v1/admin/invitations', { token: tenant.admin.token, body: { invitations: [{ uid: 'Grp1', role: 'member', groupIds: [foreign.id] }] } });
    expectProblem(answer, 422, 'unknown_group');
    expect(await getItem(keys.uidClaim(tenant.id, 'grp1'))).toBeUndefined();
  });

  it.each([
    ['no invitations', { invitations: [] }],
    ['101 invitations', { invitations: Array.from({ length: 101 }, (_, index) => ({ uid: `U${index}`, role: 'member' })) }],
    ['a uid with a hyphen', { invitations: [{ uid: 'E-1', role: 'member' }] }],
    ['a uid with an accent', { invitations: [{ uid: 'Éric', role: 'member' }] }],
    ['a 65-character uid', { invitations: [{ uid: 'a'.repeat(65), role: 'member' }] }],
    ['an empty uid', { invitations: [{ uid: '', role: 'member' }] }],
    ['the admin role', { invitations: [{ uid: 'Boss', role: 'admin' }] }],
    ['no role', { invitations: [{ uid: 'NoRole' }] }],
    ['an unknown field', { invitations: [{ uid: 'X1', role: 'member', email: 'x@y.example' }] }],
  ])('refuses %s and writes nothing', async (_case, body) => {
    const before = await tenantItems(tenant.id);
    expectProblem(await call('POST', '/v1/admin/invitations', { token: tenant.admin.token, body }), 400, 'validation_failed');
    expect(await tenantItems(tenant.id)).toEqual(before);
  });

  it('is refused while sign-in without email is off', async () => {
    const off = await newTenant('off');
    const answer = await call('POST', '/v1/admin/invitations', { token: off.admin.token, body: { invitations: [{ uid: 'A1', role: 'member' }] } });
    expectProblem(answer, 403, 'feature_disabled');
    expect(await getItem(keys.uidClaim(off.id, 'a1'))).toBeUndefined();
  });

  it('is for admins only', async () => {
    const member = await insertUser(tenant, 'member');
    expectProblem(await call('POST', '/v1/admin/invitations', { token: member.token, body: { invitations: [{ uid: 'M1', role: 'member' }] } }), 403, 'forbidden');
    expectProblem(await call('GET', '/v1/admin/invitations', { token: member.token }), 403, 'forbidden');
  });
});

describe('reading invitations and their codes', () => {
  let reader: TestTenant;
  let invitations: CreatedInvitation[];
  beforeAll(async () => {
    reader = await newTenant('reader');
    await switchSignInWithoutEmail(reader, true);
    invitations = await invite(reader, [
      { uid: 'B2', role: 'member' },
      { uid: 'A1', role: 'guest' },
      { uid: 'A10', role: 'member' },
      { uid: 'C3', role: 'member' },
    ]);
  });

  it('lists invitations in uid order without codes, filtered by prefix, role and status', async () => {
    const all = await call<{ items: Record<string, unknown>[]; nextCursor: string | null }>('GET', '/v1/admin/invitations', { token: reader.admin.token });
    expect(all.body.items.map((item) => item.uid)).toEqual(['A1', 'A10', 'B2', 'C3']);
    expect(all.body.nextCursor).toBeNull();
    expect(JSON.stringify(all.body)).not.toMatch(/accessCode|codeHash|codeCiphertext/);
    const prefixed = await call<{ items: { uid: string }[] }>('GET', '/v1/admin/invitations?q=a', { token: reader.admin.token });
    expect(prefixed.body.items.map((item) => item.uid)).toEqual(['A1', 'A10']);
    const guests = await call<{ items: { uid: string }[] }>('GET', '/v1/admin/invitations?role=guest', { token: reader.admin.token });
    expect(guests.body.items.map((item) => item.uid)).toEqual(['A1']);
    const accepted = await call<{ items: unknown[] }>('GET', '/v1/admin/invitations?status=accepted', { token: reader.admin.token });
    expect(accepted.body.items).toEqual([]);
    const paged = await call<{ items: { uid: string }[]; nextCursor: string }>('GET', '/v1/admin/invitations?limit=3&status=pending', { token: reader.admin.token });
    expect(paged.body.items.map((item) => item.uid)).toEqual(['A1', 'A10', 'B2']);
    const next = await call<{ items: { uid: string }[] }>('GET', `/v1/admin/invitations?limit=3&status=pending&cursor=${paged.body.nextCursor}`, { token: reader.admin.token });
    expect(next.body.items.map((item) => item.uid)).toEqual(['C3']);
  });

  it.each([['status=lost'], ['role=admin'], ['q=a-b'], ['limit=500'], ['unknown=1']])('refuses ?%s', async (query) => {
    expectProblem(await call('GET', `/v1/admin/invitations?${query}`, { token: reader.admin.token }), 400, 'validation_failed');
  });

  it('gets one invitation without its code, and shows the code to an admin, recording that', async () => {
    const target = invitations[0]!;
    const one = await call('GET', `/v1/admin/invitations/${target.id}`, { token: reader.admin.token });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: target.id, uid: 'B2', status: 'pending' });
    expect(one.body).not.toHaveProperty('accessCode');
    const code = await call('GET', `/v1/admin/invitations/${target.id}/access-code`, { token: reader.admin.token });
    expect(code.body).toEqual({ accessCode: target.accessCode, expiresAt: target.expiresAt });
    const audit = (await tenantItems(reader.id)).filter((item) => item.action === 'access_code.viewed');
    expect(audit).toEqual([expect.objectContaining({ actor: expect.objectContaining({ kind: 'user', userId: reader.admin.id }), target: expect.objectContaining({ type: 'invitation', id: target.id }) })]);
    expect(JSON.stringify(audit)).not.toContain(target.accessCode);
  });

  it('answers 404 for another tenant\'s invitation on every invitation route', async () => {
    const target = invitations[3]!;
    const other = await newTenant('snoop');
    for (const [method, path] of [
      ['GET', `/v1/admin/invitations/${target.id}`],
      ['GET', `/v1/admin/invitations/${target.id}/access-code`],
      ['POST', `/v1/admin/invitations/${target.id}/access-code`],
      ['DELETE', `/v1/admin/invitations/${target.id}`],
    ] as const) {
      expectProblem(await call(method, path, { token: other.admin.token }), 404, 'not_found');
    }
    expect((await call('GET', `/v1/admin/invitations/${target.id}`, { token: reader.admin.token })).body).toMatchObject({ status: 'pending' });
    expectProblem(await call('GET', '/v1/admin/invitations/nonsense', { token: reader.admin.token }), 404, 'not_found');
    expectProblem(await call('GET', `/v1/admin/invitations/${target.id.replace(/.$/, 'a')}x`, { token: reader.admin.token }), 404, 'not_found');
  });
});
