/**
 * The post-deploy smoke test: the whole flow against any deployment, over HTTP only, in a
 * throwaway organisation that it deletes at the end (after a failure too).
 *
 *   npm run smoke -- --url <ApiUrl> --operator-key <key>
 *
 * (or EMAILLESS_URL and EMAILLESS_OPERATOR_KEY). One line per step with its time; exits 0, or
 * 1 naming the step that failed.
 */
import { randomBytes } from 'node:crypto';
import * as XLSX from 'xlsx';

function option(name: string, envName: string): string {
  const args = process.argv.slice(2);
  const index = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  const value = index < 0 ? process.env[envName] : args[index]!.includes('=') ? args[index]!.slice(name.length + 3) : args[index + 1];
  if (!value) {
    process.stderr.write(`usage: npm run smoke -- --url <ApiUrl> --operator-key <key>   (or ${envName})\n`);
    process.exit(2);
  }
  return value;
}

const baseUrl = option('url', 'EMAILLESS_URL').replace(/\/+$/, '');
const operatorKey = option('operator-key', 'EMAILLESS_OPERATOR_KEY');

const random = randomBytes(5).toString('hex');
const domain = `smoke-${random}.example`;
const adminEmail = `admin@${domain}`;
const adminPassword = `smoke-admin-${randomBytes(9).toString('hex')}`;
const memberPassword = `smoke-member-${randomBytes(9).toString('hex')}`;
const invitedUid = 'SMOKE1';
const importedUid = 'SMOKE2';

interface Answer<T> {
  status: number;
  body: T;
}

async function api<T = Record<string, unknown>>(method: string, path: string, options: { token?: string; operator?: boolean; body?: unknown } = {}): Promise<Answer<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.operator ? { 'x-operator-key': operatorKey } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    redirect: 'manual',
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the message
  }
  return { status: response.status, body: body as T };
}

/** The answer when its status is the one expected; otherwise an error that says what came instead (never a secret: problem documents carry none). */
async function expectStatus<T>(answer: Promise<Answer<T>>, status: number): Promise<T> {
  const got = await answer;
  if (got.status !== status) {
    const problem = got.body as { code?: string; detail?: string };
    throw new Error(`expected ${status}, got ${got.status}${problem?.code ? ` ${problem.code}: ${problem.detail ?? ''}` : ''}`);
  }
  return got.body;
}

