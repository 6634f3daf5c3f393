import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';
import { routeList } from '../../shared/api/routes';
import { escapeHtml, html, jsonForHtml } from '../../shared/web/html';
import { catalogue, pickLanguage } from '../../shared/web/i18n';
import { contentSecurityPolicy, pageReplier, type PageSpec } from '../../shared/web/page';
import { adminPage } from '../../shared/web/pages/admin';
import { passwordResetPage } from '../../shared/web/pages/password-reset';
import { signInPage } from '../../shared/web/pages/sign-in';
import { signUpPage } from '../../shared/web/pages/sign-up';
import { welcomePage } from '../../shared/web/pages/welcome';

const clientDir = resolve(__dirname, '../../shared/web/client');
const pages: Record<string, PageSpec> = { signUp: signUpPage, signIn: signInPage, welcome: welcomePage, admin: adminPage, passwordReset: passwordResetPage };
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

function render(page: PageSpec, acceptLanguage?: string) {
  const reply = pageReplier(page)(acceptLanguage);
  return { html: reply.body as string, headers: reply.headers ?? {} };
}

describe('pickLanguage', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['fr-FR,fr;q=0.9,en;q=0.8', 'fr'],
    ['en-US,en;q=0.9,fr;q=0.8', 'en'],
    ['de-DE,de;q=0.9,fr;q=0.7,en;q=0.5', 'fr'],
    ['en;q=0.4, fr-CA;q=0.6', 'fr'],
    ['fr;q=0, en', 'en'],
    ['es, *', 'en'],
    ['FR-be', 'fr'],
  ])('%s → %s', (header, language) => {
    expect(pickLanguage(header)).toBe(language);
  });
});

describe('html', () => {
  it('escapes what it interpolates, except SafeHtml', () => {
    expect(html`<p title="${'"x"'}">${'<b>&'}${html`<i>ok</i>`}${['<a>', html`<br>`]}${undefined}${false}</p>`.html).toBe(
      '<p title="&quot;x&quot;">&lt;b&gt;&amp;<i>ok</i>&lt;a&gt;<br></p>',
    );
    expect(escapeHtml(`'`)).toBe('&#39;');
  });

  it('writes JSON that cannot close its script element', () => {
    const json = jsonForHtml({ text: '</script><!-- & \u2028' });
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual({ text: '</script><!-- & \u2028' });
  });
});

