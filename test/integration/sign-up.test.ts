import { keys } from '../../shared/db/keys';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
  type TestTenant,
} from './support';

let tenant: TestTenant;
beforeAll(async () => {
  tenant = await newTenant('signup');
  await switchSignInWithoutEmail(tenant, true);
});

/** Moves an invitation's expiry into the past: the one way to test expiry without waiting a day. */
async function expire(tenantId: string, uid: string) {
  await db.send(
    new UpdateCommand({
      TableName: 'emailless',
      Key: keys.uidClaim(tenantId, uid),
      UpdateExpression: 'SET expiresAt = :past',
      ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
    }),
  );
}

describe('the whole flow, from switch to sign-in with uid:domain', () => {
  it('invites a member and a guest, who sign up, see their groups, sign out and sign in again', async () => {
    const flow = await newTenant('flow');
    const everyone = await createGroup(flow, 'Everyone', true);
    const drivers = await createGroup(flow, 'Drivers');
    expectProblem(
      await call('POST', '/v1/admin/invitations', { token: flow.admin.token, body: { invitations: [{ uid: 'E1', role: 'member' }] } }),
      403,
      'feature_disabled',
    );
    await switchSignInWithoutEmail(flow, true);
    const [member, guest] = await invite(flow, [
      { uid: 'E1042', role: 'member', groupIds: [drivers.id] },
      { uid: 'Visitor7', role: 'guest', groupIds: [drivers.id] },
    ]);

    const seen = await call('GET', `/v1/admin/invitations/${member!.id}/access-code`, { token: flow.admin.token });
    const typed = (seen.body.accessCode as string).toLowerCase().replace(/-/g, ' ');
    const verified = await call('POST', '/v1/sign-up/verify', { body: { accessCode: typed } });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({
      signInIdentifier: `E1042:${flow.domain}`,
      role: 'member',
      organization: { name: expect.any(String), domain: flow.domain },
      expiresAt: member!.expiresAt,
    });
    // Verifying spends nothing.
    expect((await call('POST', '/v1/sign-up/verify', { body: { accessCode: typed } })).status).toBe(200);

    const signedUp = await call<{ token: string; user: Record<string, unknown> }>('POST', '/v1/sign-up', { body: { accessCode: typed, password: 'my own secret' } });
    expect(signedUp.status).toBe(201);
    expect(signedUp.body.user).toMatchObject({ uid: 'E1042', signInIdentifier: `E1042:${flow.domain}`, role: 'member', mustChangePassword: false });
    const me = await call<{ groups: { id: string; name: string }[] }>('GET', '/v1/me', { token: signedUp.body.token });
    expect(me.body).toMatchObject({ uid: 'E1042', signInIdentifier: `E1042:${flow.domain}`, role: 'member', organization: { id: flow.id, domain: flow.domain } });
    expect(me.body).not.toHaveProperty('email');
    expect(me.body.groups.map((group) => group.name).sort()).toEqual(['Drivers', 'Everyone']);

    const guestSession = await signUp(guest!.accessCode);
    const guestMe = await call<{ groups: { id: string }[]; role: string }>('GET', '/v1/me', { token: guestSession.token });
    expect(guestMe.body.role).toBe('guest');
    expect(guestMe.body.groups).toEqual([{ id: drivers.id, name: 'Drivers' }]);
    expect(everyone.id).not.toBe(drivers.id);

    expect((await call('POST', '/v1/auth/sign-out', { token: signedUp.body.token })).status).toBe(204);
    expectProblem(await call('GET', '/v1/me', { token: signedUp.body.token }), 401, 'invalid_token');
    const again = await signIn(`e1042:${flow.domain.toUpperCase()}`, 'my own secret');
    expect((await call('GET', '/v1/me', { token: again })).body).toMatchObject({ uid: 'E1042' });

    const invitation = await call('GET', `/v1/admin/invitations/${member!.id}`, { token: flow.admin.token });
    expect(invitation.body).toMatchObject({ status: 'accepted', userId: signedUp.body.user.id, acceptedAt: expect.any(String) });
  });
});

