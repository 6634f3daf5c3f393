import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { XlsxWriter } from '../../shared/excel/write';
import { decodeQrCodes, renderPage } from '../pdf-tools';
import { baseUrl, call, invite, newTenant, signUp, switchSignInWithoutEmail, uniqueSuffix, type TestTenant } from '../integration/support';
import { expectVisible, launchBrowser, openContext, openSection, phone, snap } from './browser';

let browser: Browser;
let tenant: TestTenant;

beforeAll(async () => {
  [browser, tenant] = await Promise.all([launchBrowser(), newTenant('e2e-letters')]);
  await switchSignInWithoutEmail(tenant, true);
});
afterAll(() => browser?.close());

const artifacts = resolve(__dirname, '..', '..', 'test-artifacts');

interface LetterRun {
  id: string;
  status: 'running' | 'completed' | 'failed';
  layout: 'letter' | 'cards';
  language: 'en' | 'fr';
  count?: number;
  downloadUrl?: string;
  expiresAt?: string;
  failure?: { code: string; message: string };
}

async function awaitLetters(id: string): Promise<LetterRun> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await call<LetterRun>('GET', `/v1/admin/letters/${id}`, { token: tenant.admin.token });
    if (answer.status !== 200) throw new Error(`letter run: ${answer.status} ${answer.text}`);
    if (answer.body.status !== 'running') return answer.body;
    if (Date.now() > deadline) throw new Error(`letter run ${id} still running after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** The PDF a presigned link gives, checked to be one. */
async function pdfAt(downloadUrl: string): Promise<Buffer> {
  const response = await fetch(downloadUrl);
  expect(response.status).toBe(200);
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  return bytes;
}

/** Page 1 rendered at 150 dpi (kept in test-artifacts/ as `name`), and the QR codes zbarimg reads on it. */
function qrCodesOnFirstPage(pdf: Buffer, name: string): string[] {
  const png = renderPage(pdf, 1, 150);
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, name), png);
  return decodeQrCodes(png);
}

/** A code as the API compares it: letters and digits, in capitals. */
const bare = (code: string) => code.replace(/[^0-9a-z]/gi, '').toUpperCase();

/** What left the browser for a server: every request's path and query, never the fragment. */
function sentToServers(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (request: Request) => {
    const url = new URL(request.url());
    sent.push(`${url.origin}${url.pathname}${url.search}`);
  });
  return sent;
}

async function adminConsole() {
  const admin = await openContext(browser);
  await admin.page.goto('/sign-in');
  await admin.page.getByLabel('Email or sign-in identifier').fill(tenant.admin.email);
  await admin.page.getByLabel('Password', { exact: true }).fill(tenant.admin.password);
  await admin.page.getByRole('button', { name: 'Sign in' }).click();
  await admin.page.waitForURL('**/admin');
  await expectVisible(admin.page.locator('#console'));
  return admin;
}

test('a printed letter\'s QR code opens /sign-up on a phone: the code fills the field, leaves the address and the history, and the person signs up', async () => {
  const uid = `Q${uniqueSuffix()}`;
  const [invitation] = await invite(tenant, [{ uid, role: 'member', firstName: 'Noor' }]);

  // The letter, through the API.
  const started = await call<LetterRun>('POST', '/v1/admin/letters', { token: tenant.admin.token, body: { invitationIds: [invitation!.id], layout: 'letter', language: 'en' } });
  expect(started.status).toBe(202);
  expect(started.body).toMatchObject({ status: 'running', layout: 'letter', language: 'en' });
  const run = await awaitLetters(started.body.id);
  expect(run).toMatchObject({ status: 'completed', count: 1, downloadUrl: expect.any(String) });
  const [scanned, ...others] = qrCodesOnFirstPage(await pdfAt(run.downloadUrl!), 'e2e-letter-qr.png');
  expect(others).toEqual([]);
  const qr = new URL(scanned!);
  expect(`${qr.origin}${qr.pathname}${qr.search}`).toBe(`${baseUrl}/sign-up`);
  const codeInQr = new URLSearchParams(qr.hash.slice(1)).get('code')!;
  expect(bare(codeInQr)).toBe(bare(invitation!.accessCode));

  // The person opens it on a phone.
  const member = await openContext(browser, phone);
  const sent = sentToServers(member.page);
  await member.page.goto(scanned!);
  await expectVisible(member.page.getByRole('heading', { name: 'Your code is valid' }));
  expect(bare(await member.page.locator('#access-code').inputValue())).toBe(bare(invitation!.accessCode));
  expect(await member.page.locator('#identifier').textContent()).toBe(invitation!.signInIdentifier);
  expect(invitation!.signInIdentifier.toLowerCase()).toBe(`${uid}:${tenant.domain}`.toLowerCase());
  expect(member.page.url()).toBe(`${baseUrl}/sign-up`);
  expect(await member.page.evaluate('window.location.hash')).toBe('');
  await snap(member.page, 'sign-up-from-letter');

  await member.page.getByLabel('New password').fill('a lantern on the letter');
  await member.page.getByRole('button', { name: 'Create my account' }).click();
  await member.page.waitForURL('**/welcome');
  await expectVisible(member.page.getByRole('heading', { name: 'Welcome, Noor' }));

  // Back through the history: the sign-up page's entry has no code any more.
  await member.page.goBack();
  expect(member.page.url()).toBe(`${baseUrl}/sign-up`);
  await expectVisible(member.page.getByLabel('Access code'));
  expect(await member.page.getByLabel('Access code').inputValue()).toBe('');
  while ((await member.page.goBack()) !== null) expect(member.page.url()).not.toContain('code');

  // The code reached the API in request bodies only, never in an address.
  expect(sent.some((url) => url.startsWith(`${baseUrl}/v1/`))).toBe(true);
  expect(sent.filter((url) => bare(url).includes(bare(invitation!.accessCode)))).toEqual([]);
  expect(member.violations).toEqual([]);
  await member.context.close();
});

test('the console prints letters and cards for the invitation list\'s filter, and a letter for one invitation', async () => {
  const prefix = `P${uniqueSuffix()}`;
  await invite(tenant, [
    { uid: `${prefix}1`, role: 'member' },
    { uid: `${prefix}2`, role: 'member' },
    { uid: `${prefix}3`, role: 'guest' },
  ]);
  const admin = await adminConsole();
  const { page } = admin;
  await openSection(page, 'invitations');
  await page.getByLabel('uid starts with').fill(prefix);
  await page.locator('#invitation-filter').getByRole('button', { name: 'Apply' }).click();
  await expectVisible(page.locator('#invitation-rows tr', { hasText: `${prefix}3` }));

  const letters = page.locator('#letters-result');
  const asked = page.waitForRequest((request) => new URL(request.url()).pathname === '/v1/admin/letters' && request.method() === 'POST');
  await page.getByRole('button', { name: 'Print letters', exact: true }).click();
  expect((await asked).postDataJSON()).toEqual({ filter: { q: prefix, status: ['pending'] }, layout: 'letter', language: 'en' });
  await expectVisible(letters.getByText(/^The PDF is ready: 3 letters\. The link works until /));
  const link = letters.getByRole('link', { name: 'Download the PDF' });
  await pdfAt((await link.getAttribute('href'))!);
  await snap(page, 'admin-letters');

  // Cards, for the guests among them.
  await page.locator('#invitation-role').selectOption('guest');
  await page.locator('#invitation-filter').getByRole('button', { name: 'Apply' }).click();
  await page.locator('#invitation-rows tr', { hasText: `${prefix}1` }).waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Print cards', exact: true }).click();
  await expectVisible(letters.getByText(/^The PDF is ready: 1 card\./));
  const cards = await pdfAt((await letters.getByRole('link', { name: 'Download the PDF' }).getAttribute('href'))!);
  expect(qrCodesOnFirstPage(cards, 'e2e-cards-qr.png')).toHaveLength(1);

  // Nothing pending matches: nothing to print.
  await page.getByLabel('uid starts with').fill(`${prefix}9`);
  await page.locator('#invitation-filter').getByRole('button', { name: 'Apply' }).click();
  await expectVisible(page.locator('#invitations-empty'));
  await page.getByRole('button', { name: 'Print letters', exact: true }).click();
  await expectVisible(letters.getByText('No pending invitation matches: there is nothing to print.'));

  // One invitation's letter, from its row.
  await page.getByLabel('uid starts with').fill(`${prefix}2`);
  await page.locator('#invitation-role').selectOption('');
  await page.locator('#invitation-filter').getByRole('button', { name: 'Apply' }).click();
  const row = page.locator('#invitation-rows tr', { hasText: `${prefix}2` });
  await expectVisible(row);
  await row.getByRole('button', { name: 'Print letter', exact: true }).click();
  await expectVisible(row.getByText(/^The PDF is ready: 1 letter\./));
  const [scanned] = qrCodesOnFirstPage(await pdfAt((await row.getByRole('link', { name: 'Download the PDF' }).getAttribute('href'))!), 'e2e-row-letter-qr.png');
  expect(scanned).toMatch(new RegExp(`^${baseUrl}/sign-up#code=`));

  await openSection(page, 'audit');
  expect(admin.violations).toEqual([]);
  await admin.context.close();
});

