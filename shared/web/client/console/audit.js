/* global URLSearchParams */
/**
 * Console section: the audit log, newest first, paged.
 * @param {import('../lib').Lib} lib
 * @param {import('./types').ConsolePage} page
 */
export function auditSection(lib, { kit, shell }) {
  const { t, byId, h } = lib;

  /**
   * @typedef {{ signInIdentifier?: string; name?: string }} Named
   * @typedef {{ at: string; actor: Named & { kind: string; userId?: string }; action: string; target: Named & { type: string; id: string }; details?: Record<string, unknown> }} AuditEntry
   */

  /** A person as the log names them: sign-in identifier and name, else the id. @param {Named} who @param {string} id */
  const person = (who, id) =>
    h('span', {}, h('span', { class: 'mono' }, who.signInIdentifier ?? id), who.name ? h('span', { class: 'muted block' }, who.name) : '');

  /** @param {AuditEntry['actor']} actor */
  function actorCell(actor) {
    if (actor.kind === 'user' && actor.userId && actor.userId === shell.me()?.id) return t('admin.audit.you');
    if (actor.kind === 'user') return person(actor, actor.userId ?? '');
    const kind = kit.textOr(`admin.audit.actor.${actor.kind}`, actor.kind);
    return actor.name ? `${kind}: ${actor.name}` : kind;
  }

  /** What a user.updated entry changed, in words: the fields, and a uid's old and new value. @param {AuditEntry['details']} details */
  function changes(details = {}) {
    const { changed, uidFrom, uidTo } = details;
    const lines = [];
    if (Array.isArray(changed) && changed.length > 0) {
      const fields = changed.map((field) => kit.textOr(`admin.audit.field.${String(field)}`, String(field)));
      lines.push(t('admin.audit.changed', { fields: fields.join(', ') }));
    }
    if (typeof uidFrom === 'string' && typeof uidTo === 'string') lines.push(t('admin.audit.uidChanged', { from: uidFrom, to: uidTo }));
    return lines.map((line) => h('span', { class: 'muted block' }, line));
  }

  /** @param {AuditEntry} entry */
  function actionCell(entry) {
    const action = kit.textOr(`audit.${entry.action}`, entry.action);
    return entry.action === 'user.updated' ? h('span', {}, action, ...changes(entry.details)) : action;
  }

  /** @param {AuditEntry['target']} target */
  const targetCell = (target) => h('span', {}, h('span', { class: 'block' }, kit.textOr(`admin.audit.target.${target.type}`, target.type)), person(target, target.id));

  /** @param {AuditEntry} entry */
  const entryRow = (entry) =>
    h(
      'tr',
      {},
      kit.cell(t('admin.audit.at'), lib.formatDate(entry.at)),
      kit.cell(t('admin.audit.actor'), actorCell(entry.actor)),
      kit.cell(t('admin.audit.action'), actionCell(entry)),
      kit.cell(t('admin.audit.target'), targetCell(entry.target)),
    );

  const list = kit.pagedList({
    path: '/v1/admin/audit',
    params: () => new URLSearchParams({ limit: '20' }),
    row: entryRow,
    rows: byId('audit-rows'),
    more: lib.button('audit-more'),
    empty: byId('audit-empty'),
    message: byId('audit-message'),
  });
  byId('audit-refresh').addEventListener('click', () => void list.reload());
  shell.on('audit-changed', () => {
    if (shell.isShown('audit')) void list.reload();
  });
  shell.register({ id: 'audit', show: list.reload });
}
