/* global window, URLSearchParams, HTMLSelectElement */
/**
 * Console section: the invitations, filtered and paged; see, regenerate or revoke a code,
 * print a letter.
 * @param {import('../lib').Lib} lib
 * @param {import('./types').ConsolePage} page
 */
export function invitationsSection(lib, page) {
  const { t, byId, h, api } = lib;
  const { kit, shell, letters } = page;
  const filter = lib.form('invitation-filter');
  const message = byId('invitations-message');
  /** The filter of the list shown, which its letters print. @type {{ role?: 'member' | 'guest'; q?: string } | undefined} */
  let applied;
  page.invitationFilter = () => applied;

  /**
   * @typedef {{ id: string; uid: string; role: import('./types').Role; status: import('./types').InvitationStatus; signInIdentifier: string; expiresAt: string; firstName?: string; lastName?: string }} Invitation
   */

  function params() {
    lib.clearErrors(filter);
    const qInput = lib.input('invitation-q');
    const q = qInput.value.trim();
    if (q !== '' && !kit.uidRule.test(q)) {
      lib.fieldError(qInput, t('admin.invite.uidRule'));
      return undefined;
    }
    const status = byId('invitation-status');
    const roleSelect = byId('invitation-role');
    const role = roleSelect instanceof HTMLSelectElement && (roleSelect.value === 'member' || roleSelect.value === 'guest') ? roleSelect.value : undefined;
    const query = new URLSearchParams({ limit: '20' });
    if (status instanceof HTMLSelectElement && status.value) query.set('status', status.value);
    if (role) query.set('role', role);
    if (q) query.set('q', q);
    applied = { ...(role ? { role } : {}), ...(q ? { q } : {}) };
    return query;
  }

  /** @param {HTMLButtonElement} button @param {() => Promise<import('../lib').Answer>} call @param {(data: any) => void} then */
  async function act(button, call, then) {
    const answer = await lib.busy(button, call);
    if (!answer.ok) return kit.failed(answer.problem, message);
    then(answer.data);
    shell.emit('audit-changed');
  }

  /** @param {Invitation} invitation @param {HTMLElement} reveal */
  function seeButton(invitation, reveal) {
    const see = h('button', { type: 'button', class: 'secondary small', 'aria-expanded': 'false' }, t('admin.invitations.seeCode'));
    see.addEventListener('click', async () => {
      if (!reveal.hidden) {
        reveal.hidden = true;
        see.textContent = t('admin.invitations.seeCode');
        see.setAttribute('aria-expanded', 'false');
        return;
      }
      await act(see, () => api('GET', `/v1/admin/invitations/${invitation.id}/access-code`), (code) => {
        kit.showCode(reveal, t('admin.invitations.codeFor', { uid: invitation.uid }), code);
        see.textContent = t('admin.invitations.hideCode');
        see.setAttribute('aria-expanded', 'true');
        reveal.focus();
      });
    });
    return see;
  }

  /** @param {Invitation} invitation @param {HTMLElement} reveal */
  function codeButtons(invitation, reveal) {
    const regenerate = h('button', { type: 'button', class: 'secondary small' }, t('admin.invitations.regenerate'));
    const revoke = h('button', { type: 'button', class: 'danger small' }, t('admin.invitations.revoke'));
    regenerate.addEventListener('click', async () => {
      if (!window.confirm(t('admin.invitations.confirmRegenerate', { uid: invitation.uid }))) return;
      await act(regenerate, () => api('POST', `/v1/admin/invitations/${invitation.id}/access-code`), (code) => {
        kit.showCode(reveal, t('admin.invitations.newCodeFor', { uid: invitation.uid }), code);
        reveal.focus();
      });
    });
    revoke.addEventListener('click', async () => {
      if (!window.confirm(t('admin.invitations.confirmRevoke', { uid: invitation.uid }))) return;
      await act(revoke, () => api('DELETE', `/v1/admin/invitations/${invitation.id}`), () => {
        lib.say(message, t('admin.invitations.revoked', { uid: invitation.uid }), 'ok');
        void list.reload();
      });
    });
    return [regenerate, revoke];
  }

  /** One letter for a pending invitation; the box shows its state and the PDF's link. @param {Invitation} invitation @param {HTMLElement} box */
  function letterButton(invitation, box) {
    const print = h('button', { type: 'button', class: 'secondary small' }, t('admin.letters.printLetter'));
    print.addEventListener('click', () => void lib.busy(print, () => letters.run({ invitationIds: [invitation.id], layout: 'letter' }, box)));
    return print;
  }

  /** @param {Invitation} invitation */
  function invitationRow(invitation) {
    const reveal = h('div', { class: 'reveal', hidden: true, tabindex: -1 });
    const letterBox = h('div', { role: 'status', hidden: true });
    const actions = h('div', { class: 'actions' });
    const name = [invitation.firstName, invitation.lastName].filter(Boolean).join(' ');
    const hasCode = invitation.status === 'pending' || invitation.status === 'expired';
    if (invitation.status === 'pending') actions.append(seeButton(invitation, reveal), letterButton(invitation, letterBox));
    if (hasCode) actions.append(...codeButtons(invitation, reveal));
    return h(
      'tr',
      {},
      kit.cell(t('admin.invitations.uid'), h('strong', {}, invitation.uid), name ? h('span', { class: 'muted block' }, name) : ''),
      kit.cell(t('admin.invitations.identifier'), h('span', { class: 'mono' }, invitation.signInIdentifier)),
      kit.cell(t('admin.invitations.role'), t(`role.${invitation.role}`)),
      kit.cell(t('admin.invitations.status'), kit.statusBadge(invitation.status)),
      kit.cell(t('admin.invitations.expires'), hasCode ? lib.formatDate(invitation.expiresAt) : ''),
      kit.cell(t('common.actions'), actions, reveal, letterBox),
    );
  }

  const list = kit.pagedList({
    path: '/v1/admin/invitations',
    params,
    row: invitationRow,
    rows: byId('invitation-rows'),
    more: lib.button('invitations-more'),
    empty: byId('invitations-empty'),
    message,
  });

  filter.addEventListener('submit', (event) => {
    event.preventDefault();
    void list.reload();
  });
  shell.on('invitations-changed', () => {
    if (shell.isShown('invitations')) void list.reload();
  });
  shell.register({ id: 'invitations', show: list.reload });
}
