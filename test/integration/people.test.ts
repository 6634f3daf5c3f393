import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/db/keys';
import {
  call,
  createGroup,
  db,
  expectProblem,
  getItem,
  invite,
  newTenant,
  otherAddress,
  signIn,
  signUp,
  switchSignInWithoutEmail,
  tenantItems,
  uniqueSuffix,
  type Answer,
  type TestTenant,
} from './support';
import { insertUser } from './principals';

/** People over time (issue 14): each route and rule, with the races that could break them. */

interface UserDetail {
  [field: string]: unknown;
  id: string;
  uid?: string;
  signInIdentifier: string;
  role: string;
  status: 'active' | 'deactivated';
  firstName?: string;
  lastName?: string;
  groups: { id: string; name: string }[];
  createdAt: string;
  lastSignInAt?: string;
  mustChangePassword: boolean;
  deactivatedAt?: string;
  resetCodeExpiresAt?: string;
}

interface AuditItem {
  action: string;
  actor: { kind: string; userId?: string; signInIdentifier?: string; name?: string };
  target: { type: string; id: string; signInIdentifier?: string; name?: string };
  details?: Record<string, unknown>;
}

let tenant: TestTenant;
const admin = () => ({ token: tenant.admin.token });

beforeAll(async () => {
  tenant = await newTenant('people');
  await switchSignInWithoutEmail(tenant, true);
});

/** A person who signed up with an invitation: their id, uid, password and first token. */
async function person(fields: Record<string, unknown> = {}) {
  const uid = `P${uniqueSuffix()}`;
  const [invitation] = await invite(tenant, [{ uid, role: 'member', ...fields }]);
  const password = `own-${uniqueSuffix()}-pw`;
  const session = await signUp(invitation!.accessCode, password);
  return { id: session.user.id as string, uid, password, token: session.token, identifier: `${uid}:${tenant.domain}`, invitationId: invitation!.id };
}

const detail = (userId: string) => call<UserDetail>('GET', `/v1/admin/users/${userId}`, admin());
const patch = (userId: string, body: unknown) => call<UserDetail>('PATCH', `/v1/admin/users/${userId}`, { ...admin(), body });
const act = (userId: string, action: 'deactivate' | 'reactivate', token = tenant.admin.token) => call<UserDetail>('POST', `/v1/admin/users/${userId}/${action}`, { token });
const me = (token: string) => call('GET', '/v1/me', { token });
const signInAs = (identifier: string, password: string, from = otherAddress()) => call<{ token: string }>('POST', '/v1/auth/sign-in', { body: { identifier, password }, from });

const ref = ({ id, name }: { id: string; name: string }) => ({ id, name });

async function auditOf(target: string, tenantOf = tenant): Promise<AuditItem[]> {
  const answer = await call<{ items: AuditItem[] }>('GET', '/v1/admin/audit?limit=100', { token: tenantOf.admin.token });
  expect(answer.status).toBe(200);
  return answer.body.items.filter((entry) => entry.target.id === target);
}