describe('the catalogue', () => {
  it('has the same keys in English and French, none empty', () => {
    expect(Object.keys(catalogue.fr).sort()).toEqual(Object.keys(catalogue.en).sort());
    for (const strings of Object.values(catalogue)) for (const text of Object.values(strings)) expect(text.trim()).not.toBe('');
  });

  it('has every key the browser code names, and each page sends the keys its script reads', () => {
    const consoleDir = join(clientDir, 'console');
    const consoleFiles = readdirSync(consoleDir).filter((file) => file.endsWith('.js')).map((file) => join('console', file));
    const scripts: Record<string, string[]> = { signUp: ['sign-up.js'], signIn: ['sign-in.js'], welcome: ['welcome.js'], admin: consoleFiles, passwordReset: ['password-reset.js'] };
    const lib = readFileSync(join(clientDir, 'lib.js'), 'utf8');
    for (const [name, files] of Object.entries(scripts)) {
      const source = files.map((file) => readFileSync(join(clientDir, file), 'utf8')).join('\n') + lib;
      const keys = [...source.matchAll(/\bt\(\s*'([a-zA-Z_.]+)'/g)].map((match) => match[1]!);
      expect(keys.length).toBeGreaterThan(0);
      const sent = JSON.parse(/<script type="application\/json" id="page-data">(.*?)<\/script>/s.exec(render(pages[name]!).html)![1]!) as { strings: Record<string, string> };
      for (const key of keys) {
        expect({ key, known: key in catalogue.en }).toEqual({ key, known: true });
        expect({ page: name, key, sent: key in sent.strings }).toEqual({ page: name, key, sent: true });
      }
    }
  });

  it('names every problem code a page can meet', () => {
    for (const code of ['invalid_credentials', 'feature_disabled', 'too_many_attempts', 'password_too_short', 'password_too_long', 'password_too_common', 'access_code_malformed', 'access_code_invalid', 'access_code_used', 'access_code_expired', 'reset_code_invalid', 'reset_code_expired', 'account_deactivated', 'last_admin']) {
      expect(catalogue.en).toHaveProperty([`problem.${code}`]);
    }
  });
});

describe.each(Object.entries(pages))('the %s page', (_name, page) => {
  it.each([
    ['en-GB,en;q=0.9', 'en'],
    ['fr-FR,fr;q=0.9', 'fr'],
  ])('in %s: HTML in its language with a strict CSP that allows exactly its inline script and style', (acceptLanguage, language) => {
    const { html: document, headers } = render(page, acceptLanguage);
    expect(document.startsWith('<!doctype html>')).toBe(true);
    expect(document).toContain(`<html lang="${language}">`);
    expect(headers).toMatchObject({ 'content-language': language, vary: 'accept-language', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
    const csp = headers['content-security-policy']!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);

    const styles = [...document.matchAll(/<style>(.*?)<\/style>/gs)].map((match) => match[1]!);
    expect(styles).toHaveLength(1);
    expect(csp).toContain(`style-src 'sha256-${sha256(styles[0]!)}'`);
    expect(document).not.toMatch(/\sstyle="/);

    const scripts = [...document.matchAll(/<script>(.*?)<\/script>/gs)].map((match) => match[1]!);
    if (page.scripts) {
      expect(scripts).toHaveLength(1);
      expect(csp).toContain(`script-src 'sha256-${sha256(scripts[0]!)}'`);
      expect(() => new Function(scripts[0]!)).not.toThrow();
    } else {
      expect(scripts).toHaveLength(0);
      expect(csp).toContain("script-src 'none'");
    }
    // Every aria-describedby and label points at an element of the page.
    const ids = new Set([...document.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]!));
    for (const [, list] of document.matchAll(/aria-describedby="([^"]+)"/g)) for (const id of list!.split(' ')) expect({ id, exists: ids.has(id) }).toEqual({ id, exists: true });
    for (const [, id] of document.matchAll(/<label for="([^"]+)"/g)) expect({ id, exists: ids.has(id!) }).toEqual({ id, exists: true });
  });
});

describe('contentSecurityPolicy', () => {
  it('lets only an uploading page reach the bucket', () => {
    expect(contentSecurityPolicy({ style: "'sha256-x'" })).toContain("connect-src 'self';");
  });
});

describe('the page routes', () => {
  const pageRoutes = routeList.filter((route) => route.response.contentType?.startsWith('text/html'));

  it('are public GET routes that touch no data', () => {
    expect(pageRoutes.map((route) => route.path).sort()).toEqual(['/admin', '/password-reset', '/sign-in', '/sign-up', '/welcome']);
    for (const route of pageRoutes) {
      expect(route).toMatchObject({ method: 'GET', access: 'public', response: { status: 200 } });
      expect(route.needs).not.toHaveProperty('table');
      expect(route.needs).not.toHaveProperty('bucket');
      expect(route.needs).not.toHaveProperty('secrets');
    }
  });
});

test('the browser code type-checks against the DOM (shared/web/client/tsconfig.json)', () => {
  const configFile = join(clientDir, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => { throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')); } })!;
  const browserFiles = (dir: string) => readdirSync(join(clientDir, dir)).filter((file) => file.endsWith('.js')).map((file) => join(dir, file));
  expect(parsed.fileNames.map((file) => file.slice(clientDir.length + 1)).sort()).toEqual([...browserFiles(''), ...browserFiles('console')].sort());
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => `${diagnostic.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
  expect(diagnostics).toEqual([]);
});

test('a text the catalogue does not have fails the browser typecheck', () => {
  const configFile = join(clientDir, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const probe = join(clientDir, 'console', 'probe.js');
  const source = "/** @param {import('../lib').Lib} lib */\nexport const probe = (lib) => [lib.t('admin.title'), lib.t('admin.nonexistent')];\n";
  const host = ts.createCompilerHost(parsed.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => (file === probe ? source : readFile(file));
  host.fileExists = ((exists) => (file: string) => file === probe || exists(file))(host.fileExists.bind(host));
  const program = ts.createProgram([probe], parsed.options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  expect(diagnostics).toHaveLength(1);
  expect(diagnostics[0]).toContain('"admin.nonexistent"');
});
