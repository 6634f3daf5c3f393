/* global HTMLInputElement */
/**
 * Part of the user panel: a user's names, role, groups and (for a user without email) uid.
 * Only what was changed is sent; an emptied name is cleared.
 * @param {import('../lib').Lib} lib
 * @param {import('./types').ConsolePage} page
 */
export function userEditForm(lib, page) {
  const { t, h, api } = lib;
  const { kit, shell } = page;
  let forms = 0;

  /** @param {string} id @param {string} label @param {HTMLInputElement} input @param {Node | string} [hint] */
  const field = (id, label, input, hint = '') => h('div', { class: 'field' }, h('label', { for: id }, label), hint, input, h('p', { id: `${id}-error`, class: 'field-error' }));

  /** @param {HTMLElement} container */
  const checkedValues = (container) => [...container.querySelectorAll('input:checked')].map((input) => (input instanceof HTMLInputElement ? input.value : ''));

  /** @type {import('./types').UserPanelParts['editForm']} */
  function editForm(user, panel) {
    forms += 1;
    const id = `user-edit-${forms}`;
    /** @param {string} suffix @param {string} value */
    const text = (suffix, value) => h('input', { id: `${id}-${suffix}`, type: 'text', value, maxlength: 100, autocomplete: 'off', 'aria-describedby': `${id}-${suffix}-error` });
    const firstName = text('first', user.firstName ?? '');
    const lastName = text('last', user.lastName ?? '');
    const uid =
      user.uid === undefined
        ? undefined
        : h('input', { id: `${id}-uid`, type: 'text', value: user.uid, maxlength: 64, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', 'aria-describedby': `${id}-uid-hint ${id}-uid-error` });
    const roles = h(
      'fieldset',
      {},
      h('legend', {}, t('admin.users.role')),
      ...(user.role === 'admin' ? ['admin', 'member', 'guest'] : ['member', 'guest']).map((role) =>
        h('label', { class: 'check' }, h('input', { type: 'radio', name: `${id}-role`, value: role, checked: role === user.role }), t(`role.${/** @type {import('./types').Role} */ (role)}`)),
      ),
    );
    const groupChoices = h('div', {}, h('p', { class: 'muted' }, t('admin.users.loading')));
    const current = new Set(user.groups.map((group) => group.id));
    let groupsShown = false;
    void kit.allGroups(panel.message).then((groups) => {
      if (!groups) return;
      groupsShown = true;
      const choices = groups.map((group) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: group.id, checked: current.has(group.id) }), group.name));
      groupChoices.replaceChildren(...(choices.length > 0 ? choices : [h('p', { class: 'muted' }, t('admin.invite.noGroups'))]));
    });
    const save = h('button', { type: 'submit', class: 'small' }, t('admin.users.saveChanges'));
    const formMessage = h('p', { class: 'message', 'aria-live': 'polite', hidden: true });
    const form = h(
      'form',
      { class: 'part', novalidate: true, 'aria-labelledby': `${id}-title` },
      h('h4', { id: `${id}-title` }, t('admin.users.edit')),
      field(`${id}-first`, t('admin.users.firstName'), firstName),
      field(`${id}-last`, t('admin.users.lastName'), lastName),
      uid ? field(`${id}-uid`, t('admin.users.uid'), uid, h('p', { id: `${id}-uid-hint`, class: 'hint' }, t('admin.users.uidHint'))) : '',
      roles,
      h('fieldset', {}, h('legend', {}, t('admin.users.groups')), groupChoices),
      save,
      formMessage,
    );

    /** The fields that differ from the user as shown; undefined when one is not valid. */
    function changedFields() {
      /** @type {Record<string, unknown>} */
      const body = {};
      for (const [name, input, was] of /** @type {const} */ ([
        ['firstName', firstName, user.firstName ?? ''],
        ['lastName', lastName, user.lastName ?? ''],
      ])) {
        const value = input.value.trim();
        if (value !== was) body[name] = value === '' ? null : value;
      }
      const role = checkedValues(roles)[0];
      if (role && role !== user.role) body.role = role;
      if (groupsShown) {
        const chosen = checkedValues(groupChoices);
        if (chosen.length !== current.size || chosen.some((groupId) => !current.has(groupId))) body.groupIds = chosen;
      }
      if (uid && uid.value.trim() !== user.uid) {
        if (!kit.uidRule.test(uid.value.trim())) {
          lib.fieldError(uid, t('admin.invite.uidRule'));
          return undefined;
        }
        body.uid = uid.value.trim();
      }
      return body;
    }

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      lib.clearErrors(form);
      lib.say(panel.message, '');
      const body = changedFields();
      if (!body) return;
      if (Object.keys(body).length === 0) return lib.say(formMessage, t('admin.users.nothingChanged'), 'info');
      const answer = await lib.busy(save, () => api('PATCH', `/v1/admin/users/${encodeURIComponent(user.id)}`, body));
      if (!answer.ok) {
        const { problem } = answer;
        // The panel is drawn again with the groups that exist now; what was typed is lost, the message says why.
        if (problem.code === 'unknown_group') await panel.reload();
        if (problem.code === 'uid_taken' && uid) {
          uid.setAttribute('aria-invalid', 'true');
          uid.focus();
        }
        return kit.failed(problem, panel.message);
      }
      panel.changed(answer.data, t('admin.users.saved', { identifier: answer.data.signInIdentifier }));
      shell.emit('audit-changed');
    });
    return form;
  }

  page.userParts = { ...page.userParts, editForm };
}