describe('GET and PATCH /v1/admin/users/{userId}', () => {
  it('shows names, status, groups and the last sign-in, and changes names, role and groups', async () => {
    const [crew, night] = [await createGroup(tenant, `Crew ${uniqueSuffix()}`), await createGroup(tenant, `Night ${uniqueSuffix()}`)];
    const ana = await person({ firstName: 'Ana', lastName: 'Lima', groupIds: [crew.id] });
    const shown = await detail(ana.id);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({
      id: ana.id,
      uid: ana.uid,
      signInIdentifier: ana.identifier,
      role: 'member',
      status: 'active',
      firstName: 'Ana',
      lastName: 'Lima',
      groups: [ref(crew)],
      createdAt: expect.any(String),
      lastSignInAt: expect.any(String),
      lastSignInDate: new Date().toISOString().slice(0, 10),
      mustChangePassword: false,
    });
    expect((await me(ana.token)).body).toMatchObject({ firstName: 'Ana', lastName: 'Lima' });

    const changed = await patch(ana.id, { firstName: 'Ana Maria', lastName: null, role: 'guest', groupIds: [night.id, night.id] });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ firstName: 'Ana Maria', role: 'guest', groups: [ref(night)] });
    expect(changed.body.lastName).toBeUndefined();
    expect((await detail(ana.id)).body).toEqual(changed.body);
    expect((await me(ana.token)).body).toMatchObject({ firstName: 'Ana Maria', role: 'guest', groups: [ref(night)] });
    // The invitation she accepted shows her names as they are now, not the old ones.
    const accepted = await call<Record<string, unknown>>('GET', `/v1/admin/invitations/${ana.invitationId}`, admin());
    expect([accepted.body.firstName, accepted.body.lastName]).toEqual(['Ana Maria', undefined]);

    const [entry] = await auditOf(ana.id);
    expect(entry).toMatchObject({ action: 'user.updated', target: { type: 'user', signInIdentifier: ana.identifier, name: 'Ana Maria' }, details: { changed: expect.arrayContaining(['firstName', 'lastName', 'role', 'groupIds']) } });
    expect(entry!.actor).toMatchObject({ kind: 'user', userId: tenant.admin.id, signInIdentifier: tenant.admin.email });
  });

  it('refuses unknown groups, empty patches and bad fields, and changes nothing', async () => {
    const bo = await person({ firstName: 'Bo' });
    const before = (await detail(bo.id)).body;
    expectProblem(await patch(bo.id, { groupIds: ['nosuchgroup'], firstName: 'Changed' }), 422, 'unknown_group');
    expectProblem(await patch(bo.id, {}), 400, 'validation_failed');
    expectProblem(await patch(bo.id, { role: 'admin' }), 400, 'validation_failed');
    expectProblem(await patch(bo.id, { uid: 'not a uid' }), 400, 'validation_failed');
    expectProblem(await patch(bo.id, { firstName: 'x'.repeat(101) }), 400, 'validation_failed');
    expect((await detail(bo.id)).body).toEqual(before);
    expectProblem(await patch('nosuchuser', { firstName: 'X' }), 404, 'not_found');
    expectProblem(await detail('nosuchuser'), 404, 'not_found');
  });

  it('renames a uid: the old identifier stops at once, the new one signs in, the old uid is free, the accepted invitation stays listed', async () => {
    const cy = await person({ firstName: 'Cy' });
    const newUid = `N${uniqueSuffix()}`;
    const renamed = await patch(cy.id, { uid: newUid });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ uid: newUid, signInIdentifier: `${newUid}:${tenant.domain}` });
    expectProblem(await signInAs(cy.identifier, cy.password), 401, 'invalid_credentials');
    expect((await signInAs(`${newUid}:${tenant.domain}`, cy.password)).status).toBe(200);
    // The person's open session goes on: they are the same person.
    expect((await me(cy.token)).body).toMatchObject({ uid: newUid });

    const invitation = await call<{ uid: string; status: string; userId: string }>('GET', `/v1/admin/invitations/${cy.invitationId}`, admin());
    expect(invitation.body).toMatchObject({ uid: cy.uid, status: 'accepted', userId: cy.id });
    const [again] = await invite(tenant, [{ uid: cy.uid, role: 'guest' }]);
    expect(again!.uid).toBe(cy.uid);

    // Renamed twice and back in case only: one claim each time, the listing follows.
    const third = `T${uniqueSuffix()}`;
    expect((await patch(cy.id, { uid: third })).status).toBe(200);
    expect((await patch(cy.id, { uid: third.toLowerCase() })).body.uid).toBe(third.toLowerCase());
    expect(await getItem(keys.uidClaim(tenant.id, newUid))).toBeUndefined();
    expect(await getItem(keys.uidClaim(tenant.id, third))).toMatchObject({ userId: cy.id, uid: third.toLowerCase() });
    const listed = await call<{ items: { id: string; uid: string }[] }>('GET', `/v1/admin/users?q=${third}`, admin());
    expect(listed.body.items.map((user) => [user.id, user.uid])).toEqual([[cy.id, third.toLowerCase()]]);
    const audit = (await auditOf(cy.id)).filter((entry) => entry.action === 'user.updated');
    expect(audit.map((entry) => entry.details)).toEqual(expect.arrayContaining([expect.objectContaining({ uidFrom: cy.uid, uidTo: newUid })]));
  });

  it('refuses a uid held by a user or a pending invitation, and a uid for a user with an email', async () => {
    const [dee, eve] = [await person(), await person()];
    const [pending] = await invite(tenant, [{ uid: `Q${uniqueSuffix()}`, role: 'member' }]);
    const taken = await patch(dee.id, { uid: eve.uid.toLowerCase() });
    expectProblem(taken, 409, 'uid_taken');
    expect(taken.body.uids).toEqual([eve.uid.toLowerCase()]);
    expectProblem(await patch(dee.id, { uid: pending!.uid, firstName: 'Not saved' }), 409, 'uid_taken');
    expect((await detail(dee.id)).body).toMatchObject({ uid: dee.uid });
    expect((await detail(dee.id)).body.firstName).toBeUndefined();
    expectProblem(await patch(tenant.admin.id, { uid: `A${uniqueSuffix()}` }), 409, 'user_has_email');
  });

  it('a rename racing an invitation of the same uid claims it once', async () => {
    for (let round = 0; round < 8; round++) {
      const fay = await person();
      const contested = `R${uniqueSuffix()}`;
      const [renamed, invited] = await Promise.all([
        patch(fay.id, { uid: contested }),
        call('POST', '/v1/admin/invitations', { ...admin(), body: { invitations: [{ uid: contested, role: 'member' }] } }),
      ]);
      expect([renamed.status, invited.status].sort()).toEqual(renamed.status === 200 ? [200, 409] : [201, 409]);
      const claim = await getItem(keys.uidClaim(tenant.id, contested));
      expect(claim?.type).toBe(renamed.status === 200 ? 'uidClaim' : 'invitation');
      expect((await detail(fay.id)).body.uid).toBe(renamed.status === 200 ? contested : fay.uid);
    }
  });
});

