/* global URLSearchParams, HTMLSelectElement */
/**
 * Console section: the users, filtered by uid or email, role, status and group, and paged; each
 * row opens the user's panel (user-panel.js), whose changes show in the row at once.
 * @param {import('../lib').Lib} lib
 * @param {import('./types').ConsolePage} page
 */
export function usersSection(lib, { kit, shell, userPanel }) {
  const { t, byId, h } = lib;
  const filter = lib.form('user-filter');
  const message = byId('users-message');
  const groupFilter = byId('user-group');

  /** @param {string} id */
  function selected(id) {
    const select = byId(id);
    return select instanceof HTMLSelectElement ? select.value : '';
  }

  function params() {
    lib.clearErrors(filter);
    const qInput = lib.input('user-q');
    const q = qInput.value.trim();
    if (q !== '' && !/^[A-Za-z0-9@._+-]{1,254}$/.test(q)) {
      lib.fieldError(qInput, t('admin.users.searchRule'));
      return undefined;
    }
    const query = new URLSearchParams({ limit: '20' });
    if (q) query.set('q', q);
    for (const [name, id] of Object.entries({ role: 'user-role', status: 'user-status', groupId: 'user-group' })) {
      const value = selected(id);
      if (value) query.set(name, value);
    }
    return query;
  }

  /** The group filter's choices, keeping the one chosen while it still exists. */
  async function loadGroupFilter() {
    const groups = await kit.allGroups(message);
    if (!groups) return;
    const chosen = selected('user-group');
    groupFilter.replaceChildren(
      h('option', { value: '' }, t('admin.users.allGroups')),
      ...groups.map((group) => h('option', { value: group.id, selected: group.id === chosen }, group.name)),
    );
  }

  /** @param {import('./types').UserSummary} user */
  function cells(user) {
    const name = kit.fullName(user);
    return [
      kit.cell(t('admin.users.identifier'), h('span', { class: 'mono' }, user.signInIdentifier)),
      kit.cell(t('admin.users.name'), name),
      kit.cell(t('admin.users.role'), t(`role.${user.role}`)),
      kit.cell(t('admin.users.status'), kit.statusBadge(user.status)),
      kit.cell(t('admin.users.groups'), user.groups.map((group) => group.name).join(', ')),
      kit.cell(t('admin.users.lastSignIn'), user.lastSignInDate ? lib.formatDay(user.lastSignInDate) : t('admin.users.never')),
    ];
  }

  /** @param {import('./types').UserSummary} user */
  function userRow(user) {
    const details = h('button', { type: 'button', class: 'secondary small', 'aria-expanded': 'false' }, t('admin.users.details'));
    const actionsCell = kit.cell(t('common.actions'), details);
    const row = h('tr', { 'data-user': user.id }, ...cells(user), actionsCell);
    /** @type {import('./types').UserChanges} */
    const changes = {
      changed(updated) {
        user = updated;
        row.replaceChildren(...cells(updated), actionsCell);
      },
      deleted() {
        row.remove();
        lib.say(message, t('admin.users.deleted', { identifier: user.signInIdentifier }), 'ok');
        byId('users-empty').hidden = byId('user-rows').childElementCount > 0;
        message.focus();
      },
    };
    details.addEventListener('click', () => userPanel.toggle(user, row, changes, details));
    return row;
  }

  const list = kit.pagedList({ path: '/v1/admin/users', params, row: userRow, rows: byId('user-rows'), more: lib.button('users-more'), empty: byId('users-empty'), message });
  filter.addEventListener('submit', (event) => {
    event.preventDefault();
    void list.reload();
  });
  shell.on('groups-changed', () => {
    if (shell.isShown('users')) void loadGroupFilter();
  });
  shell.register({
    id: 'users',
    show: async () => {
      await Promise.all([loadGroupFilter(), list.reload()]);
    },
  });
}
