import { keys } from '../../shared/db/keys';
import fc from 'fast-check';
import { routeList } from '../../shared/api/routes';
import type { RouteSpec } from '../../shared/api/route-spec';
import { call, createGroup, getItem, invite, newTenant, otherAddress, switchSignInWithoutEmail, tenantItems, uniqueSuffix, type TestTenant } from './support';
import { insertUser, uidUser, type Person } from './principals';

/**
 * Every route with a JSON body, fed what a hostile or broken client sends: it must answer a
 * 4xx problem document, never a 5xx, and change nothing.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Auth {
  token?: string;
  operator?: boolean;
}

interface Target {
  path: string;
  /** The caller that gets the body parsed: the operator, an admin, a user, or nobody. */
  auth: Auth;
  /** A body that would be accepted: the broken variants start from it, and wrong content types send it as is. */
  good: { [key: string]: Json };
  /** Items outside the tenant's partition that the good body would create. */
  claims?: { pk: string; sk: string }[];
}

let tenant: TestTenant;
let groupId: string;
let invitationCode: string;
let uidPerson: Person;
let emailPerson: Person;
let patchedPerson: Person;
let resetCode: string;
beforeAll(async () => {
  tenant = await newTenant('hostile');
  await switchSignInWithoutEmail(tenant, true);
  groupId = (await createGroup(tenant, `Hostile ${uniqueSuffix()}`)).id;
  uidPerson = await uidUser(tenant);
  emailPerson = await insertUser(tenant, 'member');
  patchedPerson = await uidUser(tenant);
  const issued = await call<{ resetCode: string }>('POST', `/v1/admin/users/${(await uidUser(tenant)).id}/reset-code`, { token: tenant.admin.token });
  resetCode = issued.body.resetCode;
  const [invitation] = await invite(tenant, [{ uid: `H${uniqueSuffix()}`, role: 'member' }]);
  invitationCode = invitation!.accessCode;
});

const admin = (): Auth => ({ token: tenant.admin.token });
const codeLike = fc.oneof(fc.string({ minLength: 1, maxLength: 64 }), fc.stringMatching(/^[2-9A-HJ-NP-Z]{4}-?[2-9A-HJ-NP-Z]{4}-?[2-9A-HJ-NP-Z]{4}-?[2-9A-HJ-NP-Z]{4}$/));
const anyPassword = fc.string({ minLength: 1, maxLength: 100 });

/** One entry per route with a body schema; a new one without an entry fails the first test. */
const targets: Record<string, () => Target> = {
  createTenant: () => {
    const domain = `hostile-new-${uniqueSuffix()}.example`;
    return {
      path: '/v1/tenants',
      auth: { operator: true },
      good: { name: 'Hostile', domain, admin: { email: `boss@${domain}`, password: 'a long admin password' } },
      claims: [
        { pk: `DOMAIN#${domain}`, sk: 'DOMAIN' },
        keys.emailClaim(`boss@${domain}`),
      ],
    };
  },
  signIn: () => ({
    path: '/v1/auth/sign-in',
    auth: {},
    good: { identifier: tenant.admin.email, password: tenant.admin.password },
  }),
  changeOwnPassword: () => ({ path: '/v1/me/password', auth: { token: emailPerson.token }, good: { currentPassword: emailPerson.password, newPassword: 'a brand new password' } }),
  updateSettings: () => ({ path: '/v1/admin/settings', auth: admin(), good: { accessCodeTtlDays: 7 } }),
  verifyAccessCode: () => ({ path: '/v1/sign-up/verify', auth: {}, good: { accessCode: invitationCode } }),
  signUp: () => ({ path: '/v1/sign-up', auth: {}, good: { accessCode: invitationCode, password: 'my chosen password' } }),
  createGroup: () => ({ path: '/v1/admin/groups', auth: admin(), good: { name: `New ${uniqueSuffix()}`, isDefault: true } }),
  createApiKey: () => ({ path: '/v1/admin/api-keys', auth: admin(), good: { name: `Script ${uniqueSuffix()}`, scopes: ['invitations', 'audit:read'] } }),
  updateGroup: () => ({ path: `/v1/admin/groups/${groupId}`, auth: admin(), good: { name: `Renamed ${uniqueSuffix()}`, isDefault: true } }),
  createInvitations: () => ({
    path: '/v1/admin/invitations',
    auth: admin(),
    good: { invitations: [{ uid: `N${uniqueSuffix()}`, role: 'member', groupIds: [groupId], firstName: 'Neo', lastName: 'Anderson' }] },
  }),
  createImport: () => ({ path: '/v1/admin/imports', auth: admin(), good: { fileName: 'staff.xlsx', dryRun: false } }),
  createExport: () => ({ path: '/v1/admin/exports', auth: admin(), good: { kind: 'invitations', status: ['pending'] } }),
  createLetters: () => ({ path: '/v1/admin/letters', auth: admin(), good: { filter: { status: ['pending'], role: 'member', q: 'P' }, layout: 'cards', language: 'fr' } }),
  updateUser: () => ({ path: `/v1/admin/users/${patchedPerson.id}`, auth: admin(), good: { firstName: 'Neo', lastName: 'Anderson', role: 'member', groupIds: [groupId] } }),
  verifyResetCode: () => ({ path: '/v1/password-reset/verify', auth: {}, good: { resetCode } }),
  resetPassword: () => ({ path: '/v1/password-reset', auth: {}, good: { resetCode, newPassword: 'my new chosen password' } }),
  setUserPassword: () => ({ path: `/v1/admin/users/${uidPerson.id}/password`, auth: admin(), good: { password: 'a temporary password', temporary: true } }),
};

