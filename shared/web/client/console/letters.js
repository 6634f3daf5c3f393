/**
 * Letters and cards to print: starts a letter run, follows it, and shows its state, how many
 * letters it holds and the link to the PDF. The other sections use it (an invitation, an
 * import, a user's reset letter); here too the list's "Print letters" and "Print cards" for
 * the pending invitations its filter matches. Sent as source text: self-contained.
 * @param {import('../lib').Lib} lib
 * @param {import('./types').ConsolePage} page
 */
export function lettersKit(lib, page) {
  const { t, h, api } = lib;
  const { kit, shell } = page;
  const language = lib.lang === 'fr' ? 'fr' : 'en';
  const plural = new Intl.PluralRules(lib.lang);
  let runs = 0;

  /** @typedef {{ id: string; status: 'running' | 'completed' | 'failed'; layout: import('./types').LetterLayout; count?: number; downloadUrl?: string; expiresAt?: string; failure?: { code: string; message: string } }} LetterRun */

  /** @type {import('./types').Letters['countText']} */
  function countText(key, count, vars = {}) {
    const form = plural.select(count) === 'one' ? 'one' : 'other';
    return t(/** @type {import('../../i18n').StringKey} */ (`${key}.${form}`), { count, ...vars });
  }

  /** @type {import('./types').Letters['link']} */
  function link(downloadUrl) {
    return h('p', {}, h('a', { class: 'button secondary', href: downloadUrl, rel: 'noreferrer', target: '_blank' }, t('admin.letters.download')));
  }

  /** @param {HTMLElement} box @param {string} text @param {'error' | 'ok' | 'info'} kind @param {...Node} more */
  function show(box, text, kind, ...more) {
    const line = h('p', { class: 'message', 'data-kind': kind }, text);
    box.replaceChildren(line, ...more);
    box.hidden = false;
  }

  /** A refused call: said in the box (or, signed out, the console says so). @param {HTMLElement} box @param {import('../lib').Problem} problem */
  function refused(box, problem) {
    const line = h('p', { class: 'message', hidden: true });
    box.replaceChildren(line);
    box.hidden = false;
    kit.failed(problem, line);
  }

  /** @param {HTMLElement} box @param {LetterRun} state */
  function showDone(box, state) {
    if (state.status === 'failed') {
      const reason = state.failure ? kit.textOr(`admin.letters.failure.${state.failure.code}`, state.failure.message) : '';
      return show(box, t('admin.letters.failed', { reason }), 'error');
    }
    const count = state.count ?? 0;
    if (count === 0 || !state.downloadUrl) return show(box, t('admin.letters.none'), 'info');
    const text = countText(state.layout === 'cards' ? 'admin.letters.readyCards' : 'admin.letters.ready', count, { date: lib.formatDate(state.expiresAt) });
    show(box, text, 'ok', link(state.downloadUrl));
    box.querySelector('a')?.focus();
  }

  /** @type {import('./types').Letters['run']} */
  async function run(request, box) {
    // A newer run shown in the same box takes it over: an older one stops drawing there.
    const mine = String(++runs);
    box.dataset.run = mine;
    show(box, t(request.layout === 'cards' ? 'admin.letters.runningCards' : 'admin.letters.running'), 'info');
    const started = await api('POST', '/v1/admin/letters', { ...request, language });
    if (!started.ok) return refused(box, started.problem);
    shell.emit('audit-changed');
    /** @type {LetterRun} */
    let state = started.data;
    while (state.status === 'running') {
      await kit.pause(1000);
      if (box.dataset.run !== mine) return;
      const answer = await api('GET', `/v1/admin/letters/${encodeURIComponent(state.id)}`);
      if (!answer.ok) return refused(box, answer.problem);
      state = answer.data;
    }
    if (box.dataset.run === mine) showDone(box, state);
  }

  page.letters = { run, link, countText };

  // The invitations list's own buttons: its filter as last applied, pending invitations only.
  const result = lib.byId('letters-result');
  for (const layout of /** @type {const} */ (['letter', 'cards'])) {
    const button = lib.button(layout === 'cards' ? 'letters-print-cards' : 'letters-print-letters');
    button.addEventListener('click', () => {
      const filter = page.invitationFilter?.();
      if (filter) void lib.busy(button, () => run({ filter: { ...filter, status: ['pending'] }, layout }, result));
    });
  }
}
