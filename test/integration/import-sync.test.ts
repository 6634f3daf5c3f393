import { hashSync } from 'bcryptjs';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as XLSX from 'xlsx';
import { keys } from '../../shared/db/keys';
import { userItem, type UserRecord } from '../../shared/db/users';
import {
  awaitImport,
  call,
  createGroup,
  db,
  expectProblem,
  invite,
  newTenant,
  setFaults,
  signIn,
  signUp,
  switchSignInWithoutEmail,
  tenantItems,
  uniqueSuffix,
  uploadImport,
  xlsxOf,
  type ImportState,
  type TestTenant,
} from './support';
import { uidUser } from './principals';

const header = ['uid', 'first name', 'last name', 'role', 'groups'];
const sheet = (rows: string[][]) => xlsxOf(rows, header);

function sheetsOf(bytes: ArrayBuffer): Record<string, Record<string, string>[]> {
  const workbook = XLSX.read(new Uint8Array(bytes), { type: 'array' });
  return Object.fromEntries(workbook.SheetNames.map((name) => [name, XLSX.utils.sheet_to_json<Record<string, string>>(workbook.Sheets[name]!, { raw: false, defval: '' })]));
}

async function reportOf(tenant: TestTenant, importId: string) {
  const answer = await fetch(`${process.env.EMAILLESS_URL}/v1/admin/imports/${importId}/report`, { headers: { authorization: `Bearer ${tenant.admin.token}` } });
  expect(answer.status).toBe(200);
  return sheetsOf(await answer.arrayBuffer());
}

async function imported(tenant: TestTenant, file: Uint8Array, options: Parameters<typeof uploadImport>[2] = {}): Promise<ImportState> {
  return (await awaitImport(tenant, await uploadImport(tenant, file, options), 90_000)).final;
}

const counts = ({ invitedCount, unchangedCount, updatedCount, failedCount, deactivatedCount, revokedCount }: ImportState) => ({ invitedCount, unchangedCount, updatedCount, failedCount, deactivatedCount, revokedCount });

const claimOf = async (tenant: TestTenant, uid: string) => (await tenantItems(tenant.id)).find((item) => item.pk === keys.uidClaim(tenant.id, uid).pk && item.sk === 'CLAIM');

/**
 * A user written straight into the table, listed in the user list as the API lists users
 * (by uid, else by email): the API makes admins only with the tenant, and nobody with both
 * an email and a uid.
 */
async function listedUser(tenant: TestTenant, role: 'admin' | 'member', options: { uid?: string; email: boolean }): Promise<{ id: string; token: string }> {
  const id = `fixture${uniqueSuffix()}`;
  const email = `${id}@${tenant.domain}`;
  const password = `user-${uniqueSuffix()}-pw`;
  const user: UserRecord = {
    id,
    tenantId: tenant.id,
    tenantName: tenant.name,
    tenantDomain: tenant.domain,
    role,
    ...(options.email ? { email } : {}),
    ...(options.uid ? { uid: options.uid } : {}),
    passwordHash: hashSync(password, 4),
    groupIds: [],
    mustChangePassword: false,
    sessionVersion: 1,
    sessions: {},
    devices: {},
    status: 'active',
    createdAt: new Date().toISOString(),
  };
  await db.send(new PutCommand({ TableName: 'emailless', Item: userItem(user) }));
  if (options.email) await db.send(new PutCommand({ TableName: 'emailless', Item: { ...keys.emailClaim(email), type: 'emailClaim', tenantId: tenant.id, userId: id } }));
  if (options.uid) {
    await db.send(new PutCommand({ TableName: 'emailless', Item: { ...keys.uidClaim(tenant.id, options.uid), type: 'uidClaim', id, tenantId: tenant.id, uid: options.uid, status: 'accepted', userId: id, createdAt: user.createdAt } }));
  }
  if (role === 'admin') await db.send(new UpdateCommand({ TableName: 'emailless', Key: keys.tenant(tenant.id), UpdateExpression: 'ADD activeAdmins :one', ExpressionAttributeValues: { ':one': 1 } }));
  return { id, token: options.email ? await signIn(email, password) : '' };
}

