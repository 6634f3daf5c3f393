import type { Browser } from 'playwright-core';
import { call, invite, newTenant, signUp, switchSignInWithoutEmail, uniqueSuffix, type TestTenant } from '../integration/support';
import { expectVisible, launchBrowser, openContext, phone, snap } from './browser';

let browser: Browser;
let tenant: TestTenant;

beforeAll(async () => {
  [browser, tenant] = await Promise.all([launchBrowser(), newTenant('e2e-messages')]);
  await switchSignInWithoutEmail(tenant, true);
});
afterAll(() => browser?.close());

test('the pages speak French to a French browser, and the keyboard alone gets through the form', async () => {
  const { context, page, violations } = await openContext(browser, { ...phone, locale: 'fr-FR' });
  await page.goto('/sign-up');
  expect(await page.getAttribute('html', 'lang')).toBe('fr');
  await expectVisible(page.getByRole('heading', { name: 'Inscription avec votre code d’accès' }));
  // Skip link, brand, then the access code field.
  for (let tab = 0; tab < 3; tab += 1) await page.keyboard.press('Tab');
  expect(await page.evaluate('document.activeElement.id')).toBe('access-code');
  await page.keyboard.type('ABCD');
  await page.keyboard.press('Enter');
  await expectVisible(page.getByText('Ce n’est pas un code d’accès'));
  expect(await page.getByLabel('Code d’accès').getAttribute('aria-invalid')).toBe('true');
  await snap(page, 'sign-up-fr-error');
  await page.goto('/sign-in');
  await expectVisible(page.getByRole('heading', { name: 'Connexion' }));
  await snap(page, 'sign-in-fr');
  expect(violations).toEqual([]);
  await context.close();
});

test('codes that were used, and a switched-off feature, are explained where they matter', async () => {
  const [used, pending] = await invite(tenant, [
    { uid: `U${uniqueSuffix()}`, role: 'member' },
    { uid: `P${uniqueSuffix()}`, role: 'guest' },
  ]);
  await signUp(used!.accessCode, 'a password for a used code');
  const { context, page, violations } = await openContext(browser, phone);

  await page.goto('/sign-up');
  await page.getByLabel('Access code').fill(used!.accessCode);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectVisible(page.locator('#access-code-error', { hasText: 'This access code has already been used.' }));

  await switchSignInWithoutEmail(tenant, false);
  await page.getByLabel('Access code').fill(pending!.accessCode);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectVisible(page.locator('#access-code-error', { hasText: 'Your organisation has switched off sign-in without email.' }));
  await snap(page, 'sign-up-feature-disabled');

  await page.goto('/sign-in');
  await page.getByLabel('Email or sign-in identifier').fill(used!.signInIdentifier);
  await page.getByLabel('Password', { exact: true }).fill('a password for a used code');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectVisible(page.getByText('Your organisation has switched off sign-in without email. Ask your admin.'));
  await switchSignInWithoutEmail(tenant, true);
  expect(violations).toEqual([]);
  await context.close();
});

test('too many failed sign-ins say how long to wait', async () => {
  const identifier = `nobody-${uniqueSuffix()}@${tenant.domain}`;
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const answer = await call('POST', '/v1/auth/sign-in', { body: { identifier, password: 'not the password' } });
    expect(answer.status).toBe(401);
  }
  const { context, page, violations } = await openContext(browser);
  await page.goto('/sign-in');
  await page.getByLabel('Email or sign-in identifier').fill(identifier);
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectVisible(page.getByText(/^Too many attempts\. Wait \d+ (minutes?|seconds?) and try again\.$/));
  await snap(page, 'sign-in-too-many-attempts');
  expect(violations).toEqual([]);
  await context.close();
});

test('without JavaScript the pages still read, and say what they need', async () => {
  const { context, page } = await openContext(browser, { ...phone, javaScriptEnabled: false });
  await page.goto('/sign-up');
  await expectVisible(page.getByRole('heading', { name: 'Sign up with your access code' }));
  // (Playwright's text search skips <noscript>; the notice is found by its class.)
  await expectVisible(page.locator('p.notice'));
  expect(await page.locator('p.notice').textContent()).toContain('This page needs JavaScript');
  expect(await page.locator('#code-form').isHidden()).toBe(true);
  await snap(page, 'sign-up-no-javascript');
  await context.close();
});
