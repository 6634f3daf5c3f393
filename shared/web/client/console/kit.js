/* global document, window, fetch, URL, URLSearchParams, HTMLDialogElement */
/**
 * Helpers the console's sections share: table cells, badges, problems, downloads and the
 * paged list. Sent as source text: self-contained.
 * @param {import('../lib').Lib} lib
 * @param {Partial<import('./types').ConsolePage>} page
 */
export function consoleKit(lib, page) {
  const { t, byId, h, api } = lib;

  /** @type {import('./types').Kit['failed']} */
  function failed(problem, region) {
    if (problem.status === 401) {
      byId('console').hidden = true;
      byId('need-sign-in').hidden = false;
      byId('need-sign-in-title').focus();
      return;
    }
    if (problem.code === 'password_change_required') {
      window.location.assign('/sign-in');
      return;
    }
    lib.say(region, lib.problemText(problem));
  }

  /** A file the API serves only with the token (a link cannot carry it). @type {import('./types').Kit['download']} */
  async function download(path, fileName, region) {
    const token = lib.session.get()?.token;
    const response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {}, cache: 'no-store' }).catch(() => undefined);
    if (!response?.ok) {
      /** @type {{ code?: string } | undefined} */
      const json = await response?.json().catch(() => undefined);
      const status = response?.status ?? 0;
      return failed({ status, code: json?.code ?? (status === 0 ? 'network_error' : 'unexpected') }, region);
    }
    const url = URL.createObjectURL(await response.blob());
    const link = h('a', { href: url, download: fileName, class: 'offscreen' });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  /**
   * A file the API hands out as a presigned link (the import report): asks for the link as
   * JSON, then lets the browser fetch it straight from the bucket, whatever its size.
   * @type {import('./types').Kit['downloadLinked']}
   */
  async function downloadLinked(path, region) {
    const token = lib.session.get()?.token;
    const headers = { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const response = await fetch(path, { headers, cache: 'no-store', credentials: 'omit' }).catch(() => undefined);
    /** @type {{ code?: string; downloadUrl?: string } | undefined} */
    const json = await response?.json().catch(() => undefined);
    if (!response?.ok || !json?.downloadUrl) {
      const status = response?.status ?? 0;
      return failed({ status, code: json?.code ?? (status === 0 ? 'network_error' : 'unexpected') }, region);
    }
    const link = h('a', { href: json.downloadUrl, rel: 'noreferrer', class: 'offscreen' });
    document.body.append(link);
    link.click();
    link.remove();
  }

  /** @type {import('./types').Kit['pagedList']} */
  function pagedList(options) {
    /** @type {string | null} */
    let cursor = null;
    const pageOf = options.page ?? ((/** @type {any} */ data) => ({ items: data.items, nextCursor: data.nextCursor }));
    /** @param {{ items: any[]; nextCursor: string | null }} answer @param {boolean} reset */
    function show(answer, reset) {
      const rows = answer.items.map(options.row);
      if (reset) options.rows.replaceChildren(...rows);
      else options.rows.append(...rows);
      cursor = answer.nextCursor;
      options.more.hidden = cursor === null;
      if (options.empty) options.empty.hidden = options.rows.childElementCount > 0;
    }
    // Each first-page load starts a generation and an answer from an older one is dropped: a
    // slow first page never replaces the page of a filter applied after it.
    let generation = 0;
    /** @param {boolean} reset */
    async function load(reset) {
      const params = options.params ? options.params() : new URLSearchParams();
      if (!params) return;
      const mine = reset ? ++generation : generation;
      if (!reset && cursor) params.set(options.cursorParam ?? 'cursor', cursor);
      const query = params.toString();
      const path = typeof options.path === 'function' ? options.path() : options.path;
      const answer = await lib.busy(reset ? null : options.more, () => api('GET', `${path}${query ? `?${query}` : ''}`));
      if (mine !== generation) return;
      if (!answer.ok) return failed(answer.problem, options.message);
      show(pageOf(/** @type {never} */ (answer.data)), reset);
    }
    options.more.addEventListener('click', () => void load(false));
    return {
      reload: () => load(true),
      show: (answer) => {
        generation += 1;
        show(answer, true);
      },
    };
  }

  /** Every group of the organisation, by name. @type {import('./types').Kit['allGroups']} */
  async function allGroups(region) {
    /** @type {import('./types').Group[]} */
    const all = [];
    /** @type {string | null} */
    let cursor = null;
    do {
      /** @type {string} */
      const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      /** @type {import('../lib').Answer<{ items: import('./types').Group[]; nextCursor: string | null }>} */
      const answer = await api('GET', `/v1/admin/groups?limit=100${query}`);
      if (!answer.ok) {
        failed(answer.problem, region);
        return undefined;
      }
      all.push(...answer.data.items);
      cursor = answer.data.nextCursor;
    } while (cursor && all.length < 1000);
    return all.sort((a, b) => a.name.localeCompare(b.name, lib.lang));
  }

  /** Shows an access code once, with a copy button. @type {import('./types').Kit['showCode']} */
  function showCode(container, title, code, identifier) {
    container.replaceChildren(
      h('p', { class: 'reveal-title' }, title),
      identifier ? h('p', {}, t('admin.invite.identifier'), ' ', h('strong', { class: 'mono' }, identifier)) : '',
      h('div', { class: 'copy-row' }, h('p', { class: 'code' }, code.accessCode), lib.copyButton(() => code.accessCode, t('admin.invitations.copyCode'))),
      h('p', { class: 'muted' }, t('admin.invitations.validUntil', { date: lib.formatDate(code.expiresAt) })),
    );
    container.hidden = false;
  }

  const dialog = byId('confirm-dialog');
  const question = byId('confirm-question');
  const yes = lib.button('confirm-yes');
  if (dialog instanceof HTMLDialogElement) {
    yes.addEventListener('click', () => dialog.close('yes'));
    lib.button('confirm-no').addEventListener('click', () => dialog.close('no'));
  }

  /** @type {import('./types').Kit['confirm']} */
  function confirm(text, confirmLabel, danger = true) {
    if (!(dialog instanceof HTMLDialogElement)) return Promise.resolve(false);
    question.textContent = text;
    yes.textContent = confirmLabel;
    yes.className = danger ? 'danger' : '';
    dialog.returnValue = '';
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes'), { once: true });
      dialog.showModal();
    });
  }

  page.kit = {
    /** A table cell; data-label names it when the table shows as cards on a phone, where an empty cell is left out. */
    cell(label, ...children) {
      const empty = children.every((child) => (typeof child === 'string' ? child === '' : child.textContent === ''));
      return h('td', { 'data-label': label, 'data-empty': empty }, ...children);
    },
    statusBadge: (status) => h('span', { class: `badge badge-${status}` }, t(`status.${status}`)),
    confirm,
    fullName: (person) => [person.firstName, person.lastName].filter(Boolean).join(' '),
    textOr(key, fallback) {
      const text = t(/** @type {import('../../i18n').StringKey} */ (key));
      return text === key ? fallback : text;
    },
    failed,
    download,
    downloadLinked,
    pause: (ms) => new Promise((resolve) => window.setTimeout(resolve, ms)),
    pagedList,
    allGroups,
    showCode,
    // The API's uid rule, which the page writes into the uid field (shared/schemas/invitations.ts).
    uidRule: new RegExp(lib.input('invite-uid').pattern),
  };
}
