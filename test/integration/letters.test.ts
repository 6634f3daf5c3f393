import { mkdirSync, writeFileSync } from 'node:fs';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/db/keys';
import { decodeQrCodes, pageCount, pageTexts, renderPage } from '../pdf-tools';
import { uidUser } from './principals';
import {
  awaitImport,
  baseUrl,
  call,
  db,
  expectProblem,
  getItem,
  invite,
  newTenant,
  setFaults,
  signUp,
  switchSignInWithoutEmail,
  tenantItems,
  uploadImport,
  xlsxOf,
  type Answer,
  type CreatedInvitation,
  type TestTenant,
} from './support';

interface RunState {
  id: string;
  status: 'running' | 'completed' | 'failed';
  layout: string;
  language: string;
  count?: number;
  pages?: number;
  downloadUrl?: string;
  expiresAt?: string;
  failure?: { code: string; message: string };
}

const people = [
  { uid: 'VN1', role: 'member', firstName: 'Nguyễn', lastName: 'Thị Ánh' },
  { uid: 'RU1', role: 'guest', firstName: 'Дмитрий', lastName: 'Иванов' },
  { uid: 'GR1', role: 'member', firstName: 'Γιώργος', lastName: 'Παπαδόπουλος' },
  { uid: 'AR1', role: 'member', firstName: 'محمد', lastName: 'العلي' },
  { uid: 'LA1', role: 'guest', firstName: 'Zoë', lastName: 'Ørsted' },
] as const;

let tenant: TestTenant;
let pending: CreatedInvitation[];
let accepted: CreatedInvitation;
let revoked: CreatedInvitation;
const artifacts = 'test-artifacts';

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  tenant = await newTenant('letters');
  await switchSignInWithoutEmail(tenant, true);
  pending = await invite(tenant, [...people, ...Array.from({ length: 7 }, (_, index) => ({ uid: `K${index}`, role: 'member' }))]);
  [accepted, revoked] = await invite(tenant, [
    { uid: 'DONE1', role: 'member' },
    { uid: 'GONE1', role: 'member' },
  ]) as [CreatedInvitation, CreatedInvitation];
  await signUp(accepted.accessCode);
  await call('DELETE', `/v1/admin/invitations/${revoked.id}`, { token: tenant.admin.token });
});

async function startRun(body: Record<string, unknown>, owner = tenant, headers: Record<string, string> = {}) {
  const started = await call<RunState>('POST', '/v1/admin/letters', { token: owner.admin.token, body, headers });
  expect(started.status).toBe(202);
  expect(started.body).toMatchObject({ id: expect.any(String), status: 'running' });
  return started.body;
}

async function awaitRun(id: string, owner = tenant): Promise<RunState> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await call<RunState>('GET', `/v1/admin/letters/${id}`, { token: owner.admin.token });
    expect(state.status).toBe(200);
    if (state.body.status !== 'running') return state.body;
    if (Date.now() > deadline) throw new Error('letters still running');
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/pdf');
  return Buffer.from(await response.arrayBuffer());
}

const signUpUrl = (code: string) => `${baseUrl.replace(/\/+$/, '')}/sign-up#code=${code}`;

