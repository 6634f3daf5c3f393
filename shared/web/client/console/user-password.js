/* global window */
/**
 * Part of the user panel, for a user without email who lost their password: a reset code
 * they type at /password-reset, alone or printed in a letter with its QR code (the first
 * way, they choose the password), or a temporary password the admin sets (the second way).
 * @param {import('../lib').Lib} lib
 * @param {import('./types').ConsolePage} page
 */
export function userPasswordHelp(lib, page) {
  const { t, h, api } = lib;
  const { kit, shell, letters } = page;
  let forms = 0;

  /**
   * A new reset code (it replaces the last), shown once; as a letter, with the PDF's link too.
   * @param {import('./types').UserDetail} user @param {import('./types').UserPanelContext} panel @param {'code' | 'letter'} kind
   */
  function resetCodeButton(user, panel, kind) {
    const asLetter = kind === 'letter';
    const label = t(asLetter ? 'admin.users.printResetLetter' : 'admin.users.makeResetCode');
    const make = h('button', { type: 'button', class: asLetter ? 'secondary small' : 'small' }, label);
    make.addEventListener('click', async () => {
      lib.say(panel.message, '');
      if (!(await kit.confirm(t(asLetter ? 'admin.users.confirmResetLetter' : 'admin.users.confirmResetCode', { identifier: user.signInIdentifier }), label, false))) return;
      const answer = await lib.busy(make, () => api('POST', `/v1/admin/users/${encodeURIComponent(user.id)}/${asLetter ? 'reset-letter' : 'reset-code'}`));
      if (!answer.ok) return kit.failed(answer.problem, panel.message);
      /** @type {{ resetCode: string; expiresAt: string; downloadUrl?: string }} */
      const issued = answer.data;
      panel.changed({ ...user, resetCodeExpiresAt: issued.expiresAt });
      const pageUrl = `${window.location.origin}/password-reset`;
      kit.showCode(panel.result, t('admin.users.resetCodeFor', { identifier: user.signInIdentifier }), { accessCode: issued.resetCode, expiresAt: issued.expiresAt }, user.signInIdentifier);
      panel.result.append(
        h('p', { class: 'note' }, t(asLetter ? 'admin.users.resetLetterHandOver' : 'admin.users.resetCodeHandOver', { url: pageUrl })),
        issued.downloadUrl ? letters.link(issued.downloadUrl) : h('p', {}, lib.copyButton(() => `${pageUrl}#code=${issued.resetCode}`, t('admin.users.copyResetLink'))),
      );
      panel.result.focus();
      shell.emit('audit-changed');
    });
    return make;
  }

  /** The temporary password form, as it was before reset codes. @param {import('./types').UserDetail} user @param {import('./types').UserPanelContext} panel @param {HTMLElement} box */
  function temporaryPasswordForm(user, panel, box) {
    forms += 1;
    const id = `reset-password-${forms}`;
    const input = h('input', { id, type: 'password', autocomplete: 'new-password', 'aria-describedby': `${id}-rules ${id}-error` });
    const show = h('input', { type: 'checkbox', id: `${id}-show` });
    const temporary = h('input', { type: 'checkbox', id: `${id}-temporary`, checked: true });
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
    );
    cancel.addEventListener('click', () => (box.hidden = true));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      lib.clearErrors(form);
      lib.say(panel.message, '');
      if (input.value === '') return lib.fieldError(input, t('password.required'));
      const answer = await lib.busy(save, () => api('PUT', `/v1/admin/users/${encodeURIComponent(user.id)}/password`, { password: input.value, temporary: temporary.checked }));
      if (!answer.ok) {
        if (lib.passwordProblem(answer.problem, input)) return;
        return kit.failed(answer.problem, panel.message);
      }
      shell.emit('audit-changed');
      await panel.reload(t(temporary.checked ? 'admin.users.passwordSetTemporary' : 'admin.users.passwordSet', { identifier: user.signInIdentifier }));
    });
    box.replaceChildren(form);
    box.hidden = false;
    input.focus();
  }

  /** @type {import('./types').UserPanelParts['passwordHelp']} */
  function passwordHelp(user, panel) {
    const part = h('div', { class: 'part' }, h('h4', {}, t('admin.users.passwordTitle')));
    if (user.email) {
      part.append(h('p', { class: 'muted' }, t('problem.user_has_email')));
      return part;
    }
    const box = h('div', { class: 'reveal', hidden: true });
    const instead = h('button', { type: 'button', class: 'secondary small' }, t('admin.users.temporaryInstead'));
    instead.addEventListener('click', () => {
      if (box.hidden) temporaryPasswordForm(user, panel, box);
      else box.hidden = true;
    });
    part.append(h('p', { class: 'hint' }, t('admin.users.resetCodeHint')), h('div', { class: 'actions' }, resetCodeButton(user, panel, 'code'), resetCodeButton(user, panel, 'letter'), instead), box);
    return part;
  }

  page.userParts = { ...page.userParts, passwordHelp };
}
