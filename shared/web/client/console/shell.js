/* global window, document, EventTarget, Event, HTMLElement */
/**
 * The console's frame: one section shown at a time (the navigation switches, the URL hash
 * keeps the place across a reload), sections registering themselves, and a small event bus
 * between them. Starts once every script of the page has run. Sent as source text.
 * @param {import('../lib').Lib} lib
 * @param {Partial<import('./types').ConsolePage>} page
 */
export function consoleShell(lib, page) {
  const { t, byId, api } = lib;
  const kit = /** @type {import('./types').Kit} */ (page.kit);
  /** @type {Map<import('./types').SectionId, import('./types').Section>} */
  const sections = new Map();
  const bus = new EventTarget();
  /** @type {import('./types').SectionId | undefined} */
  let shown;
  /** @type {import('../lib').SessionUser | undefined} */
  let me;

  /** The section the address names, or the first one. */
  function wanted() {
    const id = window.location.hash.slice(1);
    return [...sections.keys()].find((known) => known === id) ?? [...sections.keys()][0];
  }

  /** @param {boolean} focus */
  function showWanted(focus) {
    const id = wanted();
    if (!id) return;
    shown = id;
    for (const known of sections.keys()) byId(known).hidden = known !== id;
    for (const link of document.querySelectorAll('nav.sections a')) {
      if (link.getAttribute('href') === `#${id}`) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    if (focus) byId(`${id}-title`).focus();
    void sections.get(id)?.show();
  }

  async function start() {
    if (!lib.session.get()) {
      byId('need-sign-in').hidden = false;
      return;
    }
    const answer = await api('GET', '/v1/me');
    if (!answer.ok) return kit.failed(answer.problem, byId('admin-message'));
    /** @type {import('../lib').SessionUser} */
    const user = answer.data;
    if (user.mustChangePassword) {
      window.location.assign('/sign-in');
      return;
    }
    me = user;
    lib.enableSignOut();
    if (user.role !== 'admin') {
      byId('not-admin').hidden = false;
      return;
    }
    byId('admin-organization').textContent = t('admin.organization', { name: user.organization.name, domain: user.organization.domain, identifier: user.signInIdentifier });
    byId('console').hidden = false;
    showWanted(false);
    window.addEventListener('hashchange', () => showWanted(true));
  }

  page.shell = {
    register(section) {
      sections.set(section.id, section);
      const element = byId(section.id);
      if (element instanceof HTMLElement) element.hidden = true;
    },
    isShown: (id) => shown === id,
    on: (event, listener) => bus.addEventListener(event, () => listener()),
    emit: (event) => void bus.dispatchEvent(new Event(event)),
    me: () => me,
  };
  // After the sections' scripts, which run right after this one, have registered.
  window.setTimeout(() => void start(), 0);
}
