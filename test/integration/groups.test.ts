import { keys } from '../../shared/db/keys';
import { call, createGroup, expectProblem, getItem, invite, newTenant, signUp, switchSignInWithoutEmail, tenantItems, type TestTenant } from './support';

let tenant: TestTenant;
beforeAll(async () => {
  tenant = await newTenant('groups');
});

describe('/v1/admin/groups', () => {
  it('creates, lists, renames, marks as default and deletes a group', async () => {
    const created = await call<{ id: string }>('POST', '/v1/admin/groups', { token: tenant.admin.token, body: { name: 'Night shift' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), name: 'Night shift', isDefault: false, createdAt: expect.any(String) });
    const id = created.body.id;

    const renamed = await call('PATCH', `/v1/admin/groups/${id}`, { token: tenant.admin.token, body: { name: 'Late shift', isDefault: true } });
    expect(renamed.body).toMatchObject({ id, name: 'Late shift', isDefault: true });
    const listed = await call<{ items: { id: string; name: string; isDefault: boolean }[] }>('GET', '/v1/admin/groups', { token: tenant.admin.token });
    expect(listed.body.items).toContainEqual(expect.objectContaining({ id, name: 'Late shift', isDefault: true }));

    expect((await call('DELETE', `/v1/admin/groups/${id}`, { token: tenant.admin.token })).status).toBe(204);
    expectProblem(await call('DELETE', `/v1/admin/groups/${id}`, { token: tenant.admin.token }), 404, 'not_found');
    // The old names are free again.
    expect((await call('POST', '/v1/admin/groups', { token: tenant.admin.token, body: { name: 'night SHIFT' } })).status).toBe(201);
  });

  it('keeps names unique, whatever their letter case', async () => {
    await createGroup(tenant, 'Kitchen');
    expectProblem(await call('POST', '/v1/admin/groups', { token: tenant.admin.token, body: { name: 'KITCHEN' } }), 409, 'group_name_taken');
    const other = await createGroup(tenant, 'Bar');
    expectProblem(await call('PATCH', `/v1/admin/groups/${other.id}`, { token: tenant.admin.token, body: { name: 'kitchen' } }), 409, 'group_name_taken');
    const recased = await call('PATCH', `/v1/admin/groups/${other.id}`, { token: tenant.admin.token, body: { name: 'BAR' } });
    expect(recased.body).toMatchObject({ name: 'BAR' });
  });

  it('pages through the groups with a cursor', async () => {
    const fresh = await newTenant('paging');
    for (const name of ['a', 'b', 'c', 'd', 'e']) await createGroup(fresh, name);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page: { body: { items: { name: string }[]; nextCursor: string | null } } = await call('GET', `/v1/admin/groups${query}`, { token: fresh.admin.token });
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((group) => group.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it.each([
    ['limit=0', 'validation_failed'],
    ['limit=101', 'validation_failed'],
    ['limit=ten', 'validation_failed'],
    ['cursor=garbage', 'invalid_cursor'],
    [`cursor=${Buffer.from(JSON.stringify({ sk: 'USER#x' })).toString('base64url')}`, 'invalid_cursor'],
  ])('refuses ?%s', async (query, code) => {
    expectProblem(await call('GET', `/v1/admin/groups?${query}`, { token: tenant.admin.token }), 400, code);
  });

  it.each([
    ['no name', {}],
    ['an empty name', { name: ' ' }],
    ['a 101-character name', { name: 'x'.repeat(101) }],
    ['a non-boolean isDefault', { name: 'ok', isDefault: 'yes' }],
  ])('refuses to create a group with %s, creating nothing', async (_case, body) => {
    const before = await tenantItems(tenant.id);
    expectProblem(await call('POST', '/v1/admin/groups', { token: tenant.admin.token, body }), 400, 'validation_failed');
    expect(await tenantItems(tenant.id)).toEqual(before);
  });

  it('answers 404 for another tenant\'s group, and changes nothing there', async () => {
    const other = await newTenant('foreign');
    const foreign = await createGroup(other, 'Theirs');
    expectProblem(await call('PATCH', `/v1/admin/groups/${foreign.id}`, { token: tenant.admin.token, body: { name: 'Mine' } }), 404, 'not_found');
    expectProblem(await call('DELETE', `/v1/admin/groups/${foreign.id}`, { token: tenant.admin.token }), 404, 'not_found');
    const theirs = await call<{ items: { name: string }[] }>('GET', '/v1/admin/groups', { token: other.admin.token });
    expect(theirs.body.items.map((group) => group.name)).toEqual(['Theirs']);
    const mine = await call<{ items: { id: string }[] }>('GET', '/v1/admin/groups', { token: tenant.admin.token });
    expect(mine.body.items.map((group) => group.id)).not.toContain(foreign.id);
  });

  it('answers 404 for an id that cannot exist', async () => {
    expectProblem(await call('DELETE', `/v1/admin/groups/${'x'.repeat(300)}`, { token: tenant.admin.token }), 404, 'not_found');
    expectProblem(await call('DELETE', '/v1/admin/groups/a%2Fb', { token: tenant.admin.token }), 404, 'not_found');
  });

  it('GET /v1/me shows a member\'s groups as they are now: renamed, deleted, also in the group directory', async () => {
    const fresh = await newTenant('groupnames');
    await switchSignInWithoutEmail(fresh, true);
    const day = await createGroup(fresh, 'Day shift', true);
    const dock = await createGroup(fresh, 'Dock', true);
    const [invitation] = await invite(fresh, [{ uid: 'Named1', role: 'member' }]);
    const { token } = await signUp(invitation!.accessCode);
    const groupsOfMe = async () => (await call<{ groups: { id: string; name: string }[] }>('GET', '/v1/me', { token })).body.groups;
    expect(await groupsOfMe()).toEqual(expect.arrayContaining([{ id: day.id, name: 'Day shift' }, { id: dock.id, name: 'Dock' }]));

    expect((await call('PATCH', `/v1/admin/groups/${day.id}`, { token: fresh.admin.token, body: { name: 'Early shift' } })).status).toBe(200);
    expect((await call('PATCH', `/v1/admin/groups/${dock.id}`, { token: fresh.admin.token, body: { name: 'DOCK' } })).status).toBe(200);
    expect(await groupsOfMe()).toEqual(expect.arrayContaining([{ id: day.id, name: 'Early shift' }, { id: dock.id, name: 'DOCK' }]));
    expect((await call('DELETE', `/v1/admin/groups/${dock.id}`, { token: fresh.admin.token })).status).toBe(204);
    expect(await groupsOfMe()).toEqual([{ id: day.id, name: 'Early shift' }]);

    // The directory holds exactly the groups that exist, by name.
    const directory = await getItem(keys.groupDirectory(fresh.id));
    expect(directory).toMatchObject({ [`group:${day.id}`]: 'Early shift' });
    expect(directory?.[`group:${dock.id}`]).toBeUndefined();
  });
});
