import type { Browser } from 'playwright-core';
import { call, expectProblem, newTenant, switchSignInWithoutEmail, uniqueSuffix, type TestTenant } from '../integration/support';
import { expectVisible, launchBrowser, openContext, openSection, snap } from './browser';

let browser: Browser;
let tenant: TestTenant;

beforeAll(async () => {
  [browser, tenant] = await Promise.all([launchBrowser(), newTenant('e2e-keys')]);
  await switchSignInWithoutEmail(tenant, true);
});
afterAll(() => browser?.close());

test('an admin makes a key in the console, sees it once, a script invites with it, and a revoke stops it at once', async () => {
  const admin = await openContext(browser);
  const { page } = admin;
  await page.goto('/sign-in');
  await page.getByLabel('Email or sign-in identifier').fill(tenant.admin.email);
  await page.getByLabel('Password', { exact: true }).fill(tenant.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/admin');
  await openSection(page, 'api-keys');
  await expectVisible(page.getByText('No API key yet.'));

  // Neither a name nor a scope: the form says what is missing and makes nothing.
  await page.getByRole('button', { name: 'Create the key' }).click();
  await expectVisible(page.locator('#api-key-name-error:not(:empty)'));
  await page.locator('#api-keys').getByLabel('Name', { exact: true }).fill('HR sync');
  await page.getByRole('button', { name: 'Create the key' }).click();
  await expectVisible(page.getByText('Tick at least one scope.'));
  expect((await call('GET', '/v1/admin/api-keys', { token: tenant.admin.token })).body.items).toEqual([]);

  await page.getByLabel('Invitations, their codes and letters').check();
  await page.getByRole('button', { name: 'Create the key' }).click();
  const shown = page.locator('#api-key-shown');
  await expectVisible(shown.getByText('The key HR sync, shown this once: copy it now.'));
  const key = (await shown.locator('.code').textContent())!.trim();
  expect(key).toMatch(/^emk_/);
  await shown.getByRole('button', { name: 'Copy the key' }).click();
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(key);
  await snap(page, 'api-keys-shown-once');

  const row = page.locator('#api-key-rows tr', { hasText: 'HR sync' });
  await expectVisible(row.getByText('Never'));

  // The script of the README: the key invites a person, and is refused where its scope does not reach.
  const uid = `K${uniqueSuffix()}`;
  const invited = await call('POST', '/v1/admin/invitations', { token: key, body: { invitations: [{ uid, role: 'member' }] } });
  expect(invited.status).toBe(201);
  expectProblem(await call('GET', '/v1/admin/users', { token: key }), 403, 'insufficient_scope');

  // Shown again, the section lists the key with its last use and no longer shows the key itself.
  const [listed] = (await call('GET', '/v1/admin/api-keys', { token: tenant.admin.token })).body.items as { lastUsedAt?: string }[];
  expect(listed!.lastUsedAt).toBeDefined();
  await openSection(page, 'users');
  const reloaded = page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/admin/api-keys');
  await openSection(page, 'api-keys');
  await reloaded;
  await expectVisible(row.getByText(new Date(listed!.lastUsedAt!).getFullYear().toString()).nth(1));
  expect(await shown.isHidden()).toBe(true);
  expect(await page.content()).not.toContain(key);
  expect(await row.getByText('Never').count()).toBe(0);

  await row.getByRole('button', { name: 'Revoke' }).click();
  const dialog = page.getByRole('dialog');
  await expectVisible(dialog.getByText('Revoke the key HR sync?'));
  await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
  await expectVisible(page.getByText('Key HR sync revoked.'));
  await expectVisible(page.getByText('No API key yet.'));
  expectProblem(await call('POST', '/v1/admin/invitations', { token: key, body: { invitations: [{ uid: `K${uniqueSuffix()}`, role: 'member' }] } }), 401, 'invalid_token');
  expect(admin.violations).toEqual([]);
});
