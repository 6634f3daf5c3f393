import { keys } from '../../shared/db/keys';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as XLSX from 'xlsx';
import { XlsxWriter } from '../../shared/excel/write';
import {
  awaitImport,
  call,
  getItem,
  newTenant,
  otherAddress,
  signIn,
  switchSignInWithoutEmail,
  tenantItems,
  uniqueSuffix,
  type Answer,
  type CallOptions,
  type TestTenant,
} from './support';

/**
 * Secrets stay secret: every password, access code, token and presigned signature that a
 * full flow issues or uses stays out of the logs, the audit log, error answers and, for
 * codes, out of the table in any readable form.
 */

const passwords = new Set<string>();
const codes = new Set<string>();
const tokens = new Set<string>();
const signatures = new Set<string>();
const answers: { what: string; answer: Answer }[] = [];
let lastRequestId = '';

/** Calls the API and keeps the answer for the checks below. */
async function api<T = Record<string, unknown>>(what: string, method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
  const answer = await call<T>(method, path, options);
  answers.push({ what, answer: answer as Answer });
  lastRequestId = answer.headers.get('x-request-id') ?? lastRequestId;
  return answer;
}

function expectStatus(answer: Answer<unknown>, status: number): void {
  expect({ status: answer.status, text: answer.status === status ? '' : answer.text }).toEqual({ status, text: '' });
}

const keepCode = (code: string) => codes.add(code);
const keepToken = (token: string) => tokens.add(token);
const keepSignature = (url: string) => signatures.add(new URL(url).searchParams.get('X-Amz-Signature') ?? 'no signature in the URL');
const password = (label: string) => {
  const value = `${label}-${uniqueSuffix()}-secret`;
  passwords.add(value);
  return value;
};

/** Every form a secret could be written in: codes also without hyphens, in either case; tokens also by their random part. */
function forms(): { kind: string; value: string }[] {
  const list: { kind: string; value: string }[] = [];
  for (const value of passwords) list.push({ kind: 'password', value });
  for (const code of codes) {
    const canonical = code.replace(/-/g, '');
    for (const value of [code, canonical, canonical.toLowerCase()]) list.push({ kind: 'access code', value });
  }
  for (const token of tokens) list.push({ kind: 'token', value: token }, { kind: 'token secret', value: token.split('.').at(-1)! });
  for (const value of signatures) list.push({ kind: 'presigned URL signature', value });
  return list;
}

const found = (text: string) => forms().filter(({ value }) => text.includes(value));

let tenant: TestTenant;

