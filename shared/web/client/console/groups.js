/* global window */
/**
 * Console section: groups (add, rename, default or not, delete).
 * @param {import('../lib').Lib} lib
 * @param {import('./types').ConsolePage} page
 */
export function groupsSection(lib, { kit, shell }) {
  const { t, byId, h, api } = lib;
  const rows = byId('group-rows');
  const message = byId('groups-message');
  const form = lib.form('group-form');
  const nameInput = lib.input('group-name');

  async function load() {
    const groups = await kit.allGroups(message);
    if (!groups) return;
    byId('groups-empty').hidden = groups.length > 0;
    rows.replaceChildren(...groups.map(groupRow));
  }

  /** After a change: this list again, and the invite form's choices. @param {string} text */
  async function changed(text) {
    lib.say(message, text, 'ok');
    shell.emit('groups-changed');
    shell.emit('audit-changed');
    await load();
  }

  /** @param {import('./types').Group} group @param {HTMLElement} nameCell */
  function renameForm(group, nameCell) {
    const input = h('input', { type: 'text', value: group.name, 'aria-label': t('admin.groups.newName', { name: group.name }), maxlength: 100 });
    const save = h('button', { type: 'submit', class: 'small' }, t('common.save'));
    const cancel = h('button', { type: 'button', class: 'secondary small' }, t('common.cancel'));
    const rename = h('form', { class: 'inline' }, input, save, cancel);
    cancel.addEventListener('click', () => void load());
    rename.addEventListener('submit', async (event) => {
      event.preventDefault();
      const answer = await lib.busy(save, () => api('PATCH', `/v1/admin/groups/${group.id}`, { name: input.value.trim() }));
      if (!answer.ok) return kit.failed(answer.problem, message);
      await changed(t('admin.groups.renamed'));
    });
    nameCell.replaceChildren(rename);
    input.focus();
    input.select();
  }

  /** @param {import('./types').Group} group */
  function groupRow(group) {
    const nameCell = kit.cell(t('admin.groups.name'), group.name);
    const rename = h('button', { type: 'button', class: 'secondary small' }, t('admin.groups.rename'));
    const toggle = h('button', { type: 'button', class: 'secondary small' }, t(group.isDefault ? 'admin.groups.unsetDefault' : 'admin.groups.setDefault'));
    const remove = h('button', { type: 'button', class: 'danger small' }, t('admin.groups.delete'));
    rename.addEventListener('click', () => renameForm(group, nameCell));
    toggle.addEventListener('click', async () => {
      const answer = await lib.busy(toggle, () => api('PATCH', `/v1/admin/groups/${group.id}`, { isDefault: !group.isDefault }));
      if (!answer.ok) return kit.failed(answer.problem, message);
      await changed(t('admin.groups.saved'));
    });
    remove.addEventListener('click', async () => {
      if (!window.confirm(t('admin.groups.confirmDelete', { name: group.name }))) return;
      const answer = await lib.busy(remove, () => api('DELETE', `/v1/admin/groups/${group.id}`));
      if (!answer.ok) return kit.failed(answer.problem, message);
      await changed(t('admin.groups.deleted', { name: group.name }));
    });
    return h(
      'tr',
      {},
      nameCell,
      kit.cell(t('admin.groups.default'), group.isDefault ? t('common.yes') : t('common.no')),
      kit.cell(t('common.actions'), h('div', { class: 'actions' }, rename, toggle, remove)),
    );
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    lib.clearErrors(form);
    const name = nameInput.value.trim();
    if (name === '') return lib.fieldError(nameInput, t('admin.groups.nameRequired'));
    const isDefault = lib.input('group-default').checked;
    const answer = await lib.busy(lib.submitButton(form), () => api('POST', '/v1/admin/groups', { name, isDefault }));
    if (!answer.ok) {
      if (answer.problem.code === 'group_name_taken') return lib.fieldError(nameInput, lib.problemText(answer.problem));
      return kit.failed(answer.problem, byId('group-form-message'));
    }
    form.reset();
    await changed(t('admin.groups.created', { name: answer.data.name }));
  });

  shell.register({ id: 'groups', show: load });
}
