/**
 * Console section: API keys (make one with a name and scopes, see it once and copy it, the
 * list with each key's last use, revoke after a confirmation).
 * @param {import('../lib').Lib} lib
 * @param {import('./types').ConsolePage} page
 */
export function apiKeysSection(lib, { kit, shell }) {
  const { t, byId, h, api } = lib;
  const rows = byId('api-key-rows');
  const message = byId('api-keys-message');
  const shown = byId('api-key-shown');
  const form = lib.form('api-key-form');
  const nameInput = lib.input('api-key-name');
  const scopeBoxes = () => /** @type {HTMLInputElement[]} */ ([...form.querySelectorAll('input[name="api-key-scope"]')]);

  /** @typedef {{ id: string; name: string; scopes: string[]; createdAt: string; lastUsedAt?: string }} ApiKey */

  async function load() {
    const answer = await api('GET', '/v1/admin/api-keys');
    if (!answer.ok) return kit.failed(answer.problem, message);
    const items = /** @type {ApiKey[]} */ (answer.data.items);
    byId('api-keys-empty').hidden = items.length > 0;
    rows.replaceChildren(...items.map(keyRow));
  }

  /** @param {ApiKey} key */
  function keyRow(key) {
    const revoke = h('button', { type: 'button', class: 'danger small' }, t('admin.api-keys.revoke'));
    revoke.addEventListener('click', async () => {
      if (!(await kit.confirm(t('admin.api-keys.confirmRevoke', { name: key.name }), t('admin.api-keys.revoke')))) return;
      const answer = await lib.busy(revoke, () => api('DELETE', `/v1/admin/api-keys/${key.id}`));
      if (!answer.ok) return kit.failed(answer.problem, message);
      lib.say(message, t('admin.api-keys.revoked', { name: key.name }), 'ok');
      shell.emit('audit-changed');
      await load();
    });
    return h(
      'tr',
      {},
      kit.cell(t('admin.api-keys.name'), key.name),
      kit.cell(t('admin.api-keys.scopes'), key.scopes.map((scope) => kit.textOr(`admin.api-keys.scope.${scope}`, scope)).join(', ')),
      kit.cell(t('admin.api-keys.created'), lib.formatDate(key.createdAt)),
      kit.cell(t('admin.api-keys.lastUsed'), key.lastUsedAt ? lib.formatDate(key.lastUsedAt) : t('admin.api-keys.neverUsed')),
      kit.cell(t('common.actions'), h('div', { class: 'actions' }, revoke)),
    );
  }

  /** The new key, this once, with a copy button; gone when the section is shown again. @param {{ name: string; key: string }} created */
  function showKey(created) {
    shown.replaceChildren(
      h('p', { class: 'reveal-title' }, t('admin.api-keys.shownOnce', { name: created.name })),
      h('div', { class: 'copy-row' }, h('p', { class: 'code mono' }, created.key), lib.copyButton(() => created.key, t('admin.api-keys.copy'))),
    );
    shown.hidden = false;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    lib.clearErrors(form);
    const name = nameInput.value.trim();
    const scopes = scopeBoxes().filter((box) => box.checked).map((box) => box.value);
    if (name === '') return lib.fieldError(nameInput, t('admin.api-keys.nameRequired'));
    if (scopes.length === 0) return lib.say(byId('api-key-form-message'), t('admin.api-keys.scopesRequired'), 'error');
    const answer = await lib.busy(lib.submitButton(form), () => api('POST', '/v1/admin/api-keys', { name, scopes }));
    if (!answer.ok) return kit.failed(answer.problem, byId('api-key-form-message'));
    form.reset();
    showKey(answer.data);
    shell.emit('audit-changed');
    await load();
  });

  shell.register({
    id: 'api-keys',
    show: async () => {
      shown.replaceChildren();
      shown.hidden = true;
      await load();
    },
  });
}
