/* global HTMLInputElement, HTMLElement */
/**
 * Console section: invite one person (uid, role, groups, names) and show their code once.
 * @param {import('../lib').Lib} lib
 * @param {import('./types').ConsolePage} page
 */
export function inviteSection(lib, { kit, shell }) {
  const { t, byId, h, api } = lib;
  const form = lib.form('invite-form');
  const uidInput = lib.input('invite-uid');
  const message = byId('invite-message');
  const result = byId('invite-result');
  const groupChoices = byId('invite-groups');

  /**
   * A member joins the default groups whatever is chosen: they show checked and cannot be
   * unticked. For a guest they are ordinary choices, as the admin left them.
   */
  function showDefaults() {
    const member = form.querySelector('input[name=role][value=member]:checked') !== null;
    for (const input of groupChoices.querySelectorAll('input[data-default]')) {
      if (!(input instanceof HTMLInputElement)) continue;
      if (member) {
        if (!input.disabled) input.dataset.chosen = String(input.checked);
        input.checked = true;
      } else if (input.disabled) {
        input.checked = input.dataset.chosen === 'true';
      }
      input.disabled = member;
    }
    for (const note of groupChoices.querySelectorAll('.default-note')) if (note instanceof HTMLElement) note.hidden = !member;
  }

  async function loadGroupChoices() {
    const groups = await kit.allGroups(message);
    if (!groups) return;
    const checked = new Set(checkedGroupIds());
    const choices = groups.map((group) =>
      h(
        'label',
        { class: 'check' },
        h('input', { type: 'checkbox', name: 'groupIds', value: group.id, checked: checked.has(group.id), 'data-default': group.isDefault }),
        h(
          'span',
          {},
          group.isDefault ? t('admin.groups.nameDefault', { name: group.name }) : group.name,
          group.isDefault ? h('span', { class: 'muted default-note' }, ` · ${t('admin.invite.includedForMembers')}`) : '',
        ),
      ),
    );
    groupChoices.replaceChildren(...(choices.length > 0 ? choices : [h('p', { class: 'muted' }, t('admin.invite.noGroups'))]));
    showDefaults();
  }

  // The defaults a member joins anyway are not sent: the invitation keeps the admin's own choices.
  const checkedGroupIds = () => [...groupChoices.querySelectorAll('input:checked:not(:disabled)')].map((input) => (input instanceof HTMLInputElement ? input.value : ''));

  form.addEventListener('change', (event) => {
    if (event.target instanceof HTMLInputElement && event.target.name === 'role') showDefaults();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    lib.clearErrors(form);
    result.hidden = true;
    const uid = uidInput.value.trim();
    if (!kit.uidRule.test(uid)) return lib.fieldError(uidInput, t('admin.invite.uidRule'));
    const checkedRole = form.querySelector('input[name=role]:checked');
    const role = checkedRole instanceof HTMLInputElement ? checkedRole.value : 'member';
    const firstName = lib.input('invite-first-name').value.trim();
    const lastName = lib.input('invite-last-name').value.trim();
    const invitation = { uid, role, groupIds: checkedGroupIds(), ...(firstName ? { firstName } : {}), ...(lastName ? { lastName } : {}) };
    const answer = await lib.busy(lib.submitButton(form), () => api('POST', '/v1/admin/invitations', { invitations: [invitation] }));
    if (!answer.ok) {
      const { problem } = answer;
      if (problem.code === 'uid_taken') return lib.fieldError(uidInput, t('problem.uid_taken'));
      if (problem.code === 'unknown_group') void loadGroupChoices();
      if (problem.code === 'validation_failed' && problem.errors?.some((error) => /uid$/.test(error.path))) return lib.fieldError(uidInput, t('admin.invite.uidRule'));
      return kit.failed(problem, message);
    }
    /** @type {import('./types').AccessCode & { uid: string; signInIdentifier: string }} */
    const created = answer.data.items[0];
    kit.showCode(result, t('admin.invite.created', { uid: created.uid }), created, created.signInIdentifier);
    result.append(h('p', { class: 'note' }, t('admin.invite.handOver')));
    result.focus();
    form.reset();
    showDefaults();
    shell.emit('invitations-changed');
  });

  shell.on('groups-changed', () => {
    if (shell.isShown('invite')) void loadGroupChoices();
  });
  shell.register({ id: 'invite', show: loadGroupChoices });
}
