/**
 * Console section: export every invitation (pending ones with their codes) as a download.
 * @param {import('../lib').Lib} lib
 * @param {import('./types').ConsolePage} page
 */
export function exportSection(lib, { kit, shell }) {
  const { t, byId, api } = lib;
  const startButton = lib.button('export-start');
  const message = byId('export-message');
  const status = byId('export-status');
  const link = byId('export-link');

  /** @typedef {{ id: string; status: string; count?: number; downloadUrl?: string; expiresAt?: string }} ExportState */

  async function runExport() {
    const started = await api('POST', '/v1/admin/exports', { kind: 'invitations' });
    if (!started.ok) {
      if (started.problem.code === 'route_not_found') return lib.say(message, t('admin.export.unavailable'));
      return kit.failed(started.problem, message);
    }
    lib.say(status, t('admin.export.running'), 'info');
    /** @type {ExportState} */
    let state = started.data;
    while (state.status === 'running') {
      await kit.pause(1000);
      const answer = await api('GET', `/v1/admin/exports/${started.data.id}`);
      if (!answer.ok) return kit.failed(answer.problem, message);
      state = answer.data;
    }
    if (state.status !== 'completed' || !state.downloadUrl) {
      lib.say(status, '');
      return lib.say(message, t('admin.export.failed'));
    }
    lib.say(status, t('admin.export.ready', { count: state.count ?? 0, date: lib.formatDate(state.expiresAt) }), 'ok');
    link.setAttribute('href', state.downloadUrl);
    link.hidden = false;
    link.focus();
    shell.emit('audit-changed');
  }

  startButton.addEventListener('click', async () => {
    lib.say(message, '');
    lib.say(status, '');
    link.hidden = true;
    await lib.busy(startButton, runExport);
  });

  shell.register({ id: 'export', show: () => undefined });
}
