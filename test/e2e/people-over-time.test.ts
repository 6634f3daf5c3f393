import type { Browser, Page } from 'playwright-core';
import { baseUrl, call, createGroup, invite, newTenant, signUp, switchSignInWithoutEmail, uniqueSuffix, type TestTenant } from '../integration/support';
import { expectChecked, expectVisible, launchBrowser, openContext, openSection, phone, snap } from './browser';

let browser: Browser;
let tenant: TestTenant;

beforeAll(async () => {
  [browser, tenant] = await Promise.all([launchBrowser(), newTenant('e2e-people')]);
  await switchSignInWithoutEmail(tenant, true);
});
afterAll(() => browser?.close());

/** A person without email who signed up, with a first and last name from the invitation. */
async function person(firstName: string, lastName: string) {
  const uid = `L${uniqueSuffix()}`;
  const [invitation] = await invite(tenant, [{ uid, role: 'member', firstName, lastName }]);
  const password = `own lantern ${uniqueSuffix()}`;
  await signUp(invitation!.accessCode, password);
  return { uid, identifier: invitation!.signInIdentifier, password };
}

async function signIn(page: Page, identifier: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email or sign-in identifier').fill(identifier);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function adminConsole() {
  const admin = await openContext(browser);
  await signIn(admin.page, tenant.admin.email, tenant.admin.password);
  await admin.page.waitForURL('**/admin');
  return admin;
}

/** Applies the users filter, waits for the answer whose query has `expected`, then for that many rows. */
async function applyUserFilter(page: Page, expected: string, rows: number) {
  const listed = page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/admin/users' && response.url().includes(expected));
  await page.locator('#user-filter').getByRole('button', { name: 'Apply' }).click();
  await listed;
  const deadline = Date.now() + 20_000;
  while ((await page.locator('#user-rows tr[data-user]').count()) !== rows && Date.now() < deadline) await page.waitForTimeout(100);
  expect(await page.locator('#user-rows tr[data-user]').count()).toBe(rows);
}

/** Finds the user in the console's list and opens their panel. */
async function openUserPanel(page: Page, uid: string, identifier: string) {
  await openSection(page, 'users');
  await page.getByLabel('uid or email starts with').fill(uid.toLowerCase());
  await applyUserFilter(page, `q=${uid.toLowerCase()}`, 1);
  const row = page.locator('#user-rows tr[data-user]', { hasText: identifier });
  await expectVisible(row);
  await row.getByRole('button', { name: 'Details' }).click();
  const panel = page.locator('.user-panel');
  await expectVisible(panel.locator('dl.facts'));
  return { row, panel };
}