describe('refusals', () => {
  it('a spent code', async () => {
    const [invitation] = await invite(tenant, [{ uid: 'Spent1', role: 'member' }]);
    await signUp(invitation!.accessCode);
    expectProblem(await call('POST', '/v1/sign-up', { body: { accessCode: invitation!.accessCode, password: 'another password' } }), 409, 'access_code_used');
    expectProblem(await call('POST', '/v1/sign-up/verify', { body: { accessCode: invitation!.accessCode } }), 409, 'access_code_used');
    expectProblem(await call('GET', `/v1/admin/invitations/${invitation!.id}/access-code`, { token: tenant.admin.token }), 409, 'invitation_not_pending');
  });

  it('a uid taken by a user who signed up', async () => {
    const [invitation] = await invite(tenant, [{ uid: 'Joined1', role: 'member' }]);
    await signUp(invitation!.accessCode);
    expectProblem(await call('POST', '/v1/admin/invitations', { token: tenant.admin.token, body: { invitations: [{ uid: 'JOINED1', role: 'guest' }] } }), 409, 'uid_taken');
    expectProblem(await call('DELETE', `/v1/admin/invitations/${invitation!.id}`, { token: tenant.admin.token }), 409, 'invitation_not_pending');
  });

  it('a revoked code, whose uid is free again', async () => {
    const [invitation] = await invite(tenant, [{ uid: 'Revoked1', role: 'member' }]);
    expect((await call('DELETE', `/v1/admin/invitations/${invitation!.id}`, { token: tenant.admin.token })).status).toBe(204);
    expectProblem(await call('POST', '/v1/sign-up', { body: { accessCode: invitation!.accessCode, password: 'a fine password' } }), 400, 'access_code_invalid');
    expect((await call('GET', `/v1/admin/invitations/${invitation!.id}`, { token: tenant.admin.token })).body).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
    const revokedList = await call<{ items: { id: string }[] }>('GET', '/v1/admin/invitations?status=revoked&q=revoked1', { token: tenant.admin.token });
    expect(revokedList.body.items.map((item) => item.id)).toEqual([invitation!.id]);
    const [again] = await invite(tenant, [{ uid: 'revoked1', role: 'guest' }]);
    expect(again!.id).not.toBe(invitation!.id);
    expectProblem(await call('DELETE', `/v1/admin/invitations/${invitation!.id}`, { token: tenant.admin.token }), 409, 'invitation_not_pending');
  });

  it('a replaced code: the old one stops working, the new one works and is the one shown', async () => {
    const [invitation] = await invite(tenant, [{ uid: 'Regen1', role: 'member' }]);
    const fresh = await call<{ accessCode: string; expiresAt: string }>('POST', `/v1/admin/invitations/${invitation!.id}/access-code`, { token: tenant.admin.token });
    expect(fresh.status).toBe(201);
    expect(fresh.body.accessCode).not.toBe(invitation!.accessCode);
    expectProblem(await call('POST', '/v1/sign-up/verify', { body: { accessCode: invitation!.accessCode } }), 400, 'access_code_invalid');
    expect((await call('GET', `/v1/admin/invitations/${invitation!.id}/access-code`, { token: tenant.admin.token })).body).toEqual(fresh.body);
    await expect(signUp(fresh.body.accessCode)).resolves.toMatchObject({ user: { uid: 'Regen1' } });
    const audit = (await tenantItems(tenant.id)).filter((item) => item.action === 'access_code.regenerated');
    expect(audit.map((item) => (item.target as { id: string }).id)).toContain(invitation!.id);
  });

  it('an expired code, which a new code revives', async () => {
    const [invitation] = await invite(tenant, [{ uid: 'Late1', role: 'member' }]);
    await expire(tenant.id, 'Late1');
    expectProblem(await call('POST', '/v1/sign-up/verify', { body: { accessCode: invitation!.accessCode } }), 410, 'access_code_expired');
    expectProblem(await call('POST', '/v1/sign-up', { body: { accessCode: invitation!.accessCode, password: 'a fine password' } }), 410, 'access_code_expired');
    expect((await call('GET', `/v1/admin/invitations/${invitation!.id}`, { token: tenant.admin.token })).body).toMatchObject({ status: 'expired' });
    const expired = await call<{ items: { uid: string }[] }>('GET', '/v1/admin/invitations?status=expired', { token: tenant.admin.token });
    expect(expired.body.items.map((item) => item.uid)).toContain('Late1');
    expectProblem(await call('GET', `/v1/admin/invitations/${invitation!.id}/access-code`, { token: tenant.admin.token }), 410, 'access_code_expired');
    const fresh = await call<{ accessCode: string }>('POST', `/v1/admin/invitations/${invitation!.id}/access-code`, { token: tenant.admin.token });
    await expect(signUp(fresh.body.accessCode)).resolves.toMatchObject({ user: { uid: 'Late1' } });
  });

  it.each([
    ['too short', 'ABCD-EFGH'],
    ['with a look-alike letter', 'ABCD-EFGH-IJKM-NPQR'],
    ['with a zero', '0BCD-EFGH-JKMN-PQRS'],
    ['with punctuation', 'ABCD.EFGH.JKMN.PQRS'],
  ])('a malformed code (%s)', async (_case, accessCode) => {
    expectProblem(await call('POST', '/v1/sign-up/verify', { body: { accessCode } }), 400, 'access_code_malformed');
  });

  it('a well-formed code nobody issued', async () => {
    expectProblem(await call('POST', '/v1/sign-up/verify', { body: { accessCode: 'ABCD-EFGH-JKMN-PQRS' } }), 400, 'access_code_invalid');
  });

  it('a weak password, leaving the code unspent', async () => {
    const [invitation] = await invite(tenant, [{ uid: 'Weak1', role: 'member' }]);
    expectProblem(await call('POST', '/v1/sign-up', { body: { accessCode: invitation!.accessCode, password: 'short' } }), 422, 'password_too_short');
    expectProblem(await call('POST', '/v1/sign-up', { body: { accessCode: invitation!.accessCode, password: 'x'.repeat(73) } }), 422, 'password_too_long');
    expect(await getItem(keys.uidClaim(tenant.id, 'weak1'))).toMatchObject({ status: 'pending' });
  });

  it('sign-up and uid sign-in while the switch is off, keeping the data', async () => {
    const paused = await newTenant('paused');
    await switchSignInWithoutEmail(paused, true);
    const [first, second] = await invite(paused, [
      { uid: 'P1', role: 'member' },
      { uid: 'P2', role: 'member' },
    ]);
    await signUp(first!.accessCode, 'paused password');
    await switchSignInWithoutEmail(paused, false);
    expectProblem(await call('POST', '/v1/sign-up/verify', { body: { accessCode: second!.accessCode } }), 403, 'feature_disabled');
    expectProblem(await call('POST', '/v1/sign-up', { body: { accessCode: second!.accessCode, password: 'a fine password' } }), 403, 'feature_disabled');
    expectProblem(await call('POST', '/v1/auth/sign-in', { body: { identifier: `P1:${paused.domain}`, password: 'paused password' } }), 403, 'feature_disabled');
    const listed = await call<{ items: unknown[] }>('GET', '/v1/admin/invitations', { token: paused.admin.token });
    expect(listed.body.items).toHaveLength(2);
    await switchSignInWithoutEmail(paused, true);
    await expect(signIn(`P1:${paused.domain}`, 'paused password')).resolves.toEqual(expect.any(String));
  });
});

