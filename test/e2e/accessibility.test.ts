import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { invite, newTenant, switchSignInWithoutEmail, uniqueSuffix, type TestTenant } from '../integration/support';
import { desktop, expectVisible, launchBrowser, openContext, openSection, phone } from './browser';

/**
 * Every page, in the states people meet it in, audited by axe-core against WCAG 2.1 A and AA
 * (labels, names, contrast, landmarks, language, ARIA), at phone and desktop width, in English
 * and French. axe is put into the page by the test driver; the page's own CSP would refuse it,
 * so these contexts bypass CSP (the other e2e tests keep it and fail on any violation).
 */
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
  passes: { id: string }[];
}

let browser: Browser;
let tenant: TestTenant;

beforeAll(async () => {
  [browser, tenant] = await Promise.all([launchBrowser(), newTenant('e2e-a11y')]);
  await switchSignInWithoutEmail(tenant, true);
});
afterAll(() => browser?.close());

/** The WCAG violations axe finds on the page as it is now, at both widths, one line each. */
async function audit(page: Page, state: string): Promise<{ violations: string[]; rulesPassed: number }> {
  const violations: string[] = [];
  let rulesPassed = 0;
  for (const [size, options] of [
    ['phone', phone],
    ['desktop', desktop],
  ] as const) {
    await page.setViewportSize(options.viewport!);
    if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(axeSource);
    const result = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(wcag)} } })`)) as AxeResult;
    rulesPassed = Math.max(rulesPassed, result.passes.length);
    for (const violation of result.violations) {
      const where = violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join('; ');
      violations.push(`${state} (${size}): ${violation.id} [${violation.impact}] ${violation.help}: ${where}`);
    }
  }
  return { violations, rulesPassed };
}

async function signIn(page: Page, identifier: string, password: string, label: string | RegExp, button: string) {
  await page.goto('/sign-in');
  await page.getByLabel(label).fill(identifier);
  await page.getByLabel(/^(Password|Mot de passe)$/).fill(password);
  await page.getByRole('button', { name: button }).click();
}

for (const language of [
  { locale: 'en-GB', identifierLabel: 'Email or sign-in identifier', signIn: 'Sign in', codeLabel: 'Access code' },
  { locale: 'fr-FR', identifierLabel: /identifiant/i, signIn: 'Se connecter', codeLabel: /code d.accès/i },
] as const) {
  test(`every page and state passes axe's WCAG 2.1 AA rules (${language.locale})`, async () => {
    const found: string[] = [];
    let audited = 0;
    const check = async (page: Page, state: string) => {
      const { violations, rulesPassed } = await audit(page, `${language.locale} ${state}`);
      expect(rulesPassed).toBeGreaterThan(10);
      found.push(...violations);
      audited++;
    };
    const uid = `A${uniqueSuffix()}`;
    const pendingUid = `P${uniqueSuffix()}`;
    const [invitation] = await invite(tenant, [
      { uid, role: 'member' },
      { uid: pendingUid, role: 'guest' },
    ]);

    // The person without email: sign-up, its password step with an error, welcome, a failed sign-in.
    const member = await openContext(browser, { ...phone, locale: language.locale, bypassCSP: true });
    await member.page.goto('/sign-up');
    await check(member.page, 'sign-up');
    await member.page.getByLabel(language.codeLabel).fill(invitation!.accessCode);
    await member.page.getByLabel(language.codeLabel).press('Enter');
    await expectVisible(member.page.locator('#identifier'));
    await check(member.page, 'sign-up, code accepted');
    await member.page.locator('#new-password').fill('short');
    await member.page.locator('#new-password').press('Enter');
    await expectVisible(member.page.locator('#new-password-error:not(:empty)'));
    await check(member.page, 'sign-up, password refused');
    await member.page.locator('#new-password').fill('a lantern by the river');
    await member.page.locator('#new-password').press('Enter');
    await member.page.waitForURL('**/welcome');
    await expectVisible(member.page.locator('#groups'));
    await check(member.page, 'welcome');
    await member.page.locator('#sign-out').click();
    await member.page.waitForURL('**/sign-in');
    await signIn(member.page, `${uid}:${tenant.domain}`, 'not my password', language.identifierLabel, language.signIn);
    await expectVisible(member.page.locator('#sign-in-message'));
    await check(member.page, 'sign-in, refused');
    await member.page.goto('/password-reset');
    await expectVisible(member.page.locator('#reset-code'));
    await check(member.page, 'password reset');
    await member.page.locator('#reset-code').fill('ABCD-EFGH-JKLM-NPQR');
    await member.page.locator('#reset-code').press('Enter');
    await expectVisible(member.page.locator('#reset-code-error:not(:empty)'));
    await check(member.page, 'password reset, code refused');

    // The admin console, with an invitation listed and its code shown.
    const admin = await openContext(browser, { ...desktop, locale: language.locale, bypassCSP: true });
    await signIn(admin.page, tenant.admin.email, tenant.admin.password, language.identifierLabel, language.signIn);
    await admin.page.waitForURL('**/admin');
    await openSection(admin.page, 'invitations');
    const pending = admin.page.locator('#invitation-rows tr', { hasText: pendingUid });
    await pending.getByRole('button').first().click();
    await expectVisible(pending.locator('.code'));
    await check(admin.page, 'admin console, invitations with a code shown');
    // The console shows one section at a time: each is audited as it is shown.
    for (const section of ['settings', 'groups', 'invite', 'users', 'import', 'export', 'audit', 'api-keys']) {
      await openSection(admin.page, section);
      await check(admin.page, `admin console, ${section}`);
      if (section !== 'users') continue;
      // A user's panel, and the dialog that confirms an action (cancelled).
      await admin.page.locator('#user-rows tr[data-user]', { hasText: uid }).locator('button').first().click();
      await expectVisible(admin.page.locator('.user-panel dl.facts'));
      await check(admin.page, 'admin console, a user\'s panel');
      await admin.page.locator('.user-panel button.danger').first().click();
      await expectVisible(admin.page.locator('#confirm-dialog'));
      await check(admin.page, 'admin console, confirm dialog');
      await admin.page.locator('#confirm-no').click();
    }

    expect(audited).toBe(18);
    expect(found).toEqual([]);

    // The audit sees what it should: planted faults (grey on white, an unlabelled field) are reported.
    await admin.page.evaluate(`document.querySelector('main').insertAdjacentHTML('beforeend', '<p style="color:#bbb;background:#fff">faint</p><input type="text">')`);
    const planted = (await audit(admin.page, 'planted')).violations.join('\n');
    expect(planted).toMatch(/color-contrast/);
    expect(planted).toMatch(/label/);
    await Promise.all([member.context.close(), admin.context.close()]);
  });
}