const userDetail = async (tenant: TestTenant, userId: string) => (await call<{ status: string; role: string; firstName?: string; lastName?: string; groups: { id: string }[] }>('GET', `/v1/admin/users/${userId}`, { token: tenant.admin.token })).body;

describe('role and groups columns', () => {
  let tenant: TestTenant;
  let groups: Record<string, string>;
  beforeAll(async () => {
    tenant = await newTenant('importroles');
    await switchSignInWithoutEmail(tenant, true);
    const [sales, paris, everyone] = await Promise.all([createGroup(tenant, 'Sales'), createGroup(tenant, 'Paris'), createGroup(tenant, 'Everyone', true)]);
    groups = { sales: sales.id, paris: paris.id, everyone: everyone.id };
  });

  const good = [
    ['R1', 'Ann', 'A', 'guest', ' sales ; PARIS'],
    ['R2', 'Bob', 'B', 'Membre', ''],
    ['R3', 'Cy', 'C', 'INVITÉ', 'Paris'],
    ['R4', 'Di', 'D', '', 'Sales,Paris'],
  ];

  it('invites with the role and the groups of the file; an invalid role and an unknown group are row errors', async () => {
    const final = await imported(tenant, sheet([...good, ['R5', '', '', 'boss', ''], ['R6', '', '', 'member', 'Sales; Nowhere']]));
    expect(final).toMatchObject({ status: 'completed', mode: 'add', totalRows: 6, ...{ invitedCount: 4, unchangedCount: 0, updatedCount: 0, failedCount: 2, deactivatedCount: 0, revokedCount: 0 }, ignoredColumns: [] });
    expect(final.errors.map(({ row, uid, code }) => ({ row, uid, code }))).toEqual([
      { row: 6, uid: 'R5', code: 'invalid_role' },
      { row: 7, uid: 'R6', code: 'unknown_group' },
    ]);
    expect(final.errors[1]!.message).toContain('"Nowhere"');
    const claims = await Promise.all(['R1', 'R2', 'R3', 'R4'].map((uid) => claimOf(tenant, uid)));
    expect(claims.map((claim) => ({ role: claim?.role, groupIds: [...((claim?.groupIds as string[]) ?? [])].sort() }))).toEqual([
      { role: 'guest', groupIds: [groups.sales!, groups.paris!].sort() },
      { role: 'member', groupIds: [] },
      { role: 'guest', groupIds: [groups.paris] },
      { role: 'member', groupIds: [groups.sales!, groups.paris!].sort() },
    ]);
    expect(await claimOf(tenant, 'R5')).toBeUndefined();

    // A member still joins the default groups on sign-up; a guest only the file's.
    const listed = await call<{ items: { id: string; uid: string }[] }>('GET', '/v1/admin/invitations?q=R', { token: tenant.admin.token });
    const codeOf = async (uid: string) => (await call<{ accessCode: string }>('GET', `/v1/admin/invitations/${listed.body.items.find((item) => item.uid === uid)!.id}/access-code`, { token: tenant.admin.token })).body.accessCode;
    const member = await signUp(await codeOf('R4'));
    const me = await call<{ groups: { id: string }[] }>('GET', '/v1/me', { token: member.token });
    expect(me.body.groups.map((group) => group.id).sort()).toEqual([groups.sales!, groups.paris!, groups.everyone!].sort());
    const guest = await signUp(await codeOf('R1'));
    expect((await call<{ groups: { id: string }[] }>('GET', '/v1/me', { token: guest.token })).body.groups.map((group) => group.id).sort()).toEqual([groups.sales!, groups.paris!].sort());
  });

  it('a second upload of the same file, in add mode, changes nothing: every row unchanged, no errors', async () => {
    const before = (await tenantItems(tenant.id)).filter((item) => item.type === 'invitation' || item.type === 'user');
    const final = await imported(tenant, sheet(good));
    expect(final).toMatchObject({ status: 'completed', invitedCount: 0, unchangedCount: 4, updatedCount: 0, failedCount: 0, errors: [] });
    const after = (await tenantItems(tenant.id)).filter((item) => item.type === 'invitation' || item.type === 'user');
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after).toHaveLength(before.length);
    const report = await reportOf(tenant, final.id);
    expect(report.Report!.map((row) => [row.uid, row.status, row.reason])).toEqual([
      ['R1', 'unchanged', 'Already a user.'],
      ['R2', 'unchanged', 'Already invited (pending).'],
      ['R3', 'unchanged', 'Already invited (pending).'],
      ['R4', 'unchanged', 'Already a user.'],
    ]);
  });
});