/** Public routes whose schema-valid bodies are still refused unless they carry real credentials or codes. */
const validButWrong: Record<string, () => fc.Arbitrary<Json>> = {
  signIn: () =>
    fc.record({
      identifier: fc.oneof(
        fc.uuid().map((id) => `${id}@nowhere.example`),
        fc.stringMatching(/^[A-Za-z0-9]{1,64}$/).map((uid) => `${uid}:${tenant.domain}`),
        fc.string({ minLength: 1, maxLength: 320 }),
      ),
      password: anyPassword,
    }),
  verifyAccessCode: () => fc.record({ accessCode: codeLike }),
  signUp: () => fc.record({ accessCode: codeLike, password: anyPassword }),
  verifyResetCode: () => fc.record({ resetCode: codeLike }),
  resetPassword: () => fc.record({ resetCode: codeLike, newPassword: anyPassword }),
};

const bodyRoutes = routeList.filter((route) => route.body);

// ---- building broken bodies -------------------------------------------------------------

type Step = string | number;

/** The path of every value inside a JSON value, the root included. */
function pathsOf(value: Json, at: Step[] = []): Step[][] {
  const inner =
    value === null || typeof value !== 'object'
      ? []
      : Array.isArray(value)
        ? value.flatMap((item, index) => pathsOf(item, [...at, index]))
        : Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...at, key]));
  return [at, ...inner];
}

/** Sets an own property, even `__proto__`, the way JSON.parse would. */
function setOwn(target: Json[] | { [key: string]: Json }, key: Step, value: Json | undefined): void {
  if (value === undefined) {
    if (Array.isArray(target)) target.splice(Number(key), 1);
    else delete target[key];
    return;
  }
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

function parentOf(root: Json, path: Step[]): Json[] | { [key: string]: Json } {
  let node = root;
  for (const step of path.slice(0, -1)) node = (node as Record<string, Json>)[step]!;
  return node as Json[] | { [key: string]: Json };
}

const clone = (value: Json): Json => JSON.parse(JSON.stringify(value)) as Json;

type Mutation =
  | { op: 'drop'; at: number }
  | { op: 'add'; at: number; key: string; value: Json }
  | { op: 'replace'; at: number; value: Json }
  | { op: 'huge'; at: number; size: number };

const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'role', 'admin', 'tenantId', 'id', 'isAdmin', ''),
  fc.string({ maxLength: 20 }),
);
const smallJson = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: hostileKey, value: smallJson }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: smallJson }),
  fc.record({ op: fc.constant('huge' as const), at: fc.nat(), size: fc.constantFrom(1_000, 60_000, 100_000) }),
);

