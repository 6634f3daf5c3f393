import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { keys } from '../../shared/db/keys';
import { apiKeyScopes, maxApiKeysPerTenant } from '../../shared/schemas/api-keys';
import { throttleLimits } from '../../shared/domain/throttle';
import {
  call,
  expectProblem,
  getItem,
  inOneThrottleWindow,
  invite,
  newTenant,
  otherAddress,
  switchSignInWithoutEmail,
  signUp,
  tenantItems,
  uniqueSuffix,
  type Answer,
  type CallOptions,
  type TestTenant,
} from './support';

/**
 * Tenant API keys as a tenant's systems use them: made by an admin, sent as a bearer token,
 * held to their scopes, revoked at once, limited, and never shown again or written anywhere.
 */
interface CreatedKey {
  id: string;
  name: string;
  scopes: string[];
  key: string;
  createdAt: string;
}

interface AuditItem {
  action: string;
  actor: Record<string, unknown>;
  target: Record<string, unknown>;
  details?: Record<string, unknown>;
}

let tenant: TestTenant;
let other: TestTenant;
/** Every key this file was given, so that the last tests can look for them everywhere. */
const issued: string[] = [];
let lastRequestId = '';

/** The test stack's limit a minute (infra/local/stack.ts sets API_KEY_REQUESTS_PER_MINUTE). */
const perMinute = 10;

async function tracked<T>(answer: Promise<Answer<T>>): Promise<Answer<T>> {
  const done = await answer;
  lastRequestId = done.headers.get('x-request-id') ?? lastRequestId;
  return done;
}

async function createKey(owner: TestTenant, scopes: readonly string[], name = `script ${uniqueSuffix()}`): Promise<CreatedKey> {
  const answer = await tracked(call<CreatedKey>('POST', '/v1/admin/api-keys', { token: owner.admin.token, body: { name, scopes } }));
  if (answer.status !== 201) throw new Error(`key not created: ${answer.status} ${answer.text}`);
  issued.push(answer.body.key);
  return answer.body;
}

const withKey = (key: string, method: string, path: string, options: CallOptions = {}) => tracked(call(method, path, { ...options, token: key }));
const listKeys = async (owner: TestTenant) => (await call<{ items: Record<string, unknown>[] }>('GET', '/v1/admin/api-keys', { token: owner.admin.token })).body.items;
const secretOf = (key: string) => key.split('_').slice(3).join('_');