describe('a sync keeps the workforce in step with the HR file', () => {
  let tenant: TestTenant;
  let importer: { id: string; token: string };
  let otherAdmin: { id: string; token: string };
  let emailOnly: { id: string; token: string };
  let sales: string;
  let everyone: string;
  let renamed: Awaited<ReturnType<typeof uidUser>>;
  let leaver: Awaited<ReturnType<typeof uidUser>>;
  let promoted: Awaited<ReturnType<typeof uidUser>>;
  let misfiled: Awaited<ReturnType<typeof uidUser>>;
  let pendingKept: string;
  let pendingGone: { id: string; uid: string };
  let file: Uint8Array;

  beforeAll(async () => {
    tenant = await newTenant('importsync');
    await switchSignInWithoutEmail(tenant, true);
    sales = (await createGroup(tenant, 'Sales')).id;
    everyone = (await createGroup(tenant, 'Everyone', true)).id;
    // Admins with a uid, who are not in the file: the one who imports, and another.
    importer = await listedUser(tenant, 'admin', { uid: `A${uniqueSuffix()}`, email: true });
    otherAdmin = await listedUser(tenant, 'admin', { uid: `B${uniqueSuffix()}`, email: true });
    emailOnly = await listedUser(tenant, 'member', { email: true });
    [renamed, leaver, promoted, misfiled] = await Promise.all([uidUser(tenant), uidUser(tenant), uidUser(tenant, 'guest'), uidUser(tenant)]);
    await call('PATCH', `/v1/admin/users/${renamed.id}`, { token: tenant.admin.token, body: { firstName: 'Old', lastName: 'Name' } });
    const [kept, gone] = await invite(tenant, [
      { uid: `P${uniqueSuffix()}`, role: 'member', firstName: 'Pat' },
      { uid: `Q${uniqueSuffix()}`, role: 'member', firstName: 'Quinn', lastName: 'Gone' },
    ]);
    pendingKept = kept!.uid;
    pendingGone = { id: gone!.id, uid: gone!.uid };
    file = sheet([
      [renamed.uid, 'New', 'Name', 'member', ''],
      [promoted.uid.toLowerCase(), '', '', 'member', 'sales'],
      [pendingKept, 'Patricia', '', 'guest', 'Sales'],
      ['NEW1', 'Nina', 'New', '', ''],
      // A row with a valid uid counts as in the file, even when refused for another reason.
      [misfiled.uid, '', '', 'member', 'No such group'],
    ]);
  });

  const tenantState = async () =>
    (await tenantItems(tenant.id))
      .filter((item) => !['import', 'importError', 'audit'].includes(item.type as string))
      .sort((a, b) => `${a.pk as string}|${a.sk as string}`.localeCompare(`${b.pk as string}|${b.sk as string}`));

  let dryCounts: ReturnType<typeof counts>;

  it('a dry run computes every count and the lists, and changes nothing', async () => {
    const before = await tenantState();
    const final = await imported(tenant, file, { mode: 'sync', dryRun: true, token: importer.token });
    dryCounts = counts(final);
    expect(final).toMatchObject({ status: 'completed', mode: 'sync', dryRun: true });
    expect(dryCounts).toEqual({ invitedCount: 1, unchangedCount: 0, updatedCount: 3, failedCount: 1, deactivatedCount: 1, revokedCount: 1 });
    expect(await tenantState()).toEqual(before);
    const report = await reportOf(tenant, final.id);
    expect(report.Report!.map((row) => row.status)).toEqual(['would be updated', 'would be updated', 'would be updated', 'would be invited', 'failed']);
    expect(report['Deactivated or revoked']!.map((row) => [row.uid, row.what]).sort()).toEqual([[leaver.uid, 'would be deactivated'], [pendingGone.uid, 'would be revoked']].sort());
  });

  it('updates names, role and groups, invites the new, deactivates and revokes who is not in the file, never an admin; counts as its dry run did', async () => {
    const final = await imported(tenant, file, { mode: 'sync', token: importer.token });
    expect(final).toMatchObject({ status: 'completed', mode: 'sync', dryRun: false });
    expect(counts(final)).toEqual(dryCounts);
    expect(final.errors.map(({ uid, code }) => ({ uid, code }))).toEqual([{ uid: misfiled.uid, code: 'unknown_group' }]);

    expect(await userDetail(tenant, renamed.id)).toMatchObject({ status: 'active', firstName: 'New', lastName: 'Name', role: 'member' });
    // A member keeps the default groups they joined at sign-up; a guest made member gets the file's only.
    expect((await userDetail(tenant, renamed.id)).groups.map((group) => group.id)).toEqual([everyone]);
    const wasGuest = await userDetail(tenant, promoted.id);
    expect(wasGuest).toMatchObject({ status: 'active', role: 'member' });
    expect(wasGuest.groups.map((group) => group.id)).toEqual([sales]);
    expect(await claimOf(tenant, pendingKept)).toMatchObject({ status: 'pending', role: 'guest', firstName: 'Patricia', groupIds: [sales] });
    expect(await claimOf(tenant, 'NEW1')).toMatchObject({ status: 'pending', role: 'member', firstName: 'Nina' });

    // The leaver is deactivated and their token stops working; the invitation not in the file is revoked.
    expect((await userDetail(tenant, leaver.id)).status).toBe('deactivated');
    expect((await call('GET', '/v1/me', { token: leaver.token })).status).toBe(401);
    expect((await call<{ status: string }>('GET', `/v1/admin/invitations/${pendingGone.id}`, { token: tenant.admin.token })).body.status).toBe('revoked');

    // Nobody else: the admins (with or without a uid), the user with only an email, the misfiled row's user.
    for (const person of [importer, otherAdmin, emailOnly, { id: tenant.admin.id }, misfiled]) expect((await userDetail(tenant, person.id)).status).toBe('active');
    expect((await call('GET', '/v1/me', { token: importer.token })).status).toBe(200);
    expect((await call('GET', '/v1/me', { token: otherAdmin.token })).status).toBe(200);

    const report = await reportOf(tenant, final.id);
    expect(Object.keys(report)).toEqual(['Report', 'Deactivated or revoked', 'Ignored columns']);
    expect(report.Report!.map((row) => [row.uid, row.status])).toEqual([
      [renamed.uid, 'updated'],
      [promoted.uid.toLowerCase(), 'updated'],
      [pendingKept, 'updated'],
      ['NEW1', 'invited'],
      [misfiled.uid, 'failed'],
    ]);
    expect(report.Report![1]!.reason).toContain('role');
    expect(report['Deactivated or revoked']!.sort((a, b) => a.what!.localeCompare(b.what!))).toEqual([
      { uid: leaver.uid, 'sign-in identifier': `${leaver.uid}:${tenant.domain}`, name: '', what: 'deactivated' },
      { uid: pendingGone.uid, 'sign-in identifier': `${pendingGone.uid}:${tenant.domain}`, name: 'Quinn Gone', what: 'revoked' },
    ]);
    expect(report['Ignored columns']).toEqual([]);

    const audit = await call<{ items: { action: string; actor: { userId?: string }; target: { id: string }; details?: Record<string, unknown> }[] }>('GET', '/v1/admin/audit?limit=100', { token: tenant.admin.token });
    const byImport = audit.body.items.filter((entry) => entry.details?.importId === final.id);
    expect(byImport.map((entry) => entry.action).sort()).toEqual(['invitation.revoked', 'invitation.updated', 'user.deactivated', 'user.updated', 'user.updated']);
    expect(byImport.every((entry) => entry.actor.userId === importer.id)).toBe(true);
    expect(audit.body.items.find((entry) => entry.action === 'import.completed' && entry.target.id === final.id)?.details).toMatchObject({ mode: 'sync', ...dryCounts });

    // Run again, the file is the state: nothing left to change.
    const again = await imported(tenant, file, { mode: 'sync', token: importer.token });
    expect(counts(again)).toEqual({ invitedCount: 0, unchangedCount: 4, updatedCount: 0, failedCount: 1, deactivatedCount: 0, revokedCount: 0 });
  });

  it('refuses a sync that would take out more than half of the people it manages, unless asked', async () => {
    const crowd = await newTenant('masssync');
    await switchSignInWithoutEmail(crowd, true);
    const invited = await invite(crowd, Array.from({ length: 12 }, (_, index) => ({ uid: `M${index}`, role: 'member' })));
    const one = sheet([['M0', '', '', '', '']]);
    const before = (await tenantItems(crowd.id)).filter((item) => item.type === 'invitation');
    const refused = await imported(crowd, one, { mode: 'sync' });
    expect(refused).toMatchObject({ status: 'failed', failure: { code: 'sync_removes_too_many' }, revokedCount: 0 });
    expect((await tenantItems(crowd.id)).filter((item) => item.type === 'invitation')).toEqual(expect.arrayContaining(before));
    expect(await imported(crowd, one, { mode: 'sync', dryRun: true })).toMatchObject({ status: 'completed', revokedCount: 11, unchangedCount: 1 });
    const allowed = await imported(crowd, one, { mode: 'sync', allowMassRemoval: true });
    expect(allowed).toMatchObject({ status: 'completed', revokedCount: 11, unchangedCount: 1 });
    expect((await call<{ status: string }>('GET', `/v1/admin/invitations/${invited[5]!.id}`, { token: crowd.admin.token })).body.status).toBe('revoked');
  });
});