/** The good body with one thing broken: a field missing, an extra one, a wrong type or a huge string. */
function mutate(good: Json, change: Mutation): string {
  const root = clone(good);
  const paths = pathsOf(root);
  const path = paths[change.at % paths.length]!;
  const node = path.reduce<Json>((value, step) => (value as Record<string, Json>)[step]!, root);
  switch (change.op) {
    case 'drop':
      if (path.length === 0) return '';
      setOwn(parentOf(root, path), path.at(-1)!, undefined);
      return JSON.stringify(root);
    case 'add':
      if (node !== null && typeof node === 'object') {
        if (Array.isArray(node)) node.push(change.value);
        else setOwn(node, change.key, change.value);
        return JSON.stringify(root);
      }
      setOwn(parentOf(root, path), path.at(-1)!, { [change.key]: change.value });
      return JSON.stringify(root);
    case 'replace':
      if (path.length === 0) return JSON.stringify(change.value);
      setOwn(parentOf(root, path), path.at(-1)!, change.value);
      return JSON.stringify(root);
    case 'huge': {
      const huge = 'x'.repeat(change.size);
      if (path.length === 0) return JSON.stringify(huge);
      setOwn(parentOf(root, path), path.at(-1)!, huge);
      return JSON.stringify(root);
    }
  }
}

/** Does the schema accept what the server will parse from these bytes? */
function acceptedBy(route: RouteSpec, raw: string): boolean {
  try {
    return route.body!.safeParse(JSON.parse(raw)).success;
  } catch {
    return false;
  }
}