/** Clicks an action of the panel and confirms it in the dialog. */
async function confirmAction(page: Page, panel: ReturnType<Page['locator']>, name: string, screenshot?: string) {
  await panel.getByRole('button', { name, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await expectVisible(dialog);
  if (screenshot) await snap(page, screenshot);
  await dialog.getByRole('button', { name, exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

test('an admin deactivates a person, whose open page is signed out and who cannot sign in until reactivated', async () => {
  const ana = await person('Ana', 'Deactivated');
  const phoneUser = await openContext(browser, phone);
  await signIn(phoneUser.page, ana.identifier, ana.password);
  await phoneUser.page.waitForURL('**/welcome');
  await expectVisible(phoneUser.page.getByRole('heading', { name: 'Welcome, Ana' }));

  const admin = await adminConsole();
  const { row, panel } = await openUserPanel(admin.page, ana.uid, ana.identifier);
  await expectVisible(row.getByText('Active', { exact: true }));
  await expectVisible(row.getByText('Ana Deactivated'));
  // Cancelling sends nothing.
  await panel.getByRole('button', { name: 'Deactivate', exact: true }).click();
  await admin.page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await expectVisible(row.getByText('Active', { exact: true }));
  await confirmAction(admin.page, panel, 'Deactivate', 'admin-confirm-deactivate');
  await expectVisible(panel.getByText(`${ana.identifier} is deactivated and signed out everywhere.`));
  // The row and the panel show it at once, without a reload.
  await expectVisible(row.getByText('Deactivated', { exact: true }));
  await expectVisible(panel.getByRole('button', { name: 'Reactivate' }));
  await snap(admin.page, 'admin-user-deactivated');

  // The phone's open page is signed out on its next call to the API.
  await phoneUser.page.reload();
  await expectVisible(phoneUser.page.getByText('You are not signed in.'));
  await signIn(phoneUser.page, ana.identifier, ana.password);
  await expectVisible(phoneUser.page.getByText('This account has been deactivated. Ask your admin.'));
  await snap(phoneUser.page, 'sign-in-deactivated');

  // The status filter finds them; reactivation lets them in again.
  await admin.page.reload();
  await openSection(admin.page, 'users');
  await admin.page.locator('#user-status').selectOption('deactivated');
  await admin.page.getByLabel('uid or email starts with').fill('');
  await applyUserFilter(admin.page, 'status=deactivated', 1);
  const deactivatedRow = admin.page.locator('#user-rows tr[data-user]', { hasText: ana.identifier });
  await expectVisible(deactivatedRow);
  await deactivatedRow.getByRole('button', { name: 'Details' }).click();
  await confirmAction(admin.page, admin.page.locator('.user-panel'), 'Reactivate');
  await expectVisible(deactivatedRow.getByText('Active', { exact: true }));

  await signIn(phoneUser.page, ana.identifier, ana.password);
  await phoneUser.page.waitForURL('**/welcome');
  await expectVisible(phoneUser.page.getByRole('heading', { name: 'Welcome, Ana' }));

  await openSection(admin.page, 'audit');
  const deactivation = admin.page.locator('#audit-rows tr', { hasText: 'User deactivated' });
  await expectVisible(deactivation.getByText(ana.identifier));
  await expectVisible(deactivation.getByText('Ana Deactivated'));
  await expectVisible(admin.page.locator('#audit-rows tr', { hasText: 'User reactivated' }).first());
  await snap(admin.page, 'admin-audit-people');

  expect([...admin.violations, ...phoneUser.violations]).toEqual([]);
  await Promise.all([admin.context.close(), phoneUser.context.close()]);
});

test('an admin makes a reset code; the person opens its link, the code leaves the address bar, and they choose a password', async () => {
  const ana = await person('Ana', 'Reset');
  const admin = await adminConsole();
  const { panel } = await openUserPanel(admin.page, ana.uid, ana.identifier);
  await confirmAction(admin.page, panel, 'Make a reset code');
  const result = admin.page.locator('.user-panel .result');
  await expectVisible(result.getByText(`Reset code for ${ana.identifier}`));
  const resetCode = (await result.locator('.code').textContent())!;
  expect(resetCode).toMatch(/^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$/);
  expect(await result.locator('strong.mono').textContent()).toBe(ana.identifier);
  await expectVisible(result.getByText('Give this code to the person by hand'));
  await expectVisible(panel.getByText('Reset code valid until'));
  await snap(admin.page, 'admin-reset-code');

  const phoneUser = await openContext(browser, phone);
  await phoneUser.page.goto(`/password-reset#code=${resetCode}`);
  await expectVisible(phoneUser.page.getByText(`This resets the password of ${ana.identifier} at ${tenant.name} (${tenant.domain}).`));
  expect(await phoneUser.page.locator('#reset-code').inputValue()).toBe(resetCode);
  // Nothing of the code is left in the address.
  expect(phoneUser.page.url()).toBe(`${baseUrl}/password-reset`);
  await snap(phoneUser.page, 'password-reset');

  const password = phoneUser.page.getByLabel('New password');
  await password.fill('short');
  await phoneUser.page.getByRole('button', { name: 'Save the password and sign in' }).click();
  await expectVisible(phoneUser.page.locator('#new-password-error', { hasText: 'Too short' }));
  await password.fill('a brand new lantern');
  await phoneUser.page.getByRole('button', { name: 'Save the password and sign in' }).click();
  await phoneUser.page.waitForURL('**/welcome');
  await expectVisible(phoneUser.page.getByRole('heading', { name: 'Welcome, Ana' }));
  await snap(phoneUser.page, 'welcome-by-name');

  // The code is spent; typed again, it is refused with a reason.
  await phoneUser.page.goto('/password-reset');
  await phoneUser.page.getByLabel('Reset code').fill(resetCode.toLowerCase());
  await phoneUser.page.getByRole('button', { name: 'Continue' }).click();
  await expectVisible(phoneUser.page.locator('#reset-code-error', { hasText: 'This reset code does not work.' }));
  await snap(phoneUser.page, 'password-reset-spent');

  expect([...admin.violations, ...phoneUser.violations]).toEqual([]);
  await Promise.all([admin.context.close(), phoneUser.context.close()]);
});

test('the invite form shows the default groups checked and fixed for a member, as ordinary choices for a guest', async () => {
  const suffix = uniqueSuffix();
  await createGroup(tenant, `Everyone ${suffix}`, true);
  await createGroup(tenant, `Kitchen ${suffix}`, false);
  const admin = await adminConsole();
  await openSection(admin.page, 'invite');
  const everyone = admin.page.getByLabel(`Everyone ${suffix} (default)`);
  const kitchen = admin.page.getByLabel(`Kitchen ${suffix}`);
  await expectChecked(everyone, true);
  expect(await everyone.isDisabled()).toBe(true);
  await expectVisible(admin.page.locator('#invite-groups').getByText('included for members').first());
  expect(await kitchen.isChecked()).toBe(false);
  expect(await kitchen.isDisabled()).toBe(false);
  await snap(admin.page, 'admin-invite-default-groups');

  await admin.page.locator('#invite-form input[name=role][value=guest]').check();
  await expectChecked(everyone, false);
  expect(await everyone.isDisabled()).toBe(false);
  expect(await admin.page.locator('#invite-groups').getByText('included for members').first().isHidden()).toBe(true);
  await kitchen.check();
  await admin.page.locator('#invite-form input[name=role][value=member]').check();
  await expectChecked(everyone, true);
  await expectChecked(kitchen, true);

  // A member invited with the form joins the default group on sign-up.
  const uid = `D${uniqueSuffix()}`;
  await admin.page.getByLabel('uid', { exact: true }).fill(uid);
  await admin.page.getByRole('button', { name: 'Invite', exact: true }).click();
  await expectVisible(admin.page.locator('#invite-result').getByText(`Invitation for ${uid} created`));
  await expectChecked(everyone, true);
  expect(await everyone.isDisabled()).toBe(true);
  expect(admin.violations).toEqual([]);
  await admin.context.close();
});

test('an admin changes a person\'s names, groups and uid, sees the problems the API names, and deletes them', async () => {
  const bea = await person('Bea', 'Before');
  const carl = await person('Carl', 'Other');
  const group = await createGroup(tenant, `Porters ${uniqueSuffix()}`);
  const admin = await adminConsole();
  const { panel } = await openUserPanel(admin.page, bea.uid, bea.identifier);
  // The only row the filter shows; its identifier changes below.
  const row = admin.page.locator('#user-rows tr[data-user]');

  await panel.getByLabel('uid', { exact: true }).fill(carl.uid);
  await panel.getByRole('button', { name: 'Save the changes' }).click();
  await expectVisible(panel.getByText('This uid is already used by a person or a pending invitation.'));

  const newUid = `N${uniqueSuffix()}`;
  await panel.getByLabel('uid', { exact: true }).fill(newUid);
  await panel.getByLabel('First name', { exact: true }).fill('Beatrice');
  await panel.getByLabel('Last name', { exact: true }).fill('');
  await panel.getByLabel(group.name).check();
  await panel.getByRole('button', { name: 'Save the changes' }).click();
  await expectVisible(panel.getByText(/^Changes to .* saved\.$/));
  await expectVisible(row.getByText('Beatrice', { exact: true }));
  await expectVisible(row.getByText(group.name));
  const newIdentifier = (await row.locator('.mono').textContent())!;
  expect(newIdentifier.toLowerCase()).toBe(`${newUid}:${tenant.domain}`.toLowerCase());
  await expectVisible(panel.getByRole('heading', { name: `User ${newIdentifier}` }));
  await snap(admin.page, 'admin-user-edited');
  expect((await call('POST', '/v1/auth/sign-in', { body: { identifier: bea.identifier, password: bea.password } })).status).toBe(401);
  expect((await call('POST', '/v1/auth/sign-in', { body: { identifier: newIdentifier, password: bea.password } })).status).toBe(200);

  // The admin's own panel: no deactivate or delete, and the API refuses to demote the last admin.
  await admin.page.getByLabel('uid or email starts with').fill('admin');
  await applyUserFilter(admin.page, 'q=admin', 1);
  await admin.page.locator('#user-rows tr[data-user]').getByRole('button', { name: 'Details' }).click();
  const own = admin.page.locator('.user-panel');
  await expectVisible(own.getByText('This is your own account'));
  expect(await own.getByRole('button', { name: 'Delete', exact: true }).count()).toBe(0);
  await own.getByLabel('member', { exact: true }).check();
  await own.getByRole('button', { name: 'Save the changes' }).click();
  await expectVisible(own.getByText('Not possible: an admin cannot do this to their own account'));

  // Deleted: the row goes, and the log keeps the identifier but no name.
  const renamed = await openUserPanel(admin.page, newUid, newIdentifier);
  await confirmAction(admin.page, renamed.panel, 'Delete');
  await expectVisible(admin.page.getByText(`${newIdentifier} deleted.`));
  expect(await admin.page.locator('#user-rows tr[data-user]').count()).toBe(0);
  await openSection(admin.page, 'audit');
  const deletion = admin.page.locator('#audit-rows tr', { hasText: 'User deleted' });
  await expectVisible(deletion.getByText(newIdentifier));
  await expectVisible(admin.page.locator('#audit-rows tr', { hasText: 'User changed' }).getByText(new RegExp(`^uid ${bea.uid} → ${newUid}$`, 'i')));
  await expectVisible(admin.page.locator('#audit-rows tr', { hasText: 'User changed' }).getByText(/^Changed: .*first name/).first());
  await snap(admin.page, 'admin-audit-user-changed');
  expect(await admin.page.locator('#audit-rows').getByText('Beatrice').count()).toBe(0);
  expect(admin.violations).toEqual([]);
  await admin.context.close();
});