test('at the end of an import the console offers letters and cards for the new invitations', async () => {
  const prefix = `I${uniqueSuffix()}`;
  const writer = new XlsxWriter('Staff', ['uid', 'first name', 'last name']);
  for (let index = 1; index <= 3; index += 1) writer.addRow([`${prefix}${index}`, `First ${index}`, `Last ${index}`]);
  const path = join(mkdtempSync(join(tmpdir(), 'emailless-e2e-')), 'staff.xlsx');
  writeFileSync(path, writer.finish());

  const admin = await adminConsole();
  const { page } = admin;
  await openSection(page, 'import');
  await page.getByLabel('Spreadsheet (.xlsx, .xls, .ods, .csv)').setInputFiles(path);
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await expectVisible(page.getByText('Import finished.'));
  const printLetters = page.getByRole('button', { name: 'Print letters for the 3 new invitations' });
  await expectVisible(printLetters);
  await expectVisible(page.getByRole('button', { name: 'Print cards for the 3 new invitations' }));
  await printLetters.click();
  const result = page.locator('#import-letters-result');
  await expectVisible(result.getByText(/^The PDF is ready: 3 letters\./));
  const pdf = await pdfAt((await result.getByRole('link', { name: 'Download the PDF' }).getAttribute('href'))!);
  expect(qrCodesOnFirstPage(pdf, 'e2e-import-letter-qr.png')).toHaveLength(1);
  await snap(page, 'admin-import-letters');

  // The same file again invites nobody: no letters offered.
  await page.getByLabel('Spreadsheet (.xlsx, .xls, .ods, .csv)').setInputFiles(path);
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await expectVisible(page.locator('#import-counts li', { hasText: 'Unchanged: 3' }));
  expect(await page.locator('#import-letters').isHidden()).toBe(true);
  expect(admin.violations).toEqual([]);
  await admin.context.close();
});