async function auditEntries(owner: TestTenant): Promise<AuditItem[]> {
  const entries: AuditItem[] = [];
  let cursor: string | null = null;
  do {
    const page: Answer<{ items: AuditItem[]; nextCursor: string | null }> = await call('GET', `/v1/admin/audit?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      token: owner.admin.token,
    });
    expect(page.status).toBe(200);
    entries.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return entries;
}

const statuses = (answers: Answer<unknown>[]) => answers.reduce<Record<number, number>>((counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});

/** Waits, if needed, so that `seconds` fit in the current minute (a key's rate window). */
async function inOneMinute(seconds: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

beforeAll(async () => {
  [tenant, other] = await Promise.all([newTenant('apikeys'), newTenant('apikeys-other')]);
  await Promise.all([switchSignInWithoutEmail(tenant, true), switchSignInWithoutEmail(other, true)]);
});

describe('an admin makes, lists and revokes keys', () => {
  it('shows the key once; the list has every field but the key, and the last use once there is one', async () => {
    const created = await createKey(tenant, ['invitations', 'users'], 'HR integration');
    expect(created).toEqual({ id: expect.stringMatching(/^[a-z0-9]+$/), name: 'HR integration', scopes: ['invitations', 'users'], key: expect.any(String), createdAt: expect.any(String) });
    expect(created.key).toMatch(new RegExp(`^emk_${tenant.id}_${created.id}_[A-Za-z0-9_-]{43}$`));

    const listed = (await listKeys(tenant)).find((key) => key.id === created.id);
    expect(listed).toEqual({ id: created.id, name: 'HR integration', scopes: ['invitations', 'users'], createdAt: created.createdAt });

    expect((await withKey(created.key, 'GET', '/v1/admin/invitations')).status).toBe(200);
    const used = (await listKeys(tenant)).find((key) => key.id === created.id)!;
    expect(used.lastUsedAt).toEqual(expect.any(String));
    expect(Date.parse(used.lastUsedAt as string)).toBeGreaterThanOrEqual(Date.parse(created.createdAt));
    expect(JSON.stringify(await listKeys(tenant))).not.toContain(secretOf(created.key));

    // Stored only as the secret's hash.
    const item = await getItem(keys.apiKey(tenant.id, created.id));
    expect(item?.secretHash).toBe(createHash('sha256').update(secretOf(created.key)).digest('hex'));
    expect(JSON.stringify(item)).not.toContain(secretOf(created.key));
  });

  it('scopes are listed once each, in a fixed order', async () => {
    const created = await createKey(tenant, ['users', 'groups', 'users']);
    expect(created.scopes).toEqual(['users', 'groups']);
  });

  it('refuses bad bodies with 400 and makes nothing', async () => {
    const before = await tenantItems(tenant.id);
    for (const body of [{ name: 'x', scopes: ['admin'] }, { name: 'x', scopes: [] }, { scopes: ['users'] }, { name: '', scopes: ['users'] }, { name: 'x', scopes: ['users'], key: 'mine' }]) {
      expectProblem(await call('POST', '/v1/admin/api-keys', { token: tenant.admin.token, body }), 400, 'validation_failed');
    }
    expect(await tenantItems(tenant.id)).toEqual(before);
  });

  it('a member cannot make a key', async () => {
    const [invitation] = await invite(tenant, [{ uid: `M${uniqueSuffix()}`, role: 'member' }]);
    const session = await call<{ token: string }>('POST', '/v1/sign-up', { body: { accessCode: invitation!.accessCode, password: 'a member password' } });
    expectProblem(await call('POST', '/v1/admin/api-keys', { token: session.body.token, body: { name: 'x', scopes: ['users'] } }), 403, 'forbidden');
  });

  it('revoked: the very next request is refused, the list no longer has it, and the log says who revoked it', async () => {
    const created = await createKey(tenant, ['groups']);
    expect((await withKey(created.key, 'GET', '/v1/admin/groups')).status).toBe(200);
    expect((await call('DELETE', `/v1/admin/api-keys/${created.id}`, { token: tenant.admin.token })).status).toBe(204);
    expectProblem(await withKey(created.key, 'GET', '/v1/admin/groups'), 401, 'invalid_token');
    expect((await listKeys(tenant)).map((key) => key.id)).not.toContain(created.id);
    expect(await getItem(keys.apiKey(tenant.id, created.id))).toBeUndefined();
    expectProblem(await call('DELETE', `/v1/admin/api-keys/${created.id}`, { token: tenant.admin.token }), 404, 'not_found');
    const entries = await auditEntries(tenant);
    const revoked = entries.find((entry) => entry.action === 'api_key.revoked' && entry.target.id === created.id);
    expect(revoked).toMatchObject({ actor: { kind: 'user', userId: tenant.admin.id }, target: { type: 'apiKey', id: created.id }, details: { name: created.name } });
    expect(entries.find((entry) => entry.action === 'api_key.created' && entry.target.id === created.id)).toMatchObject({ details: { name: created.name, scopes: ['groups'] } });
  });
});

describe('revoking races', () => {
  it('two revokes at once: one 204, one 404, one audit entry; uses racing them never bring the key back', async () => {
    const created = await createKey(tenant, ['groups']);
    const answers = await Promise.all([
      call('DELETE', `/v1/admin/api-keys/${created.id}`, { token: tenant.admin.token }),
      call('DELETE', `/v1/admin/api-keys/${created.id}`, { token: tenant.admin.token }),
      ...Array.from({ length: 5 }, () => withKey(created.key, 'GET', '/v1/admin/groups')),
    ]);
    expect([answers[0]!.status, answers[1]!.status].sort()).toEqual([204, 404]);
    // A use read before the revoke may still be answered; none writes the key again.
    for (const use of answers.slice(2)) expect([200, 401]).toContain(use.status);
    expect(await getItem(keys.apiKey(tenant.id, created.id))).toBeUndefined();
    expectProblem(await withKey(created.key, 'GET', '/v1/admin/groups'), 401, 'invalid_token');
    expect((await listKeys(tenant)).map((key) => key.id)).not.toContain(created.id);
    expect((await auditEntries(tenant)).filter((entry) => entry.action === 'api_key.revoked' && entry.target.id === created.id)).toHaveLength(1);
    const tenantItem = await getItem(keys.tenant(tenant.id));
    expect([...((tenantItem?.apiKeyIds as Set<string> | undefined) ?? [])]).not.toContain(created.id);
  });
});

describe('what a key may do', () => {
  it('invites people with an invitations key, and the audit log names the key as the actor', async () => {
    const created = await createKey(tenant, ['invitations'], 'nightly invitations');
    const uid = `K${uniqueSuffix()}`;
    const invited = await withKey(created.key, 'POST', '/v1/admin/invitations', { body: { invitations: [{ uid, role: 'member', firstName: 'Keyed' }] } });
    expect(invited.status).toBe(201);
    const [invitation] = (invited.body as unknown as { items: { id: string; uid: string; accessCode: string }[] }).items;
    expect(invitation!.uid).toBe(uid);
    // The code can be shown again (audited), by the key.
    const shown = await withKey(created.key, 'GET', `/v1/admin/invitations/${invitation!.id}/access-code`);
    expect(shown.status).toBe(200);
    expect(shown.body.accessCode).toBe(invitation!.accessCode);
    const viewed = (await auditEntries(tenant)).find((entry) => entry.action === 'access_code.viewed' && entry.target.id === invitation!.id);
    expect(viewed?.actor).toEqual({ kind: 'apiKey', apiKeyId: created.id, name: 'nightly invitations' });
  });

  it('jobs a key starts are the key\'s in the audit log, the worker\'s entries too', async () => {
    const created = await createKey(tenant, ['invitations'], 'letters robot');
    await invite(tenant, [{ uid: `L${uniqueSuffix()}`, role: 'member' }]);
    const run = await withKey(created.key, 'POST', '/v1/admin/letters', { body: { filter: {}, layout: 'cards' } });
    expect(run.status).toBe(202);
    const runId = run.body.id as string;
    const deadline = Date.now() + 30_000;
    let finished: AuditItem | undefined;
    while (!finished && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      finished = (await auditEntries(tenant)).find((entry) => entry.action === 'letters.completed' && entry.target.id === runId);
    }
    const actor = { kind: 'apiKey', apiKeyId: created.id, name: 'letters robot' };
    expect(finished?.actor).toEqual(actor);
    expect((await auditEntries(tenant)).find((entry) => entry.action === 'letters.created' && entry.target.id === runId)?.actor).toEqual(actor);
  });

  it('refused outside its scopes with 403 insufficient_scope, and nothing changes (not even its last use)', async () => {
    const created = await createKey(tenant, ['invitations']);
    const before = await tenantItems(tenant.id);
    const refused = await Promise.all([
      withKey(created.key, 'GET', '/v1/admin/users'),
      withKey(created.key, 'POST', '/v1/admin/groups', { body: { name: `G${uniqueSuffix()}`, isDefault: false } }),
      withKey(created.key, 'GET', '/v1/admin/audit'),
      withKey(created.key, 'GET', '/v1/admin/settings'),
      withKey(created.key, 'POST', '/v1/admin/exports', { body: { kind: 'invitations' } }),
      withKey(created.key, 'POST', '/v1/admin/imports', { body: { dryRun: true } }),
    ]);
    for (const answer of refused) expectProblem(answer, 403, 'insufficient_scope');
    expect(await tenantItems(tenant.id)).toEqual(before);
  });

  it("never on a person's routes, the api-keys routes or the routes for people only, whatever its scopes: a key cannot make a key", async () => {
    const created = await createKey(tenant, apiKeyScopes);
    const before = await tenantItems(tenant.id);
    const refused = await Promise.all([
      withKey(created.key, 'GET', '/v1/me'),
      withKey(created.key, 'POST', '/v1/auth/sign-out'),
      withKey(created.key, 'PUT', '/v1/me/password', { body: { currentPassword: 'whatever it is', newPassword: 'a brand new password' } }),
      withKey(created.key, 'POST', '/v1/admin/api-keys', { body: { name: 'child', scopes: ['users'] } }),
      withKey(created.key, 'GET', '/v1/admin/api-keys'),
      withKey(created.key, 'DELETE', `/v1/admin/api-keys/${created.id}`),
      withKey(created.key, 'PATCH', '/v1/admin/settings', { body: { accessCodeTtlDays: 9 } }),
      withKey(created.key, 'PUT', `/v1/admin/users/${tenant.admin.id}/password`, { body: { password: 'a password chosen by a script', temporary: true } }),
    ]);
    for (const answer of refused) expectProblem(answer, 403, 'forbidden');
    expect(await tenantItems(tenant.id)).toEqual(before);
    // The key still works where its scopes reach.
    expect((await withKey(created.key, 'GET', '/v1/admin/settings')).status).toBe(200);
  });

  it("changes members and guests only: an admin's account is for people, so a leaked users key cannot sign the admin out, rename them or lock them out", async () => {
    const created = await createKey(tenant, ['users']);
    const [memberInvitation] = await invite(tenant, [{ uid: `MEM${uniqueSuffix()}`, role: 'member' }]);
    const memberId = (await signUp(memberInvitation!.accessCode)).user.id as string;
    const adminId = tenant.admin.id;
    const withoutKeys = async () => (await tenantItems(tenant.id)).filter((item) => item.type !== 'apiKey');
    const before = await withoutKeys();
    const refused = await Promise.all([
      withKey(created.key, 'POST', `/v1/admin/users/${adminId}/reset-code`),
      withKey(created.key, 'POST', `/v1/admin/users/${adminId}/reset-letter`),
      withKey(created.key, 'PATCH', `/v1/admin/users/${adminId}`, { body: { firstName: 'Mallory' } }),
      withKey(created.key, 'POST', `/v1/admin/users/${adminId}/deactivate`),
      withKey(created.key, 'DELETE', `/v1/admin/users/${adminId}/sessions`),
      withKey(created.key, 'DELETE', `/v1/admin/users/${adminId}`),
    ]);
    for (const answer of refused) expectProblem(answer, 403, 'forbidden');
    expect(await withoutKeys()).toEqual(before);
    expect((await call('GET', '/v1/me', { token: tenant.admin.token })).status).toBe(200);
    // A member's account is the key's to help with.
    expect((await withKey(created.key, 'POST', `/v1/admin/users/${memberId}/reset-code`)).status).toBe(201);
    expect((await withKey(created.key, 'PATCH', `/v1/admin/users/${memberId}`, { body: { role: 'guest' } })).status).toBe(200);
  });

  it("another organisation's ids answer 404, as they do for its admins; its admin cannot revoke this one's keys", async () => {
    const [invitation] = await invite(tenant, [{ uid: `X${uniqueSuffix()}`, role: 'guest' }]);
    const mine = await createKey(tenant, ['invitations']);
    const theirs = await createKey(other, apiKeyScopes);
    expectProblem(await withKey(theirs.key, 'GET', `/v1/admin/invitations/${invitation!.id}`), 404, 'not_found');
    expectProblem(await withKey(theirs.key, 'DELETE', `/v1/admin/invitations/${invitation!.id}`), 404, 'not_found');
    expectProblem(await withKey(theirs.key, 'GET', `/v1/admin/users/${tenant.admin.id}`), 404, 'not_found');
    expectProblem(await call('DELETE', `/v1/admin/api-keys/${mine.id}`, { token: other.admin.token }), 404, 'not_found');
    expect((await withKey(mine.key, 'GET', `/v1/admin/invitations/${invitation!.id}`)).status).toBe(200);
    // A key relabelled with the other tenant's id (its secret kept) opens nothing.
    const relabelled = `emk_${tenant.id}_${theirs.id}_${secretOf(theirs.key)}`;
    expectProblem(await withKey(relabelled, 'GET', '/v1/admin/invitations'), 401, 'invalid_token');
  });
});

describe('limits', () => {
  it(`bad keys count against the client address: ${throttleLimits.apiKeyFailuresPerClient} at once are checked, the rest refused with Retry-After; another address and a good key are not held back`, async () => {
    await inOneThrottleWindow(60);
    const good = await createKey(tenant, ['groups']);
    const revoked = await createKey(tenant, ['groups']);
    expect((await call('DELETE', `/v1/admin/api-keys/${revoked.id}`, { token: tenant.admin.token })).status).toBe(204);
    const attacker = otherAddress();
    const wrongSecret = `emk_${tenant.id}_${good.id}_${'A'.repeat(43)}`;
    const bad = [wrongSecret, revoked.key, `emk_${tenant.id}_nosuchkey_${'B'.repeat(43)}`, 'emk_malformed', `emk_${tenant.id}_${good.id}_short`];
    const total = throttleLimits.apiKeyFailuresPerClient + 20;
    const answers = await Promise.all(Array.from({ length: total }, (_, index) => call('GET', '/v1/admin/groups', { token: bad[index % bad.length], from: attacker })));
    expect(statuses(answers)).toEqual({ 401: throttleLimits.apiKeyFailuresPerClient, 429: 20 });
    for (const answer of answers.filter(({ status }) => status === 429)) {
      expectProblem(answer, 429, 'too_many_attempts');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    for (const answer of answers.filter(({ status }) => status === 401)) expectProblem(answer, 401, 'invalid_token');
    // Another address is not throttled; the right key from the throttled address still works.
    expectProblem(await call('GET', '/v1/admin/groups', { token: wrongSecret, from: otherAddress() }), 401, 'invalid_token');
    expect((await call('GET', '/v1/admin/groups', { token: good.key, from: attacker })).status).toBe(200);
    expectProblem(await call('GET', '/v1/admin/groups', { token: wrongSecret, from: attacker }), 429, 'too_many_attempts');
  });

  it(`a key makes at most ${perMinute} requests a minute: of 25 sent at once, exactly ${perMinute} are answered`, async () => {
    const created = await createKey(tenant, ['groups']);
    await inOneMinute(20);
    const answers = await Promise.all(Array.from({ length: 25 }, () => withKey(created.key, 'GET', '/v1/admin/groups')));
    expect(statuses(answers)).toEqual({ 200: perMinute, 429: 25 - perMinute });
    for (const answer of answers.filter(({ status }) => status === 429)) {
      expectProblem(answer, 429, 'too_many_requests');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(answer.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    }
    // Another key of the same organisation has its own budget.
    expect((await withKey((await createKey(tenant, ['groups'])).key, 'GET', '/v1/admin/groups')).status).toBe(200);
  });

  it(`at most ${maxApiKeysPerTenant} live keys: 25 made at once leave exactly ${maxApiKeysPerTenant}; revoking one frees its place`, async () => {
    const fresh = await newTenant('apikeys-cap');
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, index) => tracked(call<CreatedKey>('POST', '/v1/admin/api-keys', { token: fresh.admin.token, body: { name: `key ${index}`, scopes: ['users'] } }))),
    );
    issued.push(...answers.filter(({ status }) => status === 201).map(({ body }) => body.key));
    expect(statuses(answers)).toEqual({ 201: maxApiKeysPerTenant, 409: 25 - maxApiKeysPerTenant });
    for (const answer of answers.filter(({ status }) => status === 409)) expectProblem(answer as unknown as Answer, 409, 'too_many_api_keys');
    const items = await tenantItems(fresh.id);
    expect(items.filter((item) => item.type === 'apiKey')).toHaveLength(maxApiKeysPerTenant);
    expect(await listKeys(fresh)).toHaveLength(maxApiKeysPerTenant);
    expectProblem(await call('POST', '/v1/admin/api-keys', { token: fresh.admin.token, body: { name: 'one more', scopes: ['users'] } }), 409, 'too_many_api_keys');
    const first = answers.find(({ status }) => status === 201)!.body;
    expect((await call('DELETE', `/v1/admin/api-keys/${first.id}`, { token: fresh.admin.token })).status).toBe(204);
    await createKey(fresh, ['users']);
    expect(await listKeys(fresh)).toHaveLength(maxApiKeysPerTenant);
  });
});

describe('a key is shown once and written nowhere', () => {
  it('in no list, no audit entry and no log line', async () => {
    expect(issued.length).toBeGreaterThan(maxApiKeysPerTenant);
    const secrets = issued.map(secretOf);
    const everywhere = JSON.stringify([await auditEntries(tenant), await auditEntries(other), await listKeys(tenant), await tenantItems(tenant.id)]);
    expect(secrets.filter((secret) => everywhere.includes(secret))).toEqual([]);

    const file = process.env.EMAILLESS_LOG_FILE!;
    const deadline = Date.now() + 10_000;
    let text = readFileSync(file, 'utf8');
    while (!text.includes(lastRequestId) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = readFileSync(file, 'utf8');
    }
    // The right file, with this file's requests in it, and the keys' uses named by key id.
    expect(text).toContain(lastRequestId);
    expect(text).toMatch(/"apiKeyId":"[a-z0-9]+"/);
    expect(secrets.filter((secret) => text.includes(secret))).toEqual([]);
    expect(text).not.toMatch(/emk_[a-z0-9]+_[a-z0-9]+_[A-Za-z0-9_-]{43}/);
  });
});
