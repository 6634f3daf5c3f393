import { keys } from '../../shared/db/keys';
import { routeList } from '../../shared/api/routes';
import type { Access, RouteSpec } from '../../shared/api/route-spec';
import { XlsxWriter } from '../../shared/excel/write';
import {
  awaitImport,
  call,
  createGroup,
  expectProblem,
  getItem,
  invite,
  newTenant,
  otherAddress,
  switchSignInWithoutEmail,
  tenantItems,
  uniqueSuffix,
  uploadImport,
  type Answer,
  type CreatedInvitation,
  type TestTenant,
} from './support';
import { insertUser, signedOutToken, uidUser, type Person } from './principals';
import { apiKeyScopes } from '../../shared/schemas/api-keys';

/**
 * Tenant isolation and roles, for every route of the route table: each route is called by
 * each kind of caller with ids that belong to tenant A, and must answer as the grid below says.
 */

/**
 * API keys are callers too, made for each call from the route table's scope field: keyA has
 * only the route's scope, keyANoScope every scope but that one, keyB (tenant B's) every scope.
 * On an admin route without a scope (for people only) and on user routes, keys get every scope.
 */
const callers = ['adminA', 'memberA', 'guestA', 'adminB', 'anonymous', 'signedOut', 'operator', 'keyA', 'keyANoScope', 'keyB'] as const;
type Caller = (typeof callers)[number];
const keyCallers: readonly Caller[] = ['keyA', 'keyANoScope', 'keyB'];

/**
 * What each caller gets, by the route's access level. `success` is the route's own success
 * status; `ownTenant` is a success in B's own tenant on a route without ids, and 404 on A's ids.
 */
type Outcome = 'success' | 'ownTenant' | readonly [status: number, code: string];
const signInFirst = [401, 'authentication_required'] as const;
const signedOut = [401, 'invalid_token'] as const;
const noOperatorKey = [401, 'invalid_operator_key'] as const;
const forbidden = [403, 'forbidden'] as const;
const insufficientScope = [403, 'insufficient_scope'] as const;
const grid: Record<Access, Record<Caller, Outcome>> = {
  public: { adminA: 'success', memberA: 'success', guestA: 'success', adminB: 'success', anonymous: 'success', signedOut: 'success', operator: 'success', keyA: 'success', keyANoScope: 'success', keyB: 'success' },
  operator: { adminA: noOperatorKey, memberA: noOperatorKey, guestA: noOperatorKey, adminB: noOperatorKey, anonymous: noOperatorKey, signedOut: noOperatorKey, operator: 'success', keyA: noOperatorKey, keyANoScope: noOperatorKey, keyB: noOperatorKey },
  user: { adminA: 'success', memberA: 'success', guestA: 'success', adminB: 'success', anonymous: signInFirst, signedOut, operator: signInFirst, keyA: forbidden, keyANoScope: forbidden, keyB: forbidden },
  admin: { adminA: 'success', memberA: forbidden, guestA: forbidden, adminB: 'ownTenant', anonymous: signInFirst, signedOut, operator: signInFirst, keyA: 'success', keyANoScope: insufficientScope, keyB: 'ownTenant' },
};

/** The grid's rule, except that an admin route without a scope is for people only: every key gets 403 forbidden. */
const ruleOf = (route: RouteSpec, caller: Caller): Outcome => (route.access === 'admin' && !route.scope && keyCallers.includes(caller) ? forbidden : grid[route.access][caller]);

interface Auth {
  token?: string;
  operator?: boolean;
}

/** The caller of one call: how it authenticates, and (for a fresh person) its password. */
interface Who {
  caller: Caller;
  auth: Auth;
  password: string;
  /** An API key caller: its id and tenant, revoked after the call. */
  key?: { id: string; owner: TestTenant };
}

interface Prepared {
  params?: Record<string, string>;
  body?: unknown;
  /** Items outside the two tenants' partitions that a refused call must not have created. */
  claims?: { pk: string; sk: string }[];
}

interface Expectation {
  access: Access;
  success: number;
  /** A success would end the caller's session or change their password: call as a fresh person of the caller's kind. */
  freshCaller?: boolean;
  /** The path ids and body of one call; fresh A resources where a success would consume them. */
  prepare?: (who: Who) => Promise<Prepared>;
  /** The body names A's resources by id (as the path does elsewhere): another tenant's admin gets 404. */
  idsInBody?: boolean;
  /** After a success: waits for background work it started, so that later "nothing changed" checks hold. */
  settle?: (answer: Answer, who: Who) => Promise<void>;
}