describe('a sync run again on the same event', () => {
  it('a sync that crashes midway is finished by the retry, every change counted once', async () => {
    const fresh = await newTenant('synccrash');
    await switchSignInWithoutEmail(fresh, true);
    const kept = await invite(fresh, Array.from({ length: 6 }, (_, index) => ({ uid: `K${index}`, role: 'member' })));
    await invite(fresh, [{ uid: 'X1', role: 'member' }, { uid: 'X2', role: 'guest' }]);
    const leaver = await uidUser(fresh);
    const file = sheet(kept.map((invitation) => [invitation.uid, 'Kay', '', 'guest', '']));
    const id = await uploadImport(fresh, file, { mode: 'sync', beforeUpload: (importId) => setFaults({ importCrash: { importId, afterRows: 3 } }) });
    const { final } = await awaitImport(fresh, id, 90_000);
    expect(final).toMatchObject({ status: 'completed', totalRows: 6, processedRows: 6, updatedCount: 6, unchangedCount: 0, failedCount: 0, deactivatedCount: 1, revokedCount: 2 });
    const items = await tenantItems(fresh.id);
    expect(items.find((item) => item.sk === `IMPORT#${id}`)?.attempts).toBe(2);
    const entries = items.filter((item) => item.type === 'audit' && (item.details as Record<string, unknown> | undefined)?.importId === id);
    expect(entries.map((entry) => entry.action).sort()).toEqual([...Array(2).fill('invitation.revoked'), ...Array(6).fill('invitation.updated'), 'user.deactivated']);
    expect((await call('GET', '/v1/me', { token: leaver.token })).status).toBe(401);
  });
});