describe('letters and cards of pending invitations', () => {
  it('prints one letter a page for the invitations named: name in each script, identifier, code, expiry, and a QR code of /sign-up#code=', async () => {
    const named = pending.slice(0, people.length);
    const state = await awaitRun((await startRun({ invitationIds: named.map((invitation) => invitation.id), layout: 'letter', language: 'en' })).id);
    expect(state).toMatchObject({ status: 'completed', count: people.length, pages: people.length, layout: 'letter', language: 'en', downloadUrl: expect.any(String) });
    const pdf = await download(state.downloadUrl!);
    expect(pageCount(pdf)).toBe(people.length);
    const texts = pageTexts(pdf);
    named.forEach((invitation, index) => {
      const person = people[index]!;
      const text = texts[index]!;
      expect(text).toContain(person.firstName);
      for (const word of person.lastName.split(' ')) expect(text).toContain(word);
      expect(text).toContain(`${person.uid}:${tenant.domain}`);
      expect(text).toContain(invitation.accessCode);
      const expiry = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(invitation.expiresAt));
      expect(text).toContain(expiry);
      expect(text).toContain(tenant.name);
      const png = renderPage(pdf, index + 1);
      if (index === 3) writeFileSync(`${artifacts}/integration-letter-arabic.png`, png);
      const [url] = decodeQrCodes(png);
      expect(url).toBe(signUpUrl(invitation.accessCode));
      // The code is in the fragment only: nothing before the # names it.
      expect(url!.split('#')[0]).not.toContain(invitation.accessCode.slice(0, 4));
    });
  });

  it('prints ten cards a page for a filter: every pending invitation once, nothing accepted, revoked or expired', async () => {
    const state = await awaitRun((await startRun({ filter: { status: ['pending'] }, layout: 'cards' })).id);
    expect(state).toMatchObject({ status: 'completed', count: pending.length, pages: 2 });
    const pdf = await download(state.downloadUrl!);
    expect(pageCount(pdf)).toBe(2);
    const first = renderPage(pdf, 1);
    writeFileSync(`${artifacts}/integration-cards.png`, first);
    const decoded = [...decodeQrCodes(first), ...decodeQrCodes(renderPage(pdf, 2))];
    expect(decoded).toHaveLength(pending.length);
    expect(decoded.sort()).toEqual(pending.map((invitation) => signUpUrl(invitation.accessCode)).sort());
    const text = pageTexts(pdf).join('\n');
    expect(text).not.toContain(accepted.accessCode);
    expect(text).not.toContain(revoked.accessCode);
  });

  it('narrows by role and uid prefix, and by the import that made the invitations', async () => {
    const guests = await awaitRun((await startRun({ filter: { role: 'guest' }, layout: 'cards' })).id);
    expect(guests.count).toBe(2);
    const prefixed = await awaitRun((await startRun({ filter: { q: 'k' }, layout: 'cards' })).id);
    expect(prefixed.count).toBe(7);

    const importId = await uploadImport(tenant, xlsxOf([['IMP1', 'Ana', 'Ruiz'], ['IMP2', 'Ben', 'Okafor'], ['IMP3', 'Chloé', 'Martin']]));
    const { final } = await awaitImport(tenant, importId);
    expect(final.status).toBe('completed');
    const fromImport = await awaitRun((await startRun({ filter: { importId }, layout: 'letter' })).id);
    expect(fromImport.count).toBe(3);
    const texts = pageTexts(await download(fromImport.downloadUrl!));
    expect(texts.map((text) => /IMP\d/.exec(text)?.[0]).sort()).toEqual(['IMP1', 'IMP2', 'IMP3']);
  });

  it('speaks the language asked for, else the request\'s Accept-Language', async () => {
    const french = await awaitRun((await startRun({ invitationIds: [pending[0]!.id], layout: 'letter' }, tenant, { 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.5' })).id);
    expect(french.language).toBe('fr');
    const [text] = pageTexts(await download(french.downloadUrl!));
    expect(text).toContain('Votre code d’accès');
    expect(text).toContain(new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(pending[0]!.expiresAt)));
    const english = await awaitRun((await startRun({ invitationIds: [pending[0]!.id], layout: 'letter', language: 'en' }, tenant, { 'accept-language': 'fr' })).id);
    expect(english.language).toBe('en');
  });

  it('prints the code as it is now, though the listing index still shows the invitation as it was', async () => {
    const [invitation] = await invite(tenant, [{ uid: 'STALE1', role: 'member' }]);
    const claimKey = keys.uidClaim(tenant.id, 'STALE1');
    const before = (await getItem(claimKey))!;
    const regenerated = await call<{ accessCode: string }>('POST', `/v1/admin/invitations/${invitation!.id}/access-code`, { token: tenant.admin.token });
    expect(regenerated.status).toBe(201);
    // What a lagging index would still answer: the invitation with its old code, under a listing key of its own.
    await db.send(new PutCommand({ TableName: 'emailless', Item: { ...before, sk: 'STALE-COPY', gsi1pk: 'STALE', gsi2sk: `${String(before.gsi2sk)}#stale` } }));
    const state = await awaitRun((await startRun({ filter: { q: 'STALE1' }, layout: 'cards' })).id);
    expect(state.count).toBe(1);
    expect(decodeQrCodes(renderPage(await download(state.downloadUrl!), 1))).toEqual([signUpUrl(regenerated.body.accessCode)]);
    expect(regenerated.body.accessCode).not.toBe(invitation!.accessCode);
    await db.send(new DeleteCommand({ TableName: 'emailless', Key: { pk: claimKey.pk, sk: 'STALE-COPY' } }));
  });

  it('completes with no file when nothing matches', async () => {
    const state = await awaitRun((await startRun({ filter: { q: 'NOBODY' }, layout: 'cards' })).id);
    expect(state).toMatchObject({ status: 'completed', count: 0, pages: 0 });
    expect(state.downloadUrl).toBeUndefined();
  });

  it('refuses bad requests with a problem and starts nothing', async () => {
    const runsBefore = (await tenantItems(tenant.id)).filter((item) => item.type === 'letterRun').length;
    const post = (body: unknown) => call('POST', '/v1/admin/letters', { token: tenant.admin.token, body });
    expectProblem(await post({ invitationIds: [accepted.id], layout: 'letter' }), 409, 'invitation_not_pending');
    expectProblem(await post({ invitationIds: [pending[0]!.id, revoked.id], layout: 'letter' }), 409, 'invitation_not_pending');
    expectProblem(await post({ invitationIds: [`${pending[0]!.id.split('-')[0]}-aaaaaaaaaaaaaaaa`], layout: 'letter' }), 404, 'not_found');
    expectProblem(await post({ invitationIds: ['not an id'], layout: 'letter' }), 404, 'not_found');
    const other = await newTenant('letters-other');
    await switchSignInWithoutEmail(other, true);
    const [theirs] = await invite(other, [{ uid: 'VN1', role: 'member' }]);
    expectProblem(await post({ invitationIds: [theirs!.id], layout: 'letter' }), 404, 'not_found');
    expectProblem(await post({ invitationIds: Array.from({ length: 101 }, (_, index) => `x${index}-aaaaaaaaaaaaaaaa`), layout: 'letter' }), 400, 'validation_failed');
    expectProblem(await post({ invitationIds: [], layout: 'letter' }), 400, 'validation_failed');
    const both = await post({ invitationIds: [pending[0]!.id], filter: {}, layout: 'letter' });
    expectProblem(both, 400, 'validation_failed');
    expect(both.text).toContain('either invitationIds or filter');
    expectProblem(await post({ layout: 'letter' }), 400, 'validation_failed');
    const noLayout = await post({ filter: {} });
    expectProblem(noLayout, 400, 'validation_failed');
    expect(noLayout.text).toContain('layout');
    expectProblem(await post({ filter: { status: ['accepted'] }, layout: 'letter' }), 400, 'validation_failed');
    expectProblem(await post({ filter: {}, layout: 'poster' }), 400, 'validation_failed');
    expectProblem(await post({ filter: {}, layout: 'cards', language: 'de' }), 400, 'validation_failed');
    expectProblem(await post({ filter: { q: 'a b' }, layout: 'cards' }), 400, 'validation_failed');
    expect((await tenantItems(tenant.id)).filter((item) => item.type === 'letterRun')).toHaveLength(runsBefore);
    // Another tenant's run answers 404 too.
    const ours = await startRun({ invitationIds: [pending[0]!.id], layout: 'letter' });
    expectProblem(await call('GET', `/v1/admin/letters/${ours.id}`, { token: other.admin.token }), 404, 'not_found');
  });

  it('records each run in the audit log with its count, and never a code', async () => {
    const state = await awaitRun((await startRun({ invitationIds: pending.slice(0, 2).map((invitation) => invitation.id), layout: 'cards' })).id);
    const audit = await call<{ items: { action: string; target: { id: string }; details?: Record<string, unknown> }[] }>('GET', '/v1/admin/audit?limit=100', { token: tenant.admin.token });
    const ofRun = audit.body.items.filter((entry) => entry.target.id === state.id);
    expect(ofRun.map((entry) => entry.action).sort()).toEqual(['letters.completed', 'letters.created', 'letters.downloaded']);
    expect(ofRun.find((entry) => entry.action === 'letters.created')!.details).toMatchObject({ layout: 'cards', invitations: 2 });
    expect(ofRun.find((entry) => entry.action === 'letters.completed')!.details).toMatchObject({ count: 2, pages: 1 });
    for (const invitation of pending) expect(audit.text).not.toContain(invitation.accessCode);
  });
});

describe('limits and failures of a run', () => {
  it('prints at most the run limit (30 on the test stack, 50,000 on AWS): one more fails the run with too_many_letters', async () => {
    const crowded = await newTenant('letters-limit');
    await switchSignInWithoutEmail(crowded, true);
    await invite(crowded, Array.from({ length: 30 }, (_, index) => ({ uid: `M${index}`, role: 'member' })));
    const atLimit = await awaitRun((await startRun({ filter: {}, layout: 'cards' }, crowded)).id, crowded);
    expect(atLimit).toMatchObject({ status: 'completed', count: 30, pages: 3 });
    await invite(crowded, [{ uid: 'M30', role: 'member' }]);
    const over = await awaitRun((await startRun({ filter: {}, layout: 'cards' }, crowded)).id, crowded);
    expect(over).toMatchObject({ status: 'failed', failure: { code: 'too_many_letters' } });
    expect(over.downloadUrl).toBeUndefined();
  });

  it('marks a run failed once the worker has failed every retry, and records nothing as printed', async () => {
    const unlucky = await newTenant('letters-fail');
    await switchSignInWithoutEmail(unlucky, true);
    const [invitation] = await invite(unlucky, [{ uid: 'F1', role: 'member' }]);
    await setFaults({ workerFailures: [unlucky.id] });
    try {
      const state = await awaitRun((await startRun({ invitationIds: [invitation!.id], layout: 'letter' }, unlucky)).id, unlucky);
      expect(state).toMatchObject({ status: 'failed', failure: { code: 'worker_failed' } });
    } finally {
      await setFaults({ workerFailures: [] });
    }
    const audit = await call<{ items: { action: string; details?: Record<string, unknown> }[] }>('GET', '/v1/admin/audit', { token: unlucky.admin.token });
    const actions = audit.body.items.map((entry) => entry.action);
    expect(actions).not.toContain('letters.completed');
    // The failure destination records the failed run once, as the admin's, in the same write that marks it.
    expect(actions.filter((action) => action === 'letters.failed')).toHaveLength(1);
    expect(audit.body.items.find((entry) => entry.action === 'letters.failed')!.details).toMatchObject({ count: 0, code: 'worker_failed' });
  });
});

describe('runs under way', () => {
  it('an organisation has at most 3 runs under way: of 10 asked for at once, 3 start; a finished run frees its place', async () => {
    const busy = await newTenant('letters-busy');
    await switchSignInWithoutEmail(busy, true);
    const [invitation] = await invite(busy, [{ uid: 'B1', role: 'member' }]);
    // Workers that fail every attempt keep the runs under way for a while (two retries, then the failure destination).
    await setFaults({ workerFailures: [busy.id] });
    try {
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => call<RunState>('POST', '/v1/admin/letters', { token: busy.admin.token, body: { invitationIds: [invitation!.id], layout: 'letter' } })),
      );
      const started = answers.filter((answer) => answer.status === 202);
      expect(started).toHaveLength(3);
      for (const refused of answers.filter((answer) => answer.status !== 202)) expectProblem(refused as unknown as Answer, 409, 'too_many_letter_runs');
      for (const run of started) expect(await awaitRun(run.body.id, busy)).toMatchObject({ status: 'failed' });
    } finally {
      await setFaults({ workerFailures: [] });
    }
    const again = await awaitRun((await startRun({ invitationIds: [invitation!.id], layout: 'letter' }, busy)).id, busy);
    expect(again).toMatchObject({ status: 'completed', count: 1 });
    const tenantItem = (await tenantItems(busy.id)).find((item) => item.type === 'tenant');
    expect(tenantItem?.runningLetterRuns).toBe(0);
  });
});

