import * as XLSX from 'xlsx';
import { call, createGroup, expectProblem, invite, newTenant, signUp, switchSignInWithoutEmail, tenantItems, type CreatedInvitation, type TestTenant } from './support';

let tenant: TestTenant;
let invited: CreatedInvitation[];
beforeAll(async () => {
  tenant = await newTenant('exports');
  await switchSignInWithoutEmail(tenant, true);
  const drivers = await createGroup(tenant, 'Drivers');
  invited = await invite(tenant, [
    { uid: 'P1', role: 'member', groupIds: [drivers.id], firstName: '=HYPERLINK("http://evil.example","x")', lastName: '+1+1' },
    { uid: 'P2', role: 'guest', firstName: '-2', lastName: '@SUM(A1)' },
    { uid: 'A1', role: 'member', firstName: 'Accepted' },
    { uid: 'R1', role: 'member', firstName: 'Revoked' },
  ]);
  await signUp(invited[2]!.accessCode);
  await call('DELETE', `/v1/admin/invitations/${invited[3]!.id}`, { token: tenant.admin.token });
});

async function runExport(body: Record<string, unknown>, owner = tenant) {
  const started = await call<{ id: string; status: string }>('POST', '/v1/admin/exports', { token: owner.admin.token, body });
  expect(started.status).toBe(202);
  expect(started.body).toMatchObject({ id: expect.any(String), status: 'running' });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const state = await call<{ status: string; count: number; downloadUrl: string; expiresAt: string }>('GET', `/v1/admin/exports/${started.body.id}`, { token: owner.admin.token });
    if (state.body.status !== 'running') return { id: started.body.id, state: state.body };
    if (Date.now() > deadline) throw new Error('export still running');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function download(url: string): Promise<XLSX.WorkSheet> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const workbook = XLSX.read(new Uint8Array(await response.arrayBuffer()), { type: 'array', cellFormula: true });
  return workbook.Sheets[workbook.SheetNames[0]!]!;
}

describe('export all the invitations', () => {
  it('writes one row per invitation, codes for pending ones only, formulas as plain text', async () => {
    const { state } = await runExport({ kind: 'invitations' });
    expect(state).toMatchObject({ status: 'completed', count: 4, downloadUrl: expect.any(String), expiresAt: expect.any(String) });
    expect(Date.parse(state.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    const sheet = await download(state.downloadUrl);
    const rows = XLSX.utils.sheet_to_json<Record<string, string>>(sheet, { raw: false, defval: '' });
    expect(Object.keys(rows[0]!)).toEqual(['uid', 'sign-in identifier', 'role', 'status', 'access code', 'expires at', 'created at', 'first name', 'last name', 'groups']);
    const byUid = new Map(rows.map((row) => [row.uid, row]));
    expect([...byUid.keys()].sort()).toEqual(['A1', 'P1', 'P2', 'R1']);
    expect(byUid.get('P1')).toMatchObject({
      'sign-in identifier': `P1:${tenant.domain}`,
      role: 'member',
      status: 'pending',
      'access code': invited[0]!.accessCode,
      'first name': '=HYPERLINK("http://evil.example","x")',
      'last name': '+1+1',
      groups: 'Drivers',
    });
    expect(byUid.get('P2')).toMatchObject({ role: 'guest', 'access code': invited[1]!.accessCode, 'first name': '-2', 'last name': '@SUM(A1)' });
    expect(byUid.get('A1')).toMatchObject({ status: 'accepted', 'access code': '' });
    expect(byUid.get('R1')).toMatchObject({ status: 'revoked', 'access code': '' });
    // No cell is a formula: each is a string holding exactly the text.
    for (const address of Object.keys(sheet).filter((key) => !key.startsWith('!'))) {
      const cell = sheet[address] as XLSX.CellObject;
      expect(cell.f).toBeUndefined();
      expect(cell.t).toBe('s');
    }
  });

  it('filters by status', async () => {
    const { state } = await runExport({ kind: 'invitations', status: ['pending'] });
    expect(state.count).toBe(2);
    const rows = XLSX.utils.sheet_to_json<Record<string, string>>(await download(state.downloadUrl), { raw: false });
    expect(rows.map((row) => row.uid).sort()).toEqual(['P1', 'P2']);
    const both = await runExport({ kind: 'invitations', status: ['accepted', 'revoked'] });
    expect(both.state.count).toBe(2);
  });

  it('records the export and each download URL in the audit log, without codes', async () => {
    const { id } = await runExport({ kind: 'invitations' });
    const audit = await call<{ items: { action: string; target: { id: string } }[] }>('GET', '/v1/admin/audit?limit=100', { token: tenant.admin.token });
    const actions = audit.body.items.filter((entry) => entry.target.id === id).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['export.created', 'export.downloaded']));
    for (const invitation of invited) expect(audit.text).not.toContain(invitation.accessCode);
  });

  it('answers 404 for another tenant\'s export, and refuses bad requests', async () => {
    const { id } = await runExport({ kind: 'invitations' });
    const other = await newTenant('otherexport');
    expectProblem(await call('GET', `/v1/admin/exports/${id}`, { token: other.admin.token }), 404, 'not_found');
    const before = (await tenantItems(tenant.id)).length;
    for (const body of [{}, { kind: 'users' }, { kind: 'invitations', status: ['lost'] }, { kind: 'invitations', status: [] }]) {
      expectProblem(await call('POST', '/v1/admin/exports', { token: tenant.admin.token, body }), 400, 'validation_failed');
    }
    expect((await tenantItems(tenant.id)).length).toBe(before);
  });

  it('exports an empty organisation as a header row', async () => {
    const empty = await newTenant('emptyexport');
    const { state } = await runExport({ kind: 'invitations' }, empty);
    expect(state).toMatchObject({ status: 'completed', count: 0 });
    expect(XLSX.utils.sheet_to_json(await download(state.downloadUrl))).toEqual([]);
  });
});
