/* global document, window, navigator, fetch, URLSearchParams, HTMLElement, HTMLInputElement, HTMLFormElement, HTMLButtonElement */
/**
 * Browser code shared by the pages. Page scripts are sent as the source text of these
 * functions (Function.prototype.toString), so a function here may use nothing from outside
 * its own body: no imports and no module-level values. Types: lib.d.ts.
 */

/** @param {import('./lib').ClientStorage} storage @returns {import('./lib').Lib} */
export function clientLib(storage) {
  /** @type {{ lang: string; strings: Record<string, string> }} */
  const pageData = JSON.parse(document.getElementById('page-data')?.textContent ?? '{"lang":"en","strings":{}}');
  const lang = pageData.lang;
  const strings = pageData.strings;
  // Dates as the browser's own variant of the page's language writes them (en-GB, fr-CA…).
  const dateLocale = navigator.language.toLowerCase().startsWith(lang) ? navigator.language : lang;

  /** A text of the page's language; {name} placeholders take vars. @type {import('./lib').Lib['t']} */
  function t(key, vars = {}) {
    const text = strings[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_match, /** @type {string} */ name) => String(vars[name] ?? ''));
  }

  /** @param {string} id */
  function byId(id) {
    const element = document.getElementById(id);
    if (!element) throw new Error(`#${id} is missing`);
    return element;
  }
  /** @template {HTMLElement} E @param {string} id @param {new () => E} type @returns {E} */
  function typed(id, type) {
    const element = byId(id);
    if (!(element instanceof type)) throw new Error(`#${id} is not a ${type.name}`);
    return element;
  }

  /** Builds an element; text is always set as text, never parsed as HTML. @type {import('./lib').Lib['h']} */
  function h(tag, props = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) {
      if (value === undefined || value === false) continue;
      if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
      else if (name === 'text') element.textContent = String(value);
      else element.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      element.append(typeof child === 'number' ? String(child) : child);
    }
    return element;
  }

  const { session, devices } = storage;

  /** One call to the /v1 API with the session's token; never throws. @type {import('./lib').Lib['api']} */
  async function api(method, path, body) {
    /** @type {Record<string, string>} */
    const headers = {};
    const current = session.get();
    if (current) headers.authorization = `Bearer ${current.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    /** @type {Response} */
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit' });
    } catch {
      return { ok: false, status: 0, problem: { status: 0, code: 'network_error' } };
    }
    const isJson = /json/.test(response.headers.get('content-type') ?? '');
    /** @type {Record<string, unknown> | undefined} */
    const json = isJson ? await response.json().catch(() => undefined) : undefined;
    // The caller names the answer's type; the API's OpenAPI document is the contract.
    if (response.ok) return { ok: true, status: response.status, data: /** @type {any} */ (json) };
    const retryAfter = Number(response.headers.get('retry-after'));
    /** @type {import('./lib').Problem} */
    const problem = {
      status: response.status,
      code: typeof json?.code === 'string' ? json.code : response.status >= 500 ? 'internal_error' : 'unexpected',
      detail: typeof json?.detail === 'string' ? json.detail : undefined,
      errors: Array.isArray(json?.errors) ? json.errors : undefined,
      retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    };
    if (problem.code === 'invalid_token' || problem.code === 'authentication_required') session.clear();
    return { ok: false, status: response.status, problem };
  }

  /** @param {number} seconds */
  function waitText(seconds) {
    const inMinutes = seconds >= 90;
    return new Intl.NumberFormat(lang, { style: 'unit', unit: inMinutes ? 'minute' : 'second', unitDisplay: 'long' }).format(inMinutes ? Math.ceil(seconds / 60) : seconds);
  }

  /** What to tell a person about a problem document, in their language. @type {import('./lib').Lib['problemText']} */
  function problemText(problem) {
    if (problem.code === 'too_many_attempts') return t('problem.too_many_attempts', { wait: waitText(problem.retryAfter ?? 60) });
    const key = `problem.${problem.code}`;
    return key in strings ? t(/** @type {import('../i18n').StringKey} */ (key)) : t('problem.unexpected', { code: problem.code });
  }

  /** Shows a message in a live region; an empty text hides it. @type {import('./lib').Lib['say']} */
  function say(region, text, kind = 'error') {
    region.textContent = text;
    region.dataset.kind = kind;
    region.hidden = text === '';
  }

  /** Marks a field as wrong; its error text is linked by aria-describedby. @type {import('./lib').Lib['fieldError']} */
  function fieldError(input, text, focus = true) {
    const error = document.getElementById(`${input.id}-error`);
    if (error) error.textContent = text;
    input.setAttribute('aria-invalid', 'true');
    if (focus) input.focus();
  }

  /** @param {HTMLElement} container */
  function clearErrors(container) {
    container.querySelectorAll('[aria-invalid]').forEach((input) => input.removeAttribute('aria-invalid'));
    container.querySelectorAll('.field-error').forEach((error) => (error.textContent = ''));
    container.querySelectorAll('.message').forEach((message) => message instanceof HTMLElement && say(message, ''));
  }

  /** @param {HTMLFormElement} form */
  function submitButton(form) {
    const button = form.querySelector('button[type=submit]');
    return button instanceof HTMLButtonElement ? button : null;
  }

  /** Disables a button while its request runs, so that one tap sends one request. @type {import('./lib').Lib['busy']} */
  async function busy(button, work) {
    if (button) {
      button.disabled = true;
      button.setAttribute('aria-busy', 'true');
    }
    try {
      return await work();
    } finally {
      if (button) {
        button.disabled = false;
        button.removeAttribute('aria-busy');
      }
    }
  }

  const announcer = document.getElementById('announcer');
  /** Says something to screen readers only. @param {string} text */
  function announce(text) {
    if (!announcer) return;
    announcer.textContent = '';
    window.setTimeout(() => (announcer.textContent = text), 50);
  }

  /** Copies text to the clipboard and says so on the button and to screen readers. @type {import('./lib').Lib['copy']} */
  async function copy(text, button) {
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch {
      const field = h('textarea', { readonly: true, class: 'offscreen' }, text);
      document.body.append(field);
      field.select();
      copied = document.execCommand('copy');
      field.remove();
    }
    const label = button.dataset.label ?? button.textContent ?? '';
    button.dataset.label = label;
    const result = copied ? t('common.copied') : t('common.copyFailed');
    button.textContent = result;
    announce(result);
    window.setTimeout(() => (button.textContent = label), 2500);
  }

  /** @type {import('./lib').Lib['copyButton']} */
  function copyButton(text, label = t('common.copy')) {
    const button = h('button', { type: 'button', class: 'secondary small' }, label);
    button.addEventListener('click', () => void copy(text(), button));
    return button;
  }

  /** @param {string | undefined} iso */
  function formatDate(iso) {
    if (!iso) return '';
    return new Intl.DateTimeFormat(dateLocale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  }

  /** @param {string | undefined} day */
  function formatDay(day) {
    if (!day) return '';
    return new Intl.DateTimeFormat(dateLocale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
  }

  /** @type {import('./lib').Lib['showPasswordToggle']} */
  function showPasswordToggle(checkbox, ...inputs) {
    checkbox.addEventListener('change', () => inputs.forEach((input) => (input.type = checkbox.checked ? 'text' : 'password')));
  }

  /** The password rules' codes are said next to the field. @type {import('./lib').Lib['passwordProblem']} */
  function passwordProblem(problem, input) {
    if (!/^password_(too_|unchanged$)/.test(problem.code)) return false;
    fieldError(input, problemText(problem));
    return true;
  }

  /** @param {import('./lib').SessionUser} user */
  function destinationOf(user) {
    return user.role === 'admin' ? '/admin' : '/welcome';
  }

  /** Reveals the header's sign-out button; it ends the session on the server too. */
  function enableSignOut() {
    const button = document.getElementById('sign-out');
    if (!(button instanceof HTMLButtonElement) || !button.hidden) return;
    button.hidden = false;
    button.addEventListener('click', async () => {
      await busy(button, () => api('POST', '/v1/auth/sign-out'));
      session.clear();
      window.location.assign('/sign-in');
    });
  }

  /**
   * The code a printed letter's QR code or a link carries in the address's fragment
   * (`#code=…`), or ''. The fragment leaves the address bar and the history entry at once:
   * whoever sees the screen, uses the back button or reads the history later must not find it.
   * @type {import('./lib').Lib['takeCodeFromAddress']}
   */
  function takeCodeFromAddress() {
    const code = new URLSearchParams(window.location.hash.slice(1)).get('code')?.trim() ?? '';
    if (window.location.hash !== '') window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
    return code;
  }

  /**
   * Empties fields when the page is left: on Back, the browser would otherwise fill them in
   * again from its history (a code that came from the address, or that was typed).
   * @type {import('./lib').Lib['forgetOnLeave']}
   */
  function forgetOnLeave(...inputs) {
    window.addEventListener('pagehide', () => inputs.forEach((input) => (input.value = '')));
  }

  /** Parts of the page that only work with JavaScript are hidden until it runs. */
  function revealScripted() {
    document.querySelectorAll('[data-scripted]').forEach((element) => element instanceof HTMLElement && (element.hidden = false));
  }

  return {
    lang,
    t,
    byId,
    input: (id) => typed(id, HTMLInputElement),
    form: (id) => typed(id, HTMLFormElement),
    button: (id) => typed(id, HTMLButtonElement),
    h,
    session,
    devices,
    api,
    problemText,
    say,
    fieldError,
    clearErrors,
    submitButton,
    busy,
    announce,
    copy,
    copyButton,
    formatDate,
    formatDay,
    showPasswordToggle,
    passwordProblem,
    destinationOf,
    enableSignOut,
    revealScripted,
    takeCodeFromAddress,
    forgetOnLeave,
  };
}
