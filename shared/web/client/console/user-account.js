/**
 * Part of the user panel: deactivate or reactivate, sign out everywhere, delete; each asked
 * in the confirm dialog first. An admin's own account offers no deactivate or delete (the
 * API refuses them with last_admin).
 * @param {import('../lib').Lib} lib
 * @param {import('./types').ConsolePage} page
 */
export function userAccountActions(lib, page) {
  const { t, h, api } = lib;
  const { kit, shell } = page;

  /**
   * @param {import('./types').UserPanelContext} panel
   * @param {{ label: string; question: string; danger: boolean; call: () => Promise<import('../lib').Answer>; then: (data: any) => void }} action
   */
  function actionButton(panel, action) {
    const button = h('button', { type: 'button', class: action.danger ? 'danger small' : 'secondary small' }, action.label);
    button.addEventListener('click', async () => {
      lib.say(panel.message, '');
      if (!(await kit.confirm(action.question, action.label, action.danger))) return;
      const answer = await lib.busy(button, action.call);
      if (!answer.ok) return kit.failed(answer.problem, panel.message);
      action.then(answer.data);
      shell.emit('audit-changed');
    });
    return button;
  }

  /** @type {import('./types').UserPanelParts['accountActions']} */
  function accountActions(user, panel) {
    const identifier = user.signInIdentifier;
    const path = `/v1/admin/users/${encodeURIComponent(user.id)}`;
    const yourself = shell.me()?.id === user.id;
    const buttons = [];
    if (user.status === 'active' && !yourself) {
      buttons.push(
        actionButton(panel, {
          label: t('admin.users.deactivate'),
          question: t('admin.users.confirmDeactivate', { identifier }),
          danger: true,
          call: () => api('POST', `${path}/deactivate`),
          then: (updated) => panel.changed(updated, t('admin.users.deactivated', { identifier })),
        }),
      );
    }
    if (user.status === 'deactivated') {
      buttons.push(
        actionButton(panel, {
          label: t('admin.users.reactivate'),
          question: t('admin.users.confirmReactivate', { identifier }),
          danger: false,
          call: () => api('POST', `${path}/reactivate`),
          then: (updated) => panel.changed(updated, t('admin.users.reactivated', { identifier })),
        }),
      );
    }
    buttons.push(
      actionButton(panel, {
        label: t('admin.users.signOutEverywhere'),
        question: t('admin.users.confirmSignOut', { identifier }),
        danger: true,
        call: () => api('DELETE', `${path}/sessions`),
        then: () => {
          lib.say(panel.message, t('admin.users.signedOut', { identifier }), 'ok');
          panel.message.focus();
        },
      }),
    );
    if (!yourself) {
      buttons.push(
        actionButton(panel, {
          label: t('admin.users.delete'),
          question: t('admin.users.confirmDelete', { identifier }),
          danger: true,
          call: () => api('DELETE', path),
          then: () => panel.deleted(),
        }),
      );
    }
    return h('div', { class: 'part' }, h('h4', {}, t('admin.users.accountTitle')), yourself ? h('p', { class: 'hint' }, t('admin.users.yourself')) : '', h('div', { class: 'actions' }, ...buttons));
  }

  page.userParts = { ...page.userParts, accountActions };
}
