import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { baseUrl } from '../integration/support';

/** Debian's chromium, driven by playwright-core; `.ci/run` installs it when missing. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const phone: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const desktop: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

const screenshotDir = resolve(__dirname, '..', '..', 'test-artifacts', 'screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A browser context on the local stack that records what must never happen on our pages:
 * script errors and Content-Security-Policy or Trusted Types violations.
 */
export async function openContext(browser: Browser, options: BrowserContextOptions & { locale?: string } = {}): Promise<{ context: BrowserContext; page: Page; violations: string[] }> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-GB', ...desktop, ...options });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const violations: string[] = [];
  context.on('page', (page) => watch(page, violations));
  const page = await context.newPage();
  return { context, page, violations };
}

function watch(page: Page, violations: string[]): void {
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (process.env.E2E_DEBUG && response.status() >= 400) process.stderr.write(`${response.status()} ${response.request().method()} ${response.url()}\n`);
  });
  page.on('console', (message) => {
    if (/content.security.policy|refused to|trusted ?type/i.test(message.text())) violations.push(`console: ${message.text()}`);
  });
  // "Delete the group?", "Revoke?": the tests answer yes.
  page.on('dialog', (dialog) => void dialog.accept());
}

/** Full-page screenshots at phone and desktop width, into test-artifacts/screenshots/. */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const original = page.viewportSize();
  for (const [size, viewport] of [
    ['phone', phone.viewport!],
    ['desktop', desktop.viewport!],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: join(screenshotDir, `${name}-${size}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

/** Waits until the element is visible (20 s at most: CI machines are slow). */
export async function expectVisible(locator: { waitFor(options: { state: 'visible'; timeout?: number }): Promise<void> }): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout: 20_000 });
}

export async function expectChecked(locator: { isChecked(): Promise<boolean> }, checked: boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await locator.isChecked()) !== checked && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await locator.isChecked()).toBe(checked);
}

/** The console shows one section at a time: its navigation link switches to another. */
export async function openSection(page: Page, id: string): Promise<void> {
  await page.locator(`nav.sections a[href="#${id}"]`).click();
  await expectVisible(page.locator(`section#${id}`));
}