describe('deactivate and reactivate', () => {
  it('ends every session at once; the right password answers account_deactivated, a wrong one invalid_credentials; reactivation lets them back', async () => {
    const gus = await person({ firstName: 'Gus' });
    const second = (await signInAs(gus.identifier, gus.password)).body.token;
    const off = await act(gus.id, 'deactivate');
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ status: 'deactivated', deactivatedAt: expect.any(String) });
    for (const token of [gus.token, second]) expectProblem(await me(token), 401, 'invalid_token');
    expectProblem(await signInAs(gus.identifier, gus.password), 403, 'account_deactivated');
    expectProblem(await signInAs(gus.identifier, 'not the password'), 401, 'invalid_credentials');
    expect((await act(gus.id, 'deactivate')).body.status).toBe('deactivated');
    const item = await getItem(keys.user(tenant.id, gus.id));
    expect(item?.sessions).toEqual({});

    const listed = await call<{ items: { id: string; status: string }[] }>('GET', `/v1/admin/users?status=deactivated&q=${gus.uid}`, admin());
    expect(listed.body.items.map((user) => user.id)).toEqual([gus.id]);
    expect((await call<{ items: unknown[] }>('GET', `/v1/admin/users?status=active&q=${gus.uid}`, admin())).body.items).toEqual([]);

    const on = await act(gus.id, 'reactivate');
    expect(on.body.status).toBe('active');
    expect(on.body.deactivatedAt).toBeUndefined();
    const back = await signInAs(gus.identifier, gus.password);
    expect(back.status).toBe(200);
    expect((await me(back.body.token)).status).toBe(200);
    expect((await act(gus.id, 'reactivate')).body.status).toBe('active');
    expect((await auditOf(gus.id)).map((entry) => entry.action)).toEqual(expect.arrayContaining(['user.deactivated', 'user.reactivated']));
  });

  it('a deactivation racing sign-ins leaves no live session', async () => {
    const later = <T>(ms: number, send: () => Promise<T>) => new Promise<T>((resolve, reject) => setTimeout(() => send().then(resolve, reject), ms));
    for (let round = 0; round < 3; round++) {
      const hal = await person();
      const from = otherAddress();
      // Sign-ins start every 6 ms from before the deactivation to well after it, so some are mid-way when it lands.
      const signIns = Array.from({ length: 16 }, (_, index) =>
        later(index * 6, () => call<{ token: string }>('POST', '/v1/auth/sign-in', { body: { identifier: hal.identifier, password: hal.password }, from })),
      );
      const deactivated = await later(40, () => act(hal.id, 'deactivate'));
      const answers = await Promise.all(signIns);
      expect(deactivated.status).toBe(200);
      // More than 10 at once of one identifier meet the brute-force limit (429): refused as well.
      expect(answers.filter((answer) => ![200, 401, 403, 429].includes(answer.status)).map((answer) => answer.body)).toEqual([]);
      expect(answers.some((answer) => answer.status === 403)).toBe(true);
      const tokens = [hal.token, ...answers.filter((answer) => answer.status === 200).map((answer) => answer.body.token)];
      for (const token of tokens) expectProblem(await me(token), 401, 'invalid_token');
      expect((await getItem(keys.user(tenant.id, hal.id)))?.sessions).toEqual({});
    }
  });

  it('an admin never deactivates or deletes themself nor the last admin; two admins taking each other out at once leave one', async () => {
    const own = await newTenant('people-admins');
    expectProblem(await call('POST', `/v1/admin/users/${own.admin.id}/deactivate`, { token: own.admin.token }), 409, 'last_admin');
    expectProblem(await call('DELETE', `/v1/admin/users/${own.admin.id}`, { token: own.admin.token }), 409, 'last_admin');
    const second = await insertUser(own, 'admin');
    expectProblem(await call('PATCH', `/v1/admin/users/${own.admin.id}`, { token: own.admin.token, body: { role: 'member' } }), 409, 'last_admin');
    for (let round = 0; round < 3; round++) {
      const [first, other] = await Promise.all([
        call('POST', `/v1/admin/users/${second.id}/deactivate`, { token: own.admin.token }),
        call('POST', `/v1/admin/users/${own.admin.id}/deactivate`, { token: second.token }),
      ]);
      const statuses = [first.status, other.status];
      // One wins; the other is refused (last_admin), or finds its own session ended by the winner (401).
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      const active = await Promise.all([own.admin.id, second.id].map(async (id) => (await getItem(keys.user(own.id, id)))?.status));
      expect(active.filter((status) => status === 'active')).toHaveLength(1);
      expect((await getItem(keys.tenant(own.id)))?.activeAdmins).toBe(1);
      // Back to two admins, each signed in again.
      const [survivor, gone] = first.status === 200 ? [own.admin, { ...second, id: second.id }] : [{ ...second, id: second.id }, own.admin];
      const survivorToken = await signIn(survivor.email!, survivor.password);
      expect((await call('POST', `/v1/admin/users/${gone.id}/reactivate`, { token: survivorToken })).status).toBe(200);
      own.admin.token = await signIn(own.admin.email, own.admin.password);
      second.token = await signIn(second.email!, second.password);
    }
    expect((await getItem(keys.tenant(own.id)))?.activeAdmins).toBe(2);
  });
});

