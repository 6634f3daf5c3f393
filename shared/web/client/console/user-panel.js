/**
 * The panel of one user, opened from the users list in a table row of its own under the
 * user's row: what the API knows of them, then the parts other scripts make (user-edit.js,
 * user-password.js, user-account.js). A change is drawn in the panel and in the row at once.
 * @param {import('../lib').Lib} lib
 * @param {import('./types').ConsolePage} page
 */
export function userPanel(lib, page) {
  const { t, h, api } = lib;
  const { kit } = page;
  /** @type {{ userId: string; panelRow: HTMLTableRowElement; opener: HTMLButtonElement } | undefined} */
  let open;
  let panels = 0;

  function close() {
    if (!open) return;
    open.panelRow.remove();
    open.opener.setAttribute('aria-expanded', 'false');
    open = undefined;
  }

  /** @param {import('./types').UserDetail} user */
  function facts(user) {
    const notGiven = t('admin.users.notGiven');
    /** @type {[string, string | Node][]} */
    const pairs = [
      [t('admin.users.firstName'), user.firstName ?? notGiven],
      [t('admin.users.lastName'), user.lastName ?? notGiven],
      [t('admin.users.status'), h('span', {}, kit.statusBadge(user.status), user.deactivatedAt ? ` ${t('admin.users.since', { date: lib.formatDate(user.deactivatedAt) })}` : '')],
      [t('admin.users.role'), t(`role.${user.role}`)],
      [t('admin.users.groups'), user.groups.length > 0 ? user.groups.map((group) => group.name).join(', ') : t('admin.users.noGroups')],
      [t('admin.users.createdAt'), lib.formatDate(user.createdAt)],
      [t('admin.users.lastSignIn'), user.lastSignInAt ? lib.formatDate(user.lastSignInAt) : user.lastSignInDate ? lib.formatDay(user.lastSignInDate) : t('admin.users.never')],
      [t('admin.users.mustChangePassword'), user.mustChangePassword ? t('common.yes') : t('common.no')],
    ];
    if (user.resetCodeExpiresAt) pairs.push([t('admin.users.resetCodeUntil'), lib.formatDate(user.resetCodeExpiresAt)]);
    return h('dl', { class: 'facts' }, ...pairs.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
  }

  /** @type {import('./types').UserPanel['toggle']} */
  function toggle(summary, row, changes, opener) {
    const wasOpen = open?.userId === summary.id;
    close();
    if (wasOpen) return opener.focus();
    panels += 1;
    const id = `user-panel-${panels}`;
    const title = h('h3', { id: `${id}-title`, tabindex: -1 }, t('admin.users.panelTitle', { identifier: summary.signInIdentifier }));
    const closeButton = h('button', { type: 'button', class: 'secondary small' }, t('admin.users.close'));
    const message = h('p', { class: 'message', 'aria-live': 'assertive', tabindex: -1, hidden: true });
    const result = h('div', { class: 'result', role: 'status', tabindex: -1, hidden: true });
    const body = h('div', {}, h('p', { class: 'muted' }, t('admin.users.loading')));
    const section = h('section', { id, class: 'user-panel', 'aria-labelledby': `${id}-title` }, h('div', { class: 'panel-head' }, title, closeButton), message, result, body);
    const panelRow = h('tr', { class: 'panel-row' }, h('td', { colspan: row.cells.length }, section));
    row.after(panelRow);
    opener.setAttribute('aria-expanded', 'true');
    opener.setAttribute('aria-controls', id);
    open = { userId: summary.id, panelRow, opener };
    closeButton.addEventListener('click', () => {
      close();
      opener.focus();
    });

    /** @type {import('./types').UserPanelContext} */
    const context = {
      message,
      result,
      changed(user, done) {
        const parts = /** @type {import('./types').UserPanelParts} */ (page.userParts);
        title.textContent = t('admin.users.panelTitle', { identifier: user.signInIdentifier });
        body.replaceChildren(facts(user), parts.editForm(user, context), parts.passwordHelp(user, context), parts.accountActions(user, context));
        changes.changed(user);
        if (done) {
          lib.say(message, done, 'ok');
          message.focus();
        }
      },
      async reload(done) {
        const answer = await api('GET', `/v1/admin/users/${encodeURIComponent(summary.id)}`);
        if (!answer.ok) return kit.failed(answer.problem, message);
        context.changed(answer.data, done);
      },
      deleted() {
        close();
        changes.deleted();
      },
    };
    title.focus();
    void context.reload();
  }

  page.userPanel = { toggle };
}
