import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { XlsxWriter } from '../../shared/excel/write';
import { newTenant, switchSignInWithoutEmail, uniqueSuffix, type TestTenant } from '../integration/support';
import { expectVisible, launchBrowser, openContext, openSection, snap } from './browser';

let browser: Browser;
let tenant: TestTenant;

beforeAll(async () => {
  [browser, tenant] = await Promise.all([launchBrowser(), newTenant('e2e-import')]);
  await switchSignInWithoutEmail(tenant, true);
});
afterAll(() => browser?.close());

/** 500 rows: 497 good ones, an empty uid, a bad uid and a duplicate. */
function staffFile(): { path: string; prefix: string } {
  const prefix = `S${uniqueSuffix()}`;
  const writer = new XlsxWriter('Staff', ['uid', 'first name', 'last name']);
  for (let index = 1; index <= 497; index += 1) writer.addRow([`${prefix}${String(index).padStart(3, '0')}`, `First ${index}`, `Last ${index}`]);
  writer.addRow(['', 'No', 'Uid']);
  writer.addRow(['not-a-uid!', 'Bad', 'Uid']);
  writer.addRow([`${prefix}001`, 'Twice', 'Listed']);
  const path = join(mkdtempSync(join(tmpdir(), 'emailless-e2e-')), 'staff.xlsx');
  writeFileSync(path, writer.finish());
  return { path, prefix };
}

async function downloadOf(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
}

const isXlsx = (bytes: Buffer) => bytes.subarray(0, 2).toString('latin1') === 'PK';

const fileLabel = 'Spreadsheet (.xlsx, .xls, .ods, .csv)';

/** The counts the panel lists, in order. */
const countsOf = (page: Page) => page.locator('#import-counts li').allTextContents();

async function signInAsAdmin(page: Page): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email or sign-in identifier').fill(tenant.admin.email);
  await page.getByLabel('Password', { exact: true }).fill(tenant.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/admin');
  await expectVisible(page.locator('#console'));
  await openSection(page, 'import');
}

test('an admin imports 500 rows from the browser, follows the progress, reads the errors and exports every invitation', async () => {
  const { path, prefix } = staffFile();
  const admin = await openContext(browser);
  const { page } = admin;
  await signInAsAdmin(page);

  const [templateRequest, template] = await Promise.all([
    page.waitForRequest((request) => request.url().includes('/v1/admin/imports/template')),
    downloadOf(page, () => page.getByRole('button', { name: 'Download the template' }).click()),
  ]);
  expect(new URL(templateRequest.url()).searchParams.get('language')).toBe('en');
  expect(template.name).toBe('invitations-template.xlsx');
  expect(isXlsx(template.bytes)).toBe(true);

  // The file goes from the browser straight to the bucket (the CSP allows its origin).
  await page.getByLabel(fileLabel).setInputFiles(path);
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await expectVisible(page.locator('#import-progress'));
  await expectVisible(page.getByText('Import finished.'));
  expect(await countsOf(page)).toEqual(['Invited: 497', 'Unchanged: 0', 'Updated: 0', 'Deactivated: 0', 'Revoked: 0', 'Rows with errors: 3']);
  expect(await page.locator('#import-bar').evaluate((bar) => [(bar as unknown as { value: number }).value, (bar as unknown as { max: number }).max])).toEqual([500, 500]);
  expect(await page.locator('#import-count').textContent()).toBe('500 of 500 rows');
  const errorRows = page.locator('#import-error-rows tr');
  expect(await errorRows.count()).toBe(3);
  await expectVisible(errorRows.filter({ hasText: 'This uid is already on an earlier row of the file.' }));
  await expectVisible(errorRows.filter({ hasText: 'not-a-uid!' }));
  await snap(page, 'admin-import');

  const report = await downloadOf(page, () => page.getByRole('button', { name: 'Download the report' }).click());
  expect(report.name).toMatch(/-report\.xlsx$/);
  expect(isXlsx(report.bytes)).toBe(true);

  // The invitations list pages through them.
  await openSection(page, 'invitations');
  await page.getByLabel('uid starts with').fill(prefix);
  await page.locator('#invitation-filter').getByRole('button', { name: 'Apply' }).click();
  await expectVisible(page.locator('#invitation-rows tr', { hasText: `${prefix}001` }));
  expect(await page.locator('#invitation-rows tr').count()).toBe(20);
  await page.locator('#invitations-more').click();
  await expectVisible(page.locator('#invitation-rows tr').nth(39));
  expect(await page.locator('#invitation-rows tr').count()).toBe(40);

  await openSection(page, 'export');
  await page.getByRole('button', { name: 'Export all the invitations' }).click();
  await expectVisible(page.getByText(/^The file is ready: 497 invitations\./));
  const exported = await downloadOf(page, () => page.getByRole('link', { name: 'Download the file (.xlsx)' }).click());
  expect(isXlsx(exported.bytes)).toBe(true);
  await snap(page, 'admin-export');

  await openSection(page, 'audit');
  await expectVisible(page.locator('#audit-rows').getByText('Import finished'));
  await expectVisible(page.locator('#audit-rows').getByText('Export made'));
  expect(admin.violations).toEqual([]);
  await admin.context.close();
});

test('the picker offers every spreadsheet format; the same small file uploaded twice is invited, then unchanged', async () => {
  const prefix = `C${uniqueSuffix()}`;
  // CSV is read on another branch; until then the same columns come in an .xlsx.
  const writer = new XlsxWriter('Staff', ['uid', 'first name', 'last name']);
  for (let index = 1; index <= 3; index += 1) writer.addRow([`${prefix}${index}`, `First ${index}`, `Last ${index}`]);
  const path = join(mkdtempSync(join(tmpdir(), 'emailless-e2e-')), 'small.xlsx');
  writeFileSync(path, writer.finish());
  const admin = await openContext(browser);
  const { page } = admin;
  await signInAsAdmin(page);

  const accept = (await page.getByLabel(fileLabel).getAttribute('accept'))!.split(',');
  expect(accept).toEqual(expect.arrayContaining(['.xlsx', '.xls', '.ods', '.csv', 'text/csv']));
  await expectVisible(page.getByRole('radio', { name: /^Add new people/ }));
  expect(await page.getByRole('radio', { name: /^Add new people/ }).isChecked()).toBe(true);

  for (const expected of [
    ['Invited: 3', 'Unchanged: 0', 'Updated: 0', 'Deactivated: 0', 'Revoked: 0', 'Rows with errors: 0'],
    ['Invited: 0', 'Unchanged: 3', 'Updated: 0', 'Deactivated: 0', 'Revoked: 0', 'Rows with errors: 0'],
  ]) {
    await page.getByLabel(fileLabel).setInputFiles(path);
    await page.getByRole('button', { name: 'Upload and import' }).click();
    await expectVisible(page.locator('#import-counts li', { hasText: expected[1] }));
    expect(await countsOf(page)).toEqual(expected);
    // Every column is known: no line about ignored ones.
    expect(await page.locator('#import-ignored').isHidden()).toBe(true);
  }

  // Sync offers the mass-removal checkbox; adding does not.
  await expect(page.locator('#import-mass-removal').isVisible()).resolves.toBe(false);
  await page.getByRole('radio', { name: 'Keep in step with this file (sync)' }).check();
  await expectVisible(page.getByRole('checkbox', { name: /Yes, remove that many/ }));
  expect(admin.violations).toEqual([]);
  await admin.context.close();
});