describe('DELETE /v1/admin/users/{userId}/sessions', () => {
  it('signs the person out everywhere; they sign in again with their password', async () => {
    const ida = await person();
    const other = (await signInAs(ida.identifier, ida.password)).body.token;
    const ended = await call('DELETE', `/v1/admin/users/${ida.id}/sessions`, admin());
    expect(ended.status).toBe(204);
    for (const token of [ida.token, other]) expectProblem(await me(token), 401, 'invalid_token');
    expect((await signInAs(ida.identifier, ida.password)).status).toBe(200);
    expect((await auditOf(ida.id)).map((entry) => entry.action)).toContain('user.signed_out_everywhere');
    expectProblem(await call('DELETE', '/v1/admin/users/nosuchuser/sessions', admin()), 404, 'not_found');
  });
});

describe('DELETE /v1/admin/users/{userId}', () => {
  it('removes the personal data and frees the uid; the audit log keeps the act without the name', async () => {
    const firstName = `Jo${uniqueSuffix()}`;
    const lastName = `Doe${uniqueSuffix()}`;
    const jo = await person({ firstName, lastName });
    // Renamed once, so that the accepted invitation sits under the old uid.
    const renamed = `J${uniqueSuffix()}`;
    expect((await patch(jo.id, { uid: renamed })).status).toBe(200);
    expect((await call('POST', `/v1/admin/users/${jo.id}/reset-code`, admin())).status).toBe(201);
    expect((await auditOf(jo.id))[0]?.target.name).toBe(`${firstName} ${lastName}`);

    const deleted = await call('DELETE', `/v1/admin/users/${jo.id}`, admin());
    expect(deleted.status).toBe(204);
    expectProblem(await detail(jo.id), 404, 'not_found');
    expectProblem(await call('DELETE', `/v1/admin/users/${jo.id}`, admin()), 404, 'not_found');
    expectProblem(await me(jo.token), 401, 'invalid_token');
    expectProblem(await signInAs(`${renamed}:${tenant.domain}`, jo.password), 401, 'invalid_credentials');

    // No item of the tenant holds the names any more, and the uid can be invited again.
    const text = JSON.stringify(await tenantItems(tenant.id));
    expect([text.includes(firstName), text.includes(lastName)]).toEqual([false, false]);
    expect((await invite(tenant, [{ uid: renamed, role: 'member' }]))[0]!.uid).toBe(renamed);
    const entries = await auditOf(jo.id);
    expect(entries.map((entry) => entry.action)).toEqual(expect.arrayContaining(['user.deleted', 'user.updated', 'reset_code.issued']));
    expect(JSON.stringify(entries)).not.toMatch(new RegExp(`${firstName}|${lastName}`));
    expect(entries.find((entry) => entry.action === 'user.deleted')?.target).toEqual({ type: 'user', id: jo.id, signInIdentifier: `${renamed}:${tenant.domain}` });
  });
});

