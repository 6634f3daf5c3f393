import type { Browser } from 'playwright-core';
import { invite, newTenant, signUp, switchSignInWithoutEmail, uniqueSuffix, type TestTenant } from '../integration/support';
import { expectVisible, launchBrowser, openContext, openSection, phone, snap } from './browser';

let browser: Browser;
let tenant: TestTenant;

beforeAll(async () => {
  [browser, tenant] = await Promise.all([launchBrowser(), newTenant('e2e-reset')]);
  await switchSignInWithoutEmail(tenant, true);
});
afterAll(() => browser?.close());

test('an admin sets a temporary password in the console and the user must choose their own when signing in', async () => {
  const uid = `R${uniqueSuffix()}`;
  const [invitation] = await invite(tenant, [{ uid, role: 'member' }]);
  await signUp(invitation!.accessCode, 'the forgotten password');
  const identifier = invitation!.signInIdentifier;

  // The admin finds the user and sets a temporary password.
  const admin = await openContext(browser);
  await admin.page.goto('/sign-in');
  await admin.page.getByLabel('Email or sign-in identifier').fill(tenant.admin.email);
  await admin.page.getByLabel('Password', { exact: true }).fill(tenant.admin.password);
  await admin.page.getByLabel('Password', { exact: true }).press('Enter');
  await admin.page.waitForURL('**/admin');
  await openSection(admin.page, 'users');
  await admin.page.getByLabel('uid or email starts with').fill(uid.toLowerCase());
  // The filtered list replaces the one the section showed first, and with it any panel opened on it.
  const filtered = admin.page.waitForResponse((response) => response.url().includes(`q=${uid.toLowerCase()}`));
  await admin.page.locator('#user-filter').getByRole('button', { name: 'Apply' }).click();
  await filtered;
  const row = admin.page.locator('#user-rows tr[data-user]', { hasText: identifier });
  await expectVisible(row);
  await row.getByRole('button', { name: 'Details' }).click();
  // The reset code comes first; the temporary password is the second way.
  const panel = admin.page.locator('.user-panel');
  await expectVisible(panel.getByRole('button', { name: 'Make a reset code' }));
  await panel.getByRole('button', { name: 'Set a temporary password instead' }).click();
  const field = panel.getByLabel(`New password for ${identifier}`);
  await field.fill('1234567');
  await panel.getByRole('button', { name: 'Set the password' }).click();
  await expectVisible(panel.getByText('Too short'));
  await field.fill('temporary lantern 42');
  expect(await panel.getByLabel('Temporary: they choose their own when they next sign in').isChecked()).toBe(true);
  await panel.getByRole('button', { name: 'Set the password' }).click();
  await expectVisible(panel.getByText(`Password of ${identifier} changed.`));
  await expectVisible(panel.locator('dd', { hasText: 'Yes' }));
  await snap(admin.page, 'admin-password-reset');
  await openSection(admin.page, 'audit');
  await expectVisible(admin.page.locator('#audit-rows').getByText('Password set by an admin'));

  // The user, on a phone, signs in with the temporary password and is made to change it.
  const user = await openContext(browser, phone);
  await user.page.goto('/sign-in');
  await user.page.getByLabel('Email or sign-in identifier').fill(identifier);
  await user.page.getByLabel('Password', { exact: true }).fill('the forgotten password');
  await user.page.getByRole('button', { name: 'Sign in' }).click();
  await expectVisible(user.page.getByText('The identifier or the password is wrong.'));
  await user.page.getByLabel('Password', { exact: true }).fill('temporary lantern 42');
  await user.page.getByRole('button', { name: 'Sign in' }).click();
  await expectVisible(user.page.getByRole('heading', { name: 'Choose a new password' }));
  expect(await user.page.locator('#current-password-field').isHidden()).toBe(true);
  await snap(user.page, 'sign-in-change-password');

  // The console is closed to them until they do.
  await user.page.goto('/welcome');
  await user.page.waitForURL('**/sign-in');
  await expectVisible(user.page.getByRole('heading', { name: 'Choose a new password' }));
  expect(await user.page.locator('#current-password-field').isHidden()).toBe(false);
  await user.page.getByLabel('Current password').fill('temporary lantern 42');
  await user.page.getByLabel('New password', { exact: true }).fill('temporary lantern 42');
  await user.page.getByRole('button', { name: 'Save and continue' }).click();
  await expectVisible(user.page.getByText('Choose a password different from the current one.'));
  await user.page.getByLabel('New password', { exact: true }).fill('my very own lantern');
  await user.page.getByRole('button', { name: 'Save and continue' }).click();
  await user.page.waitForURL('**/welcome');
  await expectVisible(user.page.getByRole('heading', { name: `Welcome, ${uid}` }));

  // The new password works, the temporary one no longer does.
  await user.page.getByRole('button', { name: 'Sign out' }).click();
  await user.page.waitForURL('**/sign-in');
  await user.page.getByLabel('Email or sign-in identifier').fill(identifier);
  await user.page.getByLabel('Password', { exact: true }).fill('temporary lantern 42');
  await user.page.getByRole('button', { name: 'Sign in' }).click();
  await expectVisible(user.page.getByText('The identifier or the password is wrong.'));
  await user.page.getByLabel('Password', { exact: true }).fill('my very own lantern');
  await user.page.getByRole('button', { name: 'Sign in' }).click();
  await user.page.waitForURL('**/welcome');

  expect([...admin.violations, ...user.violations]).toEqual([]);
  await Promise.all([admin.context.close(), user.context.close()]);
});