beforeAll(async () => {
  tenant = await newTenant('secrets');
  passwords.add(tenant.admin.password);
  keepToken(tenant.admin.token);
  const admin = { token: tenant.admin.token };

  // The admin signs in again, once with a wrong password.
  const second = await api<{ token: string }>('admin sign-in', 'POST', '/v1/auth/sign-in', { body: { identifier: tenant.admin.email, password: tenant.admin.password } });
  expectStatus(second, 200);
  keepToken(second.body.token);
  expectStatus(await api('wrong admin password', 'POST', '/v1/auth/sign-in', { body: { identifier: tenant.admin.email, password: password('wrong-admin') }, from: otherAddress() }), 401);

  // Switch on, invite two people, see a code, replace it.
  await switchSignInWithoutEmail(tenant, true);
  const uid = `Sec${uniqueSuffix()}`;
  const invited = await api<{ items: { id: string; accessCode: string }[] }>('invite', 'POST', '/v1/admin/invitations', {
    token: tenant.admin.token,
    body: { invitations: [{ uid, role: 'member', firstName: 'Secret' }, { uid: `${uid}b`, role: 'guest' }] },
  });
  expectStatus(invited, 201);
  invited.body.items.forEach((item) => keepCode(item.accessCode));
  // The check below finds a code where there is one.
  expect(found(invited.text).map(({ kind }) => kind)).toContain('access code');
  const [first] = invited.body.items;
  const seen = await api<{ accessCode: string }>('see the code', 'GET', `/v1/admin/invitations/${first!.id}/access-code`, admin);
  expectStatus(seen, 200);
  expect(seen.body.accessCode).toBe(first!.accessCode);
  const regenerated = await api<{ accessCode: string }>('regenerate', 'POST', `/v1/admin/invitations/${first!.id}/access-code`, admin);
  expectStatus(regenerated, 201);
  keepCode(regenerated.body.accessCode);
  expectStatus(await api('verify the replaced code', 'POST', '/v1/sign-up/verify', { body: { accessCode: first!.accessCode }, from: otherAddress() }), 400);
  expectStatus(await api('verify the new code', 'POST', '/v1/sign-up/verify', { body: { accessCode: regenerated.body.accessCode.toLowerCase() }, from: otherAddress() }), 200);

  // Sign-up, a second sign-up with the spent code, a too-short password, sign-in with uid:domain.
  const tooShort = `S!${uniqueSuffix().slice(0, 5)}`;
  passwords.add(tooShort);
  expectStatus(await api('too-short password', 'POST', '/v1/sign-up', { body: { accessCode: regenerated.body.accessCode, password: tooShort }, from: otherAddress() }), 422);
  const own = password('own');
  const signedUp = await api<{ token: string; user: { id: string } }>('sign up', 'POST', '/v1/sign-up', { body: { accessCode: regenerated.body.accessCode, password: own } });
  expectStatus(signedUp, 201);
  keepToken(signedUp.body.token);
  expectStatus(await api('sign up again', 'POST', '/v1/sign-up', { body: { accessCode: regenerated.body.accessCode, password: password('again') }, from: otherAddress() }), 409);
  expectStatus(await api('verify a spent code', 'POST', '/v1/sign-up/verify', { body: { accessCode: regenerated.body.accessCode }, from: otherAddress() }), 409);
  const identifier = `${uid}:${tenant.domain}`;
  const byUid = await api<{ token: string }>('uid sign-in', 'POST', '/v1/auth/sign-in', { body: { identifier, password: own } });
  expectStatus(byUid, 200);
  keepToken(byUid.body.token);

  // The admin resets the password; the user signs in with it and chooses their own.
  const temporary = password('temporary');
  expectStatus(await api('admin reset', 'PUT', `/v1/admin/users/${signedUp.body.user.id}/password`, { ...admin, body: { password: temporary, temporary: true } }), 204);
  expectStatus(await api('the old password', 'POST', '/v1/auth/sign-in', { body: { identifier, password: own }, from: otherAddress() }), 401);
  const withTemporary = await signIn(identifier, temporary);
  keepToken(withTemporary);
  expectStatus(await api('blocked until changed', 'GET', '/v1/admin/users', { token: withTemporary }), 403);
  expectStatus(await api('wrong current password', 'PUT', '/v1/me/password', { token: withTemporary, body: { currentPassword: password('not-current'), newPassword: password('unused') } }), 403);
  const changed = password('changed');
  expectStatus(await api('change own password', 'PUT', '/v1/me/password', { token: withTemporary, body: { currentPassword: temporary, newPassword: changed } }), 204);
  expectStatus(await api('sign out', 'POST', '/v1/auth/sign-out', { token: withTemporary }), 204);
  expectStatus(await api('signed-out token', 'GET', '/v1/me', { token: withTemporary }), 401);

  // A reset code from the admin; the person chooses a new password with it.
  const issued = await api<{ resetCode: string }>('reset code', 'POST', `/v1/admin/users/${signedUp.body.user.id}/reset-code`, admin);
  expectStatus(issued, 201);
  keepCode(issued.body.resetCode);
  expectStatus(await api('verify the reset code', 'POST', '/v1/password-reset/verify', { body: { resetCode: issued.body.resetCode } }), 200);
  expectStatus(await api('reset with a short password', 'POST', '/v1/password-reset', { body: { resetCode: issued.body.resetCode, newPassword: tooShort }, from: otherAddress() }), 422);
  const chosen = password('after-reset');
  const afterReset = await api<{ token: string }>('reset with the code', 'POST', '/v1/password-reset', { body: { resetCode: issued.body.resetCode, newPassword: chosen } });
  expectStatus(afterReset, 200);
  keepToken(afterReset.body.token);
  expectStatus(await api('the spent reset code', 'POST', '/v1/password-reset', { body: { resetCode: issued.body.resetCode, newPassword: password('again') }, from: otherAddress() }), 400);

  // An import of a small file, and the codes it made.
  const sheet = new XlsxWriter('Sheet1', ['uid', 'first name', 'last name']);
  sheet.addRow([`Imp${uniqueSuffix()}`, 'Imported', 'One']);
  sheet.addRow([`Imp${uniqueSuffix()}`, 'Imported', 'Two']);
  const created = await api<{ id: string; uploadUrl: string; uploadHeaders: Record<string, string> }>('create import', 'POST', '/v1/admin/imports', { ...admin, body: { fileName: 'secret.xlsx' } });
  expectStatus(created, 201);
  keepSignature(created.body.uploadUrl);
  const upload = await fetch(created.body.uploadUrl, { method: 'PUT', headers: created.body.uploadHeaders, body: new Uint8Array(sheet.finish()) });
  expect(upload.ok).toBe(true);
  expect((await awaitImport(tenant, created.body.id)).final).toMatchObject({ status: 'completed', invitedCount: 2 });
  const imported = await api<{ items: { id: string }[] }>('list imported', 'GET', '/v1/admin/invitations?q=Imp', admin);
  expect(imported.body.items).toHaveLength(2);
  for (const item of imported.body.items) {
    const code = await api<{ accessCode: string }>('see an imported code', 'GET', `/v1/admin/invitations/${item.id}/access-code`, admin);
    expectStatus(code, 200);
    keepCode(code.body.accessCode);
  }

  // An export, downloaded: it holds the pending codes.
  const started = await api<{ id: string }>('export', 'POST', '/v1/admin/exports', { ...admin, body: { kind: 'invitations' } });
  expectStatus(started, 202);
  let state: Answer<{ status: string; downloadUrl?: string }>;
  const deadline = Date.now() + 30_000;
  do {
    await new Promise((resolve) => setTimeout(resolve, 100));
    state = await api<{ status: string; downloadUrl?: string }>('export state', 'GET', `/v1/admin/exports/${started.body.id}`, admin);
  } while (state.body.status === 'running' && Date.now() < deadline);
  expect(state.body.status).toBe('completed');
  keepSignature(state.body.downloadUrl!);
  const file = await fetch(state.body.downloadUrl!);
  const workbook = XLSX.read(new Uint8Array(await file.arrayBuffer()), { type: 'array' });
  const rows = XLSX.utils.sheet_to_json<Record<string, string>>(workbook.Sheets[workbook.SheetNames[0]!]!, { raw: false, defval: '' });
  const exportedCodes = rows.map((row) => row['access code']!).filter(Boolean);
  expect(exportedCodes).toHaveLength(3);
  exportedCodes.forEach(keepCode);

  // Cards of the pending codes, and a reset letter: the codes travel in the PDF and in its QR codes' fragments only.
  const letters = await api<{ id: string }>('letters', 'POST', '/v1/admin/letters', { ...admin, body: { filter: {}, layout: 'cards' } });
  expectStatus(letters, 202);
  let run: Answer<{ status: string; count?: number; downloadUrl?: string }>;
  do {
    await new Promise((resolve) => setTimeout(resolve, 100));
    run = await api<{ status: string; count?: number; downloadUrl?: string }>('letters state', 'GET', `/v1/admin/letters/${letters.body.id}`, admin);
  } while (run.body.status === 'running' && Date.now() < deadline + 30_000);
  expect(run.body).toMatchObject({ status: 'completed', count: 3 });
  keepSignature(run.body.downloadUrl!);
  const resetLetter = await api<{ resetCode: string; downloadUrl: string }>('reset letter', 'POST', `/v1/admin/users/${signedUp.body.user.id}/reset-letter`, admin);
  expectStatus(resetLetter, 201);
  keepCode(resetLetter.body.resetCode);
  keepSignature(resetLetter.body.downloadUrl);

  expect(passwords.size).toBeGreaterThanOrEqual(8);
  expect(codes.size).toBe(7);
  expect(tokens.size).toBe(6);
  expect(signatures.size).toBe(4);
});