describe('the template', () => {
  it('answers French headers and a French example with ?language=fr, English by default; another language is refused', async () => {
    const tenant = await newTenant('importtemplate');
    const get = (query: string) => fetch(`${process.env.EMAILLESS_URL}/v1/admin/imports/template${query}`, { headers: { authorization: `Bearer ${tenant.admin.token}` } });
    const french = await get('?language=fr');
    expect(french.status).toBe(200);
    const rows = XLSX.utils.sheet_to_json<string[]>(XLSX.read(new Uint8Array(await french.arrayBuffer()), { type: 'array' }).Sheets.Invitations!, { header: 1, raw: false });
    expect(rows[0]).toEqual(['Identifiant', 'Prénom', 'Nom', 'Rôle', 'Groupes']);
    expect(rows[1]).toEqual(['E1042', 'Marie', 'Curie', 'membre', 'Recherche; Paris']);
    const english = await get('');
    const englishRows = XLSX.utils.sheet_to_json<string[]>(XLSX.read(new Uint8Array(await english.arrayBuffer()), { type: 'array' }).Sheets.Invitations!, { header: 1, raw: false });
    expect(englishRows[0]).toEqual(['uid', 'first name', 'last name', 'role', 'groups']);
    expectProblem(await call('GET', '/v1/admin/imports/template?language=de', { token: tenant.admin.token }), 400, 'validation_failed');
  });
});