test('an admin prints a reset letter for a user without email; its QR code opens /password-reset with the code', async () => {
  const uid = `R${uniqueSuffix()}`;
  const [invitation] = await invite(tenant, [{ uid, role: 'member', firstName: 'Rémi' }]);
  await signUp(invitation!.accessCode, 'a forgotten lantern');
  const identifier = invitation!.signInIdentifier;

  const admin = await adminConsole();
  const { page } = admin;
  await openSection(page, 'users');
  await page.getByLabel('uid or email starts with').fill(uid.toLowerCase());
  const filtered = page.waitForResponse((response) => response.url().includes(`q=${uid.toLowerCase()}`));
  await page.locator('#user-filter').getByRole('button', { name: 'Apply' }).click();
  await filtered;
  const row = page.locator('#user-rows tr[data-user]', { hasText: identifier });
  await expectVisible(row);
  await row.getByRole('button', { name: 'Details' }).click();
  const panel = page.locator('.user-panel');
  await panel.getByRole('button', { name: 'Print a reset letter', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await expectVisible(dialog);
  await dialog.getByRole('button', { name: 'Print a reset letter', exact: true }).click();
  const result = panel.locator('.result');
  await expectVisible(result.getByText(`Reset code for ${identifier}`));
  const resetCode = (await result.locator('.code').textContent())!;
  expect(resetCode).toMatch(/^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$/);
  await expectVisible(result.getByText('Print the letter and give it to the person by hand'));
  const link = result.getByRole('link', { name: 'Download the PDF' });
  await expectVisible(link);
  await snap(page, 'admin-reset-letter');
  const [scanned] = qrCodesOnFirstPage(await pdfAt((await link.getAttribute('href'))!), 'e2e-reset-letter-qr.png');
  const qr = new URL(scanned!);
  expect(`${qr.origin}${qr.pathname}`).toBe(`${baseUrl}/password-reset`);
  expect(bare(new URLSearchParams(qr.hash.slice(1)).get('code')!)).toBe(bare(resetCode));

  const person = await openContext(browser, phone);
  await person.page.goto(scanned!);
  await expectVisible(person.page.getByText(`This resets the password of ${identifier}`));
  expect(person.page.url()).toBe(`${baseUrl}/password-reset`);
  await person.page.getByLabel('New password').fill('a lantern remembered');
  await person.page.getByRole('button', { name: 'Save the password and sign in' }).click();
  await person.page.waitForURL('**/welcome');
  await expectVisible(person.page.getByRole('heading', { name: 'Welcome, Rémi' }));
  // Back, the page has neither the code in its address nor in its field.
  await person.page.goBack();
  expect(person.page.url()).toBe(`${baseUrl}/password-reset`);
  await expectVisible(person.page.getByLabel('Reset code'));
  expect(await person.page.getByLabel('Reset code').inputValue()).toBe('');

  expect([...admin.violations, ...person.violations]).toEqual([]);
  await Promise.all([admin.context.close(), person.context.close()]);
});