/** The stack's log, once it holds the line of the last request made. */
async function stackLog(): Promise<string[]> {
  const file = process.env.EMAILLESS_LOG_FILE!;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = readFileSync(file, 'utf8');
    if (text.includes(lastRequestId) || Date.now() > deadline) return text.split('\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('secrets stay secret', () => {
  it('in the local stack log', async () => {
    expect(lastRequestId).not.toBe('');
    const lines = await stackLog();
    // The right file, with this flow in it.
    expect(lines.some((line) => line.includes(lastRequestId))).toBe(true);
    expect(lines.filter((line) => line.includes(tenant.id)).length).toBeGreaterThan(10);
    const leaks = lines.flatMap((line, index) => found(line).map(({ kind }) => `line ${index + 1}: a ${kind}: ${line.slice(0, 200)}`));
    expect(leaks).toEqual([]);
  });

  it('in the audit log', async () => {
    const entries: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: Answer<{ items: unknown[]; nextCursor: string | null }> = await call('GET', `/v1/admin/audit?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token: tenant.admin.token });
      expect(page.status).toBe(200);
      entries.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const actions = new Set(entries.map((entry) => (entry as { action: string }).action));
    for (const action of ['access_code.viewed', 'access_code.regenerated', 'password.reset', 'password.changed', 'import.created', 'export.created', 'export.downloaded']) {
      expect(actions).toContain(action);
    }
    expect(found(JSON.stringify(entries)).map(({ kind }) => kind)).toEqual([]);
  });

  it('in every error answer', () => {
    const errors = answers.filter(({ answer }) => answer.status >= 400);
    expect(errors.length).toBeGreaterThanOrEqual(9);
    const leaks = errors.flatMap(({ what, answer }) => found(`${answer.text} ${JSON.stringify([...answer.headers])}`).map(({ kind }) => `${what}: a ${kind}`));
    expect(leaks).toEqual([]);
  });

  it('in the table: no code, password or token in the tenant partition, sessions only by hash', async () => {
    const partition = JSON.stringify(await tenantItems(tenant.id));
    expect(found(partition).map(({ kind, value }) => `${kind} ${value}`)).toEqual([]);
    // Sessions are kept in the user items by the hash of their token; the partition holds no token (checked above).
    const admin = await getItem(keys.user(tenant.id, tenant.admin.id));
    expect(Object.keys(admin?.sessions as Record<string, string>)).toContain(createHash('sha256').update(tenant.admin.token, 'utf8').digest('hex'));
  });
});
