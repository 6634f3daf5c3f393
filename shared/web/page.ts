import { createHash } from 'node:crypto';
import { config } from '../config';
import type { Reply } from '../http/types';
import { clientLib } from './client/lib';
import { clientStorage } from './client/storage';
import type { Lib } from './client/lib';
import { html, jsonForHtml, raw, type SafeHtml } from './html';
import { catalogue, pickLanguage, type Language, type StringKey, type Translate, translator } from './i18n';
import { stylesheet } from './style';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PageScript = (lib: Lib, page: any) => void;

export interface PageSpec {
  title: StringKey;
  width: 'narrow' | 'wide';
  body: (t: Translate) => SafeHtml;
  /**
   * Run in the browser in this order, each sent as its source text, with the shared client
   * library and an object the scripts of one page share (the console's sections register there).
   */
  scripts?: readonly PageScript[];
  /** Prefixes of the catalogue keys the script reads (`common.`, `problem.` are always sent). */
  clientStrings?: readonly string[];
  /** The page PUTs files straight to the bucket with presigned URLs. */
  uploads?: boolean;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Where presigned uploads go: the bucket's origin on AWS, s3rver's locally. */
function uploadOrigin(): string | undefined {
  const url = config.UPLOAD_ORIGIN ?? config.S3_ENDPOINT;
  return url ? new URL(url).origin : undefined;
}

/**
 * Inline script and style, each allowed by its hash; nothing else runs, no plugin loads,
 * no other site may frame the page, and fetch may reach only this API (and, for uploads,
 * the bucket). Trusted Types forbids HTML strings in DOM sinks: the scripts build nodes.
 */
export function contentSecurityPolicy(hashes: { script?: string; style: string }, uploads = false): string {
  const connect = ["'self'", ...(uploads ? [uploadOrigin()].filter((origin): origin is string => Boolean(origin)) : [])];
  return [
    "default-src 'self'",
    `script-src ${hashes.script ?? "'none'"}`,
    `style-src ${hashes.style}`,
    "img-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
}

const securityHeaders = {
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'strict-transport-security': 'max-age=31536000',
};

function clientScript(spec: PageSpec): string | undefined {
  if (!spec.scripts || spec.scripts.length === 0) return undefined;
  const calls = spec.scripts.map((script) => `(${script.toString()})(lib,page);`).join('\n');
  const text = `"use strict";(()=>{const lib=(${clientLib.toString()})((${clientStorage.toString()})());const page={};\n${calls}\n})();`;
  if (/<\/script|<!--/i.test(text)) throw new Error('A page script may not contain "</script" or "<!--".');
  return text;
}

function clientStrings(spec: PageSpec, language: Language): Record<string, string> {
  const prefixes = ['common.', 'problem.', ...(spec.clientStrings ?? [])];
  return Object.fromEntries(Object.entries(catalogue[language]).filter(([key]) => prefixes.some((prefix) => key.startsWith(prefix))));
}

function render(spec: PageSpec, language: Language): Reply {
  const t = translator(language);
  const script = clientScript(spec);
  const csp = contentSecurityPolicy({ style: sha256(stylesheet), ...(script ? { script: sha256(script) } : {}) }, spec.uploads);
  const document = html`<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${t(spec.title)} · emailless</title>
<link rel="icon" href="data:,">
<style>${raw(stylesheet)}</style>
</head>
<body>
<a class="skip" href="#main">${t('layout.skip')}</a>
<header class="site"><div class="bar"><a class="brand" href="/sign-in">emailless</a><button type="button" id="sign-out" class="secondary small" hidden>${t('layout.signOut')}</button></div></header>
<main id="main" class="${spec.width}" tabindex="-1">
${script ? html`<noscript><p class="notice">${t('layout.noscript')}</p></noscript>` : ''}
${spec.body(t)}
</main>
<div id="announcer" class="offscreen" role="status" aria-live="polite"></div>
${script ? html`<script type="application/json" id="page-data">${raw(jsonForHtml({ lang: language, strings: clientStrings(spec, language) }))}</script>
<script>${raw(script)}</script>` : ''}
</body>
</html>
`;
  return {
    status: 200,
    body: document.html,
    contentType: 'text/html; charset=utf-8',
    headers: { ...securityHeaders, 'content-security-policy': csp, 'content-language': language, vary: 'accept-language' },
  };
}

/** A page's answer in the language the browser prefers, rendered once per language and function instance. */
export function pageReplier(spec: PageSpec): (acceptLanguage: string | undefined) => Reply {
  const rendered = new Map<Language, Reply>();
  return (acceptLanguage) => {
    const language = pickLanguage(acceptLanguage);
    let reply = rendered.get(language);
    if (!reply) {
      reply = render(spec, language);
      rendered.set(language, reply);
    }
    return reply;
  };
}
