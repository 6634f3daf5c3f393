/* global URLSearchParams, HTMLSelectElement */
/**
 * Console section: the users, filtered and paged; an admin sets a password for a user
 * without email.
 * @param {import('../lib').Lib} lib
 * @param {import('./types').ConsolePage} page
 */
export function usersSection(lib, { kit, shell }) {
  const { t, byId, h, api } = lib;
  const filter = lib.form('user-filter');
  const message = byId('users-message');

  /** @typedef {{ id: string; email?: string; signInIdentifier: string; role: import('./types').Role; createdAt: string }} User */

  function params() {
    lib.clearErrors(filter);
    const qInput = lib.input('user-q');
    const q = qInput.value.trim();
    if (q !== '' && !/^[A-Za-z0-9@._+-]{1,254}$/.test(q)) {
      lib.fieldError(qInput, t('admin.users.searchRule'));
      return undefined;
    }
    const role = byId('user-role');
    const query = new URLSearchParams({ limit: '20' });
    if (q) query.set('q', q);
    if (role instanceof HTMLSelectElement && role.value) query.set('role', role.value);
    return query;
  }

  let passwordForms = 0;
  /** "Change password" opens a small form in the row; only for users without email. @param {User} user @param {HTMLElement} panel */
  function passwordPanel(user, panel) {
    passwordForms += 1;
    const id = `reset-password-${passwordForms}`;
    const input = h('input', { id, type: 'password', autocomplete: 'new-password', 'aria-describedby': `${id}-rules ${id}-error` });
    const show = h('input', { type: 'checkbox', id: `${id}-show` });
    const temporary = h('input', { type: 'checkbox', id: `${id}-temporary`, checked: true });
    const panelMessage = h('p', { class: 'message', 'aria-live': 'assertive', hidden: true });
    const save = h('button', { type: 'submit', class: 'small' }, t('admin.users.savePassword'));
    const cancel = h('button', { type: 'button', class: 'secondary small' }, t('common.cancel'));
    lib.showPasswordToggle(show, input);
    const form = h(
      'form',
      { class: 'stack', novalidate: true },
      h('label', { for: id }, t('admin.users.newPasswordFor', { identifier: user.signInIdentifier })),
      h('p', { id: `${id}-rules`, class: 'hint' }, t('password.rulesShort')),
      input,
      h('p', { id: `${id}-error`, class: 'field-error' }),
      h('label', { class: 'check', for: `${id}-show` }, show, t('password.show')),
      h('label', { class: 'check', for: `${id}-temporary` }, temporary, t('admin.users.temporary')),
      h('div', { class: 'actions' }, save, cancel),
      panelMessage,
    );
    cancel.addEventListener('click', () => (panel.hidden = true));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      lib.clearErrors(form);
      if (input.value === '') return lib.fieldError(input, t('password.required'));
      const answer = await lib.busy(save, () => api('PUT', `/v1/admin/users/${user.id}/password`, { password: input.value, temporary: temporary.checked }));
      if (!answer.ok) {
        if (lib.passwordProblem(answer.problem, input)) return;
        return kit.failed(answer.problem, panelMessage);
      }
      const done = t(temporary.checked ? 'admin.users.passwordSetTemporary' : 'admin.users.passwordSet', { identifier: user.signInIdentifier });
      panel.replaceChildren(h('p', { class: 'message', 'data-kind': 'ok', role: 'status' }, done));
      shell.emit('audit-changed');
    });
    panel.replaceChildren(form);
    panel.hidden = false;
    input.focus();
  }

  /** @param {User} user */
  function userRow(user) {
    const actions = h('div', { class: 'actions' });
    const panel = h('div', { class: 'reveal', hidden: true });
    if (!user.email) {
      const change = h('button', { type: 'button', class: 'secondary small' }, t('admin.users.changePassword'));
      change.addEventListener('click', () => {
        if (panel.hidden) passwordPanel(user, panel);
        else panel.hidden = true;
      });
      actions.append(change);
    }
    return h(
      'tr',
      {},
      kit.cell(t('admin.users.identifier'), h('span', { class: 'mono' }, user.signInIdentifier)),
      kit.cell(t('admin.users.role'), t(`role.${user.role}`)),
      kit.cell(t('admin.users.created'), lib.formatDate(user.createdAt)),
      kit.cell(t('common.actions'), actions, panel),
    );
  }

  const list = kit.pagedList({ path: '/v1/admin/users', params, row: userRow, rows: byId('user-rows'), more: lib.button('users-more'), empty: byId('users-empty'), message });
  filter.addEventListener('submit', (event) => {
    event.preventDefault();
    void list.reload();
  });
  shell.register({ id: 'users', show: list.reload });
}
