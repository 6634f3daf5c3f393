import type { Browser } from 'playwright-core';
import { newTenant, uniqueSuffix, type TestTenant } from '../integration/support';
import { expectChecked, expectVisible, launchBrowser, openContext, openSection, phone, snap } from './browser';

let browser: Browser;
let tenant: TestTenant;

beforeAll(async () => {
  [browser, tenant] = await Promise.all([launchBrowser(), newTenant('e2e-invite')]);
});
afterAll(() => browser?.close());

test('an admin switches the feature on, invites a member, and the member signs up on a phone and signs in again with uid:domain', async () => {
  const uid = `E${uniqueSuffix()}`;

  // The admin, on a desktop.
  const admin = await openContext(browser);
  await admin.page.goto('/sign-in');
  await snap(admin.page, 'sign-in');
  await admin.page.getByLabel('Email or sign-in identifier').fill(tenant.admin.email);
  await admin.page.getByLabel('Password', { exact: true }).fill(tenant.admin.password);
  await admin.page.getByRole('button', { name: 'Sign in' }).click();
  await admin.page.waitForURL('**/admin');
  await expectVisible(admin.page.getByText(`Signed in as ${tenant.admin.email}`));

  const feature = admin.page.getByLabel('Let people without email sign up with an access code and sign in with uid:domain');
  await expectChecked(feature, false);
  await feature.check();
  await admin.page.getByRole('button', { name: 'Save the settings' }).click();
  await expectVisible(admin.page.getByText('Saved. Sign-in without email is on.'));

  await openSection(admin.page, 'groups');
  expect(await admin.page.locator('section#settings').isHidden()).toBe(true);
  await admin.page.locator('#group-name').fill('Night shift');
  await admin.page.getByLabel('Default group: every member who signs up joins it').check();
  await admin.page.getByRole('button', { name: 'Add the group' }).click();
  await expectVisible(admin.page.getByText('Group Night shift added.'));
  await expectVisible(admin.page.locator('#group-rows').getByText('Night shift'));

  await openSection(admin.page, 'invite');
  await admin.page.getByLabel('uid', { exact: true }).fill(uid);
  await admin.page.getByLabel('First name (optional)').fill('Ada');
  await admin.page.getByRole('button', { name: 'Invite', exact: true }).click();
  const result = admin.page.locator('#invite-result');
  await expectVisible(result.getByText(`Invitation for ${uid} created`));
  const accessCode = (await result.locator('.code').textContent())!;
  expect(accessCode).toMatch(/^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$/);
  const identifier = (await result.locator('strong.mono').textContent())!;
  expect(identifier.toLowerCase()).toBe(`${uid}:${tenant.domain}`.toLowerCase());
  await result.getByRole('button', { name: 'Copy the code' }).click();
  expect(await admin.page.evaluate('navigator.clipboard.readText()')).toBe(accessCode);

  // The invitation is listed as pending; "See the access code" shows the same code.
  await openSection(admin.page, 'invitations');
  const row = admin.page.locator('#invitation-rows tr', { hasText: uid });
  await expectVisible(row.getByText('Pending'));
  await row.getByRole('button', { name: 'See the access code' }).click();
  await expectVisible(row.locator('.code', { hasText: accessCode }));
  await snap(admin.page, 'admin');

  // The member, on a phone: the code typed in lower case with spaces.
  const member = await openContext(browser, phone);
  await member.page.goto('/sign-up');
  await snap(member.page, 'sign-up');
  await member.page.getByLabel('Access code').fill(accessCode.toLowerCase().replace(/-/g, ' '));
  await member.page.getByLabel('Access code').press('Enter');
  await expectVisible(member.page.getByRole('heading', { name: 'Your code is valid' }));
  await expectVisible(member.page.getByText(`You are joining Org`));
  expect(await member.page.locator('#identifier').textContent()).toBe(identifier);
  await snap(member.page, 'sign-up-identifier');

  const password = member.page.getByLabel('New password');
  await password.fill('short');
  await member.page.getByRole('button', { name: 'Create my account' }).click();
  await expectVisible(member.page.locator('#new-password-error', { hasText: 'Too short' }));
  expect(await password.getAttribute('aria-invalid')).toBe('true');
  await password.fill('password123');
  await member.page.getByRole('button', { name: 'Create my account' }).click();
  await expectVisible(member.page.locator('#new-password-error', { hasText: 'Too common' }));
  await snap(member.page, 'sign-up-password-error');
  await password.fill('a lantern by the river');
  await member.page.getByRole('button', { name: 'Create my account' }).click();

  await member.page.waitForURL('**/welcome');
  await expectVisible(member.page.getByRole('heading', { name: 'Welcome, Ada' }));
  await expectVisible(member.page.locator('#groups').getByText('Night shift'));
  expect(await member.page.locator('#role').textContent()).toBe('member');
  expect(member.page.url()).not.toMatch(/token|code|password/i);
  await snap(member.page, 'welcome');

  // Sign out, then back in with uid:domain.
  await member.page.getByRole('button', { name: 'Sign out' }).click();
  await member.page.waitForURL('**/sign-in');
  expect(await member.page.evaluate('sessionStorage.length')).toBe(0);
  await member.page.getByLabel('Email or sign-in identifier').fill(identifier);
  await expectVisible(member.page.getByText('Forgot your password? Ask your admin'));
  await member.page.getByLabel('Password', { exact: true }).fill('not my password');
  await member.page.getByRole('button', { name: 'Sign in' }).click();
  await expectVisible(member.page.getByText('The identifier or the password is wrong.'));
  await snap(member.page, 'sign-in-error');
  // The phone kept the device token sign-up answered, and shows it with the next sign-in.
  const deviceToken = (await member.page.evaluate(`JSON.parse(localStorage.getItem('emailless.devices'))[${JSON.stringify(identifier.toLowerCase())}]`)) as string;
  expect(deviceToken).toMatch(/^dv1\.[A-Za-z0-9_-]{43}$/);
  const signInRequest = member.page.waitForRequest((request) => request.url().endsWith('/v1/auth/sign-in') && request.method() === 'POST');
  await member.page.getByLabel('Password', { exact: true }).fill('a lantern by the river');
  await member.page.getByRole('button', { name: 'Sign in' }).click();
  expect((await signInRequest).postDataJSON()).toMatchObject({ identifier, deviceToken });
  await member.page.waitForURL('**/welcome');
  await expectVisible(member.page.getByRole('heading', { name: 'Welcome, Ada' }));

  // Back in the console: the invitation is accepted, the user is listed, the code view is audited.
  // The address keeps the section across a reload.
  await admin.page.reload();
  expect(new URL(admin.page.url()).hash).toBe('#invitations');
  await expectVisible(admin.page.locator('#invitation-rows tr', { hasText: uid }).getByText('Accepted'));
  await openSection(admin.page, 'users');
  await expectVisible(admin.page.locator('#user-rows').getByText(identifier));
  await openSection(admin.page, 'audit');
  await expectVisible(admin.page.locator('#audit-rows').getByText('Access code seen').first());

  expect([...admin.violations, ...member.violations]).toEqual([]);
  await Promise.all([admin.context.close(), member.context.close()]);
});