describe('deletion racing a rename', () => {
  it('leaves either the renamed person or nothing of them: no names, no claim held by no one', async () => {
    for (let round = 0; round < 5; round++) {
      const lastName = `Race${uniqueSuffix()}`;
      const pia = await person({ firstName: 'Pia', lastName });
      const newUid = `W${uniqueSuffix()}`;
      const [deleted, renamed] = await Promise.all([call('DELETE', `/v1/admin/users/${pia.id}`, admin()), patch(pia.id, { uid: newUid })]);
      expect([204, 409]).toContain(deleted.status);
      expect([200, 404, 409]).toContain(renamed.status);
      if (deleted.status === 204) {
        expect(JSON.stringify(await tenantItems(tenant.id))).not.toContain(lastName);
        expect(await invite(tenant, [{ uid: newUid, role: 'guest' }, { uid: pia.uid, role: 'guest' }])).toHaveLength(2);
      } else {
        expect((await detail(pia.id)).status).toBe(200);
      }
    }
  });
});

describe('reset codes', () => {
  const issue = (userId: string) => call<{ resetCode: string; expiresAt: string }>('POST', `/v1/admin/users/${userId}/reset-code`, admin());
  const reset = (resetCode: string, newPassword: string, from = otherAddress()) =>
    call<{ token: string; user: { id: string; mustChangePassword: boolean }; deviceToken: string }>('POST', '/v1/password-reset', { body: { resetCode, newPassword }, from });

  it('an admin issues a code; the person chooses a password with it, is signed in, and every other session ends', async () => {
    const kim = await person({ firstName: 'Kim' });
    const issued = await issue(kim.id);
    expect(issued.status).toBe(201);
    expect(issued.body.resetCode).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    const hours = (Date.parse(issued.body.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(71.9);
    expect(hours).toBeLessThanOrEqual(72);
    expect((await detail(kim.id)).body.resetCodeExpiresAt).toBe(issued.body.expiresAt);

    const verified = await call('POST', '/v1/password-reset/verify', { body: { resetCode: issued.body.resetCode.toLowerCase().replace(/-/g, ' ') } });
    expect(verified.body).toEqual({ signInIdentifier: kim.identifier, organization: { name: tenant.name, domain: tenant.domain }, expiresAt: issued.body.expiresAt });

    const done = await reset(issued.body.resetCode, 'my brand new password');
    expect(done.status).toBe(200);
    expect(done.body.user).toMatchObject({ id: kim.id, mustChangePassword: false, firstName: 'Kim' });
    expect((await me(done.body.token)).status).toBe(200);
    expectProblem(await me(kim.token), 401, 'invalid_token');
    expect((await signInAs(kim.identifier, 'my brand new password')).status).toBe(200);
    expectProblem(await signInAs(kim.identifier, kim.password), 401, 'invalid_credentials');
    // Spent: neither the reset nor the check takes it again.
    expectProblem(await reset(issued.body.resetCode, 'yet another password'), 400, 'reset_code_invalid');
    expectProblem(await call('POST', '/v1/password-reset/verify', { body: { resetCode: issued.body.resetCode } }), 400, 'reset_code_invalid');
    expect((await detail(kim.id)).body.resetCodeExpiresAt).toBeUndefined();

    const actions = (await auditOf(kim.id)).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['reset_code.issued', 'password.reset_with_code']));
    const everything = JSON.stringify([await tenantItems(tenant.id), await call('GET', '/v1/admin/audit?limit=100', admin())]);
    expect(everything).not.toContain(issued.body.resetCode);
    expect(everything).not.toContain(issued.body.resetCode.replace(/-/g, ''));
  });

  it('a new code replaces the last; an expired code, a deactivated person and a user with email are refused', async () => {
    const lea = await person();
    const first = (await issue(lea.id)).body.resetCode;
    const second = (await issue(lea.id)).body.resetCode;
    expectProblem(await reset(first, 'a password of mine'), 400, 'reset_code_invalid');
    const tooShort = await reset(second, 'short');
    expectProblem(tooShort, 422, 'password_too_short');
    expect((tooShort.body as unknown as { errors: unknown }).errors).toEqual([{ path: 'newPassword', message: expect.any(String) }]);

    await db.send(new UpdateCommand({ TableName: 'emailless', Key: keys.user(tenant.id, lea.id), UpdateExpression: 'SET resetCodeExpiresAt = :past', ExpressionAttributeValues: { ':past': '2020-01-01T00:00:00.000Z' } }));
    expectProblem(await reset(second, 'a password of mine'), 410, 'reset_code_expired');

    const third = (await issue(lea.id)).body.resetCode;
    expect((await act(lea.id, 'deactivate')).status).toBe(200);
    expectProblem(await reset(third, 'a password of mine'), 403, 'account_deactivated');
    expect((await act(lea.id, 'reactivate')).status).toBe(200);
    expect((await reset(third, 'a password of mine')).status).toBe(200);

    expectProblem(await issue(tenant.admin.id), 409, 'user_has_email');
    expectProblem(await issue('nosuchuser'), 404, 'not_found');
  });

  it('uses the tenant\'s resetCodeTtlHours, and a password set by an admin ends a pending code', async () => {
    const own = await newTenant('people-ttl');
    await switchSignInWithoutEmail(own, true);
    expect((await call('PATCH', '/v1/admin/settings', { token: own.admin.token, body: { resetCodeTtlHours: 2 } })).body).toMatchObject({ resetCodeTtlHours: 2 });
    expectProblem(await call('PATCH', '/v1/admin/settings', { token: own.admin.token, body: { resetCodeTtlHours: 721 } }), 400, 'validation_failed');
    const [invitation] = await invite(own, [{ uid: `M${uniqueSuffix()}`, role: 'guest' }]);
    const user = (await signUp(invitation!.accessCode)).user.id as string;
    const issued = await call<{ resetCode: string; expiresAt: string }>('POST', `/v1/admin/users/${user}/reset-code`, { token: own.admin.token });
    expect(Math.round((Date.parse(issued.body.expiresAt) - Date.now()) / 60_000)).toBe(120);
    expect((await call('PUT', `/v1/admin/users/${user}/password`, { token: own.admin.token, body: { password: 'a temporary one', temporary: true } })).status).toBe(204);
    expectProblem(await reset(issued.body.resetCode, 'a password of mine'), 400, 'reset_code_invalid');
  });

  it('opens nothing while the organisation has sign-in without email off', async () => {
    const own = await newTenant('people-off');
    await switchSignInWithoutEmail(own, true);
    const [invitation] = await invite(own, [{ uid: `F${uniqueSuffix()}`, role: 'member' }]);
    const user = (await signUp(invitation!.accessCode)).user.id as string;
    const issued = await call<{ resetCode: string }>('POST', `/v1/admin/users/${user}/reset-code`, { token: own.admin.token });
    await switchSignInWithoutEmail(own, false);
    expectProblem(await reset(issued.body.resetCode, 'a password of mine'), 403, 'feature_disabled');
    expectProblem(await call('POST', `/v1/admin/users/${user}/reset-code`, { token: own.admin.token }), 403, 'feature_disabled');
    await switchSignInWithoutEmail(own, true);
    expect((await reset(issued.body.resetCode, 'a password of mine')).status).toBe(200);
  });

  it('wrong codes count against the client address', async () => {
    const from = otherAddress();
    const guesses: Answer[] = [];
    for (let attempt = 0; attempt < 25; attempt++) guesses.push(await reset('ABCD-EFGH-JKMN-PQRS', 'a password of mine', from));
    const statuses = new Set(guesses.map((answer) => answer.status));
    expect([...statuses].sort()).toEqual([400, 429]);
    const refused = guesses.find((answer) => answer.status === 429)!;
    expectProblem(refused, 429, 'too_many_attempts');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('GET /v1/admin/users', () => {
  it('filters by group and status, and shows names and groups', async () => {
    const team = await createGroup(tenant, `Team ${uniqueSuffix()}`);
    const [ned, ola] = [await person({ firstName: 'Ned', groupIds: [team.id] }), await person({ firstName: 'Ola' })];
    const inTeam = await call<{ items: { id: string; firstName?: string; groups: unknown[] }[] }>('GET', `/v1/admin/users?groupId=${team.id}`, admin());
    expect(inTeam.body.items.map((user) => [user.id, user.firstName, user.groups])).toEqual([[ned.id, 'Ned', [ref(team)]]]);
    const both = await call<{ items: { id: string }[] }>('GET', `/v1/admin/users?status=active&limit=100`, admin());
    expect(both.body.items.map((user) => user.id)).toEqual(expect.arrayContaining([ned.id, ola.id]));
    expectProblem(await call('GET', '/v1/admin/users?status=gone', admin()), 400, 'validation_failed');
    expectProblem(await call('GET', '/v1/admin/users?groupId=NOT-AN-ID', admin()), 400, 'validation_failed');
  });
});

describe('the audit log', () => {
  it('records a failed import as failed', async () => {
    const created = await call<{ id: string; uploadUrl: string; uploadHeaders: Record<string, string> }>('POST', '/v1/admin/imports', { ...admin(), body: { fileName: 'broken.xlsx' } });
    const upload = await fetch(created.body.uploadUrl, { method: 'PUT', headers: created.body.uploadHeaders, body: Buffer.from('this is not a workbook at all') });
    expect(upload.ok).toBe(true);
    const deadline = Date.now() + 30_000;
    let entries: AuditItem[] = [];
    while (Date.now() < deadline) {
      entries = await auditOf(created.body.id);
      if (entries.some((entry) => entry.action === 'import.failed')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(entries.find((entry) => entry.action === 'import.failed')).toMatchObject({ actor: { kind: 'system' }, target: { type: 'import', id: created.body.id }, details: { code: expect.any(String) } });
  });
});