interface World {
  A: TestTenant;
  B: TestTenant;
  memberA: Person;
  guestA: Person;
  signedOut: string;
  groupA: string;
  invitationA: CreatedInvitation;
  verifyCode: string;
  importA: string;
  exportA: string;
  lettersA: string;
  resetCode: string;
}
let world: World;

const freshName = () => `G${uniqueSuffix()}`;
const freshUid = () => `U${uniqueSuffix()}`;

async function freshInvitation(): Promise<CreatedInvitation> {
  const [invitation] = await invite(world.A, [{ uid: freshUid(), role: 'member' }]);
  return invitation!;
}

async function freshKeyOfA(): Promise<{ id: string }> {
  const created = await call<{ id: string }>('POST', '/v1/admin/api-keys', { token: world.A.admin.token, body: { name: `to revoke ${uniqueSuffix()}`, scopes: ['groups'] } });
  if (created.status !== 201) throw new Error(`key not created: ${created.status} ${created.text}`);
  return created.body;
}

async function deactivatedUser(): Promise<{ id: string }> {
  const person = await uidUser(world.A);
  const answer = await call('POST', `/v1/admin/users/${person.id}/deactivate`, { token: world.A.admin.token });
  if (answer.status !== 200) throw new Error(`deactivate: ${answer.status} ${answer.text}`);
  return person;
}

async function resetCodeOf(tenant: TestTenant, userId: string): Promise<string> {
  const answer = await call<{ resetCode: string }>('POST', `/v1/admin/users/${userId}/reset-code`, { token: tenant.admin.token });
  if (answer.status !== 201) throw new Error(`reset code: ${answer.status} ${answer.text}`);
  return answer.body.resetCode;
}

const freshResetCode = async () => resetCodeOf(world.A, (await uidUser(world.A)).id);