describe('reset letters', () => {
  it('issue a new reset code with its letter; the QR code opens /password-reset#code= and the code resets the password', async () => {
    const person = await uidUser(tenant);
    const answer = await call<{ resetCode: string; expiresAt: string; downloadUrl: string }>('POST', `/v1/admin/users/${person.id}/reset-letter`, { token: tenant.admin.token });
    expect(answer.status).toBe(201);
    const pdf = await download(answer.body.downloadUrl);
    expect(pageCount(pdf)).toBe(1);
    const [text] = pageTexts(pdf);
    expect(text).toContain(`${person.uid}:${tenant.domain}`);
    expect(text).toContain(answer.body.resetCode);
    expect(text).toContain('Reset your password');
    const png = renderPage(pdf, 1);
    writeFileSync(`${artifacts}/integration-reset-letter.png`, png);
    expect(decodeQrCodes(png)).toEqual([`${baseUrl.replace(/\/+$/, '')}/password-reset#code=${answer.body.resetCode}`]);
    const reset = await call('POST', '/v1/password-reset', { body: { resetCode: answer.body.resetCode, newPassword: 'a brand new passphrase' } });
    expect(reset.status).toBe(200);
  });

  it('refuses a user with an email address, and another tenant\'s user', async () => {
    expectProblem(await call('POST', `/v1/admin/users/${tenant.admin.id}/reset-letter`, { token: tenant.admin.token }), 409, 'user_has_email');
    const other = await newTenant('letters-reset-other');
    expectProblem(await call('POST', `/v1/admin/users/${other.admin.id}/reset-letter`, { token: tenant.admin.token }), 404, 'not_found');
  });
});