describe('races', () => {
  it('of 50 concurrent sign-ups with one code, exactly one succeeds and the rest get a clear 4xx', async () => {
    const [invitation] = await invite(tenant, [{ uid: 'Race20', role: 'member' }]);
    // From 50 addresses: from one, at most 20 codes are checked at once (the per-address limit holds in flight too).
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => call('POST', '/v1/sign-up', { body: { accessCode: invitation!.accessCode, password: 'a fine password' }, from: otherAddress() })),
    );
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    for (const answer of answers.filter((answer) => answer.status !== 201)) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(['access_code_used', 'sign_up_in_progress']).toContain(answer.body.code);
    }
    const users = (await tenantItems(tenant.id)).filter((item) => item.type === 'user' && item.uid === 'Race20');
    expect(users).toHaveLength(1);
  });

  it('an admin password reset racing sign-ins with the old password leaves no old session alive', async () => {
    const [invitation] = await invite(tenant, [{ uid: 'Racer1', role: 'member' }]);
    const session = await signUp(invitation!.accessCode, 'the old password');
    const userId = session.user.id as string;
    // Fewer than the 10 failures that would lock the identifier.
    const signIns = Array.from({ length: 8 }, (_, index) =>
      new Promise((resolve) => setTimeout(resolve, index * 4)).then(() =>
        call<{ token: string }>('POST', '/v1/auth/sign-in', { body: { identifier: `Racer1:${tenant.domain}`, password: 'the old password' } }),
      ),
    );
    const reset = call('PUT', `/v1/admin/users/${userId}/password`, { token: tenant.admin.token, body: { password: 'the new password' } });
    const [resetAnswer, ...answers] = await Promise.all([reset, ...signIns]);
    expect(resetAnswer.status).toBe(204);
    const tokens = [session.token, ...answers.filter((answer) => answer.status === 200).map((answer) => answer.body.token)];
    for (const answer of answers) expect([200, 401]).toContain(answer.status);
    for (const token of tokens) expectProblem(await call('GET', '/v1/me', { token }), 401, 'invalid_token');
    expect((await call('POST', '/v1/auth/sign-in', { body: { identifier: `Racer1:${tenant.domain}`, password: 'the new password' } })).status).toBe(200);
  });
});
