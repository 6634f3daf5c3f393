/* global URLSearchParams */
/**
 * Console section: the audit log, newest first, paged.
 * @param {import('../lib').Lib} lib
 * @param {import('./types').ConsolePage} page
 */
export function auditSection(lib, { kit, shell }) {
  const { t, byId, h } = lib;

  /** @typedef {{ at: string; actor: { kind: string; userId?: string }; action: string; target: { type: string; id: string } }} AuditEntry */

  /** @param {AuditEntry['actor']} actor */
  function actorText(actor) {
    if (actor.kind === 'user') return actor.userId && actor.userId === shell.me()?.id ? t('admin.audit.you') : (actor.userId ?? '');
    return kit.textOr(`admin.audit.actor.${actor.kind}`, actor.kind);
  }

  /** @param {AuditEntry} entry */
  const entryRow = (entry) =>
    h(
      'tr',
      {},
      kit.cell(t('admin.audit.at'), lib.formatDate(entry.at)),
      kit.cell(t('admin.audit.actor'), actorText(entry.actor)),
      kit.cell(t('admin.audit.action'), kit.textOr(`audit.${entry.action}`, entry.action)),
      kit.cell(t('admin.audit.target'), h('span', { class: 'mono' }, `${entry.target.type} ${entry.target.id}`)),
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