async function poll<T extends { status: string }>(what: string, read: () => Promise<T>, done: (state: T) => boolean, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await read();
    if (done(state)) return state;
    if (Date.now() > deadline) throw new Error(`${what} still ${state.status} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

let failed = false;
async function step<T>(name: string, action: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    const result = await action();
    process.stdout.write(`ok   ${name} (${Date.now() - started} ms)\n`);
    return result;
  } catch (error) {
    failed = true;
    process.stdout.write(`FAIL ${name} (${Date.now() - started} ms): ${(error as Error).message}\n`);
    throw error;
  }
}

const deletionOf = (tenantId: string) => () => expectStatus(api<{ status: string; itemsDeleted: number; objectsDeleted: number }>('GET', `/v1/tenants/${tenantId}/deletion`, { operator: true }), 200);

let tenantId: string | undefined;
let deleted = false;

async function flow(): Promise<void> {
  const created = await step('create a throwaway organisation', () =>
    expectStatus(api<{ tenant: { id: string } }>('POST', '/v1/tenants', { operator: true, body: { name: `Smoke ${random}`, domain, admin: { email: adminEmail, password: adminPassword } } }), 201),
  );
  tenantId = created.tenant.id;
  const admin = await step('admin signs in', async () => (await expectStatus(api<{ token: string }>('POST', '/v1/auth/sign-in', { body: { identifier: adminEmail, password: adminPassword } }), 200)).token);
  await step('switch sign-in without email on', () => expectStatus(api('PATCH', '/v1/admin/settings', { token: admin, body: { signInWithoutEmail: true } }), 200));
  const invitation = await step('invite one person', async () => {
    const { items } = await expectStatus(api<{ items: { id: string }[] }>('POST', '/v1/admin/invitations', { token: admin, body: { invitations: [{ uid: invitedUid, role: 'member', firstName: 'Smoke', lastName: 'Test' }] } }), 201);
    return items[0]!;
  });
  const accessCode = await step('read the access code', async () => (await expectStatus(api<{ accessCode: string }>('GET', `/v1/admin/invitations/${invitation.id}/access-code`, { token: admin }), 200)).accessCode);
  await step('sign up with the access code', () => expectStatus(api('POST', '/v1/sign-up', { body: { accessCode, password: memberPassword } }), 201));
  await step('sign in with uid:domain', () => expectStatus(api('POST', '/v1/auth/sign-in', { body: { identifier: `${invitedUid}:${domain}`, password: memberPassword } }), 200));

  const upload = await step('create an import', () =>
    expectStatus(api<{ id: string; uploadUrl: string; uploadHeaders: Record<string, string> }>('POST', '/v1/admin/imports', { token: admin, body: { fileName: 'smoke.xlsx' } }), 201),
  );
  await step('upload an .xlsx to the presigned URL', async () => {
    const sheet = XLSX.utils.aoa_to_sheet([
      ['uid', 'first name', 'last name'],
      [importedUid, 'Imported', 'Smoke'],
    ]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, 'Sheet1');
    const file = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const response = await fetch(upload.uploadUrl, { method: 'PUT', headers: upload.uploadHeaders, body: new Uint8Array(file) });
    if (!response.ok) throw new Error(`the bucket answered ${response.status}`);
  });
  await step('the import completes and invites one person', async () => {
    const state = await poll('the import', () => expectStatus(api<{ status: string; invitedCount: number }>('GET', `/v1/admin/imports/${upload.id}`, { token: admin }), 200), (s) => s.status === 'completed' || s.status === 'failed');
    if (state.status !== 'completed' || state.invitedCount !== 1) throw new Error(`import ${state.status}, invitedCount ${state.invitedCount}`);
  });

  const exportId = await step('start an export', async () => (await expectStatus(api<{ id: string }>('POST', '/v1/admin/exports', { token: admin, body: { kind: 'invitations' } }), 202)).id);
  await step('download the export: an .xlsx with both people', async () => {
    const state = await poll('the export', () => expectStatus(api<{ status: string; downloadUrl?: string }>('GET', `/v1/admin/exports/${exportId}`, { token: admin }), 200), (s) => s.status !== 'running');
    if (state.status !== 'completed' || !state.downloadUrl) throw new Error(`export ${state.status}`);
    const response = await fetch(state.downloadUrl);
    if (!response.ok) throw new Error(`the download answered ${response.status}`);
    const file = new Uint8Array(await response.arrayBuffer());
    if (file[0] !== 0x50 || file[1] !== 0x4b) throw new Error('the download is not a zip (an .xlsx)');
    const book = XLSX.read(file, { type: 'array' });
    const rows = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[book.SheetNames[0]!]!, { header: 1 });
    const cells = new Set(rows.flat().map(String));
    for (const uid of [invitedUid, importedUid]) if (!cells.has(uid)) throw new Error(`${uid} is not in the export`);
  });

  await deleteTenant(created.tenant.id);
  await step('the admin\'s old token answers 401', () => expectStatus(api('GET', '/v1/me', { token: admin }), 401));
}

async function deleteTenant(id: string): Promise<void> {
  await step('delete the organisation', () => expectStatus(api('DELETE', `/v1/tenants/${id}`, { operator: true }), 202));
  await step('the deletion finishes', async () => {
    const done = await poll('the deletion', deletionOf(id), (state) => state.status === 'deleted');
    deleted = true;
    return done;
  });
}

async function main(): Promise<void> {
  process.stdout.write(`smoke test of ${baseUrl} with the organisation ${domain}\n`);
  const started = Date.now();
  try {
    await flow();
  } catch {
    // the step has said what failed
  } finally {
    if (tenantId && !deleted) await deleteTenant(tenantId).catch(() => undefined);
  }
  process.stdout.write(failed ? `smoke test FAILED (${Date.now() - started} ms)\n` : `smoke test passed (${Date.now() - started} ms)\n`);
  process.exitCode = failed ? 1 : 0;
}

void main();