const badUtf8 = [
  [0xff],
  [0xfe, 0xff],
  [0x80],
  [0xc0, 0xaf], // overlong "/"
  [0xe0, 0x80, 0xaf], // overlong "/"
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate
  [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
  [0xe2, 0x82], // truncated
].map((bytes) => Buffer.from(bytes));

const otherContentTypes = [
  'text/plain',
  'text/json',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  'application/json-patch+json',
  'application/vnd.api+json',
  'application/jsonx',
  'application/json5',
  'application/json, text/plain',
  'json',
  '*/*',
  '',
];

// ---- calling --------------------------------------------------------------------------------

interface Sent {
  /** The body as sent; undefined sends none. */
  raw?: string | Buffer;
  /** The content type; null sends none; undefined sends application/json. */
  contentType?: string | null;
}

interface Snapshot {
  partition: Record<string, unknown>[];
  claims: (Record<string, unknown> | undefined)[];
}

async function snapshot(target: Target): Promise<Snapshot> {
  return {
    partition: await tenantItems(tenant.id),
    claims: await Promise.all((target.claims ?? []).map((claim) => getItem(claim))),
  };
}

const describeSent = (sent: Sent) => {
  const raw = sent.raw === undefined ? '(none)' : Buffer.isBuffer(sent.raw) ? `bytes ${sent.raw.toString('hex').slice(0, 120)}` : sent.raw.slice(0, 120);
  return `${sent.contentType === undefined ? 'application/json' : String(sent.contentType)}: ${raw}`;
};

/** Sends a body; the answer must be a 4xx problem document (with this status and code, if given), and nothing may change. */
async function expectRefused(route: RouteSpec, target: Target, before: Snapshot, sent: Sent, exact?: readonly [number, string]): Promise<void> {
  const headers: Record<string, string> = {};
  if (sent.contentType !== null) headers['content-type'] = sent.contentType ?? 'application/json';
  // Sign-in and code failures count per client address: each call comes from a new one.
  const answer = await call(route.method, target.path, { ...target.auth, headers, ...(sent.raw !== undefined ? { rawBody: sent.raw } : {}), from: otherAddress() });
  const got = {
    sent: describeSent(sent),
    status: answer.status,
    contentType: answer.headers.get('content-type'),
    code: answer.body.code,
    answer: answer.text.slice(0, 300),
  };
  expect(got).toEqual({
    ...got,
    status: exact ? exact[0] : answer.status >= 400 && answer.status < 500 ? answer.status : '4xx',
    contentType: 'application/problem+json',
    code: exact ? exact[1] : expect.any(String),
  });
  expect(answer.body.status).toBe(answer.status);
  expect(await snapshot(target)).toEqual(before);
}

// ---- the tests ------------------------------------------------------------------------------

it('has a hostile-input target for every route with a body', () => {
  expect(Object.keys(targets).sort()).toEqual(bodyRoutes.map((route) => route.name).sort());
});

describe.each(bodyRoutes.map((route) => [`${route.method} ${route.path} (${route.access})`, route] as const))('%s', (_title, route) => {
  let target: Target;
  let before: Snapshot;
  beforeAll(async () => {
    target = targets[route.name]!();
    expect(acceptedBy(route, JSON.stringify(target.good))).toBe(true);
    before = await snapshot(target);
  });

  it('refuses random JSON values and good bodies with a field missing, added, mistyped or huge', async () => {
    const random = (fc.jsonValue({ maxDepth: 5 }) as fc.Arbitrary<Json>).map((value) => JSON.stringify(value));
    const broken = mutation.map((change) => mutate(target.good, change));
    const bodies = fc.oneof(random, broken, broken).filter((raw) => !acceptedBy(route, raw));
    await fc.assert(
      fc.asyncProperty(bodies, (raw) => expectRefused(route, target, before, { raw })),
      { numRuns: 30 },
    );
  });

  it('refuses invalid UTF-8 anywhere in a good body', async () => {
    const good = Buffer.from(JSON.stringify(target.good));
    await fc.assert(
      fc.asyncProperty(fc.nat(good.length), fc.constantFrom(...badUtf8), (at, bytes) =>
        expectRefused(route, target, before, { raw: Buffer.concat([good.subarray(0, at), bytes, good.subarray(at)]) }, [400, 'malformed_json']),
      ),
      { numRuns: 12 },
    );
  });

  it('refuses a good body sent with any other content type, or none', async () => {
    const raw = JSON.stringify(target.good);
    for (const contentType of otherContentTypes) await expectRefused(route, target, before, { raw, contentType }, [415, 'unsupported_media_type']);
    await expectRefused(route, target, before, { raw, contentType: null }, [415, 'unsupported_media_type']);
  });

  it('refuses empty bodies, broken JSON, deep nesting, huge strings and prototype keys', async () => {
    const good = JSON.stringify(target.good);
    const firstKey = Object.keys(target.good)[0]!;
    const withField = (value: string) => JSON.stringify({ ...target.good, [firstKey]: '\u0000' }).replace('"\\u0000"', value);
    const deepArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const cases: [Sent, readonly [number, string]][] = [
      [{ raw: '' }, [400, 'validation_failed']],
      [{ contentType: null }, [415, 'unsupported_media_type']],
      [{ raw: 'null' }, [400, 'validation_failed']],
      [{ raw: '0' }, [400, 'validation_failed']],
      [{ raw: '""' }, [400, 'validation_failed']],
      [{ raw: `[${good}]` }, [400, 'validation_failed']],
      [{ raw: JSON.stringify(good) }, [400, 'validation_failed']],
      [{ raw: ' \n\t ' }, [400, 'malformed_json']],
      [{ raw: good.slice(0, -1) }, [400, 'malformed_json']],
      [{ raw: `${good}x` }, [400, 'malformed_json']],
      [{ raw: `${good}${good}` }, [400, 'malformed_json']],
      [{ raw: good.replace(/"/g, "'") }, [400, 'malformed_json']],
      [{ raw: `{"${firstKey}": NaN}` }, [400, 'malformed_json']],
      [{ raw: deepArrays(10_000) }, [400, 'validation_failed']],
      // As deep as the 64 KiB limit allows.
      [{ raw: deepArrays(32_000) }, [400, 'validation_failed']],
      [{ raw: '['.repeat(10_000) }, [400, 'malformed_json']],
      [{ raw: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}` }, [400, 'validation_failed']],
      [{ raw: withField(deepArrays(10_000)) }, [400, 'validation_failed']],
      [{ raw: withField(`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`) }, [400, 'validation_failed']],
      [{ raw: withField(JSON.stringify('x'.repeat(100_000))) }, [413, 'payload_too_large']],
      [{ raw: withField(JSON.stringify('é'.repeat(40_000))) }, [413, 'payload_too_large']],
      [{ raw: withField(JSON.stringify('x'.repeat(60_000))) }, [400, 'validation_failed']],
      [{ raw: `{"__proto__":{"role":"admin","isAdmin":true},${good.slice(1)}` }, [400, 'validation_failed']],
      [{ raw: `{"constructor":{"prototype":{"polluted":true}},${good.slice(1)}` }, [400, 'validation_failed']],
      [{ raw: `{"prototype":{"polluted":true},${good.slice(1)}` }, [400, 'validation_failed']],
      [{ raw: withField('{"__proto__":{"polluted":true}}') }, [400, 'validation_failed']],
      [{ raw: `${good.slice(0, -1)},"${firstKey}":{"__proto__":null}}` }, [400, 'validation_failed']],
    ];
    for (const [sent, exact] of cases) await expectRefused(route, target, before, sent, exact);
  });
});

describe.each(bodyRoutes.filter((route) => validButWrong[route.name]).map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (_title, route) => {
  it('refuses bodies that pass the schema but carry wrong credentials or codes, changing nothing', async () => {
    const target = targets[route.name]!();
    const before = await snapshot(target);
    await fc.assert(
      fc.asyncProperty(validButWrong[route.name]!(), (body) => expectRefused(route, target, before, { raw: JSON.stringify(body) })),
      { numRuns: 20 },
    );
  });
});

// ---- query strings ----------------------------------------------------------------------------

/** Every route with a query schema, and the path to call it on (ids of the tenant where it has some). */
const queryTargets: Record<string, () => string> = {
  listGroups: () => '/v1/admin/groups',
  listInvitations: () => '/v1/admin/invitations',
  getImport: () => `/v1/admin/imports/${importId}`,
  getImportTemplate: () => '/v1/admin/imports/template',
  listUsers: () => '/v1/admin/users',
  listAudit: () => '/v1/admin/audit',
};
const queryRoutes = routeList.filter((route) => route.query);

let importId: string;
beforeAll(async () => {
  const created = await call<{ id: string }>('POST', '/v1/admin/imports', { token: tenant.admin.token, body: { dryRun: true } });
  expect(created.status).toBe(201);
  importId = created.body.id;
});

it('has a hostile-query target for every route with a query schema', () => {
  expect(Object.keys(queryTargets).sort()).toEqual(queryRoutes.map((route) => route.name).sort());
});

/** Cursors as the API makes them (base64url JSON naming a sort key), with hostile sort keys, and plain junk. */
const cursor = fc.oneof(
  fc
    .tuple(fc.constantFrom('GROUP#', 'UID#', 'USERDIR#', 'AUDIT#', 'IMPORT#', 'T#', 'S#', ''), fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('\ud800', '\u0000', 'é'.repeat(700), 'z'.repeat(1500))))
    .map(([prefix, rest]) => Buffer.from(JSON.stringify({ sk: `${prefix}${rest}` })).toString('base64url')),
  (fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>).map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
  fc.string({ maxLength: 2100 }),
);
const queryValue = fc.oneof(fc.string({ maxLength: 40 }), fc.integer().map(String), fc.constantFrom('', '0', '-1', '1e2', '101', 'NaN', 'pending', 'admin', '%', '%00', 'fr', 'en', 'FR'), cursor);
const queryKey = fc.constantFrom('limit', 'cursor', 'status', 'role', 'q', 'errorsLimit', 'errorsCursor', 'language', '__proto__', 'constructor', 'limit[]', '');
const queryString = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 4 }).map((pairs) => new URLSearchParams(pairs).toString());

describe.each(queryRoutes.map((route) => [`${route.method} ${route.path}?…`, route] as const))('%s', (_title, route) => {
  it('answers a page or a 4xx problem to any query string, never a 5xx, and changes nothing', async () => {
    const path = queryTargets[route.name]!();
    const before = await tenantItems(tenant.id);
    await fc.assert(
      fc.asyncProperty(queryString, async (query) => {
        const answer = await call(route.method, `${path}?${query}`, { token: tenant.admin.token });
        const got = { query: query.slice(0, 200), status: answer.status, contentType: answer.headers.get('content-type'), answer: answer.text.slice(0, 300) };
        if (answer.status === 200) {
          // A route without a response schema answers a file of its declared type.
          if (route.response.schema) expect(route.response.schema.safeParse(answer.body).success).toBe(true);
          else expect(answer.headers.get('content-type')).toBe(route.response.contentType);
        } else {
          expect(got).toEqual({ ...got, status: answer.status >= 400 && answer.status < 500 ? answer.status : '4xx', contentType: 'application/problem+json' });
          expect(typeof answer.body.code).toBe('string');
        }
        expect(await tenantItems(tenant.id)).toEqual(before);
      }),
      { numRuns: 30 },
    );
  });
});