/** Waits for an export or a letter run (`jobs`: their collection's path) to finish. */
async function awaitJob(jobs: string, id: string, auth: Auth): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const state = await call<{ status: string }>('GET', `${jobs}/${id}`, auth);
    if (state.status !== 200) throw new Error(`job state: ${state.status} ${state.text}`);
    if (state.body.status !== 'running') return;
    if (Date.now() > deadline) throw new Error(`job ${id} still running`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function awaitDeletion(tenantId: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await call<{ status: string }>('GET', `/v1/tenants/${tenantId}/deletion`, { operator: true });
    if (state.status !== 200) throw new Error(`deletion state: ${state.status} ${state.text}`);
    if (state.body.status === 'deleted') return;
    if (Date.now() > deadline) throw new Error(`tenant ${tenantId} still being deleted`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

let deleted: Promise<string> | undefined;
/** One organisation deleted once, whose deletion every caller asks about. */
function deletedTenant(): Promise<string> {
  deleted ??= (async () => {
    const tenant = await newTenant('matrix-gone');
    const answer = await call('DELETE', `/v1/tenants/${tenant.id}`, { operator: true });
    if (answer.status !== 202) throw new Error(`delete: ${answer.status} ${answer.text}`);
    return tenant.id;
  })();
  return deleted;
}

/** Every route of the table, by name. A route without an entry here fails the test below. */
const expectations: Record<string, Expectation> = {
  createTenant: {
    access: 'operator',
    success: 201,
    prepare: async () => {
      const domain = `matrix-new-${uniqueSuffix()}.example`;
      const email = `boss@${domain}`;
      return {
        body: { name: 'New', domain, admin: { email, password: 'a long admin password' } },
        claims: [
          { pk: `DOMAIN#${domain}`, sk: 'DOMAIN' },
          keys.emailClaim(email),
        ],
      };
    },
  },
  // A throwaway organisation each: neither A nor B is ever deleted.
  deleteTenant: {
    access: 'operator',
    success: 202,
    prepare: async () => ({ params: { tenantId: (await newTenant('matrix-del')).id } }),
    settle: async (answer) => awaitDeletion(String(answer.body.tenantId)),
  },
  getTenantDeletion: { access: 'operator', success: 200, prepare: async () => ({ params: { tenantId: await deletedTenant() } }) },
  signIn: { access: 'public', success: 200, prepare: async () => ({ body: { identifier: world.A.admin.email, password: world.A.admin.password } }) },
  signOut: { access: 'user', success: 204, freshCaller: true },
  getMe: { access: 'user', success: 200 },
  changeOwnPassword: {
    access: 'user',
    success: 204,
    freshCaller: true,
    prepare: async (who) => ({ body: { currentPassword: who.password, newPassword: `changed-${uniqueSuffix()}` } }),
  },
  getSettings: { access: 'admin', success: 200 },
  updateSettings: { access: 'admin', success: 200, prepare: async () => ({ body: { accessCodeTtlDays: 30 } }) },
  verifyAccessCode: { access: 'public', success: 200, prepare: async () => ({ body: { accessCode: world.verifyCode } }) },
  signUp: {
    access: 'public',
    success: 201,
    prepare: async () => ({ body: { accessCode: (await freshInvitation()).accessCode, password: `chosen-${uniqueSuffix()}` } }),
  },
  listGroups: { access: 'admin', success: 200 },
  createGroup: { access: 'admin', success: 201, prepare: async () => ({ body: { name: freshName(), isDefault: false } }) },
  updateGroup: { access: 'admin', success: 200, prepare: async () => ({ params: { groupId: world.groupA }, body: { name: freshName() } }) },
  deleteGroup: { access: 'admin', success: 204, prepare: async () => ({ params: { groupId: (await createGroup(world.A, freshName())).id } }) },
  createInvitations: { access: 'admin', success: 201, prepare: async () => ({ body: { invitations: [{ uid: freshUid(), role: 'guest' }] } }) },
  listInvitations: { access: 'admin', success: 200 },
  getInvitation: { access: 'admin', success: 200, prepare: async () => ({ params: { id: world.invitationA.id } }) },
  showAccessCode: { access: 'admin', success: 200, prepare: async () => ({ params: { id: world.invitationA.id } }) },
  regenerateAccessCode: { access: 'admin', success: 201, prepare: async () => ({ params: { id: (await freshInvitation()).id } }) },
  revokeInvitation: { access: 'admin', success: 204, prepare: async () => ({ params: { id: (await freshInvitation()).id } }) },
  createImport: { access: 'admin', success: 201, prepare: async () => ({ body: { dryRun: true, fileName: 'matrix.xlsx' } }) },
  getImportTemplate: { access: 'admin', success: 200 },
  getImport: { access: 'admin', success: 200, prepare: async () => ({ params: { id: world.importA } }) },
  getImportReport: { access: 'admin', success: 303, prepare: async () => ({ params: { id: world.importA } }) },
  createExport: {
    access: 'admin',
    success: 202,
    prepare: async () => ({ body: { kind: 'invitations', status: ['pending'] } }),
    settle: (answer, who) => awaitJob('/v1/admin/exports', (answer.body as { id: string }).id, who.auth),
  },
  getExport: { access: 'admin', success: 200, prepare: async () => ({ params: { id: world.exportA } }) },
  createLetters: {
    access: 'admin',
    success: 202,
    idsInBody: true,
    prepare: async () => ({ body: { invitationIds: [world.invitationA.id], layout: 'letter' } }),
    settle: (answer, who) => awaitJob('/v1/admin/letters', (answer.body as { id: string }).id, who.auth),
  },
  getLetters: { access: 'admin', success: 200, prepare: async () => ({ params: { id: world.lettersA } }) },
  listUsers: { access: 'admin', success: 200 },
  setUserPassword: {
    access: 'admin',
    success: 204,
    prepare: async () => ({ params: { userId: (await uidUser(world.A)).id }, body: { password: `reset-${uniqueSuffix()}`, temporary: true } }),
  },
  getUser: { access: 'admin', success: 200, prepare: async () => ({ params: { userId: world.memberA.id } }) },
  updateUser: { access: 'admin', success: 200, prepare: async () => ({ params: { userId: (await uidUser(world.A)).id }, body: { firstName: 'Renamed', uid: freshUid() } }) },
  deactivateUser: { access: 'admin', success: 200, prepare: async () => ({ params: { userId: (await uidUser(world.A)).id } }) },
  reactivateUser: { access: 'admin', success: 200, prepare: async () => ({ params: { userId: (await deactivatedUser()).id } }) },
  endUserSessions: { access: 'admin', success: 204, prepare: async () => ({ params: { userId: (await uidUser(world.A)).id } }) },
  deleteUser: { access: 'admin', success: 204, prepare: async () => ({ params: { userId: (await uidUser(world.A)).id } }) },
  issueResetCode: { access: 'admin', success: 201, prepare: async () => ({ params: { userId: (await uidUser(world.A)).id } }) },
  issueResetLetter: { access: 'admin', success: 201, prepare: async () => ({ params: { userId: (await uidUser(world.A)).id } }) },
  verifyResetCode: { access: 'public', success: 200, prepare: async () => ({ body: { resetCode: world.resetCode } }) },
  resetPassword: {
    access: 'public',
    success: 200,
    prepare: async () => ({ body: { resetCode: await freshResetCode(), newPassword: `reset-${uniqueSuffix()}-pw` } }),
  },
  listAudit: { access: 'admin', success: 200 },
  createApiKey: { access: 'admin', success: 201, prepare: async () => ({ body: { name: `matrix key ${uniqueSuffix()}`, scopes: ['users'] } }) },
  listApiKeys: { access: 'admin', success: 200 },
  revokeApiKey: { access: 'admin', success: 204, prepare: async () => ({ params: { id: (await freshKeyOfA()).id } }) },
  signUpPage: { access: 'public', success: 200 },
  signInPage: { access: 'public', success: 200 },
  welcomePage: { access: 'public', success: 200 },
  passwordResetPage: { access: 'public', success: 200 },
  adminPage: { access: 'public', success: 200 },
  getOpenApi: { access: 'public', success: 200 },
};

/** A fresh key for one call (a key makes few requests a minute on the test stack), with the scopes its caller kind has on this route. */
async function keyWho(caller: Caller, route: RouteSpec): Promise<Who> {
  const owner = caller === 'keyB' ? world.B : world.A;
  const scopes = caller === 'keyA' && route.scope ? [route.scope] : apiKeyScopes.filter((scope) => caller !== 'keyANoScope' || scope !== route.scope);
  const created = await call<{ id: string; key: string }>('POST', '/v1/admin/api-keys', { token: owner.admin.token, body: { name: `matrix ${caller} ${uniqueSuffix()}`, scopes } });
  if (created.status !== 201) throw new Error(`key not created: ${created.status} ${created.text}`);
  return { caller, auth: { token: created.body.key }, password: 'the password of no one', key: { id: created.body.id, owner } };
}

/** Background work a key started is awaited with its tenant admin's token: the key's requests a minute are few. */
const settler = (who: Who): Who => (who.key ? { ...who, auth: { token: who.key.owner.admin.token } } : who);

/** A key's own item records its uses (last use, this minute's count); everything else of a tenant is compared whole. */
const withoutKeyUse = (items: Record<string, unknown>[]) =>
  items.map((item) => {
    if (item.type !== 'apiKey') return item;
    const { lastUsedAt: _lastUsedAt, rateWindow: _rateWindow, rateCount: _rateCount, ...rest } = item;
    return rest;
  });

function defaultWho(caller: Caller): Who {
  const auth: Record<Caller, Auth> = {
    adminA: { token: world.A.admin.token },
    memberA: { token: world.memberA.token },
    guestA: { token: world.guestA.token },
    adminB: { token: world.B.admin.token },
    anonymous: {},
    signedOut: { token: world.signedOut },
    operator: { operator: true },
    // Keys are made per call (keyWho).
    keyA: {},
    keyANoScope: {},
    keyB: {},
  };
  return { caller, auth: auth[caller], password: 'the password of no one' };
}

/** A new person of the caller's kind, so that ending their session or changing their password harms no other call. */
async function freshWho(caller: Caller): Promise<Who> {
  const make: Partial<Record<Caller, () => Promise<Person>>> = {
    adminA: () => insertUser(world.A, 'admin'),
    memberA: () => uidUser(world.A, 'member'),
    guestA: () => uidUser(world.A, 'guest'),
    adminB: () => insertUser(world.B, 'admin'),
  };
  const person = await make[caller]?.();
  return person ? { caller, auth: { token: person.token }, password: person.password } : defaultWho(caller);
}

function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, (_whole, name: string) => {
    if (params[name] === undefined) throw new Error(`no value for {${name}} in ${path}`);
    return encodeURIComponent(params[name]);
  });
}

const hasIds = (route: RouteSpec) => /\{[A-Za-z0-9_]+\}/.test(route.path);

function expectSuccess(route: RouteSpec, answer: Answer, status: number): void {
  // On a failure, the problem document shows in the diff.
  expect({ status: answer.status, problem: answer.status >= 400 ? answer.body : undefined }).toEqual({ status, problem: undefined });
  const contentType = answer.headers.get('content-type') ?? '';
  if (route.response.schema) {
    expect(contentType).toMatch(/^application\/json/);
    const parsed = route.response.schema.safeParse(answer.body);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  } else if (route.response.contentType) {
    expect(contentType.split(';')[0]).toBe(route.response.contentType.split(';')[0]);
  } else {
    expect(answer.text).toBe('');
  }
}

beforeAll(async () => {
  const [A, B] = await Promise.all([newTenant('matrix-a'), newTenant('matrix-b')]);
  await Promise.all([switchSignInWithoutEmail(A, true), switchSignInWithoutEmail(B, true)]);
  const [memberA, guestA] = [await uidUser(A, 'member'), await uidUser(A, 'guest')];
  const group = await createGroup(A, freshName());
  const [invitationA, forVerify] = await invite(A, [
    { uid: freshUid(), role: 'member', groupIds: [group.id], firstName: 'Matrix' },
    { uid: freshUid(), role: 'guest' },
  ]);
  const sheet = new XlsxWriter('Sheet1', ['uid', 'first name', 'last name']);
  sheet.addRow([freshUid(), 'Imported', 'Person']);
  const importA = await uploadImport(A, sheet.finish(), { fileName: 'matrix.xlsx' });
  expect((await awaitImport(A, importA)).final.status).toBe('completed');
  const exported = await call<{ id: string }>('POST', '/v1/admin/exports', { token: A.admin.token, body: { kind: 'invitations' } });
  expect(exported.status).toBe(202);
  await awaitJob('/v1/admin/exports', exported.body.id, { token: A.admin.token });
  const letters = await call<{ id: string }>('POST', '/v1/admin/letters', { token: A.admin.token, body: { filter: {}, layout: 'cards' } });
  expect(letters.status).toBe(202);
  await awaitJob('/v1/admin/letters', letters.body.id, { token: A.admin.token });
  world = {
    A,
    B,
    memberA,
    guestA,
    signedOut: await signedOutToken(A.admin.email, A.admin.password),
    groupA: group.id,
    invitationA: invitationA!,
    verifyCode: forVerify!.accessCode,
    importA,
    exportA: exported.body.id,
    lettersA: letters.body.id,
    resetCode: await resetCodeOf(A, memberA.id),
  };
});

describe('the expectation table', () => {
  it('has exactly one entry per route of the route table', () => {
    expect(Object.keys(expectations).sort()).toEqual(routeList.map((route) => route.name).sort());
  });

  it('agrees with the route table on access level and success status', () => {
    for (const route of routeList) {
      const entry = expectations[route.name];
      expect({ route: route.name, access: entry?.access, success: entry?.success }).toEqual({ route: route.name, access: route.access, success: route.response.status });
    }
  });
});

describe.each(routeList.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (_title, route) => {
  it.each(callers)('as %s', async (caller) => {
    const entry = expectations[route.name];
    if (!entry) throw new Error(`route ${route.name} has no entry in the matrix's expectation table`);
    const who = keyCallers.includes(caller) ? await keyWho(caller, route) : entry.freshCaller ? await freshWho(caller) : defaultWho(caller);
    try {
      const prepared = (await entry.prepare?.(who)) ?? {};
      const path = fillPath(route.path, prepared.params ?? {});
      const rule = ruleOf(route, caller);
      const outcome: Outcome = rule === 'ownTenant' ? (hasIds(route) || entry.idsInBody ? [404, 'not_found'] : 'success') : rule;
      const snapshot = async () => (await Promise.all([tenantItems(world.A.id), tenantItems(world.B.id)])).map(withoutKeyUse);
      const before = outcome === 'success' ? undefined : await snapshot();

      // Wrong operator keys count per client address (20 in 15 minutes): each operator call comes from an address of its own, so the number of callers and operator routes cannot turn 401 into 429.
      const from = route.access === 'operator' ? { from: otherAddress() } : {};
      const answer = await call(route.method, path, { ...who.auth, ...from, ...(prepared.body !== undefined ? { body: prepared.body } : {}) });

      if (outcome === 'success') {
        expectSuccess(route, answer, entry.success);
        await entry.settle?.(answer, settler(who));
        return;
      }
      expectProblem(answer, outcome[0], outcome[1]);
      // A refused call changes nothing, in either tenant or outside them.
      expect(await snapshot()).toEqual(before);
      for (const claim of prepared.claims ?? []) expect(await getItem(claim)).toBeUndefined();
    } finally {
      // Each tenant keeps at most 20 live keys.
      if (who.key) await call('DELETE', `/v1/admin/api-keys/${who.key.id}`, { token: who.key.owner.admin.token });
    }
  });
});

interface Page {
  items: unknown[];
  nextCursor: string | null;
}

/** Every page of a list, following nextCursor. */
async function allPages(path: string, token: string): Promise<unknown[]> {
  const items: unknown[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const answer: Answer<Page> = await call<Page>('GET', `${path}${separator}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    expect(answer.status).toBe(200);
    items.push(...answer.body.items);
    cursor = answer.body.nextCursor;
  } while (cursor);
  return items;
}

/** Strings that name something of tenant A: ids, uids, emails, group names, the domain. */
async function markersOfA(): Promise<string[]> {
  const markers = new Set<string>([world.A.id, world.A.domain]);
  for (const item of await tenantItems(world.A.id)) {
    for (const field of ['id', 'uid', 'email', 'userId', 'importId', 'name']) {
      const value = item[field];
      if (typeof value === 'string' && value.length >= 8) markers.add(value);
    }
  }
  return [...markers];
}

describe("tenant B's admin never sees tenant A's data", () => {
  const lists = ['/v1/admin/invitations', '/v1/admin/users', '/v1/admin/groups', '/v1/admin/audit'];

  it('in any list, filtered or not', async () => {
    const markers = await markersOfA();
    expect(markers.length).toBeGreaterThan(20);
    const token = world.B.admin.token;
    const uidsOfA = (await tenantItems(world.A.id)).filter((item) => item.type === 'invitation').map((item) => item.uid as string);
    const seen: unknown[] = [];
    for (const list of lists) {
      const items = await allPages(list, token);
      // B has data of its own in every list (it was the rightful admin of every route without ids above)...
      expect({ list, empty: items.length === 0 }).toEqual({ list, empty: false });
      seen.push(...items);
    }
    for (const status of ['pending', 'accepted', 'revoked', 'expired']) seen.push(...(await allPages(`/v1/admin/invitations?status=${status}`, token)));
    for (const uid of uidsOfA.slice(0, 10)) {
      const invitations = await allPages(`/v1/admin/invitations?q=${uid}`, token);
      const users = await allPages(`/v1/admin/users?q=${uid}`, token);
      expect([...invitations, ...users]).toEqual([]);
    }
    expect(await allPages(`/v1/admin/users?q=${encodeURIComponent(world.A.admin.email)}`, token)).toEqual([]);
    // ...and none of A's.
    const text = JSON.stringify(seen);
    expect(markers.filter((marker) => text.includes(marker))).toEqual([]);
  });

  it("even when replaying A's cursors", async () => {
    const markers = await markersOfA();
    for (const list of lists) {
      const first = await call<Page>('GET', `${list}?limit=1`, { token: world.A.admin.token });
      expect(first.status).toBe(200);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const replayed = await call('GET', `${list}?limit=100&cursor=${encodeURIComponent(first.body.nextCursor!)}`, { token: world.B.admin.token });
      if (replayed.status !== 200) expectProblem(replayed, 400, 'invalid_cursor');
      const text = JSON.stringify(replayed.body);
      expect(markers.filter((marker) => text.includes(marker))).toEqual([]);
    }
  });

  it("refuses B's token re-labelled with A's tenant and admin", async () => {
    const [prefix, , , secret] = world.B.admin.token.split('.');
    const relabelled = [prefix, world.A.id, world.A.admin.id, secret].join('.');
    expectProblem(await call('GET', '/v1/admin/users', { token: relabelled }), 401, 'invalid_token');
    expectProblem(await call('GET', '/v1/me', { token: relabelled }), 401, 'invalid_token');
  });
});
